"""Campaigns in the works, on the editors' dashboard (a ``DashboardPanel`` entry,
declared in ``apps.py``): drafts, planned sendings, sendings under way or paused with
their progress. Three queries, however many campaigns and deliveries there are."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import DashboardPanel

from .models import Campaign, Delivery

SHOWN = 5

State = Campaign.State
DONE = [Delivery.State.SENT, Delivery.State.FAILED, Delivery.State.BOUNCED, Delivery.State.SKIPPED]


def campaigns_context(request):
    counts = Campaign.objects.aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in State.values}
    )
    if not any(
        counts[state] for state in (State.DRAFT, State.SCHEDULED, State.SENDING, State.PAUSED)
    ):
        return None
    active = list(
        Campaign.objects.filter(state__in=[State.SCHEDULED, State.SENDING, State.PAUSED])
        .only("pk", "subject", "state", "scheduled_at", "pause_reason")
        .order_by(F("scheduled_at").asc(nulls_first=True), "pk")[:SHOWN]
    )
    progress = {
        row["campaign"]: row
        for row in Delivery.objects.filter(
            campaign__in=[c.pk for c in active if c.state != State.SCHEDULED]
        )
        .values("campaign")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(state__in=DONE)))
        .order_by()
    }
    for campaign in active:
        campaign.progress = progress.get(campaign.pk)
    return {"counts": counts, "campaigns": active}


PANEL = DashboardPanel(
    "newsletter",
    _("Newsletter"),
    "newsletter/admin/dashboard_campaigns.html",
    context=campaigns_context,
    empty=_("Keine Ausgabe in Arbeit, geplant oder im Versand."),
    permission="newsletter.change_campaign",
    order=50,
)

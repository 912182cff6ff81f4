"""An offer of the Angebotsatlas as the subject of a training request (Fortbildungsantrag).

``SOURCE`` is registered in the app's ``AppConfig.ready()``; see
docs/training-requests.md. The offer already holds the facts an employer
asks for (certificate, learning goals, accreditation).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core import text
from kommune360.core.registry import TrainingFacts, TrainingRequestSource

from .models import Offer


def get(pk):
    return (
        Offer.objects.filter(pk=pk, status=Offer.Status.PUBLISHED)
        .select_related("provider", "format", "municipality")
        .first()
    )


def has_facts(offer):
    """Published, with learning goals or a description, hours or dates, and not over."""
    last_day = offer.end_date or offer.start_date
    return bool(
        offer.is_public
        and (offer.learning_goals.strip() or offer.description.strip())
        and (offer.duration_hours or offer.ongoing or offer.start_date or offer.dates_note)
        and (offer.ongoing or last_day is None or last_day >= timezone.localdate())
    )


def facts(offer):
    if not has_facts(offer):
        return None
    goals = tuple(line.strip() for line in offer.learning_goals.splitlines() if line.strip())
    extra = [(_("Format"), offer.format.name), (_("Sprache"), offer.get_language_display())]
    if offer.accreditation:
        extra.append((_("Anerkennung/Akkreditierung"), offer.accreditation))
    if offer.contact:
        extra.append((_("Kontakt der Anbieter:in"), offer.contact))
    schedule = [offer.dates_display] if offer.dates_display else []
    if offer.dates_note and offer.dates_note not in schedule:
        schedule.append(offer.dates_note)
    on_site = offer.delivery in (Offer.Delivery.ON_SITE, Offer.Delivery.HYBRID)
    return TrainingFacts(
        kind=_("Angebot"),
        title=offer.title,
        provider=offer.provider.name,
        description="\n\n".join(part for part in (offer.summary, offer.description) if part),
        url=settings.SITE_URL + offer.get_absolute_url(),
        learning_goals=goals,
        schedule=tuple(schedule),
        hours=text.hours(offer.duration_hours) if offer.duration_hours else "",
        place=_("%(delivery)s, %(region)s")
        % {"delivery": offer.get_delivery_display(), "region": offer.region_display}
        if on_site
        else "",
        online=offer.delivery in (Offer.Delivery.ONLINE, Offer.Delivery.HYBRID),
        cost_text=_("kostenfrei") if offer.cost_band == Offer.CostBand.FREE else offer.cost_display,
        certificate=_("Ja, eine Teilnahmebescheinigung.")
        if offer.certificate
        else _("Nein, keine Teilnahmebescheinigung."),
        extra=tuple(extra),
    )


SOURCE = TrainingRequestSource("angebot", Offer, gettext_lazy("Angebot"), get, facts, has_facts)

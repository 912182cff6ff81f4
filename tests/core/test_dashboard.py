"""The editors' dashboard (``/admin/``): the registry's ``DashboardPanel`` entries,
rendered by core through Wagtail's one ``construct_homepage_panels`` hook.

Every panel renders, says in German when nothing waits, is shown only to the roles
that may use the screens it links to, and those links open; the dashboard's queries
do not grow with the data.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail import hooks

from kommune360.accounts import roles
from kommune360.atlas import provider_requests
from kommune360.atlas.models import Offer, OfferImportJob
from kommune360.core.registry import DashboardPanel, registry
from kommune360.events.models import Registration
from kommune360.learning.models import Application
from kommune360.network.models import Report
from kommune360.newsletter import services as newsletter
from kommune360.newsletter.models import Campaign
from kommune360.newsletter.models import ImportJob as SubscriberImportJob
from kommune360.participation.models import Kind, Status
from tests.factories.accounts import UserFactory
from tests.factories.atlas import OfferFactory
from tests.factories.awards import ApplicationFactory as AwardApplicationFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.impact import ManualFigureFactory
from tests.factories.learning import ApplicationFactory, CohortFactory
from tests.factories.network import ProfileFactory
from tests.factories.newsletter import CampaignFactory, SubscriberFactory
from tests.factories.participation import ContributionFactory, FollowUpFactory

pytestmark = pytest.mark.django_db

ALL_PANELS = {
    "moderation",
    "follow_ups",
    "offer_review",
    "provider_requests",
    "next_events",
    "cohort_applications",
    "newsletter",
    "imports",
    "awards_rounds",
    "network_reports",
    "impact",
}
PANELS_PER_ROLE = {
    roles.EDITOR: ALL_PANELS - {"moderation", "network_reports"},
    roles.MODERATOR: {"moderation", "follow_ups", "network_reports"},
    roles.JURY: set(),  # admin access, nothing of this to do
    roles.ADMINISTRATION: ALL_PANELS,
}


def fill(size):
    """``size`` of everything each panel counts, plus things no panel may count."""
    for n in range(size):
        ContributionFactory(status=Status.PENDING, text=f"Wartender Beitrag {n}")
        ContributionFactory(status=Status.HIDDEN, hidden_by_reports=True)
        FollowUpFactory(contribution__status=Status.INTERNAL, contribution__kind=Kind.COOPERATION)
        OfferFactory(status=Offer.Status.SUBMITTED, title=f"Eingereichtes Angebot {n}")
        OfferFactory(last_checked=timezone.localdate() - timedelta(days=400))
        event = EventFactory(starts_at=timezone.now() + timedelta(days=n + 1), capacity=10)
        RegistrationFactory.create_batch(2, event=event)
        RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
        cohort = CohortFactory()
        ApplicationFactory.create_batch(2, cohort=cohort)
        ApplicationFactory(cohort=cohort, status=Application.Status.ACCEPTED)
        CampaignFactory(subject=f"Entwurf {n}")
        newsletter.schedule_sending(CampaignFactory(), timezone.now() + timedelta(days=n + 1))
        SubscriberFactory()
        newsletter.start_sending(CampaignFactory(), enqueue_task=False)
        OfferImportJob.objects.create(filename=f"angebote-{n}.csv", state="running")
        provider_requests.request_provider_role(UserFactory(), name=f"Neue Akademie {n}")
        SubscriberImportJob.objects.create(
            filename=f"adressen-{n}.csv", source="public", legal_basis="x", state="failed"
        )
        AwardApplicationFactory(round__title=f"Laufende Runde {n}")
        Report.objects.create(profile=ProfileFactory(), reason=f"Gemeldet {n}")
        ManualFigureFactory(year=timezone.localdate().year, label=f"Verteilte Postkarten {n}")
    # Not for the dashboard: published or unconfirmed contributions, past or cancelled
    # events, decided applications, sent campaigns, finished or old imports.
    ContributionFactory(status=Status.PUBLISHED)
    ContributionFactory(status=Status.UNCONFIRMED)
    EventFactory(starts_at=timezone.now() - timedelta(days=3))
    EventFactory(cancelled_at=timezone.now())
    ApplicationFactory(status=Application.Status.DECLINED)
    Campaign.objects.create(subject="Längst versendet", state=Campaign.State.SENT)
    OfferImportJob.objects.create(filename="fertig.csv", state="done")
    decided = provider_requests.request_provider_role(UserFactory(), name="Entschieden e. V.")
    provider_requests.decline_request(UserFactory(is_superuser=True), decided)
    OfferImportJob.objects.create(
        filename="alt.csv", state="failed", created=timezone.now() - timedelta(days=8)
    )


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def dashboard(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def panels(html):
    """The dashboard's registry panels: key -> their HTML."""
    found = re.findall(
        r'<section class="[^"]*dashboard-panel[^"]*" id="dashboard-(\w+)-section".*?</section>',
        html,
        re.S,
    )
    return {
        key: re.search(rf'id="dashboard-{key}-section".*?</section>', html, re.S).group(0)
        for key in found
    }


def links(html):
    return re.findall(r'href="(/admin/[^"#]*)"', html)


def test_core_renders_the_panels_through_one_hook():
    ours = [
        fn.__module__
        for fn in hooks.get_hooks("construct_homepage_panels")
        if fn.__module__.startswith("kommune360")
    ]
    assert ours == ["kommune360.core.wagtail_hooks"]


def test_a_panel_is_shown_by_permission_or_by_its_own_rule():
    member = UserFactory()
    editor = UserFactory(roles=[roles.EDITOR])
    by_permission = DashboardPanel(
        "x", "X", "t.html", dict, "leer", permission="atlas.change_offer"
    )
    by_rule = DashboardPanel("y", "Y", "t.html", dict, "leer", visible=lambda u: u == member)
    assert by_permission.shown_to(editor) and not by_permission.shown_to(member)
    assert by_rule.shown_to(member) and not by_rule.shown_to(editor)


def test_every_registered_panel_renders_for_a_superuser(client, superuser):
    fill(2)
    client.force_login(superuser)

    shown = panels(dashboard(client))

    assert set(shown) == {entry.key for entry in registry.dashboard_panels()} == ALL_PANELS
    for entry in registry.dashboard_panels():
        assert str(entry.label) in shown[entry.key]
        assert str(entry.empty) not in shown[entry.key]
        assert links(shown[entry.key]), entry.key


def test_every_panel_says_in_german_that_nothing_waits(client, superuser):
    client.force_login(superuser)

    shown = panels(dashboard(client))

    for entry in registry.dashboard_panels():
        assert str(entry.empty) in shown[entry.key]
        assert not links(shown[entry.key])


def test_the_panels_count_what_waits(client, superuser):
    fill(2)
    client.force_login(superuser)

    shown = panels(dashboard(client))

    assert "4 Beiträge warten auf Moderation" in shown["moderation"]
    assert "davon 2 nach Meldungen ausgeblendet" in shown["moderation"]
    assert "Wartender Beitrag 0" in shown["moderation"]
    assert "Published" not in shown["moderation"]
    assert "2 neue Anfragen" in shown["follow_ups"]
    assert "2 Angebote eingereicht" in shown["offer_review"]
    assert "2 seit zwölf Monaten nicht bestätigt" in shown["offer_review"]
    assert "Eingereichtes Angebot 1" in shown["offer_review"]
    assert "2 Anfragen warten auf eine Entscheidung" in shown["provider_requests"]
    assert "Neue Akademie 1" in shown["provider_requests"]
    assert "Entschieden e. V." not in shown["provider_requests"]
    # registered / places and the waitlist of each of the next events
    assert shown["next_events"].count("<td>2 / 10</td>") == 2
    assert shown["next_events"].count("<td>1</td>") == 2
    assert "4 Bewerbungen warten auf eine Entscheidung." in shown["cohort_applications"]
    assert shown["cohort_applications"].count("<td>1 / 20</td>") == 2
    assert "2 Entwürfe · 2 geplant · 2 im Versand" in shown["newsletter"]
    assert "geplant für" in shown["newsletter"]
    assert "Angebots-Importe" in shown["imports"] and "Newsletter-Importe" in shown["imports"]
    assert "angebote-1.csv" in shown["imports"] and "adressen-0.csv" in shown["imports"]
    assert "fertig.csv" not in shown["imports"] and "alt.csv" not in shown["imports"]


@pytest.mark.parametrize("role", sorted(PANELS_PER_ROLE))
def test_each_role_sees_the_panels_of_the_screens_it_may_use(client, role):
    fill(1)
    user = UserFactory(roles=[role])
    client.force_login(user)

    shown = panels(dashboard(client))

    assert set(shown) == PANELS_PER_ROLE[role]
    for url in {url for html in shown.values() for url in links(html)}:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [None, roles.MEMBER, roles.PROVIDER])
def test_people_without_admin_access_get_no_dashboard(client, role):
    fill(1)
    if role:
        client.force_login(UserFactory(roles=[role]))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "dashboard-" not in response.content.decode()


# Wagtail's own dashboard (session, user, profile, pages, site summary, workflows,
# recent edits: 17) and the registry's panels: moderation 2, follow-ups 2, offers 2,
# requests to become a provider 2, events 1, applications 2, newsletter 3, imports 2
# per kind (4), network reports 2, the year in numbers 3 (computed and manual
# figures, indicators). For an editor Wagtail reads permissions (user, groups, pages,
# collections, sites) and its workflow tasks' groups (+7), and there is no moderation
# panel (-2) nor one for network reports (-1).
DASHBOARD_QUERIES = {"superuser": 41, roles.EDITOR: 44}


@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize("who", sorted(DASHBOARD_QUERIES))
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, superuser, who, size, django_assert_num_queries
):
    fill(size)
    client.force_login(superuser if who == "superuser" else UserFactory(roles=[who]))
    dashboard(client)

    with django_assert_num_queries(DASHBOARD_QUERIES[who]):
        html = dashboard(client)

    expected = ALL_PANELS if who == "superuser" else PANELS_PER_ROLE[who]
    assert set(panels(html)) == expected
    for key in expected:
        assert "dashboard-panel__empty" not in panels(html)[key]

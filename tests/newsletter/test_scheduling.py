"""The step before sending and planned sending.

"Versand starten" leads to a confirmation that names subject, topics and the number of
recipients (asked of the same function the sending freezes its list with), with
"Jetzt senden" and "Zeitpunkt planen" (date and time in Europe/Berlin, in the future).
A planned sending is started by the periodic task exactly once, however often and
however concurrently it runs, can be taken back before it starts, and every step
leaves an audit entry.
"""

import datetime
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kommune360.accounts import roles
from kommune360.core.models import AuditEntry, SiteSettings
from kommune360.core.registry import registry
from kommune360.newsletter import sending, services, tasks
from kommune360.newsletter.models import Campaign, ConsentEvent, Delivery, Subscriber
from kommune360.newsletter.services import campaigns
from tests.factories.accounts import UserFactory
from tests.factories.newsletter import CampaignFactory, SubscriberFactory, TopicFactory
from tests.newsletter.suppression import is_suppressed

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _one_connection(settings):
    settings.NEWSLETTER_CONNECTIONS = 1  # sending threads cannot share a test transaction


@pytest.fixture
def editor(db):
    return UserFactory(roles=[roles.EDITOR])


def confirm_url(campaign):
    return reverse("newsletter_confirm_sending", args=[campaign.pk])


def dispatch_url(campaign):
    return reverse("newsletter_dispatch", args=[campaign.pk])


def actions(campaign):
    return list(
        AuditEntry.objects.filter(object_id=str(campaign.pk), action__startswith="newsletter.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def schedule(client, campaign, day, time):
    return client.post(confirm_url(campaign), {"action": "schedule", "date": day, "time": time})


def audience():
    """Three who receive a "Jugendhilfe" issue, and five who must not."""
    youth, festival = TopicFactory(name="Jugendhilfe"), TopicFactory(name="Festival")
    readers = [SubscriberFactory(topics=[youth]) for _ in range(2)]
    readers.append(SubscriberFactory(topics=[youth, festival]))
    SubscriberFactory(topics=[festival])  # another topic
    SubscriberFactory(topics=[youth], state=Subscriber.State.PENDING)  # not confirmed
    services.unsubscribe(SubscriberFactory(topics=[youth]), channel=ConsentEvent.Channel.WEB)
    bounced = SubscriberFactory(topics=[youth])
    services.mark_bounced(bounced.email, channel=ConsentEvent.Channel.SMTP)
    gone = SubscriberFactory(topics=[youth])
    services.unsubscribe(gone, channel=ConsentEvent.Channel.ONE_CLICK)
    assert is_suppressed(bounced.email) and is_suppressed(gone.email)
    return youth, readers


# --- The confirmation ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_confirmation_names_subject_topics_and_the_recipients_sending_will_use(
    client, editor, django_capture_on_commit_callbacks
):
    youth, readers = audience()
    campaign = CampaignFactory(subject="Neues aus der Jugendhilfe", topics=[youth])
    client.force_login(editor)

    page = client.get(confirm_url(campaign)).content.decode()

    assert "Neues aus der Jugendhilfe" in page
    assert "<td>Jugendhilfe</td>" in page
    assert '<td id="recipient-count">3 Adressen</td>' in page
    assert "Die Ausgabe geht an 3 Empfänger:innen." in page
    assert "Jetzt senden" in page and "Zeitpunkt planen" in page
    assert campaign.state == Campaign.State.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url(campaign), {"action": "send"})

    assert response.status_code == 302
    frozen = Delivery.objects.filter(campaign=campaign)
    assert sorted(frozen.values_list("email", flat=True)) == sorted(r.email for r in readers)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT
    assert actions(campaign) == ["newsletter.sending_started", "newsletter.sent"]


@pytest.mark.django_db
def test_the_dispatch_page_starts_nothing_without_the_confirmation(client, editor):
    SubscriberFactory()
    campaign = CampaignFactory()
    client.force_login(editor)

    page = client.get(dispatch_url(campaign)).content.decode()
    client.post(dispatch_url(campaign), {"action": "start"})

    assert f'href="{confirm_url(campaign)}"' in page and "Versand starten" in page
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_second_click_on_jetzt_senden_sends_nothing_twice(
    client, editor, django_capture_on_commit_callbacks
):
    SubscriberFactory.create_batch(2)
    campaign = CampaignFactory()
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url(campaign), {"action": "send"})
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(confirm_url(campaign), {"action": "send"}, follow=True)

    assert "Diese Ausgabe ist kein Entwurf mehr." in again.content.decode()
    assert len(mail.outbox) == 2
    assert actions(campaign).count("newsletter.sending_started") == 1


# --- Planning a time -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_planned_time_is_german_time_and_every_step_is_in_the_audit_log(client, editor):
    youth, _readers = audience()
    campaign = CampaignFactory(topics=[youth])
    client.force_login(editor)
    day = timezone.localdate() + timedelta(days=30)

    response = schedule(client, campaign, day.isoformat(), "09:30")

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SCHEDULED
    assert campaign.scheduled_at == datetime.datetime.combine(
        day, datetime.time(9, 30), tzinfo=BERLIN
    )
    entry = AuditEntry.objects.get(action="newsletter.sending_scheduled")
    assert entry.actor == editor and entry.data["recipients"] == 3
    assert entry.data["subject"] == campaign.subject and entry.data["topics"] == ["Jugendhilfe"]
    page = client.get(dispatch_url(campaign)).content.decode()
    assert f"Versand geplant für {day:%d.%m.%Y} 09:30 Uhr." in page
    assert "Planung aufheben" in page and "Geht an 3 Empfänger:innen." in page
    assert not mail.outbox


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "time", "field", "message"),
    [
        (-1, "12:00", "date", "Bitte wählen Sie einen Zeitpunkt in der Zukunft."),
        (0, "00:00", "time", "Bitte wählen Sie einen Zeitpunkt in der Zukunft."),
        (None, "12:00", "date", "Bitte füllen Sie dieses Feld aus."),
        (1, "", "time", "Bitte füllen Sie dieses Feld aus."),
        ("morgen", "12:00", "date", "Bitte geben Sie ein gültiges Datum an, z. B. 24.03.2027."),
        (1, "25:61", "time", "Bitte geben Sie eine gültige Uhrzeit an, z. B. 09:30."),
    ],
)
def test_a_time_in_the_past_or_no_time_is_refused_in_german(
    client, editor, day, time, field, message
):
    campaign = CampaignFactory()
    client.force_login(editor)
    if isinstance(day, int):
        day = (timezone.localdate() + timedelta(days=day)).isoformat()

    response = schedule(client, campaign, day or "", time)

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page and message in page
    assert f'value="{time}"' in page  # nothing entered is lost
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT and campaign.scheduled_at is None
    assert not AuditEntry.objects.filter(action__startswith="newsletter.").exists()


@pytest.mark.django_db
def test_the_service_refuses_a_past_time_and_a_campaign_that_is_no_draft():
    campaign = CampaignFactory()
    with pytest.raises(ValidationError, match="in der Zukunft"):
        services.schedule_sending(campaign, timezone.now() - timedelta(seconds=1))
    services.schedule_sending(campaign, timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError, match="Nur ein Entwurf"):
        services.schedule_sending(campaign, timezone.now() + timedelta(hours=2))
    with pytest.raises(ValueError):
        services.start_sending(campaign, enqueue_task=False)


# --- The periodic task -----------------------------------------------------------------------


def make_due(campaign):
    """The planned time has come (the service accepts only future times)."""
    Campaign.objects.filter(pk=campaign.pk).update(
        scheduled_at=timezone.now() - timedelta(seconds=5)
    )


@pytest.mark.django_db
def test_the_worker_runs_the_planned_sendings_every_minute():
    periodic = {p.name: p for p in registry.periodic_tasks()}["newsletter.start_scheduled"]
    assert periodic.task is tasks.start_scheduled_campaigns_task
    assert periodic.interval == timedelta(minutes=1)


@pytest.mark.django_db
def test_the_task_starts_a_due_campaign_once_however_often_it_runs(
    django_capture_on_commit_callbacks,
):
    readers = SubscriberFactory.create_batch(3)
    due, later = CampaignFactory(), CampaignFactory()
    services.schedule_sending(due, timezone.now() + timedelta(minutes=5))
    services.schedule_sending(later, timezone.now() + timedelta(days=1))
    assert services.start_due_campaigns() == []  # not yet
    make_due(due)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.start_scheduled_campaigns_task.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.start_scheduled_campaigns_task.enqueue()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.state == Campaign.State.SENT and later.state == Campaign.State.SCHEDULED
    assert actions(due) == [
        "newsletter.sending_scheduled",
        "newsletter.sending_started",
        "newsletter.sent",
    ]
    started = AuditEntry.objects.get(action="newsletter.sending_started")
    assert started.actor is None and started.data["recipients"] == 3
    assert started.data["scheduled_at"] == due.scheduled_at.isoformat()


@pytest.mark.django_db
def test_recipients_are_frozen_when_the_planned_sending_starts():
    early = SubscriberFactory()
    campaign = CampaignFactory()
    services.schedule_sending(campaign, timezone.now() + timedelta(minutes=5))
    late = SubscriberFactory()  # signed up after the planning
    services.unsubscribe(early, channel=ConsentEvent.Channel.WEB)
    make_due(campaign)

    assert services.start_due_campaigns(enqueue_task=False) == [campaign.pk]

    assert list(Delivery.objects.values_list("email", flat=True)) == [late.email]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_task_at_once_start_the_campaign_once(monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (two transactions at once)")
    readers = SubscriberFactory.create_batch(5)
    campaign = CampaignFactory()
    services.schedule_sending(campaign, timezone.now() + timedelta(minutes=5))
    make_due(campaign)
    # The winner holds its transaction open while it freezes the list, so the other
    # worker's claim really waits for it.
    freeze = campaigns.enqueue_recipients

    def slow_freeze(campaign):
        count = freeze(campaign)
        threading.Event().wait(0.3)
        return count

    monkeypatch.setattr(campaigns, "enqueue_recipients", slow_freeze)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(tasks.start_scheduled_campaigns_task.enqueue().return_value)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(results, key=len) == [[], [campaign.pk]]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)
    assert Delivery.objects.filter(campaign=campaign).count() == 5
    assert actions(campaign).count("newsletter.sending_started") == 1
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


# --- Taking a plan back ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_planned_sending_can_be_taken_back_before_it_starts(client, editor):
    SubscriberFactory()
    campaign = CampaignFactory()
    services.schedule_sending(campaign, timezone.now() + timedelta(hours=1), editor)
    client.force_login(editor)

    response = client.post(dispatch_url(campaign), {"action": "unschedule"}, follow=True)

    assert "Der geplante Versand ist aufgehoben." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT and campaign.scheduled_at is None
    make_due(campaign)
    assert services.start_due_campaigns() == []
    assert not mail.outbox
    assert actions(campaign) == ["newsletter.sending_scheduled", "newsletter.sending_unscheduled"]
    assert AuditEntry.objects.get(action="newsletter.sending_unscheduled").actor == editor


@pytest.mark.django_db
def test_a_plan_that_has_started_can_no_longer_be_taken_back(client, editor):
    SubscriberFactory()
    campaign = CampaignFactory()
    services.schedule_sending(campaign, timezone.now() + timedelta(hours=1))
    make_due(campaign)
    services.start_due_campaigns(enqueue_task=False)
    client.force_login(editor)

    response = client.post(dispatch_url(campaign), {"action": "unschedule"}, follow=True)

    assert "Diese Ausgabe ist nicht mehr zum Versand geplant." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENDING
    assert "newsletter.sending_unscheduled" not in actions(campaign)


# --- Who may ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [None, roles.MEMBER, roles.PROVIDER, roles.MODERATOR, roles.JURY, roles.EDITOR]
)
def test_only_the_newsletter_editors_confirm_plan_and_take_back(client, role):
    SubscriberFactory()
    draft, planned = CampaignFactory(), CampaignFactory()
    services.schedule_sending(planned, timezone.now() + timedelta(hours=1))
    if role:
        client.force_login(UserFactory(roles=[role]))
    day = (timezone.localdate() + timedelta(days=2)).isoformat()

    page = client.get(confirm_url(draft))
    scheduled = schedule(client, draft, day, "10:00")
    unscheduled = client.post(dispatch_url(planned), {"action": "unschedule"})

    draft.refresh_from_db()
    planned.refresh_from_db()
    if role == roles.EDITOR:
        assert page.status_code == 200 and "Jetzt senden" in page.content.decode()
        assert scheduled.status_code == unscheduled.status_code == 302
        assert draft.state == Campaign.State.SCHEDULED and planned.state == Campaign.State.DRAFT
    else:
        assert {page.status_code, scheduled.status_code, unscheduled.status_code} <= {302, 403}
        assert "Jetzt senden" not in page.content.decode()
        assert draft.state == Campaign.State.DRAFT
        assert planned.state == Campaign.State.SCHEDULED


@pytest.mark.django_db
def test_a_sent_issue_appears_in_the_cached_archive_at_once(client, settings, home_page):
    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.for_site(home_page.get_site())  # as on a running site
    campaign = CampaignFactory(subject="Frisch versendete Ausgabe")
    services.start_sending(campaign, enqueue_task=False)
    archive = reverse("newsletter:archive")
    client.get(archive)  # a visitor while the issue is being sent
    assert client.get(archive).headers.get("X-Page-Cache") == "hit"

    sending.finish(campaign.pk)  # the last delivery is done

    response = client.get(archive)
    assert response.headers.get("X-Page-Cache") == "miss"
    assert "Frisch versendete Ausgabe" in response.content.decode()

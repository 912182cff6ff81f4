import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kommune360.newsletter import journal, sending, services
from kommune360.newsletter.models import Campaign, Delivery, Subscriber, SuppressedAddress
from kommune360.newsletter.transport import SmtpTransport, stuff_dots
from tests.factories.newsletter import CampaignFactory, SubscriberFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _start(campaign):
    services.start_sending(campaign, enqueue_task=False)
    return sending.run_campaign(campaign.pk, connections=1)


def test_mail_over_smtp_has_both_parts_and_one_click_headers(smtp_sink, client):
    topic = TopicFactory(name="Jugendhilfe")
    other = TopicFactory(name="Festival")
    SubscriberFactory(email="leserin@musterstadt.example", topics=[topic])
    SubscriberFactory(email="festival@musterstadt.example", topics=[other])
    SubscriberFactory(email="offen@musterstadt.example", topics=[topic], state="pending")
    campaign = CampaignFactory(subject="Ausgabe Dezember – Rückblick", topics=[topic])

    result = _start(campaign)

    assert result["state"] == "sent"
    received = smtp_sink.parsed()
    assert [rcpt for rcpt, _m in received] == ["leserin@musterstadt.example"]
    message = received[0][1]
    assert message["Subject"] == "Ausgabe Dezember – Rückblick"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://127.0.0.1:8000/newsletter/abmelden/")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Ein Jahr voller Begegnungen in Musterstadt." in text
    assert "> „Ein Zitat aus der Praxis.“" in text
    assert "Jetzt hören: https://kommune360.example/podcast/mut/" in text
    assert f"Newsletter abbestellen: {unsubscribe}" in text
    # Signed up by double opt-in: no word on where the address came from
    # (tests/newsletter/test_origin_notice.py).
    assert "Ihre Adresse" not in text and "Ihre Adresse" not in html
    assert '<html lang="de">' in html and 'role="presentation"' in html
    assert f'href="{unsubscribe}"' in html
    assert "<script" not in html and "<img" not in html.replace("<img src", "")

    # RFC 8058: the mail provider POSTs to the List-Unsubscribe address, no cookies.
    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscriber.objects.get(email="leserin@musterstadt.example").state == "unsubscribed"
    campaign.refresh_from_db()
    assert services.campaign_progress(campaign)["unsubscribed"] == 1
    assert services.campaign_progress(campaign)["delivered"] == 1


def test_permanent_rejection_marks_bounced_and_suppresses(smtp_sink):
    SubscriberFactory(email="gut@musterstadt.example")
    SubscriberFactory(email="weg@musterstadt.example")
    smtp_sink.reject["weg@musterstadt.example"] = "550 5.1.1 Mailbox unbekannt"
    campaign = CampaignFactory()

    _start(campaign)

    assert list(smtp_sink.counts()) == ["gut@musterstadt.example"]
    delivery = Delivery.objects.get(email="weg@musterstadt.example")
    assert delivery.state == Delivery.State.BOUNCED
    assert "550" in delivery.last_error
    assert Subscriber.objects.get(email="weg@musterstadt.example").state == "bounced"
    assert SuppressedAddress.objects.filter(reason="bounced").count() == 1
    figures = services.campaign_progress(campaign)
    assert (figures["delivered"], figures["failed"]) == (1, 1)


def test_temporary_error_is_retried_with_backoff(smtp_sink, settings):
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 60
    SubscriberFactory(email="voll@musterstadt.example")
    smtp_sink.reject["voll@musterstadt.example"] = "451 4.2.2 Postfach voll"
    campaign = CampaignFactory()

    result = _start(campaign)

    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING
    assert delivery.attempts == 1
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    assert result["state"] == "sending" and result["next_retry"] == delivery.next_attempt_at
    # Not due yet: a second run sends nothing.
    assert sending.run_campaign(campaign.pk, connections=1)["sent"] == 0

    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    smtp_sink.reject.clear()
    result = sending.run_campaign(campaign.pk, connections=1)
    assert result["state"] == "sent"
    assert smtp_sink.counts() == {"voll@musterstadt.example": 1}
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


def test_auto_pause_after_too_many_errors_then_resume(smtp_sink, settings):
    settings.NEWSLETTER_PAUSE_AFTER_ERRORS = 3
    subscribers = SubscriberFactory.create_batch(6)
    for subscriber in subscribers:
        smtp_sink.reject[subscriber.email] = "421 4.7.0 Zu viele Verbindungen"
    campaign = CampaignFactory()

    _start(campaign)

    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.PAUSED
    assert "3 Fehlern" in campaign.pause_reason
    assert Delivery.objects.filter(attempts=1).count() == 3
    assert Delivery.objects.filter(attempts=0, state="pending").count() == 3

    smtp_sink.reject.clear()
    Delivery.objects.update(next_attempt_at=None)
    services.resume(campaign, enqueue_task=False)
    assert sending.run_campaign(campaign.pk, connections=1)["state"] == "sent"
    assert sorted(smtp_sink.counts().values()) == [1] * 6


def test_pause_stops_and_resume_continues_without_duplicates(smtp_sink):
    SubscriberFactory.create_batch(5)
    campaign = CampaignFactory()
    services.start_sending(campaign, enqueue_task=False)
    sending.run_campaign(campaign.pk, connections=1, max_messages=2)
    services.pause(campaign)
    assert sending.run_campaign(campaign.pk, connections=1)["sent"] == 0
    services.resume(campaign, enqueue_task=False)
    assert sending.run_campaign(campaign.pk, connections=1)["state"] == "sent"
    assert sorted(smtp_sink.counts().values()) == [1] * 5


def test_delivery_rows_are_unique_per_recipient():
    SubscriberFactory.create_batch(3)
    campaign = CampaignFactory()
    assert services.enqueue_recipients(campaign) == 3
    services.enqueue_recipients(campaign)
    assert Delivery.objects.filter(campaign=campaign).count() == 3


def test_dispatch_admin_test_mail_start_and_progress(
    admin_client, admin_user, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.NEWSLETTER_CONNECTIONS = 1  # threads cannot share the test transaction
    SubscriberFactory.create_batch(2)
    campaign = CampaignFactory()
    url = reverse("newsletter_dispatch", args=[campaign.pk])
    assert admin_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "test"})
    assert [m.to for m in mailoutbox] == [[admin_user.email]]
    assert mailoutbox[0].subject.startswith("[Test]")
    assert mailoutbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # "Versand starten" leads to the confirmation; "Jetzt senden" there starts.
    confirm = reverse("newsletter_confirm_sending", args=[campaign.pk])
    assert confirm in admin_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(confirm, {"action": "send"})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT  # the immediate task backend ran it
    page = admin_client.get(url).content.decode()
    assert '<progress id="progress" max="2" value="2">' in page


def test_preview_renders_mail_html_with_its_inline_styles(rf, admin_user):
    campaign = CampaignFactory()
    request = rf.get("/admin/")
    request.user = admin_user
    response = campaign.serve_preview(request, campaign.default_preview_mode)
    response.render()
    assert b'role="presentation"' in response.content
    assert b"Ein Jahr voller Begegnungen" in response.content
    assert response._csp_replace["style-src"] == ["'self'", "'unsafe-inline'"]


def test_recovery_decides_from_the_dead_workers_journal(settings, tmp_path):
    settings.NEWSLETTER_JOURNAL_DIR = str(tmp_path)
    subscribers = SubscriberFactory.create_batch(4)
    campaign = CampaignFactory()
    services.start_sending(campaign, enqueue_task=False)
    dead = "anderer-rechner:4242:abcd"
    Campaign.objects.filter(pk=campaign.pk).update(
        worker=dead, heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    rows = list(Delivery.objects.order_by("subscriber_id"))
    assert [r.subscriber_id for r in rows] == [s.pk for s in subscribers]
    Delivery.objects.update(state="sending", claimed_by=dead)
    one, two, three, four = (r.pk for r in rows)
    # 1: offered and accepted; 2: offered, killed before the answer; 3: offered and
    # refused; 4: claimed but never offered.
    journal.journal_path(campaign.pk, dead).write_bytes(
        f"D {one}\nA {one}\nD {two}\nD {three}\nF {three}\nD 9".encode()
    )

    assert sending.take_over(campaign.pk, "hier:1:neu")

    states = dict(Delivery.objects.values_list("pk", "state"))
    assert states == {one: "sent", two: "sent", three: "pending", four: "pending"}
    assert "unbestätigt" in Delivery.objects.get(pk=two).last_error
    assert not journal.journal_path(campaign.pk, dead).exists()


def test_a_live_worker_is_not_taken_over():
    SubscriberFactory()
    campaign = CampaignFactory()
    services.start_sending(campaign, enqueue_task=False)
    Campaign.objects.filter(pk=campaign.pk).update(
        worker="anderer-rechner:1:x", heartbeat_at=timezone.now()
    )
    assert sending.run_campaign(campaign.pk, connections=1)["state"] == "busy-or-not-sending"


def test_anonymous_click_counting_when_turned_on(smtp_sink, client):
    SubscriberFactory(email="eins@musterstadt.example")
    SubscriberFactory(email="zwei@musterstadt.example")
    campaign = CampaignFactory(count_clicks=True)

    _start(campaign)

    bodies = {
        rcpt: message.get_body(("html",)).get_content() for rcpt, message in smtp_sink.parsed()
    }
    links = {
        rcpt: sorted(set(re.findall(r'href="(http://127\.0\.0\.1:8000/newsletter/k/[^"]+)"', html)))
        for rcpt, html in bodies.items()
    }
    # The same counted links for everybody: a click cannot be traced to a person.
    assert links["eins@musterstadt.example"] == links["zwei@musterstadt.example"]
    assert len(links["eins@musterstadt.example"]) == 2
    assert "https://kommune360.example/podcast/mut/" not in bodies["eins@musterstadt.example"]
    assert "/newsletter/abmelden/" in bodies["eins@musterstadt.example"]  # not counted

    path = links["eins@musterstadt.example"][0].removeprefix("http://127.0.0.1:8000")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("https://kommune360.example/")
    client.get(path)
    assert [clicks for _url, clicks in services.campaign_progress(campaign)["clicks"]] == [2]
    assert client.get(path[:-6] + "xxxxx/").status_code == 404


def test_no_click_counting_by_default(smtp_sink):
    SubscriberFactory()
    campaign = CampaignFactory()
    _start(campaign)
    html = smtp_sink.parsed()[0][1].get_body(("html",)).get_content()
    assert "/newsletter/k/" not in html
    assert 'href="https://kommune360.example/podcast/mut/"' in html
    assert services.campaign_progress(campaign)["clicks"] is None


@pytest.mark.parametrize("pipelining", [True, False])
def test_encoded_once_message_decodes_to_the_rendered_bodies(smtp_sink, pipelining):
    """The body is encoded once in pieces; what arrives must equal the rendered text."""
    from kommune360.newsletter.rendering import MailTemplate
    from tests.factories.newsletter import campaign_body

    smtp_sink.pipelining = pipelining
    body = campaign_body()
    body.append(
        {
            "type": "text",
            "value": {
                "heading": "",
                "body": "<p>.Punkt am Zeilenanfang</p><p>" + "lang " * 60 + "</p>"
                "<p>Grüße &amp; Umlaute: äöüß – “=” \t Tab</p>",
            },
        }
    )
    subscriber = SubscriberFactory(email="punkt@musterstadt.example")
    campaign = CampaignFactory(body=body)

    _start(campaign)

    [(rcpt, message)] = smtp_sink.parsed()
    text, html, unsubscribe = MailTemplate(campaign).bodies(subscriber.token)
    # MIME's canonical form has CRLF line ends.
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert message.get_body(("html",)).get_content().replace("\r\n", "\n") == html
    assert ".Punkt am Zeilenanfang" in text
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    raw = smtp_sink.messages[0][1]
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert all(len(line) <= 76 for line in raw.split(b"\r\n\r\n", 1)[1].split(b"\r\n"))
    assert smtp_sink.pipelined is pipelining


@pytest.mark.parametrize("pipelining", [True, False])
def test_refusals_at_the_end_of_data_between_accepted_messages(smtp_sink, pipelining):
    """With pipelining the next envelope travels with the end-of-data; a refused
    message must neither lose nor duplicate its neighbours."""
    smtp_sink.pipelining = pipelining
    emails = [f"n{n}@musterstadt.example" for n in range(6)]
    for email in emails:
        SubscriberFactory(email=email)
    smtp_sink.reject_data[emails[1]] = "550 5.7.1 Inhalt abgelehnt"
    smtp_sink.reject_data[emails[3]] = "451 4.3.0 Später erneut"
    campaign = CampaignFactory()

    _start(campaign)

    assert smtp_sink.counts() == {emails[0]: 1, emails[2]: 1, emails[4]: 1, emails[5]: 1}
    states = dict(Delivery.objects.values_list("email", "state"))
    assert states[emails[1]] == "bounced" and states[emails[3]] == "pending"
    assert Subscriber.objects.get(email=emails[1]).state == "bounced"
    assert smtp_sink.pipelined is pipelining


def test_configured_rate_limit_spaces_the_messages(smtp_sink, settings):
    """NEWSLETTER_RATE_LIMIT is a lower bound on the spacing; a busy machine only
    spreads the messages further, so this cannot fail from load."""
    settings.NEWSLETTER_RATE_LIMIT = 20  # messages per second
    SubscriberFactory.create_batch(6)
    campaign = CampaignFactory()
    services.start_sending(campaign, enqueue_task=False)

    sending.run_campaign(campaign.pk, connections=1)

    assert sorted(smtp_sink.counts().values()) == [1] * 6
    times = sorted(smtp_sink.times)
    assert times[-1] - times[0] >= 5 / 20 * 0.9


def test_unstuffed_message_arrives_with_its_leading_dots(smtp_sink):
    """The transport doubles leading dots itself (no private smtplib helper)."""
    body = b"Subject: Punkte\r\n\r\n.eins\r\nzwei\r\n..drei\r\n.\r\nvier\r\n.fuenf"
    transport = SmtpTransport()
    transport.open()
    offered = []
    try:
        assert transport.send(
            "absender@kommune360.example",
            "leser@musterstadt.example",
            body,
            lambda: offered.append(True),
        )
    finally:
        transport.close()
    assert offered == [True]
    ((recipient, content),) = smtp_sink.messages
    assert recipient == "leser@musterstadt.example"
    lines = content.split(b"\r\n\r\n", 1)[1].splitlines()
    assert lines == [b".eins", b"zwei", b"..drei", b".", b"vier", b".fuenf"]


def test_stuff_dots_doubles_a_dot_at_every_line_start():
    assert stuff_dots(b".a\r\nb.\r\n.\r\n..c\n.d") == b"..a\r\nb.\r\n..\r\n...c\n..d"
    assert stuff_dots(b"kein punkt\r\n") == b"kein punkt\r\n"

import base64
import json
import mailbox

import pytest
from django.core.management import call_command

from kommune360.newsletter.models import Subscriber
from tests.factories.newsletter import SubscriberFactory
from tests.newsletter.suppression import is_suppressed

pytestmark = pytest.mark.django_db


def _postmark(client, payload):
    auth = base64.b64encode(b"bounces:geheim").decode()
    return client.post(
        "/newsletter/bounces/postmark/tracking/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


def test_provider_webhook_hard_bounce_marks_bounced(client, settings):
    settings.NEWSLETTER_BOUNCE_PROVIDER = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "bounces:geheim"}
    SubscriberFactory(email="hart@musterstadt.example")
    SubscriberFactory(email="weich@musterstadt.example")
    base = {"RecordType": "Bounce", "TypeCode": 1, "BouncedAt": "2024-12-02T10:00:00Z"}
    response = _postmark(
        client,
        {
            **base,
            "Type": "HardBounce",
            "Email": "hart@musterstadt.example",
            "Description": "Unbekannt",
            "Details": "smtp;550 5.1.1 user unknown",
            "ID": 1,
        },
    )
    assert response.status_code == 200
    _postmark(
        client,
        {
            **base,
            "Type": "SoftBounce",
            "TypeCode": 4096,
            "Email": "weich@musterstadt.example",
            "Description": "Postfach voll",
            "Details": "smtp;452 4.2.2 mailbox full",
            "ID": 2,
        },
    )
    assert Subscriber.objects.get(email="hart@musterstadt.example").state == "bounced"
    assert Subscriber.objects.get(email="weich@musterstadt.example").state == "active"
    event = Subscriber.objects.get(email="hart@musterstadt.example").consent_events.last()
    assert event.channel == "bounce_webhook"
    assert is_suppressed("hart@musterstadt.example")


def test_webhook_rejects_wrong_credentials(client, settings):
    settings.NEWSLETTER_BOUNCE_PROVIDER = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "bounces:anders"}
    SubscriberFactory(email="hart@musterstadt.example")
    response = _postmark(
        client, {"RecordType": "Bounce", "Type": "HardBounce", "Email": "hart@musterstadt.example"}
    )
    assert response.status_code == 400
    assert Subscriber.objects.get(email="hart@musterstadt.example").state == "active"


DSN = """From: MAILER-DAEMON@mx.musterstadt.example
To: newsletter@kommune360.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Die Nachricht konnte nicht zugestellt werden.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.musterstadt.example

Final-Recipient: rfc822; {failed}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

Final-Recipient: rfc822; {delayed}
Action: delayed
Status: 4.2.2

--b1--
"""


@pytest.mark.parametrize("kind", ["mbox", "maildir"])
def test_bounce_mailbox_command(tmp_path, kind, capsys):
    SubscriberFactory(email="weg@musterstadt.example")
    SubscriberFactory(email="spaeter@musterstadt.example")
    text = DSN.format(failed="weg@musterstadt.example", delayed="spaeter@musterstadt.example")
    path = tmp_path / kind
    box = mailbox.mbox(path) if kind == "mbox" else mailbox.Maildir(path)
    box.add(mailbox.mboxMessage(text) if kind == "mbox" else mailbox.MaildirMessage(text))
    box.add("From: someone@example.org\nSubject: Abwesenheitsnotiz\n\nBin im Urlaub.\n")
    box.flush()

    call_command("newsletter_bounces", str(path))

    assert "Nachrichten: 2, gesperrt: 1" in capsys.readouterr().out
    assert Subscriber.objects.get(email="weg@musterstadt.example").state == "bounced"
    assert Subscriber.objects.get(email="spaeter@musterstadt.example").state == "active"
    # Running again changes nothing.
    call_command("newsletter_bounces", str(path))
    assert (
        Subscriber.objects.get(email="weg@musterstadt.example")
        .consent_events.filter(kind="bounced")
        .count()
        == 1
    )

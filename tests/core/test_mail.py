"""The outbox: queue → task → sent → row deleted; failures are kept and retried."""

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from kommune360.core.mail import MAX_ATTEMPTS, EmlFileBackend, queue_email, send_outgoing_mail
from kommune360.core.models import OutgoingMail
from tests.factories.core import OutgoingMailFactory

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("Beispiel-Mailserver nicht erreichbar")


def test_a_queued_mail_is_sent_after_the_commit_and_its_row_deleted(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = queue_email(
            "Ihre Anmeldung",
            ["erika@beispiel.example"],
            "Guten Tag!",
            html="<p>Guten Tag!</p>",
            headers={"X-Beispiel": "1"},
            attachments=[("termin.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        )
        # Nothing goes out before the transaction commits.
        assert mailoutbox == []
        assert OutgoingMail.objects.filter(pk=row.pk).exists()

    assert len(callbacks) == 1
    assert not OutgoingMail.objects.exists()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert (message.subject, message.to, message.body) == (
        "Ihre Anmeldung",
        ["erika@beispiel.example"],
        "Guten Tag!",
    )
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["X-Beispiel"] == "1"
    assert message.attachments[0][0] == "termin.ics"
    assert message.attachments[0][1] in (b"BEGIN:VCALENDAR", "BEGIN:VCALENDAR")


def test_a_failing_backend_counts_the_attempt_and_keeps_the_row(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.core.test_mail.FailingBackend"
    row = OutgoingMailFactory()

    result = send_outgoing_mail.enqueue(row.pk)

    assert result.return_value == "retry"
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.state == OutgoingMail.State.PENDING
    assert "Beispiel-Mailserver nicht erreichbar" in row.last_error
    assert mailoutbox == []


def test_after_the_last_attempt_the_mail_is_marked_failed(settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.FailingBackend"
    row = OutgoingMailFactory(attempts=MAX_ATTEMPTS - 1)

    result = send_outgoing_mail.enqueue(row.pk)

    assert result.return_value == "failed"
    row.refresh_from_db()
    assert row.state == OutgoingMail.State.FAILED


def test_sending_twice_is_harmless(mailoutbox):
    row = OutgoingMailFactory()

    assert send_outgoing_mail.enqueue(row.pk).return_value == "sent"
    assert send_outgoing_mail.enqueue(row.pk).return_value == "already-sent"
    assert len(mailoutbox) == 1


def test_send_pending_mail_delivers_what_was_left(settings, mailoutbox, capsys):
    settings.EMAIL_BACKEND = "tests.core.test_mail.FailingBackend"
    waiting = OutgoingMailFactory()
    send_outgoing_mail.enqueue(waiting.pk)
    failed = OutgoingMailFactory(state=OutgoingMail.State.FAILED, subject="Aufgegeben")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    call_command("send_pending_mail")

    assert "1 E-Mail(s) erneut eingereiht." in capsys.readouterr().out
    assert [m.subject for m in mailoutbox] == ["Beispielbetreff"]
    assert list(OutgoingMail.objects.values_list("pk", flat=True)) == [failed.pk]


def test_the_file_backend_writes_eml_files(tmp_path):
    backend = EmlFileBackend(file_path=tmp_path / "mail")
    message = django_mail.EmailMessage("Betreff mit Umlaut: Übung", "Grüße", to=["a@b.example"])

    assert backend.send_messages([message]) == 1

    [file] = (tmp_path / "mail").glob("*.eml")
    content = file.read_bytes()
    assert b"Subject:" in content
    assert b"a@b.example" in content

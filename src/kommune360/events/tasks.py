"""Tasks of the events app: they take ids and may run more than once."""

from django_tasks import task

from .models import Registration


def _mail_registration(registration_id, send) -> str:
    """Build one mail to a registration with ``send``; "gone" if it was deleted."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None:
        return "gone"
    send(registration)
    return "queued"


@task()
def send_registration_mail(registration_id: int, kind: str, extra: dict | None = None) -> str:
    from . import mail

    return _mail_registration(
        registration_id, lambda r: mail.send_registration_mail(r, kind, extra)
    )


@task()
def send_due_mails_task(event_id: int | None = None) -> int:
    from .services import send_due_mails

    return send_due_mails(event_id)


@task()
def send_message_task(registration_id: int, subject: str, text: str) -> str:
    from . import mail

    return _mail_registration(registration_id, lambda r: mail.send_message(r, subject, text))


@task()
def expire_offers_task() -> int:
    from .services import expire_offers

    return expire_offers()

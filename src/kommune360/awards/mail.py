"""The app's mails: rendered in the platform's language and put into the outbox."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from kommune360.core.languages import in_default_language
from kommune360.core.mail import queue_email

SUBJECTS = {
    "submitted": gettext_lazy("Bewerbung eingegangen: %(title)s"),
    "withdrawn": gettext_lazy("Bewerbung zurückgezogen: %(title)s"),
    "co_applicant": gettext_lazy("Einladung zur Bewerbung: %(title)s"),
    "review_started": gettext_lazy("Die Begutachtung beginnt: %(title)s"),
    "decision": gettext_lazy("Entscheidung der Jury: %(title)s"),
    "adoption_request": gettext_lazy("Anfrage zum Nachnutzen: %(title)s"),
    "adoption_accepted": gettext_lazy("Anfrage angenommen: %(title)s"),
    "adoption_declined": gettext_lazy("Anfrage abgelehnt: %(title)s"),
}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


@in_default_language
def send(kind: str, to, *, title: str, attachments=(), reply_to=(), **context):
    """Queue the mail ``kind`` (template ``awards/mail/<kind>.txt``) to ``to``."""
    recipients = [address for address in to if address]
    if not recipients:
        return None
    text = render_to_string(
        f"awards/mail/{kind}.txt", {"title": title, "site_url": settings.SITE_URL, **context}
    )
    return queue_email(
        SUBJECTS[kind] % {"title": title},
        recipients,
        text,
        attachments=attachments,
        reply_to=reply_to,
    )

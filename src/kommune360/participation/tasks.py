"""The moderators' daily digest of pending contributions (a ``Periodic`` in the registry)."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django_tasks import task

from kommune360.core.languages import default_language
from kommune360.core.mail import queue_email

from .models import Contribution, DigestRun, Status

# The digest lists the oldest waiting items and says how many more there are.
DIGEST_ITEMS = 50


def waiting_for_moderation():
    return Contribution.objects.filter(
        Q(status=Status.PENDING) | Q(status=Status.HIDDEN, hidden_by_reports=True)
    )


@task()
def send_moderation_digest() -> str:
    """Mail every moderator what waits; at most once a day, whatever the scheduler does."""
    from django.conf import settings

    from .services import moderators

    items = list(waiting_for_moderation().order_by("created")[:DIGEST_ITEMS])
    if not items:
        return "nothing-pending"
    try:
        with transaction.atomic(), default_language():
            run = DigestRun.objects.create(date=timezone.localdate())
            total = waiting_for_moderation().count()
            context = {
                "items": items,
                "total": total,
                "more": max(0, total - len(items)),
                "queue_url": f"{settings.SITE_URL}{reverse('participation_admin:queue')}",
            }
            subject = ngettext(
                "Mitdenken: %(count)s Beitrag wartet auf Moderation",
                "Mitdenken: %(count)s Beiträge warten auf Moderation",
                total,
            ) % {"count": total}
            text = render_to_string("participation/mail/digest.txt", context)
            html = render_to_string("participation/mail/digest.html", context)
            recipients = [user.email for user in moderators()]
            for address in recipients:
                queue_email(subject, [address], text, html=html)
            run.sent_to = len(recipients)
            run.save(update_fields=["sent_to"])
    except IntegrityError:
        return "already-sent"
    return f"sent:{len(recipients)}"

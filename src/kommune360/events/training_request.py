"""An event as the subject of a training request (Fortbildungsantrag).

``SOURCE`` is registered in the app's ``AppConfig.ready()``; see
docs/training-requests.md.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core import text
from kommune360.core.dates import local_date
from kommune360.core.registry import TrainingFacts, TrainingRequestSource

from .models import Event


def get(pk):
    return Event.objects.published().filter(pk=pk).first()


def has_facts(event):
    """Published, not cancelled, not over, with a description and a place or online."""
    return bool(
        event.is_published
        and not event.is_cancelled
        and event.ends_at >= timezone.now()
        and (event.summary or strip_tags(event.description).strip())
        and (event.city or event.online_url)
    )


def facts(event):
    if not has_facts(event):
        return None
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    same_day = starts.date() == ends.date()
    if same_day:
        when = _("%(day)s, %(start)s–%(end)s Uhr") % {
            "day": local_date(starts, "LONG_DATE_FORMAT"),
            "start": local_date(starts, "TIME_FORMAT"),
            "end": local_date(ends, "TIME_FORMAT"),
        }
        hours = text.hours(round((ends - starts).total_seconds() / 3600, 1))
    else:
        when = _("%(start)s Uhr bis %(end)s Uhr") % {
            "start": local_date(starts, "LONG_DATETIME_FORMAT"),
            "end": local_date(ends, "LONG_DATETIME_FORMAT"),
        }
        hours = ""
    description = "\n\n".join(
        part for part in (event.summary, strip_tags(event.description).strip()) if part
    )
    return TrainingFacts(
        kind=event.get_kind_display(),
        title=event.title,
        provider="",  # the network runs its events
        description=description,
        url=settings.SITE_URL + event.get_absolute_url(),
        schedule=(when,),
        hours=hours,
        place=event.address_line if event.city else "",
        online=bool(event.online_url),
        cost_text=event.fee_note or _("kostenfrei"),
        certificate=_(
            "Ja, eine Teilnahmebescheinigung für alle, die bei der Veranstaltung eingecheckt "
            "wurden."
        ),
    )


SOURCE = TrainingRequestSource(
    "veranstaltung", Event, gettext_lazy("Veranstaltung"), get, facts, has_facts
)

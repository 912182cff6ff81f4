"""Events in the public API (``/api/v1/veranstaltungen/``): the published ones, with
their dates, place, registration state and the availability band the page shows."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, Field

from kommune360.core.registry import ApiResource, registry

from . import services
from .models import Event, Registration

STATES = Literal["open", "not_yet", "closed", "cancelled", "none"]
BANDS = Literal["free", "few", "full"]


class EventSchema(BaseModel):
    id: int
    slug: str
    titel: str
    art: str
    art_kuerzel: str
    kurzbeschreibung: str
    beginn: datetime
    ende: datetime
    ort: str
    adresse: str
    online: bool
    barrierefreiheit: str
    kosten: str
    zielgruppen: list[str]
    anmeldung: STATES = Field(
        description="Registration: open, not_yet (opens later), closed, cancelled, none."
    )
    anmeldung_ab: datetime | None
    anmeldung_bis: datetime | None
    plaetze: BANDS = Field(description="Places left: free, few (at most 10 %), full.")
    abgesagt: bool
    url: str
    geaendert: datetime


class EventParams(BaseModel):
    zeit: Literal["kommend", "vergangen"] | None = Field(
        None, description="kommend: not yet over; vergangen: over. Without: all."
    )
    art: list[Literal[tuple(Event.Kind.values)]] = Field([], description="Kinds of event.")
    zielgruppe: list[str] = Field([], description="Target group slugs (any of them).")


def events():
    return (
        Event.objects.published()
        .annotate(
            holding=Count("registrations", filter=Q(registrations__status__in=Registration.HOLDING))
        )
        .prefetch_related("target_groups")
    )


def filter_events(queryset, params):
    now = timezone.now()
    if params.zeit == "kommend":
        queryset = queryset.upcoming(now)
    elif params.zeit == "vergangen":
        queryset = queryset.past(now)
    if params.art:
        queryset = queryset.filter(kind__in=params.art)
    if params.zielgruppe:
        queryset = queryset.filter(target_groups__slug__in=params.zielgruppe).distinct()
    return queryset


def event_data(event):
    return {
        "id": event.pk,
        "slug": event.slug,
        "titel": event.title,
        "art": event.get_kind_display(),
        "art_kuerzel": event.kind,
        "kurzbeschreibung": event.summary,
        "beginn": event.starts_at,
        "ende": event.ends_at,
        "ort": event.venue_name,
        "adresse": event.address_line,
        "online": event.is_online,
        "barrierefreiheit": event.accessibility,
        "kosten": event.fee_note,
        "zielgruppen": [t.name for t in event.target_groups.all()],
        "anmeldung": event.registration_state(),
        "anmeldung_ab": event.registration_opens_at,
        "anmeldung_bis": event.registration_closes_at or event.starts_at,
        "plaetze": services.availability(event.capacity, event.holding),
        "abgesagt": event.is_cancelled,
        "url": settings.SITE_URL + event.get_absolute_url(),
        "geaendert": event.updated_at,
    }


def register():
    registry.add(
        ApiResource(
            "veranstaltungen",
            gettext_lazy("Veranstaltungen"),
            EventSchema,
            events,
            event_data,
            params=EventParams,
            filter=filter_events,
            order=30,
        )
    )

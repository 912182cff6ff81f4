"""Awarded solutions in the public API (``/api/v1/ausgezeichnete-loesungen/``): what the
showcase shows, with the round and the seal."""

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from kommune360.core.registry import ApiResource, registry

from .models import Solution


class SolutionSchema(BaseModel):
    id: int
    slug: str
    titel: str
    kommune: str
    land: str
    thema: str
    ausgangslage: str
    loesung: str
    ergebnisse: str
    kosten: str
    nachnutzen: str
    auszeichnung: str
    runde: str
    siegel: str
    url: str
    geaendert: datetime


def solutions():
    return Solution.objects.published().select_related("application__round", "topic")


def solution_data(solution):
    round_ = solution.application.round
    return {
        "id": solution.pk,
        "slug": solution.slug,
        "titel": solution.title,
        "kommune": solution.municipality_name,
        "land": solution.get_state_display() if solution.state else "",
        "thema": solution.topic.name if solution.topic else "",
        "ausgangslage": solution.problem,
        "loesung": solution.solution,
        "ergebnisse": solution.results,
        "kosten": solution.costs,
        "nachnutzen": solution.adoption,
        "auszeichnung": round_.seal_name or round_.title,
        "runde": round_.slug,
        "siegel": settings.SITE_URL + solution.seal_url(),
        "url": settings.SITE_URL + solution.get_absolute_url(),
        "geaendert": solution.updated_at,
    }


def register():
    registry.add(
        ApiResource(
            "ausgezeichnete-loesungen",
            _("Ausgezeichnete Lösungen"),
            SolutionSchema,
            solutions,
            solution_data,
            lookup="pk",
            lookup_type=int,
            description=_("Kommunale Lösungen, die eine Auszeichnung erhalten haben."),
            order=60,
        )
    )

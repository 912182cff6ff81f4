"""Figures per year in the public API (``/api/v1/kennzahlen/``): every registered figure
(``core.registry.Figure``) with its value in each year, as the page Wirkung shows it.

The values are the rows the refresh task keeps (``FigureValue``), so a page of the list
costs the same few queries whatever the amount of data behind the figures. A row whose
figure is no longer registered is not shown on the page, and not here either.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, Field

from kommune360.core.registry import ApiResource, registry

from .figures import _number
from .models import FigureValue


class FigureSchema(BaseModel):
    id: int
    kennung: str = Field(description="Key of the figure, the same in every year.")
    bezeichnung: str = Field(description="What is counted (German or English).")
    jahr: int
    wert: float
    einheit: str
    stufe: int | None = Field(
        description="Step on PHINEO's Wirkungstreppe (1–3 output, 4–6 outcome, 7 impact)."
    )
    methode: str = Field(description="How the figure is counted.")
    url: str = Field(description="The year's page Wirkung.")
    berechnet: datetime = Field(description="When the value was last computed.")


class FigureParams(BaseModel):
    jahr: int | None = Field(None, ge=2000, le=2100, description="Only this calendar year.")
    kennung: list[str] = Field([], description="Keys of figures (any of them).")


def _registered():
    return {figure.key: figure for figure in registry.figures()}


def figure_values():
    """The values of the registered figures: what the page Wirkung shows."""
    return FigureValue.objects.filter(key__in=list(_registered()))


def filter_figures(queryset, params):
    if params.jahr is not None:
        queryset = queryset.filter(year=params.jahr)
    if params.kennung:
        known = _registered()
        for key in params.kennung:
            if key not in known:
                raise ValueError(_("Die Kennzahl „%(key)s“ gibt es nicht.") % {"key": key[:60]})
        queryset = queryset.filter(key__in=params.kennung)
    return queryset


def figure_data(row):
    figure = _registered()[row.key]
    return {
        "id": row.pk,
        "kennung": row.key,
        "bezeichnung": str(figure.label),
        "jahr": row.year,
        "wert": _number(row.value),
        "einheit": str(figure.unit),
        "stufe": figure.stage or None,
        "methode": str(figure.method),
        "url": settings.SITE_URL + reverse("impact:year", args=[row.year]),
        "berechnet": row.computed_at,
    }


def register():
    registry.add(
        ApiResource(
            "kennzahlen",
            gettext_lazy("Kennzahlen"),
            FigureSchema,
            figure_values,
            figure_data,
            lookup="pk",
            lookup_type=int,
            params=FigureParams,
            filter=filter_figures,
            modified="computed_at",
            description=gettext_lazy(
                "Zahlen der Plattform je Kalenderjahr mit Einheit, wie sie die Seite "
                "„Wirkung“ zeigt."
            ),
            order=70,
        )
    )

"""The year in numbers on the home page (a ``HomeSection``) and in the newsletter (a
``NewsletterItem`` of the year's report): values from the impact page, never typed."""

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kommune360.core.registry import teaser

from .figures import year_figures
from .models import FigureValue, ManualFigure, YearReport

SHOWN = 4


def highlights(year: int, keys=()) -> list:
    """The figures a year's report names (or the first four) as (value, label) pairs."""
    figures = {figure.key: figure for figure in year_figures(year)}
    chosen = [figures[key] for key in keys if key in figures] or list(figures.values())
    return [
        (number_format(figure.value, force_grouping=True), figure.label, figure.unit)
        for figure in chosen[:SHOWN]
    ]


def latest_year() -> int | None:
    """The newest year with a report, else the newest with manual figures."""
    report = YearReport.objects.order_by("-year").values_list("year", flat=True).first()
    if report:
        return report
    return ManualFigure.objects.order_by("-year").values_list("year", flat=True).first() or (
        FigureValue.objects.order_by("-year").values_list("year", flat=True).first()
    )


def home_context(request):
    year = latest_year()
    if year is None:
        return {"impact_items": []}
    report = YearReport.objects.filter(year=year).first()
    keys = report.highlight_keys() if report else ()
    return {
        "impact_year": year,
        "impact_items": highlights(year, keys),
        "impact_url": reverse("impact:year", args=[year]),
    }


def newsletter_teaser(report: YearReport) -> dict:
    items = highlights(report.year, report.highlight_keys())
    text = " · ".join(f"{value} {label}" for value, label, _unit in items)
    return teaser(
        title=_("%(year)s in Zahlen") % {"year": report.year},
        text=text,
        path=reverse("impact:year", args=[report.year]),
        kind=_("Jahr in Zahlen"),
    )

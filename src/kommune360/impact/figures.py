"""The year in numbers: registered figures (pre-computed per year) and manual figures.

``refresh(year)`` asks every ``core.registry.Figure`` for its value in ``year`` and keeps
it in ``FigureValue``; the periodic task refreshes the current and the previous year,
older years with ``kommune360 impact_refresh YEAR``. ``year_figures(year)``
reads a fixed number of rows whatever the amount of data behind them: two queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.languages import active_language
from kommune360.core.registry import registry

from .models import STAGES, FigureValue, ManualFigure, stage_kind

HISTORY_YEARS = 5


@dataclass
class YearFigure:
    key: str
    label: str
    unit: str
    stage: int
    method: str
    source: str
    manual: bool
    history: dict[int, float] = field(default_factory=dict)
    year: int = 0

    @property
    def value(self):
        return self.history.get(self.year)

    @property
    def content_language(self):
        """Editors type manual figures in German; registered ones speak the page's
        language (``core.languages.content_language``)."""
        return settings.LANGUAGE_CODE if self.manual else active_language()

    @property
    def previous(self):
        return self.history.get(self.year - 1)

    @property
    def change(self):
        """Change against the previous year in per cent, or ``None`` when not computable."""
        if self.value is None or not self.previous:
            return None
        return round((self.value - self.previous) / self.previous * 100)

    @property
    def stage_label(self) -> str:
        return str(dict(STAGES).get(self.stage, ""))

    @property
    def stage_kind(self) -> str:
        return stage_kind(self.stage)

    def years(self) -> list[tuple[int, float | None]]:
        return [
            (y, self.history.get(y)) for y in range(self.year - HISTORY_YEARS + 1, self.year + 1)
        ]


def _number(value):
    value = float(value)
    return int(value) if value.is_integer() else round(value, 2)


def refresh(year: int) -> int:
    """Compute every registered figure for ``year``; returns how many changed."""
    now = timezone.now()
    stored = {row.key: row for row in FigureValue.objects.filter(year=year)}
    changed = 0
    for figure in registry.figures():
        value = float(figure.compute(year=year))
        row = stored.get(figure.key)
        if row is None:
            FigureValue.objects.create(key=figure.key, year=year, value=value, computed_at=now)
            changed += 1
        elif row.value != value:
            row.value, row.computed_at = value, now
            row.save(update_fields=["value", "computed_at"])
            changed += 1
    return changed


def refresh_recent() -> int:
    """The periodic task's work: this year and the last (late counts still arrive)."""
    year = timezone.localdate().year
    return refresh(year) + refresh(year - 1)


def year_figures(year: int) -> list[YearFigure]:
    """Every registered and manual figure of ``year`` with the four years before it."""
    first = year - HISTORY_YEARS + 1
    rows = FigureValue.objects.filter(year__range=(first, year)).values_list("key", "year", "value")
    by_key: dict[str, dict[int, float]] = {}
    for key, row_year, value in rows:
        by_key.setdefault(key, {})[row_year] = _number(value)
    result = []
    platform = _("Plattform, automatisch gezählt")
    for figure in registry.figures():
        history = by_key.get(figure.key, {})
        if year not in history:
            continue
        result.append(
            YearFigure(
                figure.key,
                str(figure.label),
                str(figure.unit),
                figure.stage,
                str(figure.method),
                platform,
                False,
                history,
                year,
            )
        )
    manual: dict[str, YearFigure] = {}
    for row in ManualFigure.objects.filter(year__range=(first, year)).order_by("year"):
        entry = manual.get(row.key)
        if entry is None:
            entry = manual[row.key] = YearFigure(
                row.key, row.label, row.unit, row.stage, row.note, row.source, True, {}, year
            )
        if row.year == year:  # the shown year's texts win
            entry.label, entry.unit, entry.stage = row.label, row.unit, row.stage
            entry.method, entry.source = row.note, row.source
        entry.history[row.year] = _number(row.value)
    result += [entry for entry in manual.values() if year in entry.history]
    result.sort(key=lambda f: (f.stage or 99, f.label))
    return result


def years_with_figures() -> list[int]:
    """Years to choose from: those with manual figures and those computed, newest first."""
    years = set(FigureValue.objects.order_by().values_list("year", flat=True).distinct())
    years |= set(ManualFigure.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def by_key(figures) -> dict[str, YearFigure]:
    return {figure.key: figure for figure in figures}


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))

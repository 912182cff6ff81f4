"""Indicators with their target and actual value for a year.

The actual value comes from the year's figures (registered or manual, by key) or from a
survey question (agreement in per cent, or the mean of a number), never from a group of
fewer than five answers. Three queries whatever the number of indicators.
"""

from __future__ import annotations

from dataclasses import dataclass

from .figures import YearFigure
from .models import STAGES, Indicator, Target, stage_kind
from .results import question_results


@dataclass
class IndicatorRow:
    indicator: Indicator
    target: float | None
    actual: float | None
    source: str

    @property
    def reached(self) -> int | None:
        """Share of the target reached, in per cent."""
        if self.target in (None, 0) or self.actual is None:
            return None
        return round(100 * self.actual / self.target)

    @property
    def stage_label(self):
        return dict(STAGES).get(self.indicator.stage, "")

    @property
    def stage_kind(self):
        return stage_kind(self.indicator.stage)


def year_indicators(year: int, figures: list[YearFigure]) -> list[IndicatorRow]:
    indicators = list(Indicator.objects.select_related("question__survey"))
    if not indicators:
        return []
    targets = {t.indicator_id: float(t.value) for t in Target.objects.filter(year=year)}
    figures_by_key = {figure.key: figure for figure in figures}
    questions = [i.question for i in indicators if i.question_id]
    results = question_results(questions, year) if questions else {}
    rows = []
    for indicator in indicators:
        if indicator.source == Indicator.Source.QUESTION and indicator.question_id:
            result = results.get(indicator.question_id)
            actual = result.actual if result else None
            source = str(indicator.question.survey)
        else:
            figure = figures_by_key.get(indicator.figure_key)
            actual = figure.value if figure else None
            source = figure.label if figure else indicator.figure_key
        rows.append(IndicatorRow(indicator, targets.get(indicator.pk), actual, source))
    return rows

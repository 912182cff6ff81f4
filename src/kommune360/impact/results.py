"""Survey results: only for groups of at least five answers, counts below five hidden.

One query for any number of questions and answers: it reads the tallies
(``impact.tallies``, decision 0112), never the answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from .anonymity import breakdown, enough, shown
from .models import AnswerTally, Question

SCALE = [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]


@dataclass
class QuestionResult:
    question: Question
    count: int = 0
    mean: float | None = None
    distribution: list = field(default_factory=list)  # (label, shown count)
    agreement: int | None = None  # share of 4 and 5 (scale) or yes, in per cent

    @property
    def shown(self) -> bool:
        return enough(self.count)

    @property
    def count_shown(self):
        return shown(self.count)

    @property
    def actual(self):
        """The value an indicator takes: agreement in per cent or the mean."""
        if not self.shown:
            return None
        return self.agreement if self.agreement is not None else self.mean


def _labels(question):
    if question.kind == Question.Kind.YES_NO:
        return [(1, _("ja")), (0, _("nein"))]
    return [(value, label) for value, label in SCALE]


def question_results(questions, year: int | None = None) -> dict[int, QuestionResult]:
    """The results of ``questions`` (in ``year``, or of all time) from their tallies:
    one query, at most 6 rows per question and month whatever the number of answers."""
    questions = list(questions)
    tallies = AnswerTally.objects.filter(question__in=questions)
    if year:
        tallies = tallies.filter(month__range=(date(year, 1, 1), date(year, 12, 1)))
    rows = (
        tallies.order_by()
        .values("question", "option")
        .annotate(n=Sum("count"), numbers=Sum("numbers"), sum=Sum("total"))
    )
    totals: dict[int, list] = {}
    counts: dict[int, dict] = {}
    for row in rows:
        total = totals.setdefault(row["question"], [0, 0, Decimal(0)])
        total[0] += row["n"]
        total[1] += row["numbers"]
        total[2] += row["sum"]
        if row["option"] != AnswerTally.NO_OPTION:
            counts.setdefault(row["question"], {})[row["option"]] = row["n"]
    results = {}
    for question in questions:
        n, numbers, total = totals.get(question.pk, (0, 0, 0))
        result = QuestionResult(question, n)
        if result.shown and question.kind != Question.Kind.TEXT:
            result.mean = round(float(total / numbers), 1) if numbers else None
            if question.pk in counts or question.kind != Question.Kind.NUMBER:
                values = counts.get(question.pk, {})
                labels = _labels(question)
                cells = breakdown([values.get(value, 0) for value, _label in labels])
                result.distribution = list(
                    zip([label for _value, label in labels], cells, strict=True)
                )
                positive = (
                    values.get(1, 0)
                    if question.kind == Question.Kind.YES_NO
                    else values.get(4, 0) + values.get(5, 0)
                )
                # A share is a breakdown too: only when both parts are groups of five.
                if enough(positive) and enough(result.count - positive):
                    result.agreement = round(100 * positive / result.count)
        results[question.pk] = result
    return results

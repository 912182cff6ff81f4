"""Survey results: only for groups of at least five answers, counts below five hidden.

Two aggregate queries for any number of questions and answers: the counts per value
of the closed questions and the count and mean of every question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from .anonymity import breakdown, enough, shown
from .models import Answer, Question

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
    questions = list(questions)
    answers = Answer.objects.filter(question__in=questions)
    if year:
        answers = answers.filter(response__month__year=year)
    totals = {
        row["question"]: row
        for row in answers.values("question").annotate(count=Count("id"), mean=Avg("number"))
    }
    closed = [q.pk for q in questions if q.kind in (Question.Kind.SCALE, Question.Kind.YES_NO)]
    counts: dict[int, dict] = {}
    if closed:
        rows = answers.filter(question__in=closed).values("question", "number")
        for row in rows.annotate(count=Count("id")):
            counts.setdefault(row["question"], {})[int(row["number"])] = row["count"]
    results = {}
    for question in questions:
        total = totals.get(question.pk, {"count": 0, "mean": None})
        result = QuestionResult(question, total["count"])
        if result.shown and question.kind != Question.Kind.TEXT:
            result.mean = round(float(total["mean"]), 1) if total["mean"] is not None else None
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

"""Survey answers counted per question, month and value (decision 0112).

Every answer is counted into ``AnswerTally`` in the transaction that stores it
(``count``, called by ``surveys.submit``), so the tallies always equal the answers and
the results (``impact.results``) read at most 6 rows per question and month instead of
every answer: the same query whatever the number of answers. ``rebuild`` computes them
again from the answers (idempotent; after loading answers in bulk, or to check them:
``kommune360 impact_tallies``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast

from .models import Answer, AnswerTally, Question

CLOSED = (Question.Kind.SCALE, Question.Kind.YES_NO)


def option_of(kind: str, number) -> int:
    """The tally's option of an answer: the value of a closed question, else none."""
    if kind in CLOSED and number is not None:
        return int(number)
    return AnswerTally.NO_OPTION


def count(answers, month: date) -> None:
    """Count ``answers`` (unsaved or saved ``Answer`` rows with their question) into the
    tallies of ``month``; call inside the transaction that stores them.

    An ``UPDATE … SET count = count + n`` per (question, option): concurrent answers
    wait for each other's row lock instead of overwriting; the first answer of a month
    creates the row, and when another transaction created it meanwhile, the unique
    constraint sends this one back to the update.
    """
    groups: dict[tuple[int, int], list] = defaultdict(lambda: [0, 0, Decimal(0)])
    for answer in answers:
        group = groups[(answer.question_id, option_of(answer.question.kind, answer.number))]
        group[0] += 1
        if answer.number is not None:
            group[1] += 1
            group[2] += Decimal(answer.number)
    for (question_id, option), (n, numbers, total) in sorted(groups.items()):
        key = {"question_id": question_id, "month": month, "option": option}
        change = {
            "count": F("count") + n,
            "numbers": F("numbers") + numbers,
            "total": F("total") + total,
        }
        if AnswerTally.objects.filter(**key).update(**change):
            continue
        try:
            with transaction.atomic():
                AnswerTally.objects.create(**key, count=n, numbers=numbers, total=total)
        except IntegrityError:
            AnswerTally.objects.filter(**key).update(**change)


def _lock_against_answers():
    # PostgreSQL: an answer being stored holds a row lock on its tallies (or has
    # inserted one); EXCLUSIVE waits for those transactions and keeps new ones waiting
    # until the rebuilt rows are committed, so no answer is counted twice or missed.
    # Django has no API for table locks. SQLite writes one transaction at a time anyway.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {AnswerTally._meta.db_table} IN EXCLUSIVE MODE")


def rebuild(year: int | None = None) -> int:
    """Compute the tallies of ``year`` (all years without it) again from the answers,
    in one transaction; returns how many tally rows there are now."""
    answers = Answer.objects.all()
    tallies = AnswerTally.objects.all()
    if year:
        months = (date(year, 1, 1), date(year, 12, 1))
        answers = answers.filter(response__month__range=months)
        tallies = tallies.filter(month__range=months)
    option = Case(
        When(
            Q(question__kind__in=CLOSED) & Q(number__isnull=False),
            then=Cast("number", IntegerField()),
        ),
        default=Value(AnswerTally.NO_OPTION),
        output_field=IntegerField(),
    )
    rows = (
        answers.order_by()
        .values("question_id", month=F("response__month"), option=option)
        .annotate(n=Count("id"), numbers=Count("number"), total=Sum("number"))
    )
    with transaction.atomic():
        _lock_against_answers()
        tallies.delete()
        created = AnswerTally.objects.bulk_create(
            (
                AnswerTally(
                    question_id=row["question_id"],
                    month=row["month"],
                    option=row["option"],
                    count=row["n"],
                    numbers=row["numbers"],
                    total=row["total"] or 0,
                )
                for row in rows.iterator(chunk_size=2000)
            ),
            batch_size=1000,
        )
    return len(created)

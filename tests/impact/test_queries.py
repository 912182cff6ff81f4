"""The year page reads pre-aggregated rows: its query count is the same for a little and
for much more data, and what it shows equals the raw counts (decision 0112)."""

import datetime
import io
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count, Sum

from kommune360.core.registry import registry
from kommune360.impact import figures, surveys, tallies
from kommune360.impact.anonymity import breakdown
from kommune360.impact.models import (
    Answer,
    AnswerTally,
    FigureValue,
    Indicator,
    Question,
    Survey,
    Target,
)
from kommune360.impact.results import question_results

pytestmark = pytest.mark.django_db
# SQLite and PostgreSQL differ in what the layout's shared parts and the session cost.
PAGE_QUERIES = {"sqlite": 14, "postgresql": 14}


def make_survey(subject_id):
    survey = Survey.objects.create(
        title="Nachbefragung", subject_key="events.event", subject_id=subject_id
    )
    questions = {
        kind: Question.objects.create(survey=survey, text=f"Frage {kind}", kind=kind, order=n)
        for n, kind in enumerate(["scale", "yes_no", "number", "text"])
    }
    return survey, questions


def answer_many(survey, questions, n, *, year=2025, offset=0):
    for k in range(offset, offset + n):
        surveys.store_response(
            survey.pk,
            datetime.date(year, 1 + k % 12, 1 + k % 27),
            {
                questions["scale"]: 1 + k % 5,
                questions["yes_no"]: k % 3 != 0,
                questions["number"]: Decimal(k % 7) / 2 if k % 4 else None,  # some skipped
                questions["text"]: f"Text {k}" if k % 2 else "",
            },
        )


def raw_results(questions, year):
    """What the answers themselves say, per question: count, numbers, sum, per value."""
    answers = Answer.objects.filter(question__in=questions, response__month__year=year)
    totals = {
        row["question"]: (row["n"], row["numbers"], row["total"] or 0)
        for row in answers.values("question").annotate(
            n=Count("id"), numbers=Count("number"), total=Sum("number")
        )
    }
    values = defaultdict(dict)
    for row in answers.values("question", "number").annotate(n=Count("id")):
        if row["number"] is not None:
            values[row["question"]][int(row["number"])] = row["n"]
    return totals, values


def test_results_from_the_tallies_equal_the_raw_answers(year_data):
    survey, questions = make_survey(year_data["event"].pk)
    answer_many(survey, questions, 57)
    answer_many(survey, questions, 8, year=2024, offset=3)
    for year in (2024, 2025):
        totals, values = raw_results(questions.values(), year)
        results = question_results(questions.values(), year)
        for kind, question in questions.items():
            n, numbers, total = totals[question.pk]
            result = results[question.pk]
            assert result.count == n
            if kind == "text":
                continue
            assert result.mean == round(float(total / numbers), 1)
            if kind in ("scale", "yes_no"):
                counts = values[question.pk]
                options = {"yes_no": [1, 0], "scale": [1, 2, 3, 4, 5]}[kind]
                cells = [cell for _label, cell in result.distribution]
                assert cells == breakdown([counts.get(option, 0) for option in options])


def tally_rows():
    return sorted(
        AnswerTally.objects.values_list("question", "month", "option", "count", "numbers", "total")
    )


def test_counting_on_write_equals_a_rebuild_from_the_answers(year_data):
    survey, questions = make_survey(year_data["event"].pk)
    answer_many(survey, questions, 40)
    answer_many(survey, questions, 6, year=2024)
    counted = tally_rows()
    assert sum(row[3] for row in counted) == Answer.objects.count()
    assert tallies.rebuild() == len(counted)
    assert tally_rows() == counted
    assert tallies.rebuild(2024) < len(counted)  # one year only, the others kept
    assert tally_rows() == counted
    AnswerTally.objects.update(count=0)
    call_command("impact_tallies", stdout=io.StringIO())
    assert tally_rows() == counted


def test_every_stored_figure_equals_its_count_on_the_raw_rows(year_data):
    for year in (2024, 2025):
        figures.refresh(year)
    stored = {(row.key, row.year): row.value for row in FigureValue.objects.all()}
    for figure in registry.figures():
        for year in (2024, 2025):
            assert stored[(figure.key, year)] == float(figure.compute(year=year)), figure.key


def test_the_page_costs_the_same_queries_for_ten_times_the_data(client, year_data):
    from kommune360.editorial.models import DownloadDay
    from tests.factories.events import RegistrationFactory

    survey, questions = make_survey(year_data["event"].pk)
    answer_many(survey, questions, 6)
    for name, source, key, question in (
        ("Teilnahmen", "figure", "events.participants", None),
        ("Zustimmung", "question", "", questions["scale"]),
    ):
        indicator = Indicator.objects.create(
            name=name, stage=2, source=source, figure_key=key, question=question
        )
        Target.objects.create(indicator=indicator, year=2025, value=50)

    def page_queries():
        for year in (2024, 2025):
            figures.refresh(year)
        from django.test.utils import CaptureQueriesContext

        client.get("/wirkung/2025/")  # the first request of a site creates its settings
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/wirkung/2025/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    small, _html = page_queries()
    answer_many(survey, questions, 60, offset=6)
    answer_many(survey, questions, 30, year=2024)
    for n in range(30):
        RegistrationFactory(event=year_data["event"], email=f"mehr{n}@beispiel.example")
    page = DownloadDay.objects.first().page
    DownloadDay.objects.bulk_create(
        DownloadDay(
            page=page,
            day=datetime.date(2025, 4, 1) + datetime.timedelta(days=n),
            kind="episode",
            count=3,
        )
        for n in range(200)
    )
    large, html = page_queries()
    assert small == large == PAGE_QUERIES[connection.vendor]
    assert "66 Antworten" in html  # the scale question: every answer of 2025
    shown = figures.by_key(figures.year_figures(2025))
    assert shown["events.participants"].value == 6 + 30
    assert shown["podcast_downloads"].value == 10 + 200 * 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_answers_at_once_are_all_counted():
    survey, questions = make_survey(1)
    barrier = threading.Barrier(8)
    errors = []

    def worker(k):
        try:
            barrier.wait()
            surveys.store_response(
                survey.pk,
                datetime.date(2025, 9, 1),
                {questions["scale"]: 4, questions["number"]: k},
            )
        except Exception as error:  # any failure fails the test
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    scale = AnswerTally.objects.get(question=questions["scale"])
    number = AnswerTally.objects.get(question=questions["number"])
    assert (scale.option, scale.count) == (4, 8)
    assert (number.count, number.numbers, number.total) == (8, 8, sum(range(8)))

"""Browser check of Wirkung: the year page with figures, chart, table, indicators and
survey results, and a survey answered from its mail link; axe on every page."""

import datetime

import pytest

pytestmark = pytest.mark.e2e


def test_the_impact_pages_pass_axe(page, axe_check, e2e_db):
    from decimal import Decimal

    from kommune360.impact import figures, surveys
    from kommune360.impact.models import (
        Indicator,
        Invitation,
        ManualFigure,
        Question,
        Survey,
        Target,
    )

    for year, value in ((2024, 1200), (2025, 950)):
        ManualFigure.objects.create(
            key="sticker",
            year=year,
            label="verteilte Sticker",
            value=Decimal(value),
            unit="Sticker",
            stage=1,
            source="Lagerliste",
        )
    figures.refresh(2025)
    indicator = Indicator.objects.create(
        name="Sticker", stage=1, source="figure", figure_key="sticker"
    )
    Target.objects.create(indicator=indicator, year=2025, value=1000)
    survey = Survey.objects.create(
        title="Drei Monate danach", subject_key="events.event", subject_id=1, months=3
    )
    scale = Question.objects.create(survey=survey, text="Angewendet?", kind="scale", order=0)
    Question.objects.create(survey=survey, text="Was noch?", kind="text", order=1)
    for n in range(6):
        surveys.store_response(survey.pk, datetime.date(2025, 9, 1), {scale: 5 if n < 5 else 2})
    Invitation.objects.create(
        survey=survey,
        person="x" * 64,
        token_hash=surveys.token_hash("t0ken"),
        sent_on=datetime.date(2025, 8, 1),
    )

    page.goto("/wirkung/2025/", wait_until="domcontentloaded")
    assert page.locator("svg.impact-chart").count() >= 1
    assert "950" in page.content()
    axe_check(page)
    page.goto("/wirkung/umfrage/t0ken/", wait_until="domcontentloaded")
    axe_check(page)
    page.get_by_label("5 – trifft voll zu").check()
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_url("**/umfrage/danke/")
    axe_check(page)
    signed = surveys.OPT_OUT.sign_text("x" * 64)
    page.goto(f"/wirkung/umfrage/abmelden/{signed}/", wait_until="domcontentloaded")
    axe_check(page)

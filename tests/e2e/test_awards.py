"""Browser journey of an award round: a member applies, the editor opens the review and
assigns, a juror reviews, the editor decides and publishes, the showcase shows the
solution with its seal. axe checks every screen on the way."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .browser import follow

pytestmark = pytest.mark.e2e


def _round():
    from kommune360.awards.models import Criterion, Question, Round
    from kommune360.core.models import Municipality

    Municipality.objects.get_or_create(
        ags="03999001", defaults={"name": "Musterstadt", "kind": "stadt", "state": "03"}
    )
    round_ = Round.objects.create(
        title="Preis im Browser",
        seal_name="Bewährt im Browser",
        phase=Round.Phase.OPEN,
        opens_at=timezone.now() - timezone.timedelta(days=1),
        closes_at=timezone.now() + timezone.timedelta(days=5),
        reviews_per_application=1,
    )
    Criterion.objects.create(round=round_, name="Wirkung", weight=2)
    Question.objects.create(round=round_, label="Welche Ergebnisse haben Sie?", max_chars=500)
    return round_


def test_apply_assign_review_decide_showcase(page, axe_check, login, make_user):
    from kommune360.awards.models import Application, Round, Solution
    from kommune360.awards.services import rounds

    round_ = _round()
    make_user(email="anna@musterstadt.example", first_name="Anna", last_name="Antrag")
    juror = make_user(email="jana@jury.example", first_name="Jana", last_name="Jurorin")
    juror.groups.add(Group.objects.get(name="Jury"))
    editor = make_user(email="redaktion@beispiel.example", is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    round_.jurors.set([juror])
    round_.save()

    # Anna applies for Musterstadt.
    login(page, "anna@musterstadt.example")
    page.goto(reverse("awards:list"))
    axe_check(page)
    follow(page, "Preis im Browser")
    axe_check(page)
    page.get_by_role("link", name="Jetzt bewerben").click()
    page.wait_for_url("**/bewerben/")
    axe_check(page)
    page.get_by_label(re.compile("Gemeindeschlüssel")).fill("03999001")
    page.get_by_label("Organisation", exact=True).fill("Stadtverwaltung Musterstadt")
    page.get_by_label("Titel der Lösung").fill("Digitaler Bauantrag")
    page.get_by_label("Kurzbeschreibung").fill("Schneller bauen.")
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_url(re.compile(r"/bewerbung/\d+/$"))
    axe_check(page)
    page.get_by_label("Welche Ergebnisse haben Sie?").fill("Drei Wochen statt vier Monaten.")
    # Submitting needs the agreement to the jury's review; the draft did not.
    page.get_by_role("button", name="Einreichen").click()
    expect(page.get_by_text("Bitte setzen Sie das Häkchen, um fortzufahren.")).to_be_visible()
    axe_check(page)
    page.get_by_label(re.compile("Jury dieser Ausschreibung")).check()
    page.get_by_label(re.compile("Freiwillig: Wird die Lösung ausgezeichnet")).check()
    page.get_by_role("button", name="Einreichen").click()
    expect(page.get_by_text("Ihre Bewerbung ist eingereicht.").first).to_be_visible()
    axe_check(page)
    application = Application.objects.get()
    assert application.state == Application.State.SUBMITTED
    assert application.consent_at and application.showcase_consent_at

    # The editor starts the review and assigns.
    page.context.clear_cookies()
    login(page, "redaktion@beispiel.example")
    page.goto(reverse("awards_round", args=[round_.pk]))
    axe_check(page)
    page.get_by_role("button", name=re.compile("Begutachtung")).click()
    page.get_by_role("button", name="Gutachten zuteilen").click()
    expect(page.get_by_text("Neu zugeteilt: 1 Gutachten.")).to_be_visible()
    axe_check(page)

    # The juror reviews.
    page.context.clear_cookies()
    login(page, "jana@jury.example")
    page.goto(reverse("awards_jury"))
    axe_check(page)
    follow(page, "Preis im Browser")
    axe_check(page)
    follow(page, "Digitaler Bauantrag")
    axe_check(page)
    page.get_by_label("Wirkung", exact=True).select_option("4")
    page.get_by_label("Empfehlung").select_option("award")
    page.get_by_role("button", name="Gutachten abgeben").click()
    expect(page.get_by_text("Ihr Gutachten ist gespeichert.")).to_be_visible()
    axe_check(page)

    # The editor decides and publishes.
    page.context.clear_cookies()
    login(page, "redaktion@beispiel.example")
    page.goto(reverse("awards_round", args=[round_.pk]))
    page.get_by_role("button", name=re.compile("Entscheidung")).click()
    expect(page.get_by_text("Die Runde ist jetzt in der Phase „Entscheidung“.")).to_be_visible()
    page.goto(reverse("awards_application", args=[round_.pk, application.pk]))
    axe_check(page)
    page.locator("select[name=decision]").select_option("awarded")
    page.locator("textarea[name=reason]").fill("Überzeugend.")
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.get_by_text("Die Entscheidung ist gespeichert.")).to_be_visible()
    page.goto(reverse("awards_round", args=[round_.pk]))
    page.get_by_role("button", name=re.compile("veröffentlicht")).click()
    expect(page.get_by_text("Die Runde ist jetzt in der Phase „veröffentlicht“.")).to_be_visible()
    round_.refresh_from_db()
    assert round_.phase == Round.Phase.PUBLISHED
    solution = rounds.solution_profile(Application.objects.get(), editor)
    Solution.objects.filter(pk=solution.pk).update(is_published=True)  # consented when applying

    # The showcase.
    page.context.clear_cookies()
    page.goto(reverse("awards:solutions", args=[round_.slug]))
    axe_check(page)
    page.get_by_role("link", name="Digitaler Bauantrag").click()
    expect(page.get_by_role("img", name=re.compile("Bewährt im Browser"))).to_be_visible()
    axe_check(page)

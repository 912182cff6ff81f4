"""Browser journey of Mitdenken: a person without an account objects, confirms by mail,
a moderator approves, the objection shows. axe checks the form, the list and the
moderation screens."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from tests.e2e.browser import link_from_mail, wait_for_mail

pytestmark = pytest.mark.e2e

OBJECTION = "Die Analyse unterschätzt, wie viele Kommunen Fortbildung selbst organisieren."


def test_objection_confirmed_approved_and_shown(page, axe_check, login, make_user):
    from tests.factories.participation import CallFactory

    CallFactory(title="Mitdenker:innen gesucht")
    moderator = make_user(email="moderation@beispiel.example", first_name="Mo", last_name="Derat")
    moderator.groups.add(Group.objects.get(name="Moderation"))

    page.goto("/mitdenken/")
    assert page.get_by_role("heading", name="Mitdenker:innen gesucht").is_visible()
    axe_check(page)  # the form, and the empty list

    form = page.locator("form[action='/mitdenken/beitragen/']")
    form.get_by_label("Widerspruch").check()
    form.get_by_label("Ihr Beitrag", exact=True).fill("zu kurz")
    form.get_by_label("Kommunale:r Akteur:in", exact=False).check()
    form.get_by_role("textbox", name=re.compile("^Kommune oder Organisation")).fill(
        "Stadt Musterstadt"
    )
    form.get_by_role("textbox", name=re.compile("^Ihr Name")).fill("Max Mustermann")
    form.get_by_role("textbox", name=re.compile("^Ihre E-Mail-Adresse")).fill(
        "max@beispiel.example"
    )
    form.get_by_label(re.compile("Ich bin einverstanden")).check()
    form.get_by_role("button", name="Beitrag senden").click()
    page.wait_for_url("**/mitdenken/beitragen/")
    assert page.get_by_text("Bitte schreiben Sie mindestens 10 Zeichen.").is_visible()
    assert (
        page.get_by_role("textbox", name=re.compile("^Ihr Name")).input_value() == "Max Mustermann"
    )
    axe_check(page)  # the form with errors

    page.get_by_label("Ihr Beitrag", exact=True).fill(OBJECTION)
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Beitrag senden").click()
    page.wait_for_url("**/mitdenken/")
    assert page.get_by_text("Fast geschafft").is_visible()

    message = wait_for_mail(mail.outbox, "max@beispiel.example")
    link = link_from_mail(message, r"https?://\S+/mitdenken/bestaetigen/\S+/")
    page.goto(urlsplit(link).path)
    axe_check(page)
    page.get_by_role("button", name="Ja, Beitrag bestätigen").click()
    assert page.get_by_text("Ihr Beitrag wird geprüft").is_visible()
    page.goto("/mitdenken/")
    assert page.get_by_text(OBJECTION).count() == 0

    page.context.clear_cookies()
    login(page, "moderation@beispiel.example")
    page.goto("/admin/mitdenken/")
    assert page.get_by_text(OBJECTION[:60]).is_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"^#\d+$")).first.click()
    page.wait_for_url("**/admin/mitdenken/beitrag/**")
    axe_check(page)
    page.get_by_role("button", name="Freigeben").click()
    page.wait_for_load_state()
    assert page.get_by_text("Beitrag veröffentlicht.").is_visible()

    published = wait_for_mail(mail.outbox, "max@beispiel.example")
    assert "veröffentlicht" in published.subject

    page.context.clear_cookies()
    page.goto("/mitdenken/")
    item = page.locator(".participation__item", has_text=OBJECTION)
    assert item.is_visible()
    assert item.get_by_text("Widerspruch").first.is_visible()
    assert item.get_by_text("Max Mustermann", exact=True).is_visible()
    axe_check(page)  # the list with a contribution

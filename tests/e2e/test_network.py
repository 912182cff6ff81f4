"""Browser journey of the network: a member creates a profile and switches it on, a
colleague finds her in the directory with a German search, sends a contact request,
she accepts and both see the other's e-mail address. axe checks every screen."""

import re

import pytest
from playwright.sync_api import expect

from .browser import follow

pytestmark = pytest.mark.e2e


def test_profile_directory_contact_accept(page, axe_check, login, make_user, e2e_db):
    from tests.factories.core import TopicFactory

    TopicFactory(name="Jugendhilfe")
    anna = make_user(email="anna@amt.example", first_name="Anna", last_name="Planer")
    make_user(email="ben@amt.example", first_name="Ben", last_name="Leiter")

    login(page, anna.email)
    page.goto("/netzwerk/")
    axe_check(page)
    page.goto("/netzwerk/profil/")
    axe_check(page)
    page.get_by_label("im Netzwerk sichtbar").check()
    page.get_by_role("textbox", name=re.compile("^Das biete ich")).fill(
        "Erfahrung mit Sozialraumanalysen"
    )
    page.get_by_role("button", name="Profil speichern").click()
    expect(page.get_by_text("Ihr Profil ist gespeichert und im Netzwerk sichtbar.")).to_be_visible()
    axe_check(page)  # the form with its previews

    page.context.clear_cookies()
    login(page, "ben@amt.example")
    page.goto("/netzwerk/mitglieder/")
    axe_check(page)
    page.get_by_label("Suchbegriff").fill("Sozialraumanalyse")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url(re.compile(r"q=Sozialraumanalyse"))
    follow(page, "Anna Planer")
    axe_check(page)
    page.get_by_label("Ihre Nachricht").fill("Guten Tag, ich würde mich gern austauschen.")
    page.get_by_role("button", name="Kontakt anfragen").click()
    expect(page.get_by_text("Ihre Anfrage ist verschickt.")).to_be_visible()

    page.context.clear_cookies()
    login(page, anna.email)
    page.goto("/netzwerk/kontakte/")
    axe_check(page)
    expect(page.get_by_text("ich würde mich gern austauschen")).to_be_visible()
    assert page.get_by_text("ben@amt.example").count() == 0
    page.get_by_role("button", name="Annehmen").click()
    expect(page.get_by_role("link", name="ben@amt.example")).to_be_visible()
    axe_check(page)

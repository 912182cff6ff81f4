"""Browser journey of Mitdenken on the landscape analysis: a person without an account
objects, confirms by mail, a moderator approves it in the admin's moderation queue, the
objection shows on the analysis page. axe checks the forms, the list and the moderation
screens."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.browser import link_from_mail, wait_for_mail

pytestmark = pytest.mark.e2e

ANALYSIS = "/angebote/analyse/"
OBJECTION = "Die Analyse unterschätzt, wie viele Kommunen Fortbildung selbst organisieren."


def test_objection_on_the_analysis_confirmed_approved_and_shown(page, axe_check, login, make_user):
    from tests.factories.atlas import OfferFactory

    OfferFactory.create_batch(3)
    moderator = make_user(email="moderation@beispiel.example", first_name="Mo", last_name="Derat")
    moderator.groups.add(Group.objects.get(name="Moderation"))

    # The analysis page's figures are drawn by matplotlib, one request each, on a
    # single-threaded test server: give the page time, wait for its HTML only.
    page.set_default_timeout(30_000)
    page.goto(ANALYSIS, wait_until="domcontentloaded")
    whole = page.locator("#mitdenken-gesamt")
    expect(whole.get_by_role("heading", name="Mitdenken zur ganzen Analyse")).to_be_visible()
    expect(whole.get_by_text("Noch keine veröffentlichten Beiträge")).to_be_visible()
    # A section's form opens from its summary line.
    page.locator("#mitdenken-matrix summary").click()
    expect(page.locator("#mitdenken-matrix form")).to_be_visible()
    axe_check(page)  # the forms (whole analysis and one section), the empty list

    form = whole.locator("form[action='/mitdenken/beitragen/']")
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
    expect(page.get_by_text("Bitte schreiben Sie mindestens 10 Zeichen.")).to_be_visible()
    assert (
        page.get_by_role("textbox", name=re.compile("^Ihr Name")).input_value() == "Max Mustermann"
    )
    expect(page.get_by_label("Widerspruch")).to_be_checked()
    axe_check(page)  # the form with errors

    page.get_by_label("Ihr Beitrag", exact=True).fill(OBJECTION)
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Beitrag senden").click()
    page.wait_for_url(f"**{ANALYSIS}", wait_until="domcontentloaded")
    expect(page.get_by_text("Fast geschafft")).to_be_visible()

    message = wait_for_mail(mail.outbox, "max@beispiel.example")
    assert "Ich bin einverstanden" in message.body  # the consent text goes with the mail
    link = link_from_mail(message, r"https?://\S+/mitdenken/bestaetigen/\S+/")
    page.goto(urlsplit(link).path)
    axe_check(page)
    page.get_by_role("button", name="Ja, Beitrag bestätigen").click()
    expect(page.get_by_text("Ihr Beitrag wird geprüft")).to_be_visible()
    page.goto(ANALYSIS, wait_until="domcontentloaded")
    assert page.get_by_text(OBJECTION).count() == 0  # waits for the moderation

    page.context.clear_cookies()
    login(page, "moderation@beispiel.example")
    page.goto("/admin/mitdenken/")
    expect(page.get_by_text(OBJECTION[:60])).to_be_visible()
    axe_check(page)  # the queue
    page.get_by_label("Art", exact=True).select_option(label="Widerspruch")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/admin/mitdenken/?*kind=objection*")
    expect(page.get_by_text(OBJECTION[:60])).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^#\d+$")).first.click()
    page.wait_for_url("**/admin/mitdenken/beitrag/**")
    expect(page.get_by_text("Landschaftsanalyse").first).to_be_visible()
    axe_check(page)  # one contribution with its actions
    page.get_by_role("button", name="Freigeben").click()
    expect(page.get_by_text("Beitrag veröffentlicht.")).to_be_visible()
    axe_check(page)  # after the decision (the success message)
    page.goto("/admin/mitdenken/nachverfolgung/")
    axe_check(page)  # the follow-ups of the team

    published = wait_for_mail(mail.outbox, "max@beispiel.example")
    assert "veröffentlicht" in published.subject

    page.context.clear_cookies()
    page.goto(ANALYSIS, wait_until="domcontentloaded")
    item = page.locator("#mitdenken-gesamt .participation__item", has_text=OBJECTION)
    expect(item).to_be_visible()
    expect(item.get_by_text("Widerspruch").first).to_be_visible()
    expect(item.get_by_text("Max Mustermann", exact=True)).to_be_visible()
    expect(item.get_by_text("kommunale:r Akteur:in")).to_be_visible()
    assert page.locator("#mitdenken-matrix").get_by_text(OBJECTION).count() == 0
    axe_check(page)  # the list with the contribution

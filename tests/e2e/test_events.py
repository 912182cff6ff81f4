"""Browser journey of the events app: register, waitlist, offered place, accept; the
organiser's check-in page. axe checks every page on the way."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from .browser import follow

pytestmark = pytest.mark.e2e


def test_waitlist_offer_accept_and_checkin(page, axe_check, login, make_user):
    from kommune360.events import services
    from tests.factories.events import EventFactory, QuestionFactory, SessionFactory

    event = EventFactory(title="Fellow-Treffen im Browser", capacity=1)
    QuestionFactory(event=event, label="Essen", kind="choice", choices="vegetarisch\nvegan")
    SessionFactory(event=event, title="Werkstatt Wandel", capacity=10)
    first = services.register_for_event(event, name="Erste Person", email="erste@beispiel.example")
    make_user(email="maria@beispiel.example", first_name="Maria", last_name="Muster")

    login(page, "maria@beispiel.example")
    page.goto(reverse("events:list"))
    axe_check(page)
    page.get_by_role("link", name="Fellow-Treffen im Browser").click()
    page.wait_for_url("**" + event.get_absolute_url())
    axe_check(page)
    follow(page, "Auf die Warteliste")
    axe_check(page)
    page.get_by_label("Essen").select_option("vegan")
    page.get_by_label(re.compile("Werkstatt Wandel")).check()
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Auf die Warteliste setzen").click()
    page.wait_for_url("**/veranstaltungen/anmeldung/**")
    expect(page.get_by_text("Sie stehen auf der Warteliste.")).to_be_visible()
    axe_check(page)

    services.cancel_registration(first)  # a place frees up and is offered to Maria
    page.reload()
    expect(page.get_by_text("Ein Platz ist für Sie reserviert.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Platz annehmen").click()
    expect(page.get_by_text("Angemeldet: Maria Muster")).to_be_visible()
    assert page.locator(".events-qr svg").count() == 1
    axe_check(page)
    page.goto(reverse("events:mine"))
    expect(page.get_by_role("link", name="Fellow-Treffen im Browser")).to_be_visible()
    axe_check(page)

    editor = make_user(email="redaktion@beispiel.example", is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    page.context.clear_cookies()
    login(page, "redaktion@beispiel.example")
    page.goto(reverse("events_checkin", args=[event.pk]) + "?q=Maria")
    axe_check(page)
    page.get_by_role("button", name="Einchecken").click()
    expect(page.get_by_text("Maria Muster ist eingecheckt.")).to_be_visible()


def test_register_without_account_through_the_mailed_link_and_cancel(page, axe_check, mailoutbox):
    from kommune360.events.models import Registration
    from tests.factories.events import EventFactory

    from .browser import link_from_mail, wait_for_mail

    event = EventFactory(title="Netzwerktreffen im Browser", capacity=5, fee_note="")
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Jetzt anmelden").click()
    page.wait_for_url("**/anmelden/")
    axe_check(page)
    page.get_by_label("Vor- und Nachname").fill("Nora Neu")
    page.get_by_label("E-Mail-Adresse").fill("nora@beispiel.example")
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Verbindlich anmelden").click()
    # (expect waits for the next page; an immediate check could still see the form)
    expect(page.get_by_role("heading", name="Fast geschafft")).to_be_visible()
    axe_check(page)
    assert not Registration.objects.exists()  # nothing stored before the link is opened

    message = wait_for_mail(mailoutbox, "nora@beispiel.example")
    link = link_from_mail(message, r"https?://\S+/bestaetigen/\S+/")
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])  # on the live server
    expect(page.get_by_text("kostenfrei")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Anmeldung abschließen").click()
    page.wait_for_url("**/veranstaltungen/anmeldung/**")
    expect(page.get_by_text("Angemeldet: Nora Neu")).to_be_visible()
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    confirmed = wait_for_mail(mailoutbox, "nora@beispiel.example")
    assert confirmed.subject == "Anmeldung bestätigt: Netzwerktreffen im Browser"

    page.get_by_role("link", name="Anmeldung stornieren").click()
    page.wait_for_url("**/stornieren/")
    axe_check(page)
    page.get_by_role("button", name="Ja, stornieren").click()
    expect(page.get_by_text("Diese Anmeldung ist storniert.")).to_be_visible()
    axe_check(page)
    assert Registration.objects.get().status == Registration.Status.CANCELLED

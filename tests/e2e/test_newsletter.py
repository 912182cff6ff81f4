"""Browser journey of the newsletter: sign up, confirm, change topics, unsubscribe;
axe on every page of it and on the archive."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from .browser import wait_for_mail

pytestmark = pytest.mark.e2e


@pytest.fixture
def newsletter_demo(e2e_db):
    from kommune360.newsletter.demo import load_newsletter_demo

    load_newsletter_demo()


def test_sign_up_confirm_change_topics_unsubscribe(page, axe_check, mailoutbox, newsletter_demo):
    from kommune360.newsletter.models import Subscriber

    page.goto(reverse("newsletter:signup"))
    axe_check(page)
    page.get_by_label("E-Mail-Adresse").fill("gestalterin@musterstadt.example")
    page.get_by_label("Jugendhilfe").check()
    page.get_by_label(re.compile("Ich möchte den Newsletter")).check()
    page.get_by_role("button", name="Newsletter abonnieren").click()
    page.wait_for_url("**" + reverse("newsletter:thanks"))
    axe_check(page)
    # Nothing is stored before the address is confirmed.
    assert not Subscriber.objects.filter(email="gestalterin@musterstadt.example").exists()

    message = wait_for_mail(mailoutbox, "gestalterin@musterstadt.example")
    link = re.search(r"https?://\S+/newsletter/bestaetigen/\S+/", message.body).group(0)
    page.goto(urlsplit(link).path)
    axe_check(page)
    page.get_by_role("button", name="Ja, Newsletter erhalten").click()
    page.get_by_role("heading", name="Vielen Dank, Ihre Anmeldung ist bestätigt").wait_for()
    axe_check(page)
    subscriber = Subscriber.objects.get(email="gestalterin@musterstadt.example")
    assert subscriber.state == "active"

    page.get_by_role("link", name="Themen jetzt ändern").click()
    page.get_by_role("heading", name="Ihre Newsletter-Einstellungen").wait_for()
    axe_check(page)
    page.get_by_label("Allgemein").uncheck()
    page.get_by_label("Festival").check()
    page.get_by_role("button", name="Themen speichern").click()
    page.get_by_text("Ihre Themen sind gespeichert.").wait_for()
    axe_check(page)
    assert sorted(subscriber.topics.values_list("name", flat=True)) == ["Festival", "Jugendhilfe"]

    page.get_by_role("link", name="Newsletter abbestellen").click()
    page.get_by_role("heading", name="Newsletter abbestellen").wait_for()
    axe_check(page)
    subscriber.refresh_from_db()
    assert subscriber.state == "active"  # showing the page unsubscribes nobody
    page.get_by_role("button", name="Jetzt abbestellen").click()
    page.get_by_role("heading", name="Sie sind abgemeldet").wait_for()
    axe_check(page)
    subscriber.refresh_from_db()
    assert subscriber.state == "unsubscribed"
    assert len(mailoutbox) == 1  # no second mail to confirm the unsubscribe


def test_archive_passes_axe(page, axe_check, newsletter_demo):
    page.goto(reverse("newsletter:archive"))
    axe_check(page)
    page.get_by_role("link", name=re.compile("Rückblick 2024")).click()
    page.get_by_role("heading", name=re.compile("Rückblick 2024"), level=1).wait_for()
    axe_check(page)

"""Feeds, calendar files, PDF certificates and HTML mail keep a hostile value as text."""

import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.template.loader import render_to_string

from kommune360.core.certificates import issue_certificate
from kommune360.core.qr import qr_svg
from kommune360.events.calendar import event_ics
from kommune360.events.models import Event
from kommune360.newsletter.rendering import MailTemplate
from tests.factories.editorial import (
    ArticlePageFactory,
    EpisodePageFactory,
    MagazineIndexPageFactory,
    PodcastIndexPageFactory,
)
from tests.factories.events import EventFactory
from tests.factories.newsletter import CampaignFactory

HOSTILE = (
    '</title><meta http-equiv="refresh" content="0;url=https://evil.example">'
    "<!-- &amp; \"zitat\" 'q' ]]>"
)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def _item_titles(content):
    root = ET.fromstring(content)  # a broken element would not parse
    return [item.findtext("title") for item in root.iter("item")]


def test_podcast_and_magazine_feeds(client, home_page):
    podcast = PodcastIndexPageFactory(parent=home_page)
    EpisodePageFactory(parent=podcast, title=HOSTILE, slug="folge")
    magazine = MagazineIndexPageFactory(parent=home_page)
    ArticlePageFactory(parent=magazine, title=HOSTILE, slug="artikel", teaser=HOSTILE)
    for url in ("/podcast/feed.xml", "/magazin/feed.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<meta" not in response.content, url
        assert HOSTILE in _item_titles(response.content), url


@pytest.mark.django_db
def test_calendar_file():
    event = EventFactory(summary=HOSTILE)
    # A title from before the one-line cleaning: a line break must not start a new line.
    Event.objects.filter(pk=event.pk).update(title="Treffen\r\nEND:VEVENT\r\nBEGIN:VEVENT")
    event.refresh_from_db()
    calendar = icalendar.Calendar.from_ical(event_ics(event))
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]).replace("\r", "") == "Treffen\nEND:VEVENT\nBEGIN:VEVENT"
    assert HOSTILE in str(vevent["DESCRIPTION"])


@pytest.mark.django_db
def test_certificate_pdf_html():
    event = EventFactory()
    certificate = issue_certificate(event, holder_name=HOSTILE, title=HOSTILE)
    html = render_to_string(
        "core/certificates/pdf.html",
        {"certificate": certificate, "qr": qr_svg(certificate.verification_url)},
    )
    assert "<meta http-equiv" not in html
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in html


@pytest.mark.django_db
def test_html_mail():
    campaign = CampaignFactory(subject=HOSTILE, preheader=HOSTILE)
    html = MailTemplate(campaign).html
    assert "<meta http-equiv" not in html
    assert "&lt;meta http-equiv=" in html

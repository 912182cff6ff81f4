"""The English pages of the demo: English around, German content marked as German.

Each main public page is read under ``/en/``: every text that contains German content
from the database (titles, descriptions, page bodies, taxonomy names without an
English one …, ``tests/core/languages.py``) must sit inside an element with
``lang="de"``; no German month or weekday is left outside one, and the German pages
show no English ones. Decision 0080.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from kommune360.atlas.models import Offer
from kommune360.core.models import Method, TargetGroup
from kommune360.events.models import Event
from kommune360.learning.models import LearningPath
from kommune360.newsletter.models import Campaign

from .languages import german_texts, texts, unmarked

GERMAN_DATE_WORDS = re.compile(
    r"\b(Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember|Montag|Dienstag|Mittwoch"
    r"|Donnerstag|Freitag|Samstag|Sonntag)\b"
)
ENGLISH_MONTHS = "January|February|March|May|June|July|October|December"
ENGLISH_DATE_WORDS = re.compile(
    rf"\b({ENGLISH_MONTHS}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# "12. January 2027": English names in a German date.
MIXED_DATE = re.compile(rf"\b\d{{1,2}}\. ({ENGLISH_MONTHS}|April|August|September|November)\b")


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _demo_media(settings, demo_media):
    settings.MEDIA_ROOT = demo_media  # where the demo's images and files are


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """The demo content, loaded once for this module and rolled back after it; returns
    the needles of its German texts."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media):
        block = transaction.atomic()
        block.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield german_texts()
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


def main_pages():
    """The main public pages, as German paths."""
    offer = Offer.objects.filter(status=Offer.Status.PUBLISHED).order_by("pk").first()
    event = Event.objects.filter(is_published=True).order_by("-starts_at").first()
    path = LearningPath.objects.filter(is_published=True).order_by("pk").first()
    campaign = Campaign.objects.filter(state=Campaign.State.SENT, show_in_archive=True).first()
    return [
        "/",
        "/angebote/",
        offer.get_absolute_url(),
        "/angebote/analyse/",
        "/veranstaltungen/",
        event.get_absolute_url(),
        "/lernpfade/",
        path.get_absolute_url(),
        "/magazin/",
        "/magazin/its-a-match/",
        "/podcast/",
        "/podcast/diensteid-fuer-transformation/",
        "/publikationen/",
        "/publikationen/change-guide/",
        "/mitdenken/",
        "/newsletter/archiv/",
        campaign.get_absolute_url(),
        "/suche/?q=Fortbildung",
        "/impressum/",
    ]


def english(path):
    return "/en" + path


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.django_db
def test_german_content_on_english_pages_is_marked_german(demo):
    client = Client()
    assert len(demo) > 300  # the demo's German texts
    found = {}
    for path in main_pages():
        html = get(client, english(path))
        assert '<html lang="en"' in html, path
        if bad := unmarked(html, demo):
            found[path] = bad[:5]
    assert found == {}


@pytest.mark.django_db
def test_dates_are_written_in_the_language_of_the_page(demo):
    client = Client()
    for path in main_pages():
        outside = [t for t, lang in texts(get(client, english(path))) if lang != "de"]
        assert not [t for t in outside if GERMAN_DATE_WORDS.search(t)], path
        assert not [t for t in outside if MIXED_DATE.search(t)], path
        german = [t for t, _lang in texts(get(client, path))]
        assert not [t for t in german if ENGLISH_DATE_WORDS.search(t)], path
    events = get(client, english("/veranstaltungen/"))
    assert re.search(rf"\b\d{{1,2}} ({ENGLISH_MONTHS}|April|August|September|November) 20", events)


@pytest.mark.django_db
def test_taxonomy_is_named_in_english_with_the_german_name_marked_where_there_is_none(demo):
    method = Method.objects.get(name="Design Thinking")
    assert method.name_en == "Design thinking"
    group = TargetGroup.objects.get(name="Jugendamtsleitung")
    group.name_en = ""
    group.save()
    client = Client()
    html = get(client, english("/angebote/"))
    assert "Heads of youth welfare offices" not in html
    assert re.search(r'<span lang="de">Jugendamtsleitung</span>', html)
    assert ">Design thinking <" in html or ">Design thinking<" in html
    assert "Youth welfare planners" in get(client, english("/angebote/analyse/"))
    # German pages keep the German names.
    assert "Youth welfare planners" not in get(client, "/angebote/analyse/")


@pytest.mark.django_db
def test_the_demo_pages_have_english_counterparts(demo):
    client = Client()
    html = get(client, english("/magazin/its-a-match/"))
    assert 'hreflang="de"' in html and 'href="/magazin/its-a-match/"' in html
    assert 'href="/en/magazin/' in get(client, english("/magazin/"))
    assert 'href="/en/impressum/"' in get(client, english("/"))


@pytest.mark.django_db
def test_newsletter_topics_are_named_in_the_language_of_the_page(demo):
    client = Client()
    assert "Child and youth services" in get(client, english("/newsletter/"))
    german = get(client, "/newsletter/")
    assert "Jugendhilfe" in german and "Child and youth services" not in german

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
    assert found == {}, sorted(found)


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


def _one_page_per_view(paths, seen):
    """Of ``paths`` (German), the first of each view not in ``seen`` (Wagtail pages:
    each page type once)."""
    from django.conf import settings
    from django.urls import Resolver404, resolve
    from django.utils import translation
    from wagtail.models import Page

    chosen = []
    for path in paths:
        try:
            with translation.override(settings.LANGUAGE_CODE):
                match = resolve(path)
        except Resolver404:
            continue
        key = match.view_name
        if key == "wagtail_serve":
            page = Page.objects.filter(url_path__endswith="/" + match.args[0]).first()
            key = page.specific_class.__name__ if page else path
        if key not in seen:
            seen.add(key)
            chosen.append(path)
    return chosen


def _queue(first, then):
    """The items of ``first``, then those of ``then`` as they are added."""
    yield from first
    index = 0
    while index < len(then):
        yield then[index]
        index += 1


def _links(html):
    """German site paths a page links to (English ones without their ``/en``)."""
    skipped = ("/admin", "/cms", "/konto/abmelden", "/static/", "/media/", "/api/")
    for href in re.findall(r'href="(/[^"#?]*)', html):
        path = href.removeprefix("/en")
        if not path.startswith(skipped):
            yield path


@pytest.mark.django_db
def test_every_kind_of_page_marks_german_content_on_english_pages(demo):
    """Beyond the main pages: one page of every view the sitemap lists and of every view
    those pages link to (forms to register, to apply, to report, a member's own pages),
    read by a logged-in member, who also starts from the network's matching rounds (no
    sitemap lists them); new apps are covered as their pages appear."""
    from urllib.parse import urlsplit

    from kommune360.accounts.models import User
    from kommune360.core.registry import registry

    client = Client()
    sitemap = get(client, "/sitemap.xml")
    paths = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    emails = [email for step in registry.demo_steps() for email, _label in step.logins]
    members = User.objects.filter(email__in=emails, is_staff=False, is_active=True)
    assert members.count() >= 4
    seen = set()
    found = {}
    visited = 0
    for member in members.order_by("pk"):
        client.force_login(member)
        pages = ["/konto/", "/netzwerk/", "/netzwerk/runden/"]
        pages += _one_page_per_view([p for p in paths if not p.startswith("/en/")], seen)
        linked = []
        for path in _queue(pages, linked):
            response = client.get(english(path))
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            visited += 1
            html = response.content.decode()
            if path in pages:
                linked += _one_page_per_view(list(_links(html)), seen)
            if bad := unmarked(html, demo):
                found.setdefault(path, bad[:5])
    assert visited > 30, seen
    assert found == {}, sorted(found)

"""Pages in German and English (Wagtail's localisation, decision 0080).

Every German page has an English counterpart: an alias showing the German page until
an editor turns it into a translation. ``/en/…`` shows the English page if there is
one and the German page otherwise; the language switch, the page cache, the sitemap,
the site search and Mitdenken follow.
"""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import Locale, Page

from kommune360.accounts import roles
from kommune360.core.models import SiteSettings
from kommune360.editorial import translations
from kommune360.editorial.models import EpisodePage
from tests.factories.accounts import UserFactory
from tests.factories.editorial import ArticlePageFactory, EpisodePageFactory
from tests.factories.participation import ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(magazine):
    return ArticlePageFactory(parent=magazine, slug="artikel", title="Ein Artikel über Planung")


def english(page):
    return page.get_translation(Locale.objects.get(language_code="en")).specific


def translate(page, **fields):
    """What an editor does: turn the English alias into a page of its own, write it."""
    alias = english(page)
    ConvertAliasPageAction(alias).execute(skip_permission_checks=True)
    alias = Page.objects.get(pk=alias.pk).specific
    for name, value in fields.items():
        setattr(alias, name, value)
    alias.save_revision().publish()
    return alias


def test_every_german_page_gets_an_english_alias_once(article):
    made = translations.sync_page_tree()
    assert made >= 2  # the magazine and the article (the home page's alias may exist)
    assert translations.sync_page_tree() == 0
    alias = english(article)
    assert alias.alias_of_id == article.pk
    assert alias.url == "/en/magazin/artikel/"
    assert alias.title == article.title


def test_the_english_address_shows_the_german_page_marked_german(client, article):
    translations.sync_page_tree()
    html = client.get("/en/magazin/artikel/").content.decode()
    assert '<html lang="en"' in html
    assert '<h1 class="kern-heading-x-large" lang="de">Ein Artikel über Planung</h1>' in html
    assert '<title lang="de">' in html


def test_a_translation_is_shown_in_english_and_the_german_page_stays(client, article):
    translations.sync_page_tree()
    translate(article, title="An article on planning", teaser="About planning.")
    english_html = client.get("/en/magazin/artikel/").content.decode()
    assert '<h1 class="kern-heading-x-large">An article on planning</h1>' in english_html
    german_html = client.get("/magazin/artikel/").content.decode()
    assert "Ein Artikel über Planung" in german_html and "An article" not in german_html
    # Wagtail keeps the alias of a translated page no longer in step with the German one.
    article.title = "Ein Artikel über Steuerung"
    article.save_revision().publish()
    assert english(article).title == "An article on planning"


def test_a_page_without_english_counterpart_is_shown_in_german(client, magazine):
    translations.sync_page_tree()
    ArticlePageFactory(parent=magazine, slug="neu", title="Ganz neu im Magazin")
    response = client.get("/en/magazin/neu/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html and 'lang="de">Ganz neu im Magazin</h1>' in html


def test_the_german_address_under_en_leads_to_an_english_slug(client, article):
    translations.sync_page_tree()
    translate(article, title="An article", slug="an-article")
    response = client.get("/en/magazin/artikel/")
    assert response.status_code == 302
    assert response["Location"] == "/en/magazin/an-article/"
    assert client.get("/en/magazin/an-article/").status_code == 200


def test_a_section_with_an_english_slug_keeps_its_navigation_link(client, magazine):
    translations.sync_page_tree()
    translate(magazine, title="Magazine", slug="magazine")
    response = client.get("/en/magazin/")  # the navigation's address
    assert response.status_code == 302 and response["Location"] == "/en/magazine/"
    assert "Magazine" in client.get("/en/magazine/").content.decode()


def test_the_language_switch_links_to_the_counterpart(client, article):
    translations.sync_page_tree()
    translate(article, title="An article", slug="an-article")
    english_html = client.get("/en/magazin/an-article/").content.decode()
    assert 'href="/magazin/artikel/" hreflang="de" lang="de"' in english_html
    german_html = client.get("/magazin/artikel/").content.decode()
    assert 'href="/en/magazin/an-article/" hreflang="en" lang="en"' in german_html
    # Pages that are no Wagtail page switch by their path.
    offers = client.get("/angebote/").content.decode()
    assert 'href="/en/angebote/" hreflang="en"' in offers


def test_the_home_page_in_english(client, home_page):
    translations.sync_page_tree()
    assert client.get("/en/").status_code == 200
    translate(home_page, title="Welcome", intro="A network for municipal change.")
    html = client.get("/en/").content.decode()
    assert '<h1 class="kern-heading-x-large">Welcome</h1>' in html
    assert "A network for municipal change." in html
    assert "Welcome" not in client.get("/").content.decode()


def test_the_page_cache_keeps_the_languages_apart(client, settings, home_page, article):
    translations.sync_page_tree()
    translate(article, title="An article")
    # The site settings exist on a running site (made on a first request, they would
    # empty the cache themselves).
    SiteSettings.for_site(home_page.get_site())
    settings.PAGE_CACHE_SECONDS = 600
    for each in caches.all():
        each.clear()
    client.get("/magazin/artikel/")
    german = client.get("/magazin/artikel/")
    english_page = client.get("/en/magazin/artikel/")
    assert german.headers.get("X-Page-Cache") == "hit"
    assert "An article" in english_page.content.decode()
    assert "An article" not in german.content.decode()


def test_the_sitemap_names_each_page_in_both_languages(client, settings, article):
    settings.SITE_URL = "https://netzwerk.example"
    translations.sync_page_tree()
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {
        url.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    german, english_url = (
        "https://netzwerk.example/magazin/artikel/",
        "https://netzwerk.example/en/magazin/artikel/",
    )
    assert entries[german] == entries[english_url] == {"de": german, "en": english_url}
    offers = entries["https://netzwerk.example/en/angebote/"]
    assert offers["de"] == "https://netzwerk.example/angebote/"


def test_the_site_search_finds_the_pages_of_the_language_shown(client, article):
    translations.sync_page_tree()  # indexes the new aliases
    english_html = client.get("/en/suche/", {"q": "Planung"}).content.decode()
    assert 'href="/en/magazin/artikel/"' in english_html
    assert 'href="/magazin/artikel/"' not in english_html
    german_html = client.get("/suche/", {"q": "Planung"}).content.decode()
    assert 'href="/magazin/artikel/"' in german_html
    assert "/en/magazin/" not in german_html


def test_contributions_are_shared_by_both_languages(client, article):
    translations.sync_page_tree()
    ContributionFactory(target=article, text="Bei uns plant das Jugendamt mit den Trägern.")
    html = client.get("/en/magazin/artikel/").content.decode()
    assert "Bei uns plant das Jugendamt mit den Trägern." in html
    assert f'name="object_id" value="{article.pk}"' in html


def test_an_episode_alias_has_a_guid_of_its_own_that_stays(podcast):
    episode = EpisodePageFactory(parent=podcast, slug="folge")
    translations.sync_page_tree()
    alias = english(episode)
    assert alias.guid != episode.guid
    episode.title = "Neuer Titel"
    episode.save_revision().publish()  # Wagtail copies every field onto the alias
    assert EpisodePage.objects.get(pk=alias.pk).guid == alias.guid


def test_english_lists_do_not_grow_with_their_length(client, magazine):
    translations.sync_page_tree()

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(number):
        for _ in range(number):
            ArticlePageFactory(parent=magazine)
        translations.sync_page_tree()

    add(2)
    few = count("/en/magazin/")
    add(7)
    assert count("/en/magazin/") == few


def test_editors_translate_and_the_workflow_holds_in_english_too(client, home_page, article):
    translations.sync_page_tree()
    editor = UserFactory(roles=[roles.EDITOR])
    assert editor.has_perm("simple_translation.submit_translation")
    for page in (english(home_page), english(article)):
        assert page.permissions_for_user(editor).can_edit()
        assert not page.permissions_for_user(editor).can_publish()  # the Freigabe does
        assert page.get_workflow().name == "Redaktion → Freigabe"
    client.force_login(editor)
    response = client.get(f"/admin/pages/{english(article).pk}/edit/")
    assert response.status_code == 200
    assert "Diesen Alias in eine reguläre Seite konvertieren" in response.content.decode()

import io
import re
from contextlib import contextmanager

import pytest
from django.core.management import call_command

from kommune360.core.registry import Searchable, registry
from kommune360.editorial.models import SearchTerm
from kommune360.editorial.search import highlight
from tests.factories.atlas import OfferFactory
from tests.factories.editorial import (
    ArticlePageFactory,
    EpisodePageFactory,
    PublicationPageFactory,
    RecommendationPageFactory,
)
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200
    return re.findall(
        r'<h2 class="kern-title"><a class="kern-link" href="[^"]*">([^<]*)</a>',
        response.content.decode(),
    )


@contextmanager
def registered(model, label, queryset):
    """``model`` in the site search for one test (unless its app registers it already)."""
    if any(entry.model is model for entry in registry.searchables()):
        yield
        return
    entry = Searchable(model, label, queryset)
    registry.add(entry)
    try:
        yield
    finally:
        registry._entries[Searchable].remove(entry)


def test_search_finds_pages_of_every_type_with_highlighted_snippets(
    client, magazine, podcast, publications
):
    ArticlePageFactory(
        parent=magazine, title="Schildkröten im Jugendamt", teaser="Langsam, aber sicher."
    )
    EpisodePageFactory(
        parent=podcast,
        title="Festivalfolge",
        transcript="<p>Ich wünsche mir Schildkröten statt Schlagworte.</p>",
    )
    RecommendationPageFactory(parent=publications, title="Ein Leitfaden ohne Tiere")

    response = client.get("/suche/", {"q": "Schildkröten"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "2 Treffer" in html
    assert "Schildkröten im Jugendamt" in html and "Festivalfolge" in html
    assert "Leitfaden ohne Tiere" not in html
    assert "<mark>Schildkröten</mark> statt Schlagworte" in html
    assert "Magazin (1)" in html and "Podcast (1)" in html

    podcast_only = client.get("/suche/", {"q": "Schildkröten", "typ": "podcast"}).content.decode()
    assert "Festivalfolge" in podcast_only and "Schildkröten im Jugendamt" not in podcast_only


def test_search_paginates(client, magazine):
    for number in range(25):
        ArticlePageFactory(parent=magazine, title=f"Musterstadt plant {number}")
    first = client.get("/suche/", {"q": "Musterstadt"})
    assert first.content.count(b'class="search__result"') == 10
    last = client.get("/suche/", {"q": "Musterstadt", "seite": 3})
    assert last.content.count(b'class="search__result"') == 5
    assert b"Seite 3 von 3" in last.content
    assert b"q=Musterstadt&amp;seite=2" in last.content


def test_registered_searchables_are_searched(client, home_page):
    from kommune360.core.models import Municipality

    Municipality.get_absolute_url = lambda self: f"/kommunen/{self.ags}/"
    try:
        with registered(Municipality, "Kommune", lambda: Municipality.objects.all()):
            Municipality.objects.create(
                ags="09999001", name="Beispielhausen", kind="gemeinde", state="09"
            )
            html = client.get("/suche/", {"q": "Beispielhausen"}).content.decode()
    finally:
        del Municipality.get_absolute_url
    assert 'href="/kommunen/09999001/"' in html
    assert "Kommune (1)" in html


def test_models_outside_the_search_index_are_matched_by_their_text(client, home_page):
    from kommune360.core.models import Supporter

    Supporter.get_absolute_url = lambda self: f"/traeger/{self.pk}/"
    try:
        with registered(Supporter, "Träger:in", lambda: Supporter.objects.all()):
            Supporter.objects.create(name="Beispiel-Stiftung für Musterstadt")
            html = client.get("/suche/", {"q": "stiftungen musterstadt"}).content.decode()
    finally:
        del Supporter.get_absolute_url
    assert "Beispiel-Stiftung für Musterstadt" in html
    assert "Träger:in (1)" in html


def test_empty_query_shows_only_the_form(client, home_page):
    response = client.get("/suche/")
    assert response.status_code == 200
    assert b'<input class="kern-form-input__input" type="search"' in response.content
    assert b"Treffer" not in response.content


def test_highlight_escapes_html_and_marks_terms():
    snippet = highlight("<p>Mut & <b>Rückendeckung</b> in der Verwaltung</p>", "mut verwaltung")
    assert snippet == "<mark>Mut</mark> &amp; Rückendeckung in der <mark>Verwaltung</mark>"
    assert "<script>" not in highlight("<script>alert(1)</script> Mut", "Mut")


def test_inflected_forms_find_each_other(client, magazine, podcast, publications):
    ArticlePageFactory(
        parent=magazine,
        title="Wer bezahlt die Fortbildung",
        teaser="Ein Fortbildungsantrag braucht gute Gründe.",
    )
    EpisodePageFactory(
        parent=podcast,
        title="Gespräch unter Kolleginnen",
        transcript="<p>Wir haben viele Fortbildungen besucht.</p>",
    )
    RecommendationPageFactory(parent=publications, title="Leitfaden zur Haushaltsplanung")

    found = titles(client.get("/suche/", {"q": "Fortbildungen"}))
    assert sorted(found) == ["Gespräch unter Kolleginnen", "Wer bezahlt die Fortbildung"]
    # the title hit ranks first
    assert found[0] == "Wer bezahlt die Fortbildung"
    assert titles(client.get("/suche/", {"q": "fortbildung"})) == found

    html = client.get("/suche/", {"q": "Fortbildungen"}).content.decode()
    assert "Ein <mark>Fortbildungsantrag</mark> braucht gute Gründe." in html
    assert "viele <mark>Fortbildungen</mark> besucht" in html
    assert "Kolleginnen" not in titles(client.get("/suche/", {"q": "Haushalte"}))
    assert titles(client.get("/suche/", {"q": "Haushalte"})) == ["Leitfaden zur Haushaltsplanung"]


@pytest.mark.parametrize("query", ["Führung", "Fuehrung", "führungen", "FÜHRUNG", "Fuhrung"])
def test_umlauts_are_found_however_they_are_typed(client, magazine, query):
    ArticlePageFactory(parent=magazine, title="Gute Führung im Jugendamt")
    assert titles(client.get("/suche/", {"q": query})) == ["Gute Führung im Jugendamt"]


@pytest.mark.parametrize("query", ["Straße", "Strasse", "Straßen", "strassen"])
def test_sharp_s_and_ss_are_the_same(client, publications, query):
    PublicationPageFactory(
        parent=publications, title="Verwaltung an der Straße", teaser="Ämter an der Straße."
    )
    found = client.get("/suche/", {"q": query})
    assert titles(found) == ["Verwaltung an der Straße"]
    assert "Ämter an der <mark>Straße</mark>." in found.content.decode()


def test_every_word_must_match_and_stop_words_are_ignored(client, magazine):
    ArticlePageFactory(parent=magazine, title="Mut in der Verwaltung")
    ArticlePageFactory(parent=magazine, title="Mut zur Lücke")
    assert titles(client.get("/suche/", {"q": "Verwaltungen mut"})) == ["Mut in der Verwaltung"]
    assert titles(client.get("/suche/", {"q": "der die das"})) == []


def test_offers_are_found_by_their_inflected_words_and_filtered_by_type(client, magazine):
    from kommune360.atlas.models import Offer

    ArticlePageFactory(parent=magazine, title="Fortbildung im Jugendamt")
    OfferFactory(title="Fortbildungsreihe Agilität", summary="Für Jugendhilfeplaner:innen.")
    OfferFactory(title="Entwurf einer Fortbildung", status=Offer.Status.DRAFT)

    html = client.get("/suche/", {"q": "Fortbildungen"}).content.decode()
    assert "Fortbildungsreihe Agilität" in html and "Fortbildung im Jugendamt" in html
    assert "Entwurf einer Fortbildung" not in html
    assert "Angebot (1)" in html and "Magazin (1)" in html

    offers_only = client.get("/suche/", {"q": "Fortbildungen", "typ": "angebot"})
    assert titles(offers_only) == ["Fortbildungsreihe Agilität"]
    assert b"<mark>Jugendhilfeplaner</mark>" not in offers_only.content
    agil = client.get("/suche/", {"q": "agilitaet", "typ": "angebot"})
    assert titles(agil) == ["Fortbildungsreihe Agilität"]


def test_events_are_found_through_the_registry_with_german_stems(client, home_page):
    from kommune360.events.models import Event

    with registered(Event, "Veranstaltung", lambda: Event.objects.filter(is_published=True)):
        EventFactory(title="Netzwerktreffen der Jugendhilfeplanerinnen")
        EventFactory(title="Geheimes Treffen", is_published=False)
        response = client.get("/suche/", {"q": "Netzwerktreffens Jugendhilfeplanerin"})
        html = response.content.decode()
    assert titles(response) == ["Netzwerktreffen der Jugendhilfeplanerinnen"]
    assert "Veranstaltung (1)" in html and "Geheimes Treffen" not in html


def test_publishing_indexes_at_once_and_unpublishing_removes(client, magazine):
    article = ArticlePageFactory(parent=magazine, title="Beteiligung in Musterstadt")
    assert titles(client.get("/suche/", {"q": "Beteiligungen"})) == ["Beteiligung in Musterstadt"]

    # a draft is not searchable until it is published
    article.title = "Nachbarschaftshilfe in Musterstadt"
    article.save_revision()
    assert titles(client.get("/suche/", {"q": "Nachbarschaftshilfe"})) == []
    article.get_latest_revision().publish()
    assert titles(client.get("/suche/", {"q": "Nachbarschaftshilfe"})) == [
        "Nachbarschaftshilfe in Musterstadt"
    ]
    assert titles(client.get("/suche/", {"q": "Beteiligung"})) == []

    article.unpublish()
    assert titles(client.get("/suche/", {"q": "Nachbarschaftshilfe"})) == []
    assert not SearchTerm.objects.filter(object_id=article.pk).exists()
    article.get_latest_revision().publish()
    article.delete()
    assert not SearchTerm.objects.filter(object_id=article.pk).exists()


def test_the_command_rebuilds_the_index(client, magazine):
    ArticlePageFactory(parent=magazine, title="Verwaltungsrebellen erzählen")
    SearchTerm.objects.all().delete()
    assert titles(client.get("/suche/", {"q": "Verwaltungsrebell"})) == []
    call_command("index_site_search", stdout=io.StringIO())
    assert titles(client.get("/suche/", {"q": "Verwaltungsrebell"})) == [
        "Verwaltungsrebellen erzählen"
    ]


QUERIES = 16


def test_search_runs_a_constant_number_of_queries(
    client,
    magazine,
    podcast,
    publications,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    def add(start, stop):
        for number in range(start, stop):
            ArticlePageFactory(parent=magazine, title=f"Wandel in Musterstadt {number}")
            EpisodePageFactory(parent=podcast, title=f"Wandel hören {number}")
            RecommendationPageFactory(parent=publications, title=f"Wandel lesen {number}")
            OfferFactory(title=f"Wandel lernen {number}")
            EventFactory(title=f"Wandel erleben {number}")

    add(0, 3)
    client.get("/suche/", {"q": "Wandel"})
    # view restrictions, seven sources (four page groups, offers, events, awarded
    # solutions), the shown pages with their three types, the shown offers and events;
    # site, site settings and supporters (layout)
    with django_assert_num_queries(QUERIES):
        response = client.get("/suche/", {"q": "Wandel"})
    assert len(titles(response)) == 10
    add(3, 12)
    # at most the same: a page of hits may hold fewer types
    with django_assert_max_num_queries(QUERIES):
        response = client.get("/suche/", {"q": "Wandel", "seite": 2})
    assert len(titles(response)) == 10


def test_highlight_marks_inflected_forms_and_starts_at_a_word():
    text = "Vorweg ein langer Satz ohne Treffer. " * 10 + "Hier geht es um Fortbildungen."
    snippet = highlight(text, "Fortbildung")
    assert snippet.startswith("… ") and "<mark>Fortbildungen</mark>" in snippet
    first_word = snippet[2:].split()[0]
    assert first_word in text.split()


def test_a_search_is_rendered_once_per_generation_for_members_and_visitors(
    client, home_page, magazine, settings
):
    from kommune360.core.cache import invalidate_pages
    from kommune360.core.models import SiteSettings
    from kommune360.editorial.models import ArticlePage
    from tests.factories.accounts import UserFactory

    settings.SHARED_PARTS_SECONDS = 600
    SiteSettings.for_site(home_page.get_site())  # created on a running site's first view
    article = ArticlePageFactory(parent=magazine, title="Schildkröten im Jugendamt")
    client.force_login(UserFactory())
    assert titles(client.get("/suche/", {"q": "Schildkröten"})) == ["Schildkröten im Jugendamt"]

    ArticlePage.objects.filter(pk=article.pk).update(title="Schildkröten im Bauamt")  # no signal
    client.logout()  # a visitor gets what the member got, until the page cache is emptied
    assert titles(client.get("/suche/", {"q": "Schildkröten"})) == ["Schildkröten im Jugendamt"]
    invalidate_pages()
    assert titles(client.get("/suche/", {"q": "Schildkröten"})) == ["Schildkröten im Bauamt"]

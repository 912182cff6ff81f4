import pytest

from kommune360.core.registry import Searchable, registry
from kommune360.editorial.search import highlight
from tests.factories.editorial import (
    ArticlePageFactory,
    EpisodePageFactory,
    RecommendationPageFactory,
)

pytestmark = pytest.mark.django_db


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

    Municipality.objects.create(ags="09999001", name="Beispielhausen", kind="gemeinde", state="09")

    entry = Searchable(Municipality, "Kommune", lambda: Municipality.objects.all())
    registry.add(entry)
    Municipality.get_absolute_url = lambda self: f"/kommunen/{self.ags}/"
    try:
        html = client.get("/suche/", {"q": "Beispielhausen"}).content.decode()
    finally:
        registry._entries[Searchable].remove(entry)
        del Municipality.get_absolute_url
    assert 'href="/kommunen/09999001/"' in html
    assert "Kommune (1)" in html


def test_models_outside_the_search_index_are_matched_by_their_text(client, home_page):
    from kommune360.core.models import Supporter

    Supporter.objects.create(name="Beispiel-Stiftung für Musterstadt")
    entry = Searchable(Supporter, "Träger:in", lambda: Supporter.objects.all())
    registry.add(entry)
    Supporter.get_absolute_url = lambda self: f"/traeger/{self.pk}/"
    try:
        html = client.get("/suche/", {"q": "stiftung musterstadt"}).content.decode()
    finally:
        registry._entries[Searchable].remove(entry)
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

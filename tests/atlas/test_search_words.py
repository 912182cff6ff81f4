"""Search words as municipal staff type them: synonyms, the default order, and what to
try when nothing is found (run the file on both databases)."""

import pytest

from kommune360.atlas.filters import OfferQuery
from kommune360.core.models import SynonymGroup
from tests.factories.atlas import OfferFactory
from tests.factories.core import MethodFactory

pytestmark = pytest.mark.django_db

LIST = "/angebote/"


class Params(dict):
    def getlist(self, key):
        value = self.get(key)
        return value if isinstance(value, list) else ([value] if value else [])


def both_paths(q, **params):
    """Titles found by the list (snapshot) and by exports (database), which must agree."""
    query = OfferQuery(Params(q=q, **params))
    listed = [int(pk) for pk in query.evaluate()]
    exported = list(OfferQuery(Params(q=q, **params)).results())
    assert listed == [o.pk for o in exported]
    return [o.title for o in exported]


@pytest.fixture
def offers():
    return {
        "weiterbildung": OfferFactory(title="Weiterbildung für Jugendhilfeplaner:innen"),
        "scrum": OfferFactory(title="Scrum im Jugendamt", summary="Sprints für Teams"),
        "methoden": OfferFactory(title="Methoden der Planung", summary="Werkzeuge"),
        "festival": OfferFactory(title="Festival der Beteiligung", summary="Treffen vor Ort"),
    }


def test_a_word_finds_offers_that_use_another_word_of_its_group(offers):
    assert both_paths("Fortbildung") == ["Weiterbildung für Jugendhilfeplaner:innen"]
    assert both_paths("Fortbildungen") == ["Weiterbildung für Jugendhilfeplaner:innen"]
    assert both_paths("Partizipation") == ["Festival der Beteiligung"]


def test_a_term_of_several_words_matches_where_all_of_them_occur(offers):
    found = both_paths("agile Methoden")
    assert found == ["Scrum im Jugendamt"]  # "Methoden" alone is not "agile Methoden"


def _api_titles(client, q):
    answer = client.get("/api/v1/angebote/", {"q": q}).json()
    return [offer["titel"] for offer in answer["daten"]]


def test_editors_groups_take_effect_at_once_and_changes_reach_the_list(client, offers):
    assert both_paths("Zusammenkunft") == []
    assert _api_titles(client, "Zusammenkunft") == []  # the API's snapshot is read
    group = SynonymGroup.objects.create(name="Treffen", terms="Zusammenkunft\nFestival")
    assert both_paths("Zusammenkunft") == ["Festival der Beteiligung"]
    assert "Festival der Beteiligung" in client.get(LIST, {"q": "Zusammenkunft"}).content.decode()
    assert _api_titles(client, "Zusammenkunft") == ["Festival der Beteiligung"]

    group.delete()
    assert both_paths("Zusammenkunft") == []
    assert (
        "Festival der Beteiligung" not in client.get(LIST, {"q": "Zusammenkunft"}).content.decode()
    )
    assert _api_titles(client, "Zusammenkunft") == []


def test_the_site_search_uses_the_same_synonyms(client, offers, home_page):
    from tests.factories.editorial import ArticlePageFactory, MagazineIndexPageFactory

    magazine = MagazineIndexPageFactory(parent=home_page)
    ArticlePageFactory(parent=magazine, title="Qualifizierung im Jugendamt")

    html = client.get("/suche/", {"q": "Fortbildung"}).content.decode()

    assert "Qualifizierung im Jugendamt" in html
    assert "Weiterbildung für Jugendhilfeplaner:innen" in html


def test_a_search_sorts_by_relevance_even_when_the_form_was_sorted_by_newest(client, offers):
    page = client.get(LIST).content.decode()
    assert '<option value="" selected>Neueste zuerst</option>' in page

    # The form sends the select's value with the new word: "" means the default.
    response = client.get(LIST, {"q": "Fortbildung Beteiligung", "sortierung": ""})

    assert response.context["query"].sort == "relevanz"
    assert '<option value="" selected>Relevanz</option>' in response.content.decode()
    assert OfferQuery(Params(q="Planung", sortierung="")).sort == "relevanz"
    assert OfferQuery(Params(q="Planung", sortierung="titel")).sort == "titel"


def test_nothing_found_offers_close_words_and_the_search_without_filters(client, offers):
    agile = MethodFactory(name="Agile Methoden", slug="agil")
    offers["scrum"].methods.add(agile)

    typo = client.get(LIST, {"q": "Fortbildnug"}).content.decode()
    assert "Zu Ihrer Suche gibt es kein Angebot." in typo
    assert "Suche nach „Fortbildung“" in typo
    assert "Alle Angebote ansehen" in typo

    filtered = OfferQuery(Params(q="Festival", methode="agil"))
    labels = [label for label, _qs in filtered.alternatives()]
    assert "Ohne Filter: 1 Angebot" in labels
    assert ("Ohne Filter: 1 Angebot", "q=Festival") in filtered.alternatives()

    nothing = OfferQuery(Params(q="Mondlandung"))
    assert nothing.alternatives() == [("Alle Angebote ansehen", "")]
    assert OfferQuery(Params(q="Festival")).alternatives() == []

"""German search: the same results on SQLite and PostgreSQL (run the file on both)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kommune360.atlas import facet_index, search
from kommune360.atlas.filters import OfferQuery
from kommune360.atlas.models import Offer, OfferSearchText
from tests.factories.atlas import OfferFactory, ProviderFactory
from tests.factories.core import MethodFactory

pytestmark = pytest.mark.django_db


class Params(dict):
    def getlist(self, key):
        value = self.get(key)
        return value if isinstance(value, list) else ([value] if value else [])


def titles(q, **params):
    query = OfferQuery(Params(q=q, **params))
    return sorted(o.title for o in query.results())


@pytest.fixture
def offers():
    return {
        "fortbildung": OfferFactory(
            title="Fortbildung Jugendhilfeplanung", summary="Grundlagen der Planung"
        ),
        "fuehrung": OfferFactory(
            title="Führungskräfte im Wandel", summary="Führen in der Verwaltung"
        ),
        "strasse": OfferFactory(title="Straßenfest der Beteiligung", summary="Beteiligung vor Ort"),
        "rebellen": OfferFactory(
            title="Erfahrungsaustausch",
            summary="Blog über agile Verwaltung",
            provider=ProviderFactory(name="Verwaltungsrebellen Beispiel"),
        ),
        "draft": OfferFactory(title="Fortbildung als Entwurf", status=Offer.Status.DRAFT),
    }


def test_inflected_forms_find_each_other(offers):
    assert titles("Fortbildungen") == ["Fortbildung Jugendhilfeplanung"]
    assert titles("fortbildung") == ["Fortbildung Jugendhilfeplanung"]
    assert titles("Planungen") == ["Fortbildung Jugendhilfeplanung"]


def test_umlauts_and_sharp_s(offers):
    assert titles("Führungskraft") == ["Führungskräfte im Wandel"]
    assert titles("fuehrung") == ["Führungskräfte im Wandel"]
    assert titles("Fuhrung") == ["Führungskräfte im Wandel"]
    assert titles("Strasse") == ["Straßenfest der Beteiligung"]
    assert titles("STRASSENFEST") == ["Straßenfest der Beteiligung"]


def test_provider_name_finds_its_offers(offers):
    assert titles("Verwaltungsrebellen") == ["Erfahrungsaustausch"]
    assert titles("rebellen") == []  # words match from their start, not inside compounds


def ranked(q, **params):
    return [o.title for o in OfferQuery(Params(q=q, **params)).results()]


def test_several_words_find_offers_with_any_of_them_those_with_more_first(offers):
    assert ranked("Fortbildung Planung") == ["Fortbildung Jugendhilfeplanung"]
    # Neither offer has both words: the list shows both instead of nothing.
    assert titles("Fortbildung Straße") == [
        "Fortbildung Jugendhilfeplanung",
        "Straßenfest der Beteiligung",
    ]
    both = OfferFactory(title="Straßenfest mit Fortbildung")
    assert ranked("Fortbildung Straße")[0] == both.title
    assert OfferQuery(Params(q="Fortbildung Straße")).word_count_note() == (
        "1 von 3 Angeboten enthält alle Suchwörter."
    )
    assert titles("Führ") == ["Führungskräfte im Wandel"]


def test_only_published_offers_are_found(offers):
    assert "Fortbildung als Entwurf" not in titles("Fortbildung")


def test_stop_words_and_odd_input_do_not_break_the_search(offers):
    assert titles("für die") == sorted(
        o.title for o in Offer.objects.filter(status="veroeffentlicht")
    )
    assert titles("'; DROP TABLE atlas_offer; --") == []
    assert titles("%_\\") == sorted(o.title for o in Offer.objects.filter(status="veroeffentlicht"))
    assert titles("x" * 500) == []


def test_taxonomy_terms_are_searchable(offers):
    offer = OfferFactory(title="Sprint-Werkstatt", methods=[MethodFactory(name="Design Thinking")])
    search.index_offer(offer)
    assert titles("design thinking") == ["Sprint-Werkstatt"]


def test_renaming_a_provider_updates_the_index(offers):
    provider = offers["rebellen"].provider
    provider.name = "Umbenannte Initiative"
    provider.save()
    assert titles("Umbenannte") == ["Erfahrungsaustausch"]
    assert titles("Verwaltungsrebellen") == []


def test_title_matches_rank_first():
    OfferFactory(title="Netzwerktreffen", summary="Mit einem Workshop zu Agilität")
    OfferFactory(title="Agilität im Amt", summary="Workshop")
    assert [o.title for o in OfferQuery(Params(q="Agilität")).results()] == [
        "Agilität im Amt",
        "Netzwerktreffen",
    ]


def test_search_text_holds_each_stem_once_with_title_words_heavy():
    offer = OfferFactory(title="Fortbildung Fortbildungen", summary="Fortbildung Planung")
    text = OfferSearchText.objects.get(offer=offer)
    assert text.heavy.split().count("fortbild") == 1
    assert "fortbild" not in text.light.split() and "planung" in text.light.split()


def test_deleting_an_offer_removes_it_from_the_index(offers):
    offers["fortbildung"].delete()
    assert titles("Fortbildung") == []
    offer = OfferFactory(title="Neue Fortbildung")
    assert titles("Fortbildung") == ["Neue Fortbildung"]
    assert OfferSearchText.objects.filter(offer=offer).count() == 1


def test_relevance_counts_words_in_title_and_provider_name():
    provider = ProviderFactory(name="Werkstatt für Führung")
    OfferFactory(title="Agilität", summary="Führung", provider=provider)  # 2 heavy words
    OfferFactory(title="Führung und Agilität", summary="nichts")  # 2 heavy words
    OfferFactory(title="Treffen", summary="Agilität und Führung")  # 0 heavy words
    OfferFactory(title="Agilität im Team", summary="Führung")  # 1 heavy word
    ranked = OfferQuery(Params(q="Agilität Führung")).results()
    assert [o.relevance for o in ranked] == [2, 2, 1, 0]
    assert ranked[3].title == "Treffen"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Fortbildung"},
        {"q": "Verwaltung Führung"},
        {},
        {"sortierung": "titel"},
        {"sortierung": "geprueft", "bescheinigung": "1"},
        {"q": "Beteiligung", "sortierung": "neu"},
    ],
)
def test_list_snapshot_and_orm_path_agree(offers, params):
    """The list (facet snapshot) and exports (ORM) find and sort the same offers."""
    OfferFactory(title="Verwaltung führen", summary="Führung", certificate=True)
    OfferFactory(title="Agile Verwaltung", summary="Führung und Fortbildung")
    query = OfferQuery(Params(**params))
    snapshot_ids = [int(pk) for pk in query.evaluate()]
    orm_ids = [o.pk for o in OfferQuery(Params(**params)).results()]
    assert snapshot_ids == orm_ids
    assert query.total == len(orm_ids)
    counts = query.counts["kosten"]
    assert sum(counts.values()) == len(orm_ids)


WORDS = [
    "Fortbildung",
    "Fortbildungen",
    "fortb",
    "Führung",
    "Fuehrungskräfte",
    "fuhr",
    "Straße",
    "strasse",
    "Verwaltung",
    "Verwaltungsrebellen",
    "Planung",
    "agil",
    "Beteiligung",
    "Werkstatt",
    "xyz",
    "für",
]


# A stem found in at least this many offers is kept packed (``facet_index.dense_share``):
# every stem, the stems in two offers or more, none.
DENSE_SHARES = {"dicht": 1, "gemischt": 2, "verstreut": 10**9}


@pytest.fixture(params=list(DENSE_SHARES))
def corpus(offers, request, monkeypatch):
    monkeypatch.setattr(facet_index, "dense_share", lambda size: DENSE_SHARES[request.param])
    facet_index.reset()
    OfferFactory(title="Verwaltung führen", summary="Führung und Planung", certificate=True)
    OfferFactory(
        title="Agile Werkstatt",
        summary="Fortbildungsangebote zur Beteiligung",
        provider=ProviderFactory(name="Planungswerkstatt Beispiel"),
    )
    return offers


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    sort=st.sampled_from(["", "neu", "titel", "geprueft"]),
)
def test_the_lists_inverted_index_finds_what_the_database_finds(corpus, words, sort):
    """The list answers words from the snapshot's inverted index, exports and the site
    search from the database's full-text index: same offers, same order, same relevance."""
    params = Params(q=" ".join(words), sortierung=sort)
    query = OfferQuery(params)
    snapshot_ids = [int(pk) for pk in query.evaluate()]
    found = list(OfferQuery(params).results())
    assert snapshot_ids == [o.pk for o in found]
    if query.sort == "relevanz":
        assert list(query.matched) == [o.matched for o in found]
        assert list(query.relevance) == [o.relevance for o in found]


def search_text_rewrites(queries):
    table = OfferSearchText._meta.db_table
    return sum(1 for q in queries if q["sql"].startswith(f'INSERT INTO "{table}"'))


def test_a_service_indexes_an_offer_once_per_change(editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kommune360.atlas import services
    from tests.factories.core import FormatFactory, TargetGroupFactory, TopicFactory

    provider = ProviderFactory()
    data = {
        "title": "Werkstatt Sozialraum",
        "summary": "Zwei Tage Praxis",
        "format": FormatFactory(),
        "methods": [MethodFactory(name="Design Thinking")],
        "topics": [TopicFactory()],
        "target_groups": [TargetGroupFactory()],
        "cost": Offer.Cost.FREE,
    }
    with CaptureQueriesContext(connection) as created:
        offer = services.create_offer(editor, provider, data, status=Offer.Status.PUBLISHED)
    assert search_text_rewrites(created.captured_queries) == 1
    assert titles("design thinking") == ["Werkstatt Sozialraum"]

    changed = {**data, "title": "Werkstatt Quartier", "methods": [MethodFactory(name="Scrum")]}
    with CaptureQueriesContext(connection) as updated:
        services.update_offer(editor, offer, changed)
    assert search_text_rewrites(updated.captured_queries) == 1
    assert titles("scrum quartier") == ["Werkstatt Quartier"]
    assert titles("design thinking") == []


def test_the_english_names_of_terms_find_their_offers(offers):
    method = MethodFactory(name="Kollegiale Fallberatung", name_en="Peer case consultation")
    offer = OfferFactory(title="Beraten im Team", summary="Gemeinsam Fälle besprechen.")
    offer.methods.add(method)
    assert titles("consultation") == ["Beraten im Team"]
    # An editor who names the term later reaches the offers at once.
    method.name_en = "Collegial coaching"
    method.save()
    assert titles("coaching") == ["Beraten im Team"]
    assert titles("consultation") == []


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "Verwaltung"},
        {"q": "Fortbildung", "kosten": "kostenfrei"},
        {"durchfuehrung": ["online", "hybrid"], "bescheinigung": "1"},
    ],
)
def test_the_apis_facet_counts_are_the_pages_facet_groups(offers, params, language):
    """``facet_counts`` (the API) lays the values out once per snapshot and language;
    it gives what the page's ``facet_groups`` give."""
    from django.utils import translation

    MethodFactory(name="Planspiel", name_en="Simulation game")
    with translation.override(language):
        query = OfferQuery(Params(**params))
        page = {
            group.facet.param: [(o.value, str(o.label), o.count) for o in group.options]
            for group in OfferQuery(Params(**params)).facet_groups()
        }
        assert query.facet_counts() == page

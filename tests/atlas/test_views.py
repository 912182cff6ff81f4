import csv
import io
import json

import pytest
from openpyxl import load_workbook

from kommune360.atlas.models import Offer
from tests.factories.atlas import OfferFactory, ProviderFactory
from tests.factories.core import (
    FormatFactory,
    MethodFactory,
    MunicipalityFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db
LIST = "/angebote/"


@pytest.fixture
def landscape(home_page):
    agile = MethodFactory(name="Agilität", is_innovative=True)
    lead = MethodFactory(name="Führung")
    municipal = TargetGroupFactory(name="Jugendamtsleitung", is_municipal=True)
    carriers = TargetGroupFactory(name="Freie Träger", is_municipal=False)
    festival = FormatFactory(name="Konferenz/Festival")
    OfferFactory(
        title="Agile Werkstatt",
        methods=[agile],
        target_groups=[carriers],
        cost=Offer.Cost.AMOUNT,
        cost_amount=900,
        provider=ProviderFactory(name="Beispiel-Unternehmen", type="unternehmen"),
    )
    OfferFactory(
        title="Führen im Jugendamt",
        methods=[lead],
        target_groups=[municipal],
        certificate=True,
        delivery=Offer.Delivery.ON_SITE,
    )
    OfferFactory(title="Festival der Ideen", format=festival, methods=[agile])
    OfferFactory(title="Noch geheim", status=Offer.Status.DRAFT)
    return {"agile": agile, "lead": lead, "municipal": municipal}


def test_list_shows_published_offers_with_facet_counts(client, landscape):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 Angebote gefunden" in html
    assert "Noch geheim" not in html
    assert 'id="f-methode-agilitaet"' in html
    assert 'Agilität <span class="atlas-count">(2' in html
    assert 'name="bescheinigung"' in html


def test_facets_filter_and_the_url_holds_the_state(client, landscape):
    response = client.get(LIST, {"methode": "agilitaet", "kosten": "kostenfrei"})
    html = response.content.decode()
    assert "1 Angebot gefunden" in html
    assert "Festival der Ideen" in html and "Agile Werkstatt" not in html
    assert "methode=agilitaet&amp;kosten=kostenfrei" in html  # export links keep the state
    response = client.get(LIST, {"bescheinigung": "1"})
    assert "Führen im Jugendamt" in response.content.decode()
    assert "1 Angebot gefunden" in response.content.decode()
    response = client.get(LIST, {"anbieterart": "unternehmen", "q": "agil"})
    assert "1 Angebot gefunden" in response.content.decode()


def test_several_values_of_one_facet_widen_the_result(client, landscape):
    response = client.get(LIST + "?methode=agilitaet&methode=fuehrung")
    assert "3 Angebote gefunden" in response.content.decode()


def test_unknown_values_give_a_german_notice_not_an_error(client, landscape):
    response = client.get(
        LIST, {"methode": "gibts-nicht", "sortierung": "zufall", "seite": "abc", "q": "x" * 300}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Den Filterwert „gibts-nicht“ gibt es bei „Methode“ nicht" in html
    assert "Diese Sortierung gibt es nicht" in html
    assert "sehr lang" in html


def test_sorting_and_pagination(client, home_page):
    for n in range(25):
        OfferFactory(title=f"Angebot {n:02d}")
    response = client.get(LIST, {"sortierung": "titel"})
    page = response.context["page"]
    assert [o.title for o in page.object_list][:2] == ["Angebot 00", "Angebot 01"]
    assert 'href="?sortierung=titel&amp;seite=2"' in response.content.decode()
    response = client.get(LIST, {"sortierung": "titel", "seite": "2"})
    assert [o.title for o in response.context["page"].object_list] == [
        f"Angebot {n}" for n in range(20, 25)
    ]
    response = client.get(LIST, {"seite": "999"})
    assert response.context["page"].number == 2


def test_htmx_request_gets_the_results_with_the_announcement(client, landscape):
    response = client.get(LIST, {"q": "Festival"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="atlas-status"' in html and 'hx-swap-oob="true"' in html
    assert "1 Angebot gefunden" in html


def list_queries(client, django_assert_num_queries, params, expected):
    client.get(LIST, params)  # warm: site settings, navigation, the facet snapshot
    with django_assert_num_queries(expected):
        assert client.get(LIST, params).status_code == 200


# The atlas's own: the snapshot's token, the offers of the page (words, facets and order
# come from the snapshot). The rest is the site's layout.
NUM_LIST_QUERIES = 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, NUM_LIST_QUERIES),
        # Words cost no query: the snapshot's inverted index answers them.
        ({"q": "Fortbildung", "methode": "agilitaet"}, NUM_LIST_QUERIES),
        # Nothing found: no page of offers to read (the alternatives it suggests come
        # from the snapshot and the cached synonyms).
        (
            {"q": "Mondlandung Zahnarzt", "sortierung": "titel", "bescheinigung": "1"},
            NUM_LIST_QUERIES - 1,
        ),
        ({"q": "Fortbildnug", "methode": "agilitaet"}, NUM_LIST_QUERIES - 1),
    ],
)
def test_list_query_count_does_not_grow_with_offers(
    client, landscape, django_assert_num_queries, params, expected
):
    agile = landscape["agile"]
    OfferFactory(title="Fortbildung Start", methods=[agile], target_groups=[landscape["municipal"]])
    list_queries(client, django_assert_num_queries, params, expected)
    for n in range(30):
        OfferFactory(
            title=f"Fortbildung {n}",
            methods=[agile],
            target_groups=[landscape["municipal"]],
            # Cards name the municipality of a local offer: read with the page, not per card.
            region=Offer.Region.MUNICIPALITY,
            municipality=MunicipalityFactory(),
        )
    list_queries(client, django_assert_num_queries, params, expected)


def test_detail_page_has_every_fact_and_json_ld(client, landscape, django_assert_num_queries):
    offer = Offer.objects.get(title="Führen im Jugendamt")
    offer.learning_goals = "Teams durch Veränderung führen"
    offer.duration_hours = 16
    offer.accreditation = "Bildungsurlaub in Musterland"
    offer.save()
    client.get(offer.get_absolute_url())
    with django_assert_num_queries(NUM_DETAIL_QUERIES):
        response = client.get(offer.get_absolute_url())
    html = response.content.decode()
    assert "Für Ihren Fortbildungsantrag" in html
    for fact in (
        "Teams durch Veränderung führen",
        "16 Stunden",
        "Bildungsurlaub in Musterland",
        "Teilnahmebescheinigung",
        "Jugendamtsleitung",
        "Präsenz",
    ):
        assert fact in html
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["@type"] == "Course"
    assert data["name"] == "Führen im Jugendamt"
    assert data["educationalCredentialAwarded"] == "Teilnahmebescheinigung"


# 7 of the page and the layout, 2 of the contributions (Mitdenken) under the offer.
NUM_DETAIL_QUERIES = 9


def test_json_ld_types(client, landscape):
    festival = Offer.objects.get(title="Festival der Ideen")
    html = client.get(festival.get_absolute_url()).content.decode()
    assert '"@type": "EducationEvent"' in html


def test_drafts_are_not_public(client, landscape):
    draft = Offer.objects.get(title="Noch geheim")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/angebote/gibt-es-nicht/").status_code == 404


def test_exports_use_the_list_parameters(client, landscape):
    response = client.get("/angebote/export.csv", {"methode": "agilitaet"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert sorted(r["Titel"] for r in rows) == ["Agile Werkstatt", "Festival der Ideen"]
    assert rows[0]["Methoden"] == "Agilität"

    response = client.get("/angebote/export.xlsx", {"bescheinigung": "1"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Titel"
    assert [row[0] for row in values[1:]] == ["Führen im Jugendamt"]

    response = client.get("/angebote/export.json", {"q": "Werkstatt"})
    data = json.loads(response.content)
    assert [o["titel"] for o in data["angebote"]] == ["Agile Werkstatt"]
    assert data["filter"] == {"q": "Werkstatt"}
    assert client.get("/angebote/export.pdf").status_code == 404


def test_navigation_entry(client, home_page):
    response = client.get(LIST)
    assert '<a class="site-nav__link" href="/angebote/" aria-current="page">' in (
        response.content.decode()
    )

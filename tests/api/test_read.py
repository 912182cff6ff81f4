"""The read API: lists, search and facets, cursors, conditional requests, CORS, errors."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from kommune360.core import ratelimit
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.learning import CohortFactory, LearningPathFactory

pytestmark = pytest.mark.django_db


def test_offers_are_searched_in_german_with_facet_counts(client, offers):
    published, draft = offers
    response = client.get("/api/v1/angebote/", {"q": "Verwaltungen"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert [o["titel"] for o in data["daten"]] == ["Werkstatt Verwaltung agil"]
    assert data["anzahl"] == 1
    methods = {v["name"]: v["anzahl"] for v in data["facetten"]["methode"]}
    assert methods["Design Thinking"] == 1


def test_offer_facets_filter_like_the_atlas(client, offers):
    published, _ = offers
    slug = published[0].methods.get().slug
    data = client.get("/api/v1/angebote/", {"methode": slug}).json()
    assert sorted(o["titel"] for o in data["daten"]) == [
        "Planung mit Design Thinking",
        "Werkstatt Verwaltung agil",
    ]
    offer = data["daten"][0]
    assert offer["methoden"] == ["Design Thinking"]
    assert offer["url"].endswith(f"/angebote/{offer['slug']}/")


def test_an_unknown_facet_value_is_a_german_400(client, offers):
    response = client.get("/api/v1/angebote/", {"methode": "gibt-es-nicht"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "Die Anfrage enthält ungültige Werte."
    assert "gibt-es-nicht" in problem["errors"][0]["detail"]
    assert problem["type"].endswith("/api/#problem-ungueltige-anfrage")


def test_problem_titles_are_english_when_asked(client, offers):
    response = client.get(
        "/api/v1/angebote/", {"limit": "1000"}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8"
    )

    assert response.status_code == 400
    assert response.json()["title"] == "The request contains invalid values."
    assert response["Content-Language"] == "en"
    assert response.json()["errors"][0]["parameter"] == "limit"


def test_no_unpublished_object_ever_appears(client, offers, home_page):
    from tests.factories.editorial import ArticlePageFactory, MagazineIndexPageFactory

    _, draft = offers
    hidden_event = EventFactory(title="Internes Treffen", is_published=False)
    hidden_path = LearningPathFactory(title="Lernpfad in Arbeit", is_published=False)
    magazine = MagazineIndexPageFactory(parent=home_page)
    hidden_article = ArticlePageFactory(
        parent=magazine, title="Artikelentwurf", publish=False, live=False
    )

    texts = ""
    for name in ("angebote", "anbieterinnen", "veranstaltungen", "lernpfade", "artikel"):
        response = client.get(f"/api/v1/{name}/", {"limit": 100})
        assert response.status_code == 200, name
        texts += response.content.decode()
    for title in ("Geheimer Entwurf", "Internes Treffen", "Lernpfad in Arbeit", "Artikelentwurf"):
        assert title not in texts
    assert client.get(f"/api/v1/angebote/{draft.slug}/").status_code == 404
    assert client.get(f"/api/v1/veranstaltungen/{hidden_event.slug}/").status_code == 404
    assert client.get(f"/api/v1/lernpfade/{hidden_path.slug}/").status_code == 404
    assert client.get(f"/api/v1/artikel/{hidden_article.pk}/").status_code == 404


def test_cursor_pages_stay_stable_while_objects_come_and_go(client, offers):
    published, _ = offers
    first = client.get("/api/v1/angebote/", {"limit": 2}).json()
    assert [o["id"] for o in first["daten"]] == sorted(o.pk for o in published)[:2]
    assert first["cursor"] and first["naechste"].endswith("cursor=" + first["cursor"])

    # A new offer and a removed one do not shift the next page.
    from tests.factories.atlas import OfferFactory

    OfferFactory(title="Neu dazugekommen")
    published[0].status = "archiviert"
    published[0].save()

    second = client.get("/api/v1/angebote/", {"limit": 2, "cursor": first["cursor"]}).json()
    assert second["daten"][0]["id"] == sorted(o.pk for o in published)[2]
    assert "Neu dazugekommen" in [o["titel"] for o in second["daten"]]
    assert client.get(first["naechste"].split("testserver")[-1]).status_code == 200


def test_a_forged_cursor_is_a_400(client, offers):
    for cursor in ("%%%", "bm9wZQ", "djE6LTE"):
        response = client.get("/api/v1/angebote/", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert response.json()["errors"][0]["parameter"] == "cursor"


def test_unchanged_answers_are_304(client, offers):
    published, _ = offers
    url = f"/api/v1/angebote/{published[0].slug}/"
    response = client.get(url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('W/"')

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    published[0].title = "Neuer Titel"
    published[0].save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200

    listing = client.get("/api/v1/angebote/")
    assert client.get("/api/v1/angebote/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_last_modified_covers_everything_an_answer_shows(client, offers):
    """A detail's Last-Modified moves with the names it shows from other rows (here its
    provider's); a list has none, since its count and facets follow offers not on the
    page; an event's places left follow registrations, so it has none either."""
    from django.utils.http import http_date

    published, _ = offers
    url = f"/api/v1/angebote/{published[0].slug}/"
    modified = client.get(url)["Last-Modified"]
    later = http_date(time.time() + 2)  # a second later than anything so far
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    time.sleep(1.1)  # Last-Modified counts whole seconds
    provider = published[0].provider
    provider.name = "Umbenannte Anbieterin"
    provider.save()
    renamed = client.get(url, HTTP_IF_MODIFIED_SINCE=modified)
    assert renamed.status_code == 200
    assert renamed.json()["anbieterin"] == "Umbenannte Anbieterin"

    listing = client.get("/api/v1/angebote/")
    assert "Last-Modified" not in listing
    assert client.get("/api/v1/angebote/", HTTP_IF_MODIFIED_SINCE=later).status_code == 200
    event = EventFactory()
    detail = client.get(f"/api/v1/veranstaltungen/{event.slug}/")
    assert detail.status_code == 200 and "Last-Modified" not in detail


def test_any_site_may_read_with_cors(client, offers):
    response = client.get("/api/v1/angebote/", HTTP_ORIGIN="https://land.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]

    preflight = client.options(
        "/api/v1/angebote/",
        HTTP_ORIGIN="https://land.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_too_many_requests_get_429_with_retry_after(client, offers, monkeypatch):
    monkeypatch.setattr(ratelimit, "now", lambda: 1_000_000.0)
    from kommune360.api.middleware import READS

    for _ in range(READS.limit):
        assert client.get("/api/v1/anbieterinnen/").status_code == 200
    response = client.get("/api/v1/anbieterinnen/")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= READS.period + 1
    assert response["Access-Control-Allow-Origin"] == "*"
    # Another client is not affected.
    assert client.get("/api/v1/anbieterinnen/", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_events_say_dates_places_and_registration(client):
    event = EventFactory(capacity=2)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    EventFactory(
        title="Vorbei",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=2),
    )

    data = client.get("/api/v1/veranstaltungen/", {"zeit": "kommend"}).json()

    assert [e["titel"] for e in data["daten"]] == [event.title]
    item = data["daten"][0]
    assert item["plaetze"] == "full"
    assert item["anmeldung"] == "open"
    assert item["beginn"].startswith(str(event.starts_at.year))
    assert client.get("/api/v1/veranstaltungen/", {"art": "quatsch"}).status_code == 400


def test_learning_paths_carry_their_cohorts(client):
    cohort = CohortFactory(title="Herbst")
    data = client.get(f"/api/v1/lernpfade/{cohort.path.slug}/").json()
    assert data["kohorten"][0]["titel"] == "Herbst"
    assert data["kohorten"][0]["bewerbung_offen"] is True


def test_the_offer_list_costs_a_fixed_number_of_queries(
    client, offers, django_assert_max_num_queries
):
    from tests.factories.atlas import OfferFactory

    client.get("/api/v1/angebote/")  # the facet snapshot is built once per process
    for n in range(10):
        OfferFactory(title=f"Weiteres Angebot {n}")
    client.get("/api/v1/angebote/")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/angebote/", {"limit": 100}).status_code == 200


def test_openapi_description_and_reference_page(client, offers):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/angebote/" in schema["paths"]
    error = schema["paths"]["/api/v1/angebote/"]["get"]["responses"]["400"]
    assert "application/problem+json" in error["content"]

    page = client.get("/api/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/v1/angebote/" in html and "problem-zu-viele-anfragen" in html
    assert "<script>" not in html


@pytest.mark.parametrize("path", ["/api/v1/angebote/", "/api/v1/anbieterinnen/"])
def test_head_answers_like_get_without_a_body(client, offers, path):
    got = client.get(path)
    head = client.head(path)

    assert head.status_code == 200
    assert head.content == b""
    for name in ("ETag", "Last-Modified", "Content-Type", "Access-Control-Allow-Origin"):
        if got.has_header(name):
            assert head[name] == got[name], name
    assert head["ETag"]
    assert int(head["Content-Length"]) == len(got.content)
    assert client.head(path, HTTP_IF_NONE_MATCH=got["ETag"]).status_code == 304


def test_head_of_a_detail_and_of_a_missing_object(client, offers):
    published, _ = offers
    head = client.head(f"/api/v1/angebote/{published[0].slug}/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Last-Modified"]
    missing = client.head("/api/v1/angebote/gibt-es-nicht/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.content == b""

"""The searched lists' fast route (``api/fast.py``) answers exactly as django-ninja's."""

import pytest

from kommune360.api import fast

pytestmark = pytest.mark.django_db

HEADERS = ("Content-Type", "ETag", "Last-Modified", "Link", "Cache-Control", "Content-Language")


def _answer(response):
    return (
        response.status_code,
        response.content,
        {name: response.get(name) for name in HEADERS},
    )


def _slow_only(monkeypatch):
    def slow(query, rules):
        raise fast.Slow("every value")

    monkeypatch.setattr(fast, "read", slow)


QUERIES = [
    {},
    {"q": "Verwaltungen"},
    {"q": "Verwaltung", "methode": "design-thinking", "zielgruppe": "jugendamtsleitung"},
    {"methode": ["design-thinking", "gibt-es-nicht"]},
    {"limit": "1"},
    {"limit": "100", "bescheinigung": "true"},
    {"bescheinigung": "0", "durchfuehrung": "online"},
    {"q": ""},
    {"kosten": ["kostenfrei", "bis-100"], "unbekannt": "x"},
    # Values the fast route leaves to django-ninja: the same answer either way.
    {"limit": "0"},
    {"limit": "1000"},
    {"limit": " 5"},
    {"limit": "abc"},
    {"bescheinigung": "yes"},
    {"bescheinigung": "vielleicht"},
    {"q": "x" * 201},
    {"cursor": "x" * 41},
    {"cursor": "kein-cursor"},
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_fast_route_answers_like_django_ninja(client, offers, monkeypatch, query):
    language = {"HTTP_ACCEPT_LANGUAGE": "en"}
    fast_answer = _answer(client.get("/api/v1/angebote/", query, **language))
    _slow_only(monkeypatch)
    assert _answer(client.get("/api/v1/angebote/", query, **language)) == fast_answer


def test_the_next_page_and_head_through_the_fast_route(client, offers, monkeypatch):
    first = client.get("/api/v1/angebote/", {"limit": 2}).json()
    second = client.get("/api/v1/angebote/", {"limit": 2, "cursor": first["cursor"]})
    head = client.head("/api/v1/angebote/", {"limit": 2, "cursor": first["cursor"]})
    _slow_only(monkeypatch)
    slow = client.get("/api/v1/angebote/", {"limit": 2, "cursor": first["cursor"]})
    assert _answer(second) == _answer(slow)
    assert head.content == b""
    assert head["ETag"] == second["ETag"]


def test_other_methods_go_to_django_ninja(client, offers):
    write = client.post("/api/v1/angebote/")  # the providers' route: a key is needed
    assert write.status_code == 401
    assert write["WWW-Authenticate"] == "Bearer"
    assert client.put("/api/v1/angebote/").status_code == 405


def test_the_plain_values_are_read_by_the_models_rules():
    from django.http import QueryDict

    from kommune360.api import v1

    resource, model = v1.FAST[0]
    rules = fast._rules(model)
    params = fast.read(QueryDict("q=a&q=b&methode=x&methode=y&limit=7&bescheinigung=1"), rules)
    assert (params.q, params.methode, params.limit, params.bescheinigung) == (
        "b",
        ["x", "y"],
        7,
        True,
    )
    assert (params.cursor, params.thema) == (None, [])
    for bad in ("limit=0", "limit=101", "limit=-1", "limit=1e2", "bescheinigung=on"):
        with pytest.raises(fast.Slow):
            fast.read(QueryDict(bad), rules)

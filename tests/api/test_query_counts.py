"""Every list of the API costs the same number of queries however many objects it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kommune360.core.registry import registry
from kommune360.impact.models import FigureValue
from tests.factories.atlas import OfferFactory
from tests.factories.editorial import (
    ArticlePageFactory,
    EpisodePageFactory,
    MagazineIndexPageFactory,
    PodcastIndexPageFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
)
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.impact import FigureValueFactory
from tests.factories.learning import CohortFactory, ModuleFactory

pytestmark = pytest.mark.django_db


def _add_some(kind, parents, n):
    for _ in range(n):
        if kind in ("angebote", "anbieterinnen"):
            OfferFactory()
        elif kind == "veranstaltungen":
            RegistrationFactory(event=EventFactory())
        elif kind == "lernpfade":
            cohort = CohortFactory()
            ModuleFactory(path=cohort.path)
        elif kind == "artikel":
            ArticlePageFactory(parent=parents["magazin"])
        elif kind == "folgen":
            EpisodePageFactory(parent=parents["podcast"])
        elif kind == "publikationen":
            PublicationPageFactory(parent=parents["publikationen"])
        elif kind == "kennzahlen":
            keys = [figure.key for figure in registry.figures()]
            n = FigureValue.objects.count()
            FigureValueFactory(key=keys[n % len(keys)], year=2000 + n // len(keys))


def _count(client, url):
    client.get(url)  # caches of the process (snapshot, site root paths) are warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "kind",
    [
        "angebote",
        "anbieterinnen",
        "veranstaltungen",
        "lernpfade",
        "artikel",
        "folgen",
        "publikationen",
        "kennzahlen",
    ],
)
def test_list_queries_do_not_grow_with_the_page(client, home_page, kind):
    parents = {
        "magazin": MagazineIndexPageFactory(parent=home_page),
        "podcast": PodcastIndexPageFactory(parent=home_page),
        "publikationen": PublicationIndexPageFactory(parent=home_page),
    }
    url = f"/api/v1/{kind}/?limit=100"
    _add_some(kind, parents, 1)
    one = _count(client, url)
    _add_some(kind, parents, 4)
    assert _count(client, url) == one


def test_api_requests_read_no_layout_and_no_page_cache(client, home_page, settings, monkeypatch):
    """The API renders no page (``PagelessPath``): neither the page cache nor the
    layout's shared parts (site, settings) are read for it, while pages read both."""
    from kommune360.core import cache, shared_parts

    settings.SHARED_PARTS_SECONDS = 60
    settings.PAGE_CACHE_SECONDS = 60
    primed, looked_up = [], []
    monkeypatch.setattr(shared_parts, "prime_layout", lambda request: primed.append(request.path))
    key = cache._key

    def recorded_key(request):
        looked_up.append(request.path)
        return key(request)

    monkeypatch.setattr(cache, "_key", recorded_key)
    assert client.get("/api/v1/angebote/").status_code == 200
    # Served under a prefix (SCRIPT_NAME): the declared path is the site's own.
    assert client.get("/api/v1/angebote/", SCRIPT_NAME="/netzwerk").status_code == 200
    assert primed == looked_up == []
    client.get("/")
    assert primed == looked_up == ["/"]

"""Unique German slugs (``core.text``) and the models that take theirs from it."""

import ast
from pathlib import Path

import pytest

from kommune360.atlas.models import Offer, offer_slug_pool
from kommune360.core.text import SlugPool, unique_slug
from kommune360.events.models import Event
from tests.factories.atlas import OfferFactory
from tests.factories.events import EventFactory
from tests.factories.newsletter import CampaignFactory, TopicFactory

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "kommune360"


def test_umlauts_are_spelled_out_and_collisions_numbered():
    EventFactory(title="Größe", slug="groesse")
    EventFactory(title="Größe", slug="groesse-2")
    EventFactory(title="Größenordnung", slug="groessenordnung")

    assert unique_slug(Event, "Größe", fallback="x") == "groesse-3"
    assert unique_slug(Event, "Über Führung", fallback="x") == "ueber-fuehrung"
    assert unique_slug(Event, "!!!", fallback="veranstaltung") == "veranstaltung"
    # The row itself does not collide with its own slug.
    own = Event.objects.get(slug="groesse")
    assert unique_slug(Event, "Größe", fallback="x", exclude_pk=own.pk) == "groesse"
    # A queryset narrows what counts as taken.
    assert unique_slug(Event.objects.none(), "Größe", fallback="x") == "groesse"


def test_the_bulk_form_reads_once_and_reserves_what_it_gives(django_assert_num_queries):
    OfferFactory(title="Schön", slug="schoen")
    with django_assert_num_queries(1):
        pool = SlugPool(Offer, fallback="angebot")
        slugs = [pool.take("Schön"), pool.take("Schön"), pool.take("Straße")]
    assert slugs == ["schoen-2", "schoen-3", "strasse"]
    # The atlas' pool keeps the addresses of its own pages free.
    assert offer_slug_pool().take("Analyse") == "analyse-1"


@pytest.mark.parametrize(
    ("factory", "text_field", "expected"),
    [
        (EventFactory, "title", ["fuer-maedchen", "fuer-maedchen-2"]),
        (OfferFactory, "title", ["fuer-maedchen", "fuer-maedchen-2"]),
    ],
)
def test_models_get_german_unique_slugs(factory, text_field, expected):
    first = factory(**{text_field: "Für Mädchen", "slug": ""})
    second = factory(**{text_field: "Für Mädchen", "slug": ""})
    assert [first.slug, second.slug] == expected


def test_newsletter_topics_get_german_unique_slugs():
    first = TopicFactory(name="Für Mädchen")
    second = TopicFactory(name="Für-Mädchen")
    assert [first.slug, second.slug] == ["fuer-maedchen", "fuer-maedchen-2"]


def test_campaigns_get_german_unique_slugs():
    first = CampaignFactory(subject="Grüße", slug="")
    second = CampaignFactory(subject="Grüße", slug="")
    assert first.slug.endswith("-gruesse")
    assert second.slug == first.slug + "-2"


def test_no_app_counts_slug_collisions_itself():
    """Every ``while … slug …`` loop lives in ``core.text``."""
    loops = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "text.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.While) and "slug" in ast.unparse(node.test):
                loops.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert loops == []

"""The page cache follows every model apps declare as a ``PageDependency``, and every
model public pages show is declared (discovered from the registry and the models)."""

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse
from factory.django import DjangoModelFactory
from modelcluster.fields import ParentalManyToManyField
from wagtail.models import Page, PageViewRestriction, Site

import tests.factories
from kommune360.core.cache import GENERATION_KEY
from kommune360.core.models import SiteSettings
from kommune360.core.registry import registry
from tests.core.conftest import page_cache
from tests.factories.editorial import PublicationIndexPageFactory

DECLARED = [entry.model for entry in registry.page_dependencies()]


pytestmark = pytest.mark.usefixtures("page_cache_on")


def _factories():
    found = {}
    for module in pkgutil.iter_modules(tests.factories.__path__):
        namespace = vars(importlib.import_module(f"tests.factories.{module.name}"))
        for value in namespace.values():
            if isinstance(value, type) and issubclass(value, DjangoModelFactory):
                model = value._meta.model
                if isinstance(model, type) and value.__name__ == f"{model.__name__}Factory":
                    found.setdefault(model, value)
    return found


FACTORIES = _factories()


def make(model, home_page):
    if model is SiteSettings:
        return SiteSettings.for_site(home_page.get_site())
    if model is Site:
        return home_page.get_site()
    if model is PageViewRestriction:
        page = PublicationIndexPageFactory(parent=home_page)
        return PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert model in FACTORIES, f"tests/factories has no {model.__name__}Factory"
    return FACTORIES[model]()


def cached(client, url):
    """``url`` stored in the page cache (True), or not cacheable for visitors (False)."""
    response = client.get(url)
    return response.status_code == 200 and page_cache(client.get(url)) == "hit"


def shown_at(client, obj):
    """A public page that shows ``obj`` (its own if it has one), now in the cache."""
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "/"
    if not cached(client, url):
        url = "/"
        assert cached(client, url)
    return url


def assert_forgotten(client, url, generation):
    assert cache.get(GENERATION_KEY) != generation
    assert page_cache(client.get(url)) != "hit"


@pytest.fixture
def member_client(db):
    """A logged-in member: never served from the page cache, but from shared parts."""
    from django.test import Client

    from tests.factories.accounts import UserFactory

    member = Client()
    member.force_login(UserFactory())
    return member


@pytest.mark.parametrize("model", DECLARED, ids=lambda model: model._meta.label)
def test_any_change_to_a_declared_model_shows_at_once(client, member_client, home, model):
    obj = make(model, home)
    url = shown_at(client, obj)
    member_client.get(url)  # the page's shared parts are stored

    renamed = url != "/" and isinstance(getattr(obj, "title", None), str)
    if renamed:
        obj.title = "Soeben geändert"
    generation = cache.get(GENERATION_KEY)
    obj.save()
    assert_forgotten(client, url, generation)
    if renamed:
        assert "Soeben geändert" in client.get(url).content.decode()
        assert "Soeben geändert" in member_client.get(url).content.decode()

    for field in model._meta.many_to_many:
        if (
            isinstance(field, ParentalManyToManyField)
            or not field.remote_field.through._meta.auto_created
        ):
            continue  # saved with the object itself
        other = make(field.related_model, home)
        assert cached(client, url)
        generation = cache.get(GENERATION_KEY)
        getattr(obj, field.name).add(other)
        assert_forgotten(client, url, generation)

    if model is Site:
        return  # a server without a site serves nothing to compare
    assert cached(client, url)
    generation = cache.get(GENERATION_KEY)
    obj.delete()
    assert_forgotten(client, url, generation)


def _shown_on_public_pages():
    """Models in the search, open for contributions, newsletter teasers or listed in
    the sitemap, and models with a page of their own (``get_absolute_url``); Wagtail
    pages empty the cache when they are published or unpublished and need no entry."""
    found = {
        entry.model
        for entries in (
            registry.searchables(),
            registry.commentables(),
            registry.newsletter_items(),
        )
        for entry in entries
    }
    found |= {
        getattr(section.items(), "model", None)
        for section in registry.sitemap_sections()
        if section.items is not None
    } - {None}
    found |= {
        model
        for model in apps.get_models()
        if model.__module__.startswith("kommune360.") and hasattr(model, "get_absolute_url")
    }
    return sorted(
        (model for model in found if not issubclass(model, Page)), key=lambda m: m._meta.label
    )


def test_every_model_public_pages_show_is_declared(client, home):
    undeclared = [m for m in _shown_on_public_pages() if not issubclass(m, tuple(DECLARED))]
    for model in undeclared:
        # Only models whose own page is per person (never stored in the cache) may stay
        # out, e.g. a registration's page under its secret key.
        assert hasattr(model, "get_absolute_url"), f"{model._meta.label} is not declared"
        url = make(model, home).get_absolute_url()
        assert not cached(client, url), f"{model._meta.label} is on a cached page, not declared"
    assert DECLARED


def test_a_changed_learning_path_shows_at_once(client, home):
    path = FACTORIES[apps.get_model("learning", "LearningPath")](is_published=True)
    url = reverse("learning:detail", args=[path.slug])
    assert cached(client, url)
    path.title = "Beteiligung neu gedacht"
    path.save()
    response = client.get(url)
    assert page_cache(response) == "miss"
    assert "Beteiligung neu gedacht" in response.content.decode()


# Per dependency with ``shown``: the fields of a row that is on no public page.
NOT_SHOWN = {"participation.Contribution": {"status": "unconfirmed"}}
SELECTIVE = [entry for entry in registry.page_dependencies() if entry.shown is not None]


@pytest.mark.parametrize("entry", SELECTIVE, ids=lambda entry: entry.model._meta.label)
def test_rows_nobody_sees_leave_the_cache_alone_until_they_are_shown(client, home, entry):
    model, label = entry.model, entry.model._meta.label
    assert label in NOT_SHOWN, f"{label}: say which fields keep a row off public pages"
    hidden_fields = NOT_SHOWN[label]
    shown_values = {name: getattr(make(model, home), name) for name in hidden_fields}
    assert cached(client, "/")

    def unchanged(action):
        generation = cache.get(GENERATION_KEY)
        action()
        assert cache.get(GENERATION_KEY) == generation, label
        assert page_cache(client.get("/")) == "hit"

    def changed(action):
        generation = cache.get(GENERATION_KEY)
        action()
        assert_forgotten(client, "/", generation)
        assert cached(client, "/")

    rows = []
    unchanged(lambda: rows.append(FACTORIES[model](**hidden_fields)))  # sent by a visitor
    row = model.objects.get(pk=rows[0].pk)
    unchanged(row.save)
    unchanged(lambda: model.objects.get(pk=row.pk).delete())

    row = FACTORIES[model](**hidden_fields)
    row = model.objects.get(pk=row.pk)
    for name, value in shown_values.items():
        setattr(row, name, value)
    changed(row.save)  # published
    row = model.objects.get(pk=row.pk)
    for name, value in hidden_fields.items():
        setattr(row, name, value)
    changed(row.save)  # taken off the pages again
    shown_row = make(model, home)
    changed(lambda: model.objects.get(pk=shown_row.pk).delete())
    # Read without the fields that tell: taken as shown.
    hidden_row = FACTORIES[model](**hidden_fields)
    changed(lambda: model.objects.only("pk").get(pk=hidden_row.pk).delete())

import pytest
from django.core.cache import cache

from kommune360.accounts import roles
from kommune360.participation.targets import target_for
from tests.factories.participation import CallFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate limits of earlier tests
    yield
    cache.clear()


@pytest.fixture
def call(db):
    return CallFactory(title="Mitdenker:innen gesucht")


@pytest.fixture
def target(call):
    return target_for(call)


@pytest.fixture
def member(db):
    return UserFactory(email="mitglied@example.org", roles=[roles.MEMBER])


@pytest.fixture
def provider(db):
    return UserFactory(email="anbieterin@example.org", roles=[roles.PROVIDER])


@pytest.fixture
def moderator(db):
    return UserFactory(email="moderation@example.org", roles=[roles.MODERATOR])


@pytest.fixture
def other_moderator(db):
    return UserFactory(email="moderation2@example.org", roles=[roles.MODERATOR])


@pytest.fixture
def editor(db):
    return UserFactory(email="redaktion@example.org", roles=[roles.EDITOR])

import pytest
from django.core.cache import cache

from tests.factories.accounts import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # rate limits and the page cache start empty in each test
    yield


@pytest.fixture
def member(db):
    return UserFactory(roles=["Mitglied"])


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.atlas import ProviderFactory


@pytest.fixture
def provider_user(db):
    return UserFactory(roles=["Anbieter:in"])


@pytest.fixture
def provider(provider_user):
    return ProviderFactory(name="Beispiel-Akademie Musterstadt", maintainers=[provider_user])


@pytest.fixture
def editor(db):
    return UserFactory(roles=["Redaktion"])

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.atlas import OfferFactory, ProviderFactory
from tests.factories.core import MethodFactory, TargetGroupFactory


@pytest.fixture
def provider_user(db):
    return UserFactory(roles=["Anbieter:in"])


@pytest.fixture
def provider(provider_user):
    return ProviderFactory(name="Beispiel-Akademie Musterstadt", maintainers=[provider_user])


@pytest.fixture
def offers(db):
    """Three published offers and a draft; two with the method "Design Thinking"."""
    method = MethodFactory(name="Design Thinking")
    group = TargetGroupFactory(name="Jugendamtsleitung")
    published = [
        OfferFactory(title="Werkstatt Verwaltung agil", methods=[method], target_groups=[group]),
        OfferFactory(title="Planung mit Design Thinking", methods=[method]),
        OfferFactory(title="Führung in Jugendämtern", target_groups=[group]),
    ]
    draft = OfferFactory(title="Geheimer Entwurf Verwaltung", status="entwurf", published_at=None)
    return published, draft

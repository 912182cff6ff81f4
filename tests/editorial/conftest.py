import pytest

from tests.factories.editorial import (
    MagazineIndexPageFactory,
    PodcastIndexPageFactory,
    PublicationIndexPageFactory,
)


@pytest.fixture
def magazine(home_page):
    return MagazineIndexPageFactory(parent=home_page, intro="Geschichten aus Verwaltungen.")


@pytest.fixture
def podcast(home_page):
    return PodcastIndexPageFactory(parent=home_page)


@pytest.fixture
def publications(home_page):
    return PublicationIndexPageFactory(parent=home_page)

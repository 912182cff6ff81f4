import pytest

from kommune360.accounts.demo import load_accounts_demo
from kommune360.atlas.analysis import compute
from kommune360.atlas.demo import load_atlas_demo
from kommune360.atlas.models import Offer, Provider
from kommune360.core.demo import load_core_demo

pytestmark = pytest.mark.django_db


def test_demo_content_shows_the_finding_and_is_idempotent(home_page, client):
    load_core_demo()
    load_accounts_demo()
    load_atlas_demo()
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    assert published.count() >= 60
    for title in (
        "Creative Bureaucracy Festival",
        "Verwaltungsrebellen – Blog über agile Verwaltung",
        "Forum Agile Verwaltung",
        "Siegel „Bewährt vor Ort“",
        "Guideline „Generative KI in Kommunalverwaltungen“",
        "Lernpfad Change",
        "Lernpfad Führung",
        "Kommunen-Podcast",
        "Change-Guide (digitale Ausgabe)",
        "K360-Festival",
    ):
        assert published.filter(title=title).exists(), title
    made_up = Provider.objects.exclude(website="")
    assert all("beispiel" in p.name.lower() or "muster" in p.name.lower() for p in made_up), (
        "made-up providers must look made up"
    )

    analysis = compute()
    assert analysis.innovative_total >= 20
    assert analysis.innovative_municipal_share <= 25
    assert analysis.other_municipal_share >= 70
    assert analysis.gaps  # the matrix shows gaps
    assert len(analysis.quarters) >= 6

    # The search finds demo offers by inflected forms.
    response = client.get("/angebote/", {"q": "Lernpfade"})
    assert "Lernpfad Change" in response.content.decode()

    count = Offer.objects.count()
    load_atlas_demo()
    assert Offer.objects.count() == count

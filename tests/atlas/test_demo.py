import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from kommune360.accounts.demo import load_accounts_demo
from kommune360.atlas.analysis import compute
from kommune360.atlas.demo import load_atlas_demo
from kommune360.atlas.filters import OfferQuery
from kommune360.atlas.models import Offer, Provider
from kommune360.core.demo import load_core_demo

pytestmark = pytest.mark.django_db


def test_demo_content_shows_the_finding_and_is_idempotent(home_page, client):
    load_core_demo()
    load_accounts_demo()
    load_atlas_demo()
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    assert published.count() >= 70
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


def test_demo_offers_read_like_a_real_network(home_page):
    load_core_demo()
    load_accounts_demo()
    load_atlas_demo()
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    assert published.count() >= 70
    for offer in published:
        assert not re.search(r"\(\d+\)\s*$", offer.title), offer.title
        for text in (offer.summary, offer.description, offer.learning_goals):
            assert "Demo-Angebot" not in text, offer.title
            assert "erfunden" not in text.lower(), offer.title
    assert len(set(published.values_list("summary", flat=True))) == published.count()
    # The search hint on /angebote/ promises these; each finds demo offers.
    for query in ("Fortbildung", "Design Thinking", "Beispiel-Akademie Nord"):
        results = OfferQuery(QueryDict(urlencode({"q": query}))).results()
        assert len(results) >= 2, query


def test_the_site_says_once_that_the_content_is_a_demo(home_page, client):
    load_core_demo()
    client.get("/angebote/analyse/")  # creates the empty analysis text
    load_atlas_demo()
    load_atlas_demo()
    page = client.get("/angebote/analyse/").content.decode()
    assert page.count("Dies ist eine Demo") == 1
    assert "Angebote mit innovativen Methoden" in page

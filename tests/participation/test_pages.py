"""Contributions under the other apps' pages: the analysis (as a whole and each of its
sections), an offer, a magazine article and a publication. Each page shows the list and
the form, and runs the same number of queries with 5 or 500 contributions per list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kommune360.participation.models import Contribution, Kind
from kommune360.participation.targets import target_for
from tests.factories.participation import ContributionFactory

pytestmark = pytest.mark.django_db


def _analysis():
    from kommune360.atlas.analysis import SECTIONS
    from kommune360.atlas.models import AnalysisText

    text = AnalysisText.current()
    return text, "/angebote/analyse/", ["", *(key for key, _label in SECTIONS)]


def _offer():
    from tests.factories.atlas import OfferFactory

    offer = OfferFactory()
    return offer, offer.get_absolute_url(), [""]


def _article():
    from tests.factories.editorial import ArticlePageFactory, MagazineIndexPageFactory

    page = ArticlePageFactory(parent=MagazineIndexPageFactory())
    return page.specific, page.url, [""]


def _publication():
    from tests.factories.editorial import PublicationIndexPageFactory, PublicationPageFactory

    page = PublicationPageFactory(parent=PublicationIndexPageFactory())
    return page.specific, page.url, [""]


PAGES = {"analysis": _analysis, "offer": _offer, "article": _article, "publication": _publication}


def _add(obj, section, count, start):
    """``count`` published contributions under ``obj`` (one section), some answered."""
    batch = ContributionFactory.build_batch(
        count, target=obj, section=section, kind=Kind.OBJECTION, text="x"
    )
    for number, contribution in enumerate(batch, start=start):
        contribution.text = f"Widerspruch {section or 'gesamt'} Nummer {number}"
    created = Contribution.objects.bulk_create(batch)
    answers = ContributionFactory.build_batch(
        min(count, 10), target=obj, section=section, is_official=True, text="Antwort des Teams"
    )
    for answer, parent in zip(answers, created, strict=False):
        answer.parent_id = parent.pk
    Contribution.objects.bulk_create(answers)


def _get(client, url):
    client.get(url)  # warms the content-type cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_page_shows_contributions_with_constant_queries(
    client, settings, name, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    obj, url, sections = PAGES[name]()
    for section in sections:
        assert target_for(obj, section) is not None, section
        _add(obj, section, 5, 0)

    few, html = _get(client, url)
    for section in sections:
        target = target_for(obj, section)
        assert f'id="mitdenken-{section or "gesamt"}"' in html
        assert f"Widerspruch {section or 'gesamt'} Nummer 4" in html
        assert f'name="object_id" value="{target.object_id}"' in html
    assert html.count('class="participation__item') == 5 * len(sections)
    assert "Offizielle Antwort des Teams" in html

    for section in sections:
        _add(obj, section, 495, 5)
    client.get(url)
    with django_assert_num_queries(few):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('class="participation__item') == 20 * len(sections)
    assert "500 veröffentlichte Beiträge" in html


def test_analysis_sections_have_their_own_lists_and_forms(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    obj, url, sections = _analysis()
    ContributionFactory(target=obj, section="kosten", text="Nur zu den Kosten")
    ContributionFactory(target=obj, text="Zur ganzen Analyse")
    html = client.get(url).content.decode()
    kosten = html[html.index('id="mitdenken-kosten"') :]
    kosten = kosten[: kosten.index("</section>")]
    assert "Nur zu den Kosten" in kosten and "Zur ganzen Analyse" not in kosten
    assert "Mitdenken: Nach Kosten" in kosten
    assert 'name="section" value="kosten"' in kosten
    assert "<details" in kosten  # the form of a section opens from a summary line
    whole = html[html.index('id="mitdenken-gesamt"') :]
    assert "Zur ganzen Analyse" in whole and "Mitdenken zur ganzen Analyse" in whole
    assert html.count('action="/mitdenken/beitragen/"') == len(sections)

"""Browser tests of the Angebotsatlas: the list with search and facets without
JavaScript (plain GET) and with htmx (results in place, focus and live region kept),
the detail page, the analysis and the provider's form. axe checks each page."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from .browser import follow

pytestmark = pytest.mark.e2e


@pytest.fixture
def atlas_offers(e2e_db):
    from tests.factories.atlas import OfferFactory, ProviderFactory
    from tests.factories.core import FormatFactory, MethodFactory, TargetGroupFactory

    agile = MethodFactory(name="Agilität", is_innovative=True)
    municipal = TargetGroupFactory(name="Jugendamtsleitung", is_municipal=True)
    workshop = FormatFactory(name="Workshop/Seminar")
    provider = ProviderFactory(name="Beispiel-Akademie Nord", type="stiftung")
    offers = {
        "fortbildung": OfferFactory(
            title="Fortbildung agile Jugendhilfeplanung",
            summary="Planen in kurzen Schleifen",
            provider=provider,
            methods=[agile],
            target_groups=[municipal],
            format=workshop,
            certificate=True,
            learning_goals="Sie planen Vorhaben in kurzen Schleifen.",
            duration_hours=8,
        ),
        "netzwerk": OfferFactory(
            title="Netzwerk der Führungskräfte",
            summary="Austausch unter Leitungen",
            methods=[agile],
            certificate=False,
        ),
        "strasse": OfferFactory(title="Straßenfest der Beteiligung", summary="Vor Ort"),
    }
    return offers


def _status(page):
    return page.locator("#atlas-status").inner_text()


def test_list_search_and_facets_without_javascript(chromium, live_url, atlas_offers, page_log):
    context = chromium.new_context(base_url=live_url, locale="de-DE", java_script_enabled=False)
    context.on("response", page_log.on_response)
    page = context.new_page()
    try:
        page.goto("/angebote/")
        assert _status(page) == "3 Angebote gefunden"
        page.get_by_label("Suchbegriff").fill("Fortbildungen")
        page.get_by_role("button", name="Suchen").click()
        page.wait_for_url(re.compile(r"/angebote/\?q=Fortbildungen"))
        assert _status(page) == "1 Angebot gefunden"
        expect(
            page.get_by_role("link", name="Fortbildung agile Jugendhilfeplanung")
        ).to_be_visible()

        # A facet through the form's button (no script submits it on change).
        page.goto("/angebote/")
        page.get_by_label(re.compile(r"^mit Teilnahmebescheinigung")).check()
        page.get_by_role("button", name="Filter anwenden").click()
        page.wait_for_url(re.compile(r"bescheinigung=1"))
        assert _status(page) == "1 Angebot gefunden"
        # The URL holds the whole state: opening it again shows the same result.
        url = page.url
        page.goto(url)
        assert _status(page) == "1 Angebot gefunden"
        expect(page.get_by_label(re.compile(r"^mit Teilnahmebescheinigung"))).to_be_checked()
        follow(page, "Filter „mit Teilnahmebescheinigung“ entfernen")
        assert _status(page) == "3 Angebote gefunden"
    finally:
        context.close()
    assert not page_log.problems(), page_log.problems()


def test_list_updates_in_place_with_htmx_and_keeps_focus(page, axe_check, atlas_offers):
    page.goto("/angebote/", timeout=60_000)  # the first request builds the facet snapshot
    assert _status(page) == "3 Angebote gefunden"
    axe_check(page)
    status = page.locator("#atlas-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"

    # Typing searches after a pause; the page is not reloaded.
    page.evaluate("window.atlasMarker = 'same page'")
    search = page.get_by_label("Suchbegriff")
    search.click()
    search.press_sequentially("Führungskraft", delay=20)
    expect(page.locator("#atlas-status")).to_have_text("1 Angebot gefunden")
    assert page.evaluate("window.atlasMarker") == "same page"
    page.wait_for_url(re.compile(r"q=F%C3%BChrungskraft"))
    assert page.evaluate("document.activeElement.id") == "atlas-q"
    expect(page.get_by_role("link", name="Netzwerk der Führungskräfte")).to_be_visible()
    # The live region is replaced in place (out of band) and stays one element.
    assert page.locator("[role=status]#atlas-status").count() == 1
    axe_check(page)

    # A facet: clicking the checkbox updates the results; focus stays on it.
    search.fill("")
    expect(page.locator("#atlas-status")).to_have_text("3 Angebote gefunden")
    checkbox = page.get_by_label(re.compile(r"^Agilität"))
    checkbox.check()
    expect(page.locator("#atlas-status")).to_have_text("2 Angebote gefunden")
    assert page.evaluate("window.atlasMarker") == "same page"
    assert "methode=agilitaet" in page.url
    assert page.evaluate("document.activeElement.id") == "f-methode-agilitaet"
    expect(page.get_by_label(re.compile(r"^Agilität"))).to_be_checked()
    axe_check(page)

    # Back in the browser history restores the earlier state.
    page.go_back()
    expect(page.locator("#atlas-status")).to_have_text("3 Angebote gefunden")


def test_detail_page(page, axe_check, atlas_offers):
    offer = atlas_offers["fortbildung"]
    page.goto("/angebote/")
    page.get_by_role("link", name=offer.title).click()
    page.wait_for_url("**" + offer.get_absolute_url())
    expect(page.get_by_role("heading", name=offer.title, level=1)).to_be_visible()
    box = page.get_by_role("region", name="Für Ihren Fortbildungsantrag")
    expect(box.get_by_text("Teilnahmebescheinigung")).to_be_visible()
    expect(box.get_by_text("8 Stunden")).to_be_visible()
    expect(box.get_by_text("Sie planen Vorhaben in kurzen Schleifen.")).to_be_visible()
    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert data["@type"] in ("Course", "EducationEvent")
    assert data["provider" if data["@type"] == "Course" else "organizer"]["name"] == (
        "Beispiel-Akademie Nord"
    )
    axe_check(page)


def test_analysis_page(page, axe_check, atlas_offers):
    page.goto("/angebote/analyse/")
    expect(page.get_by_role("heading", name="Methoden und Zielgruppen", exact=True)).to_be_visible()
    matrix = page.locator("table.atlas-matrix")
    expect(matrix).to_be_visible()
    # Every chart is an image with its data table.
    assert (
        page.locator("section.atlas-figure img").count()
        == page.locator("section.atlas-figure table").count()
    )
    for img in page.locator("section.atlas-figure img").all():
        img.scroll_into_view_if_needed()
    for img in page.locator("section.atlas-figure img").all():
        expect(img).to_have_js_property("complete", True)
        assert img.evaluate("img => img.naturalWidth") > 0
    axe_check(page)
    matrix.get_by_role("link", name=re.compile(r"Agilität für Jugendamtsleitung")).click()
    page.wait_for_url(re.compile(r"methode=agilitaet&zielgruppe=jugendamtsleitung"))
    assert _status(page) == "1 Angebot gefunden"


def test_provider_submission_form(page, axe_check, login, make_user, atlas_offers):
    from tests.factories.atlas import ProviderFactory

    user = make_user(email="anbieterin@beispiel.example")
    user.groups.add(Group.objects.get(name="Anbieter:in"))
    ProviderFactory(name="Muster-Verein Süd", type="verein", maintainers=[user])
    login(page, "anbieterin@beispiel.example")
    page.goto("/angebote/verwalten/")
    axe_check(page)
    page.goto("/angebote/verwalten/neu/")
    expect(page.get_by_label(re.compile("^Titel"))).to_be_visible()
    axe_check(page)


def test_on_a_phone_results_come_first_and_filters_fold_away(
    chromium, live_url, atlas_offers, page_log, axe_check
):
    context = chromium.new_context(
        base_url=live_url, locale="de-DE", viewport={"width": 375, "height": 800}
    )
    context.on("response", page_log.on_response)
    page = context.new_page()
    try:
        page.goto("/angebote/", timeout=60_000)
        facets = page.locator("details.atlas-facets")
        expect(facets).not_to_have_attribute("open", "")
        # The first result follows the search box, not the filters (hidden until asked).
        expect(page.get_by_label(re.compile(r"^Agilität"))).to_be_hidden()
        first_card = page.locator(".atlas-card").first.bounding_box()
        assert first_card["y"] < 1200, first_card
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        axe_check(page)

        # Opening the filters and choosing one keeps them open through the htmx swap.
        page.get_by_text("Filter zeigen").click()
        page.get_by_label(re.compile(r"^Agilität")).check()
        expect(page.locator("#atlas-status")).to_have_text("2 Angebote gefunden")
        expect(facets).to_have_attribute("open", "")
        expect(page.get_by_text("Filter (1 gewählt)")).to_be_visible()

        # A wide window shows them beside the results, without the toggle.
        page.set_viewport_size({"width": 1280, "height": 800})
        expect(facets).to_have_attribute("open", "")
        expect(page.locator(".atlas-facets__toggle")).to_be_hidden()
        # The heading comes before the introduction.
        heading = page.get_by_role("heading", name="Angebotsatlas", level=1).bounding_box()
        intro = page.get_by_text(
            "Unterstützung für Menschen in Kommunalverwaltungen"
        ).bounding_box()
        assert heading["y"] < intro["y"]
    finally:
        context.close()
    assert not page_log.problems(), page_log.problems()


def test_a_wide_matrix_fits_a_desktop_window_and_a_phone_scrolls_it_in_its_box(
    chromium, live_url, e2e_db, page_log, axe_check
):
    from tests.factories.atlas import OfferFactory
    from tests.factories.core import MethodFactory, TargetGroupFactory

    names = [
        "Jugendamtsleitungen", "Jugendhilfeplaner:innen", "Sozialplaner:innen",
        "Verwaltungsleitungen", "Personalentwicklung", "Organisationsentwicklung",
        "Fachkräfte im Allgemeinen Sozialen Dienst", "Freie Träger der Jugendhilfe",
        "Politik und Ausschüsse", "Bürgermeister:innen", "Digitalisierungsbeauftragte",
        "Gleichstellungsbeauftragte",
    ]  # fmt: skip
    groups = [
        TargetGroupFactory(name=name, is_municipal=n % 2 == 0) for n, name in enumerate(names)
    ]
    for n, letter in enumerate("ABCDEFGHIJ"):
        OfferFactory(
            methods=[MethodFactory(name=f"Methode {letter}")], target_groups=groups[n : n + 3]
        )
    context = chromium.new_context(base_url=live_url, locale="de-DE")
    context.on("response", page_log.on_response)
    page = context.new_page()
    try:
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto("/angebote/analyse/", timeout=60_000)
            table = page.locator("table.atlas-matrix")
            box = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
            if width == 1280:
                assert box[0] <= box[1], box  # the whole matrix beside the text
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe_check(page)
    finally:
        context.close()
    assert not page_log.problems(), page_log.problems()


def test_a_member_becomes_a_provider(page, axe_check, login, make_user, e2e_db):
    """From „Mein Konto“ to the request (a refusal, then sent), the editors' decision in
    the admin, and back to „Mein Konto“, which now leads to the offers."""
    from kommune360.atlas.models import Provider

    make_user(email="mitglied@beispiel.example")
    editor = make_user(email="redaktion@beispiel.example")
    editor.groups.add(Group.objects.get(name="Redaktion"))

    login(page, "mitglied@beispiel.example")
    page.goto("/konto/")
    page.get_by_role("link", name="Anbieter:in werden").click()
    page.wait_for_url("**/angebote/anbieter-werden/")
    axe_check(page)
    page.get_by_label(re.compile("^Kurze Notiz")).fill("Ich leite die Fortbildung.")
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.get_by_text("Bitte wählen Sie eine Organisation aus").first).to_be_visible()
    axe_check(page)
    page.get_by_label(re.compile("^Name der neuen Organisation")).fill("Fortbildungswerk Süd")
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.get_by_text("Danke! Ihre Anfrage ist bei der Redaktion.")).to_be_visible()
    expect(page.get_by_role("cell", name="Fortbildungswerk Süd")).to_be_visible()
    axe_check(page)
    page.context.clear_cookies()

    login(page, "redaktion@beispiel.example")
    page.goto("/admin/angebotsatlas/anbieter-anfragen/")
    axe_check(page)
    follow(page, "Fortbildungswerk Süd")
    axe_check(page)
    page.get_by_label("Art der neuen Organisation").select_option("verein")
    page.get_by_role("button", name="Annehmen").click()
    page.wait_for_url("**/admin/angebotsatlas/anbieter-anfragen/")
    assert Provider.objects.filter(name="Fortbildungswerk Süd", type="verein").exists()
    page.context.clear_cookies()

    login(page, "mitglied@beispiel.example")
    page.goto("/konto/")
    page.get_by_role("link", name="Meine Angebote").click()
    page.wait_for_url("**/angebote/verwalten/")
    expect(page.get_by_text("Fortbildungswerk Süd")).to_be_visible()

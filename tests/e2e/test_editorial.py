"""Browser checks of Magazin, Podcast, Publikationen and search: axe on every page type,
and the editorial workflow from a draft to the home page."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.factories.editorial import (
    ArticlePageFactory,
    EpisodePageFactory,
    ImageFactory,
    MagazineIndexPageFactory,
    PodcastIndexPageFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
    RecommendationPageFactory,
    home,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def site_content(e2e_db):
    home_page = home()
    magazine = MagazineIndexPageFactory(parent=home_page, intro="Geschichten.")
    podcast = PodcastIndexPageFactory(parent=home_page)
    publications = PublicationIndexPageFactory(parent=home_page)
    image = ImageFactory(title="Titelbild")
    article = ArticlePageFactory.build(
        slug="artikel",
        image=image,
        image_alt="Zwei Kreise auf blauem Grund",
        body=[
            ("paragraph", "<p>Leitung und Planung in Musterstadt.</p>"),
            ("heading", {"text": "Spielräume"}),
            ("quote", {"text": "Gemeinsam geht es.", "person": None, "attribution": "Demo"}),
            ("image", {"image": image, "alt": "Ein Diagramm", "caption": "Grafik"}),
            ("fact_box", {"heading": "Auf einen Blick", "text": "<ul><li>Ziele</li></ul>"}),
            ("link", {"page": publications, "url": "", "title": "Publikationen", "text": ""}),
        ],
    )
    magazine.add_child(instance=article)
    article.save_revision().publish()
    for _ in range(11):
        ArticlePageFactory(parent=magazine)
    EpisodePageFactory(parent=podcast, slug="folge")
    PublicationPageFactory(parent=publications, slug="eigene")
    RecommendationPageFactory(parent=publications, slug="empfehlung")
    home_page.body = [
        ("latest_episode", {"heading": "Neu im Podcast"}),
        ("latest_articles", {"heading": "Aus dem Magazin", "count": 3}),
    ]
    home_page.save_revision().publish()
    return {"magazine": magazine, "image": image}


def test_every_editorial_page_type_passes_axe(page, axe_check, site_content):
    for url in [
        "/",
        "/magazin/",
        "/magazin/?seite=2",
        "/magazin/artikel/",
        "/podcast/",
        "/podcast/folge/",
        "/publikationen/",
        "/publikationen/eigene/",
        "/publikationen/empfehlung/",
        "/suche/",
        "/suche/?q=Musterstadt",
    ]:
        response = page.goto(url, wait_until="domcontentloaded", timeout=30_000)
        assert response.status == 200, url
        axe_check(page)


def _click_hidden(page, selector):
    """Workflow buttons sit in a dropdown; click them like the opened menu would."""
    # Saving a page with its revision and workflow state can take a while on a busy
    # machine: wait longer than the default 10 s for the redirect.
    with page.expect_navigation(timeout=60_000):
        page.locator(selector).first.evaluate("button => button.click()")


def _approve(page, article):
    page.goto(f"/admin/pages/{article.pk}/edit/")
    _click_hidden(page, '[data-edit-form] button[data-workflow-action-name="approve"]')
    assert not page.locator(".error-message").count(), page.locator(
        ".error-message"
    ).all_inner_texts()


def _logout(page):
    page.goto("/")  # leave the editor, so it sends nothing more
    page.context.clear_cookies()


def test_editor_writes_article_colleague_and_administration_approve_it_shows_on_home(
    page, login, make_user, site_content, settings
):
    # The editor's background requests (autosave, editing-session pings) would race
    # the form posts on the test's in-memory SQLite database; editors do not need them.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 10**9
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10**9
    writer = make_user("autorin@musterstadt.example", "Anna", "Autorin")
    reviewer = make_user("redakteur@musterstadt.example", "Rudi", "Redakteur")
    approver = make_user("freigabe@musterstadt.example", "Frieda", "Freigabe")
    writer.groups.add(Group.objects.get(name="Redaktion"))
    reviewer.groups.add(Group.objects.get(name="Redaktion"))
    approver.groups.add(Group.objects.get(name="Administration"))
    magazine = site_content["magazine"]

    # 1. The writer creates the article with a title image and submits it.
    login(page, writer.email)
    page.goto(f"/admin/pages/add/editorial/articlepage/{magazine.pk}/")
    page.locator("#id_title").fill("Neu aus der Redaktion")
    page.locator("#id_teaser").fill("Ein Artikel, der durch die Freigabe geht.")
    page.locator("[data-chooser-action-choose]").first.click()
    page.locator(".modal").get_by_role("link", name="Titelbild").first.click()
    page.locator(".modal.in").wait_for(state="detached")
    page.locator("#id_image_alt").fill("Zwei Kreise auf blauem Grund")
    body = page.locator('[data-contentpath="body"]').first
    body.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Zwischenüberschrift", exact=True).first.click()
    body.locator('input[name$="-value-text"]').first.fill("Spielräume")
    body.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="Text", exact=True).first.click()
    editor = body.locator("[contenteditable=true]").first
    editor.click()
    page.keyboard.type("Aus der Redaktion in Musterstadt.")
    page.wait_for_timeout(500)  # Draftail writes its value into the form after a pause
    _click_hidden(page, 'button[name="action-submit"]')
    assert "Neu aus der Redaktion" not in page.context.request.get("/").text()
    _logout(page)

    from kommune360.editorial.models import ArticlePage

    # The German page (the admin gave it an English alias at once, decision 0080).
    article = ArticlePage.objects.get(title="Neu aus der Redaktion", locale__language_code="de")
    assert article.image_id == site_content["image"].pk
    assert not article.live

    # 2. A colleague from the Redaktion approves the first step.
    login(page, reviewer.email)
    _approve(page, article)
    _logout(page)
    article.refresh_from_db()
    assert not article.live

    # 3. Administration approves ("Freigabe") and so publishes it.
    login(page, approver.email)
    _approve(page, article)
    article.refresh_from_db()
    assert article.live

    _logout(page)
    page.goto("/")
    expect(page.get_by_role("link", name="Neu aus der Redaktion")).to_be_visible()

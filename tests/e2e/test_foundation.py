"""Browser checks of the foundation: a newcomer's journey, axe on every public page,
no third-party requests, the skip link."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .browser import PASSWORD, axe_violations, confirmation_link, follow, format_violations

pytestmark = pytest.mark.e2e


def test_newcomer_registers_confirms_and_downloads_their_data(
    page, page_log, axe_check, mailoutbox
):
    page.goto("/")
    follow(page, "Registrieren")
    assert page.url.endswith(reverse("account_signup"))
    axe_check(page)

    page.get_by_label("Vorname").fill("Tamara")
    page.get_by_label("Nachname").fill("Beispiel-Lindner")
    page.get_by_label("E-Mail-Adresse").fill("tamara.lindner@musterstadt.example")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort (Wiederholung)").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**" + reverse("account_email_verification_sent"))
    axe_check(page)

    link = confirmation_link(mailoutbox, "tamara.lindner@musterstadt.example")
    assert urlsplit(link).netloc == urlsplit(page.url).netloc
    page.goto(link)
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**" + reverse("accounts:overview"))
    # logged in: the header offers the account instead of log-in and sign-up
    header = page.locator("header.site-header")
    assert header.get_by_role("link", name="Anmelden", exact=True).count() == 0
    assert header.get_by_role("link", name="Registrieren").count() == 0

    page.goto("/")
    header.get_by_role("link", name="Mein Konto").click()
    page.wait_for_url("**" + reverse("accounts:overview"))
    expect(page.get_by_text("tamara.lindner@musterstadt.example").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Meine Daten").click()
    page.wait_for_url("**" + reverse("accounts:personal_data"))
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Meine Daten herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    exported = json.dumps(data, ensure_ascii=False)
    assert data["account"] == "tamara.lindner@musterstadt.example"
    assert "Tamara" in exported
    assert "Beispiel-Lindner" in exported

    # the other pages of the account area pass axe as well
    for name in ("account_email", "account_change_password", "mfa_index", "accounts:delete"):
        page.goto(reverse(name))
        axe_check(page)
    assert page_log.foreign_requests == []
    assert page_log.csp_violations == []


def _same_origin_paths(page, live_url, selector):
    """Paths (with query) of the links matching ``selector`` that stay on the site."""
    paths = []
    for href in page.eval_on_selector_all(selector, "links => links.map((a) => a.href)"):
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != live_url:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in paths:
            paths.append(path)
    return paths


def _public_pages(page, live_url):
    """Same-origin pages linked from the home page's header and footer, and the
    account entrance pages and the English home page."""
    page.goto("/")
    urls = _same_origin_paths(page, live_url, ".site-header a[href], .site-footer a[href]")
    for path in (
        "/",
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_request_login_code"),
        "/en/",
    ):
        if path not in urls:
            urls.append(path)
    return urls


def _first_detail_page(page, live_url, area, known):
    """The first page inside a navigation area (e.g. an offer below /angebote/) that its
    landing page links to, so that detail pages are checked as well."""
    for path in _same_origin_paths(page, live_url, "main a[href]"):
        last = path.rstrip("/").rsplit("/", 1)[-1]
        inside = path.startswith(area) and path != area
        if inside and "?" not in path and "." not in last and path not in known:
            return path
    return None


def test_axe_check_reports_violations_readably(page, axe_check):
    page.set_content('<html><body><main><button></button><img src="data:,"></main></body></html>')
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    message = str(failure.value)
    assert "button-name (critical)" in message
    assert "image-alt" in message
    assert "html-has-lang" in message
    assert "    button" in message  # the selector of the offending element


def test_page_log_catches_csp_violations_script_errors_and_other_hosts(page, page_log):
    page.goto(reverse("account_login"))
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
            const style = document.createElement("style");
            style.textContent = "body { color: red }";
            document.head.append(style);
            const img = document.createElement("img");
            img.src = "http://elsewhere.invalid/pixel.gif";
            img.alt = "";
            document.body.append(img);
            setTimeout(() => { throw new Error("kaputt"); });
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.inlineRan") is None  # the CSP blocked it
    assert any("script-src" in text for text in page_log.csp_violations)
    assert any("style-src" in text for text in page_log.csp_violations)
    assert page_log.foreign_requests == ["http://elsewhere.invalid/pixel.gif"]
    assert any("kaputt" in text for text in page_log.script_errors)
    page_log.csp_violations.clear()
    page_log.foreign_requests.clear()
    page_log.script_errors.clear()


@pytest.mark.usefixtures("demo")
def test_public_pages_pass_axe_and_load_nothing_from_other_hosts(page, page_log, live_url):
    urls = _public_pages(page, live_url)
    # header: home, login, sign-up, English; footer: the three legal pages
    assert len(urls) >= 9, urls
    page.goto("/")
    areas = _same_origin_paths(page, live_url, ".site-nav a[href]")
    queue = [*urls, "/diese-seite-gibt-es-nicht/"]
    report = []
    while queue:
        url = queue.pop(0)
        response = page.goto(url)
        expected = 404 if url.startswith("/diese-seite") else 200
        assert response.status == expected, f"{url}: HTTP {response.status}"
        language = "en" if url.startswith("/en/") else "de"
        assert page.locator("html").get_attribute("lang") == language, url
        if violations := axe_violations(page):
            report.append(format_violations(url, violations))
        detail = url in areas and _first_detail_page(page, live_url, url, [*urls, *queue])
        if detail:
            urls.append(detail)
            queue.insert(len(queue) - 1, detail)  # before the 404 page
    print("checked:", *urls, sep="\n  ")
    assert not report, "\n\n".join(report)
    # the last page was the 404 page: German, in the site's layout
    expect(page.get_by_role("heading", level=1)).to_have_text("Diese Seite gibt es nicht")
    assert page.locator("header.site-header").count() == 1
    assert page_log.foreign_requests == []
    assert page_log.csp_violations == []
    assert page_log.script_errors == []
    # the listener saw every page with its stylesheets and scripts
    assert page_log.requests_seen >= 5 * len(urls)


def test_skip_link_moves_focus_to_main_content(page):
    page.goto(reverse("account_login"))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Zum Inhalt springen")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is not visible"
    # a small box over the header, not a bar that pushes the header down
    assert skip.evaluate("(link) => getComputedStyle(link).position") == "absolute"
    assert box["width"] < 400
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # the next Tab goes to the first control of the main content, not back to the header
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")
    assert page.evaluate("() => document.activeElement !== document.getElementById('main')"), (
        focused
    )

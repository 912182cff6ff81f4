"""Layout of every public list page on a wide screen and on the narrowest phone: a list
of cards lines up with its heading (no indent of the list), and nothing is wider than
the window. The pages come from the registry (main navigation, sitemap sections), the
content from the demo; every page of the sitemap, German and English, fits the phone."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from kommune360.core.registry import registry

pytestmark = pytest.mark.e2e

WIDTHS = (1280, 320)

# The first card of the main content's lists, the heading its list belongs to (the last
# H1 or H2 before the list, outside any card) and the H1.
MEASURE = """() => {
    const left = (el) => Math.round(el.getBoundingClientRect().left);
    const h1 = document.querySelector("main h1");
    const card = document.querySelector("main :is(ul, ol) > li.kern-card");
    if (!card) return {h1: h1 && left(h1), card: null};
    const list = card.parentElement;
    const headings = [...document.querySelectorAll("main :is(h1, h2)")].filter(
        (h) => !h.closest(".kern-card")
            && (h.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING));
    const heading = headings[headings.length - 1];
    return {
        h1: h1 && left(h1),
        card: left(card),
        list: left(list),
        heading: heading && left(heading),
        headingText: heading && heading.textContent.trim(),
        link: (card.querySelector("a[href]") || {}).href || null,
    };
}"""

# Boxes wider than the window, or else the innermost elements whose text runs out of
# their box (a long German compound in a heading widens the page but not the heading).
OVERFLOW = """() => {
    const doc = document.documentElement;
    const name = (el) => `${el.tagName.toLowerCase()}.${el.className}`;
    const skipped = (el) => el.closest(
        ".kern-table-responsive, .visually-hidden, .kern-sr-only, .skip-link, .honeypot");
    const all = [...document.querySelectorAll("body *")].filter((el) => !skipped(el));
    let wide = all.filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width && box.right > doc.clientWidth + 1;
    });
    if (!wide.length) {
        wide = all.filter((el) => el.clientWidth && el.scrollWidth > el.clientWidth + 1
            && getComputedStyle(el).overflowX === "visible").reverse();
    }
    return {scroll: doc.scrollWidth, client: doc.clientWidth,
            wide: wide.slice(0, 5).map(name)};
}"""


def list_pages():
    """Paths of the main navigation and of the sitemap sections' list pages."""
    names = [entry.url_name for entry in registry.navigation()]
    for section in registry.sitemap_sections():
        names += section.url_names
    return list(dict.fromkeys(reverse(name) for name in names))


def _check_overflow(page, path, width, problems):
    found = page.evaluate(OVERFLOW)
    if found["scroll"] > found["client"]:
        problems.append(f"{path} at {width} px: {found['scroll']} px wide {found['wide']}")


@pytest.mark.usefixtures("demo")
def test_card_lists_line_up_with_their_heading_and_no_page_is_too_wide(page):
    paths = list_pages()
    assert {"/lernpfade/", "/newsletter/archiv/", "/mitdenken/", "/angebote/"} <= set(paths)
    problems, with_cards, details = [], set(), {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            found = page.evaluate(MEASURE)
            if found["card"] is not None:
                with_cards.add(path)
                if found["link"]:
                    details.setdefault(path, found["link"])
                if not found["card"] == found["list"] == found["heading"]:
                    problems.append(
                        f"{path} at {width} px: first card at {found['card']} px, its list at "
                        f"{found['list']} px, the heading „{found['headingText']}“ at "
                        f"{found['heading']} px"
                    )
                if width == min(WIDTHS) and found["card"] != found["h1"]:
                    problems.append(f"{path} at {width} px: card {found['card']}, H1 {found['h1']}")
            if width == min(WIDTHS):
                _check_overflow(page, path, width, problems)
    # The detail page behind each list's first card fits the phone as well.
    for path, link in details.items():
        page.goto(link)
        _check_overflow(page, f"{link} (from {path})", min(WIDTHS), problems)
    assert {"/lernpfade/", "/newsletter/archiv/", "/mitdenken/", "/angebote/"} <= with_cards
    assert not problems, "\n".join(problems)


def test_the_check_sees_an_indented_list_and_a_wide_block(page):
    page.set_viewport_size({"width": 320, "height": 600})
    page.goto(reverse("account_login"))
    page.evaluate(
        """() => {
            const main = document.querySelector("main .kern-container");
            main.insertAdjacentHTML("beforeend",
                '<h2>Liste</h2><ul><li class="kern-card">Karte</li></ul><div>breit</div>');
            main.lastElementChild.style.width = "500px";
        }"""
    )
    found = page.evaluate(MEASURE)
    assert found["heading"] == found["h1"] and found["card"] > found["heading"]
    problems = []
    _check_overflow(page, "login", 320, problems)
    assert problems and "div." in problems[0]


def test_a_single_checkbox_keeps_its_hint_and_error_under_its_label(page):
    """KERN's check is a grid of the box and the label: the hint and the error of any
    single checkbox of the site's forms (``core/forms/field.html``) must stand in the
    label's column or across both, never in the box's 32 px (a hint there was one word a
    line, on every width)."""
    from django import forms as django_forms

    from kommune360.core.forms import Form

    class CheckForm(Form):
        remember = django_forms.BooleanField(
            label="Für meinen nächsten Antrag merken",
            help_text="Ihr Name, Ihre Stelle und Ihre Dienststelle bleiben in Ihrem Konto "
            "gespeichert. Ohne Häkchen löschen wir gemerkte Angaben.",
        )

    form = CheckForm(data={})
    form.is_valid()
    html = str(form)
    page.goto(reverse("account_login"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        boxes = page.evaluate(
            """(html) => {
                const main = document.querySelector("main .kern-container");
                main.insertAdjacentHTML("beforeend", `<div id="probe">${html}</div>`);
                const box = (sel) => {
                    const r = document.querySelector(`#probe ${sel}`).getBoundingClientRect();
                    return {left: Math.round(r.left), width: Math.round(r.width)};
                };
                const found = {label: box(".kern-label"), hint: box(".kern-hint"),
                               error: box(".kern-error")};
                document.getElementById("probe").remove();
                return found;
            }""",
            html,
        )
        assert boxes["hint"]["left"] >= boxes["label"]["left"], (width, boxes)
        assert boxes["hint"]["width"] >= boxes["label"]["width"] * 0.9, (width, boxes)
        assert boxes["error"]["width"] >= boxes["label"]["width"], (width, boxes)


def sitemap_paths(page):
    """Every page of /sitemap.xml with its English alternates, as paths."""
    root = ET.fromstring(page.request.get(reverse("sitemap")).body())
    links = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    links += [alt.get("href") for alt in root.iter("{http://www.w3.org/1999/xhtml}link")]
    return list(dict.fromkeys(urlsplit(link).path for link in links))


@pytest.mark.usefixtures("demo")
def test_every_page_of_the_sitemap_fits_the_narrowest_phone(page):
    """Titles and link texts come from content: a long compound („Nachwuchsführungskräfte“)
    or a publisher's name inside an English link text must wrap, on every detail page."""
    page.set_viewport_size({"width": min(WIDTHS), "height": 900})
    paths = sitemap_paths(page)
    assert len(paths) > 100 and "/en/" in paths, paths[:10]
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        _check_overflow(page, path, min(WIDTHS), problems)
    assert not problems, "\n".join(problems)

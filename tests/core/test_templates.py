"""Rules that hold in every app: templates, and the size of modules."""

import re
from pathlib import Path

import kommune360

SOURCES = Path(kommune360.__file__).parent
HGROUP = re.compile(r'<div class="kern-hgroup">(.*?)</div>', re.S)
CHILD = re.compile(r"<(\w+)\b[^>]*class=\"([^\"]*)\"")
# KERN orders these children of a heading group (preline above, subline below); any
# other child, such as an introduction paragraph, would be shown above the heading.
ORDERED = ("kern-preline", "kern-heading-", "kern-title", "kern-label", "kern-subline")


def test_heading_groups_hold_only_what_kern_puts_in_order():
    offenders = []
    for path in SOURCES.rglob("*.html"):
        for group in HGROUP.findall(path.read_text()):
            for _tag, classes in CHILD.findall(group):
                if not any(name.startswith(ORDERED) for name in classes.split()):
                    offenders.append(f"{path.relative_to(SOURCES)}: {classes}")
    assert offenders == []


def test_tables_that_scroll_in_their_box_can_be_reached_by_keyboard():
    # axe: "scrollable-region-focusable"; a named region tells screen readers what it is.
    offenders = []
    for path in SOURCES.rglob("*.html"):
        for tag in re.findall(r"<div[^>]*kern-table-responsive[^>]*>", path.read_text()):
            if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label" not in tag:
                offenders.append(f"{path.relative_to(SOURCES)}: {tag}")
    assert offenders == []


def test_no_module_is_over_600_lines():
    # Past that a module becomes a package split by concern (STYLE.md); migrations are
    # generated and stay as they are.
    long = {
        str(path.relative_to(SOURCES)): lines
        for path in SOURCES.rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > 600
    }
    assert long == {}


def test_every_page_title_has_the_same_size():
    # A visitor going from the Lernpfade to the Angebotsatlas saw the title shrink.
    sizes = {}
    for path in SOURCES.rglob("*.html"):
        for classes in re.findall(r'<h1 class="([^"]*)"', path.read_text()):
            sizes.setdefault(classes, []).append(str(path.relative_to(SOURCES)))
    assert list(sizes) == ["kern-heading-x-large"], sizes


CARD_LIST = re.compile(r"<(ul|ol)\b([^>]*)>\s*(?:\{%[^%]*%\}\s*)*<li[^>]*kern-card")


def test_lists_of_cards_use_the_card_list_classes():
    # The browser indents a list; core's .card-list and .card-grid take the indent
    # away so the cards line up with their heading (tests/e2e/test_layout.py measures).
    lists, offenders = 0, []
    for path in SOURCES.rglob("*.html"):
        for match in CARD_LIST.finditer(path.read_text()):
            lists += 1
            if not re.search(r'class="[^"]*\bcard-(list|grid)\b', match.group(2)):
                offenders.append(f"{path.relative_to(SOURCES)}: {match.group(0)[:80]}")
    assert lists >= 6
    assert offenders == []

"""Template rules that hold on every page of every app."""

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

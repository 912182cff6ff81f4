"""The browser tests wait for what they expect: ``assert locator.is_visible()`` answers at
once, before a click's page load has finished, so on a loaded machine it fails although
the page is right. ``expect(locator).to_be_visible()`` waits up to its timeout."""

import re
from pathlib import Path

IMMEDIATE = re.compile(
    r"assert\s+[^\n]*\.(is_visible|is_checked|is_enabled|inner_text|text_content)\(\)"
)


def test_no_browser_test_asserts_on_an_immediate_answer():
    found = []
    for path in sorted((Path(__file__).parent / "e2e").glob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if IMMEDIATE.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []

"""German that reads right everywhere: counted nouns agree with their number."""

import re
from pathlib import Path

import kommune360

SOURCES = Path(kommune360.__file__).parent

# A message with a count in it goes through ngettext (or {% blocktranslate count %}):
# "1 Beiträge bearbeitet" is what gettext alone gives for one ("%(count)s-mal" reads
# right for any number).
COUNT_IN_GETTEXT = re.compile(
    r"(?<![n\w])(?:_|gettext|gettext_lazy|pgettext)\(\s*\"[^\"]*%\(count\)s(?!-mal)", re.S
)
COUNT_IN_BLOCKTRANSLATE = re.compile(r"\{%\s*blocktranslate\s+with\b[^%]*\bcount=")


def test_counted_messages_use_the_plural_forms():
    offenders = []
    for path in SOURCES.rglob("*.py"):
        if "migrations" not in path.parts:
            offenders += [
                f"{path}: {m.group(0)}" for m in COUNT_IN_GETTEXT.finditer(path.read_text())
            ]
    for path in [*SOURCES.rglob("*.html"), *SOURCES.rglob("*.txt")]:
        offenders += [
            f"{path}: {m.group(0)}" for m in COUNT_IN_BLOCKTRANSLATE.finditer(path.read_text())
        ]
    assert offenders == []

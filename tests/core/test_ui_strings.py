"""Every text a template writes itself goes through gettext, so English pages show no
German fixed text (the English catalog translates what gettext marks; decision 0080).

The scan joins each template's text outside ``{% blocktranslate %}`` and comments,
stands ``§`` for every variable and tag, removes the HTML tags and reads what is left
and the attributes people read (``aria-label``, ``title``, ``alt``, ``placeholder``).
"""

import re
from pathlib import Path

from django.template.base import Lexer, TokenType

import kommune360

SOURCE = Path(kommune360.__file__).parent
SKIPPED_BLOCKS = {"blocktranslate": "endblocktranslate", "comment": "endcomment"}
SKIPPED_BLOCKS |= {"blocktrans": "endblocktrans", "verbatim": "endverbatim"}
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"')
TAG = re.compile(r"<[^>]*>")
NOT_READ = re.compile(r"<style.*?</style>|<script.*?</script>|<!--.*?-->", re.S)
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{2,}")
# A fallback text typed as a filter argument: {{ x|default:"Weiterlesen" }}.
TYPED_DEFAULT = re.compile(r'\|default:(["\'])[^"\']*[A-ZÄÖÜ][^"\']*\1')

# Texts that are no UI language: formats, feed values, robots.txt, and the last-resort
# error page, which uses no tags on purpose and says it in both languages.
NOT_UI = {
    "atlas/templates/atlas/_results.html": {"CSV", "JSON"},
    "atlas/templates/atlas/impulspapier.html": {"/angebote/)"},
    "core/templates/core/robots.txt": None,
    "core/templates/500_plain.html": None,
    "editorial/templates/editorial/feeds/podcast.xml": {"de", "episodic", "no", "full"},
    "accounts/templates/allauth/layouts/base.html": {"account-page"},
}


def templates():
    return sorted(p for p in SOURCE.rglob("templates/**/*") if p.is_file())


def skeleton(text):
    """The template's own text, ``§`` for each variable and tag."""
    parts, closing = [], []
    for token in Lexer(text).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = (token.contents.split() or [""])[0]
            if name in SKIPPED_BLOCKS:
                closing.append(SKIPPED_BLOCKS[name])
            elif closing and name == closing[-1]:
                closing.pop()
            parts.append(" § ")
        elif token.token_type == TokenType.TEXT and not closing:
            parts.append(token.contents)
        else:
            parts.append(" § ")
    return "".join(parts)


def typed_texts(text):
    page = NOT_READ.sub("", skeleton(text))
    pieces = READ_ATTRIBUTES.findall(page) + TAG.sub(" § ", page).split("§")
    for piece in pieces:
        piece = " ".join(re.sub(r"&[a-z]+;|&#\d+;", " ", piece).split())
        if WORD.search(piece):
            yield piece
    for token in Lexer(text).tokenize():
        if token.token_type == TokenType.VAR and (found := TYPED_DEFAULT.search(token.contents)):
            yield found.group(0)


def test_templates_write_no_text_outside_gettext():
    found = []
    for path in templates():
        name = str(path.relative_to(SOURCE))
        allowed = NOT_UI.get(name, set())
        if allowed is None:
            continue
        typed = typed_texts(path.read_text())
        found += [f"{name}: {text!r}" for text in typed if text not in allowed]
    assert found == []


def test_the_scan_finds_typed_text():
    html = (
        '{% load i18n %}<p title="Hinweis">Guten Tag {{ name }}</p>'
        "{% translate 'Ja' %}{% blocktranslate %}Nein {{ x }}{% endblocktranslate %}"
        '<a aria-label="{% translate "Weiter" %}">{{ link|default:"Weiterlesen" }}</a>'
    )
    assert set(typed_texts(html)) == {'|default:"Weiterlesen"', "Guten Tag", "Hinweis"}

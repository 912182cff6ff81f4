"""Which language each text of a page is in, as the HTML says (``lang`` attributes).

``unmarked(html, needles)`` lists the texts of a page that contain one of ``needles``
(German texts people typed: titles, descriptions, page bodies …) but whose nearest
``lang`` is not German. ``german_texts()`` collects such needles from the database:
every text column of every model of the platform's apps and of Wagtail's pages.
"""

import re

from bs4 import BeautifulSoup, Comment
from django.apps import apps
from django.db import models
from django.utils.html import strip_tags

NEEDLE_CHARS = 40
MIN_CHARS = 30  # shorter sentences may be UI text too ("Was haben wir übersehen?")
# Columns that never reach a page as text of their own (addresses, keys, code).
SKIPPED_FIELDS = {
    "slug",
    "email",
    "url",
    "website",
    "url_path",
    "draft_title",
    "seo_title",
    "path",
    "file",
    "terms",
    "remarks",
    "notes",
    "subject",
    "preheader",
}
SENTENCE = re.compile(r"(?<=[.!?:;])\s+")


def _chunks(text):
    """Needles of one text: the start of each of its sentences long enough to be
    typed content rather than a word that UI strings share."""
    text = re.sub(r"\s+", " ", strip_tags(str(text or ""))).strip()
    for sentence in SENTENCE.split(text):
        sentence = sentence.strip()
        if len(sentence) >= MIN_CHARS and " " in sentence and not sentence.startswith("http"):
            yield sentence[:NEEDLE_CHARS]


def german_texts(models_=None):
    """Needles of the German content in the database (a set of strings)."""
    from wagtail.models import Page

    from kommune360.core.languages import page_language

    needles = set()
    for model in models_ or apps.get_models():
        if not model.__module__.startswith("kommune360.") or model._meta.proxy:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and f.name not in SKIPPED_FIELDS
            and not f.name.endswith(("_en", "_hash", "_key", "token", "_type", "_id"))
        ]
        if not fields:
            continue
        is_page = issubclass(model, Page)
        for obj in model._default_manager.all():
            if is_page and page_language(obj) != "de":
                continue
            for name in fields:
                needles.update(_chunks(getattr(obj, name)))
            if is_page and hasattr(obj, "search_text"):
                needles.update(_chunks(obj.search_text()))
    return needles


def _language_of(node, default):
    for parent in node.parents:
        language = parent.get("lang") if hasattr(parent, "get") else None
        if language:
            return language.split("-")[0]
    return default


def texts(html):
    """(text, language) of every text of the page, head included, scripts left out."""
    soup = BeautifulSoup(html, "html.parser")
    html_lang = (soup.html.get("lang") if soup.html else None) or ""
    for node in soup.find_all(string=True):
        if isinstance(node, Comment) or node.parent.name in {"script", "style"}:
            continue
        text = re.sub(r"\s+", " ", str(node)).strip()
        if text:
            yield text, _language_of(node, html_lang)


def unmarked(html, needles, language="de"):
    """Texts containing a needle whose nearest ``lang`` is not ``language``."""
    found = []
    for text, lang in texts(html):
        if lang != language and any(needle in text for needle in needles):
            found.append(text[:120])
    return found

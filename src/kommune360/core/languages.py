"""Languages of what the platform writes: pages, and documents that leave it.

Pages are in the visitor's language (German at ``/``, English under ``/en/``). What
leaves the platform — mails, calendar files, PDF and Word documents, certificates —
is written in the platform's language, German (``settings.LANGUAGE_CODE``): a visitor
who reads the English pages may still forward the training request to a German
employer, and the platform stores no language per person. A function that builds such
a document runs under ``in_default_language`` (or the ``default_language()`` block),
so its gettext strings and its dates (``core.dates``) follow, whatever page the
visitor was on. ``tests/core/test_document_language.py`` sends each kind of mail from
an English page.

Content people type (titles, descriptions, page bodies) is in the language it was
written in: German, unless it is an English translation. ``content_language(obj)``
says which, and the ``content_lang`` tag (``core`` library) marks German content on
English pages with ``lang="de"`` (WCAG 3.1.2, language of parts).
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import format_html


def default_language():
    """A block in the platform's language: ``with default_language(): ...``."""
    return translation.override(settings.LANGUAGE_CODE)


def in_default_language(func):
    """Decorator: ``func`` builds a mail or document, in the platform's language."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with default_language():
            return func(*args, **kwargs)

    return wrapper


def active_language() -> str:
    """The language of the page being rendered (its primary subtag: ``de``, ``en``)."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


# Locale id -> language code of Wagtail's locales (a handful of rows that hardly ever
# change): read once per process, again when a locale is saved or deleted.
_LOCALE_CODES = {}


def forget_locales(**kwargs):
    _LOCALE_CODES.clear()


def _locales():
    if not _LOCALE_CODES:
        from wagtail.models import Locale

        _LOCALE_CODES.update(Locale.objects.values_list("pk", "language_code"))
    return _LOCALE_CODES


def locale_code(locale_id) -> str:
    """The language (primary subtag) of a Wagtail locale, without a query."""
    if locale_id not in _locales():
        forget_locales()
    return _locales().get(locale_id, settings.LANGUAGE_CODE).split("-")[0]


def locale_id(language=None):
    """The id of the Wagtail locale of ``language`` (default: the page's), or ``None``
    if there is none; without a query (``Locale.get_active()`` asks the database)."""
    language = (language or active_language()).split("-")[0]
    for pk, code in _locales().items():
        if code.split("-")[0] == language:
            return pk
    return None


def page_language(page) -> str:
    """The language of a Wagtail page's text. An alias (the English tree mirrors each
    German page until an editor translates it) has its source's text and language; a
    list reads it with ``with_content_language`` (no query per page)."""
    annotated = getattr(page, "content_locale_id", None)
    if annotated is not None:
        return locale_code(annotated)
    while getattr(page, "alias_of_id", None):
        page = page.alias_of
    return locale_code(page.locale_id)


def with_content_language(pages):
    """A page queryset whose pages know their text's language (``page_language``)."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    return pages.annotate(content_locale_id=Coalesce(F("alias_of__locale_id"), F("locale_id")))


def content_language(obj) -> str:
    """The language ``obj``'s text is written in.

    An object says so itself (``content_language``, e.g. a taxonomy term with or
    without its English name); a Wagtail page by its locale; everything else people
    type on the platform (offers, events, contributions …) is German. Text that is no
    object (a string from gettext, nothing) is in the page's language.
    """
    own = getattr(obj, "content_language", None)
    if isinstance(own, str) and own:
        return own.split("-")[0]
    if obj is None or isinstance(obj, (str, Promise)):
        return active_language()
    if is_page(obj):
        return page_language(obj)
    return settings.LANGUAGE_CODE.split("-")[0]


class Typed(str):
    """A text people typed (German), handed around as a plain string among UI strings
    (the rows of a document: "Titel" → the offer's title, "Ort" → "online"), that still
    says its language: ``{% content_lang value %}`` marks it on English pages."""

    content_language = "de"


def typed(text):
    """``text`` as ``Typed`` (empty text stays as it is)."""
    return Typed(text) if text else text


def lang_attribute(obj) -> str:
    """`` lang="de"`` when ``obj``'s text is not in the page's language, else nothing
    (``{% content_lang obj %}`` in templates)."""
    language = content_language(obj)
    if language == active_language():
        return ""
    return format_html(' lang="{}"', language)


# --- Wagtail pages in several languages (decision 0080) -----------------------------


def counterpart(page, language=None, live=True):
    """``page``'s translation or alias in ``language`` (default: the page's language
    being shown), or ``None``; the page itself when it is in that language already."""
    wanted = locale_id(language)
    if wanted is None or page.locale_id == wanted:
        return page
    from wagtail.models import Page

    found = Page.objects.filter(
        translation_key=page.translation_key, locale_id=wanted
    ).select_related("alias_of")
    if live:
        found = found.live()
    return found.first()


def in_shown_language(pages, language=None):
    """``pages`` (a queryset) narrowed to those of the language shown (or ``language``):
    on English pages the English tree (translations, and aliases of the rest), on German
    pages the German ones."""
    wanted = locale_id(language)
    return pages if wanted is None else pages.filter(locale_id=wanted)


def is_page(obj) -> bool:
    return hasattr(obj, "translation_key") and hasattr(obj, "alias_of_id")


def original(obj):
    """The German page of a translation or alias (as its own class); any other object,
    and a German page, is its own original."""
    if not is_page(obj):
        return obj
    german = counterpart(obj, settings.LANGUAGE_CODE, live=False)
    return obj if german is None or german.pk == obj.pk else german.specific


def language_links(request, page=None):
    """The language switch: each language with the address of what is shown in it.

    A Wagtail page links to its translation (or alias) in the other language, whatever
    its slug there; any other address is the same path under the other prefix.
    """
    from django.urls import translate_url
    from wagtail.models import Page

    from .shared_parts import get_or_compute

    def versions():
        """Language → address of the page's live versions (the same for everyone)."""
        return {
            locale_code(other.locale_id): other.get_url(request)
            for other in Page.objects.filter(translation_key=page.translation_key)
            .live()
            .only("id", "url_path", "locale_id", "path", "depth")
        }

    current = active_language()
    pages = {}
    if isinstance(page, Page) and page.pk:
        pages = get_or_compute(request, f"versions:{page.pk}", versions)
    links = []
    for code, name in settings.LANGUAGES:
        url = pages.get(code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url or translate_url(request.get_full_path(), code),
                "current": code == current,
            }
        )
    return links


@dataclass(frozen=True)
class Redirect:
    """``route_page``'s answer for a page that has its own address in this language."""

    url: str


def route_page(request, path):
    """Where ``path`` leads among Wagtail's pages in the language shown: Wagtail's
    ``(page, args, kwargs)``, a ``Redirect``, or ``None``.

    ``/en/<path>`` is looked up in the English tree first. A path that is not there (a
    page made since the last ``sync_page_tree``, or an English page under another slug)
    is looked up among the German pages: with an English counterpart it redirects
    there, otherwise the German page is shown, in the English layout, marked
    ``lang="de"``. On German pages this is Wagtail's own routing.
    """
    from django.http import Http404
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [part for part in path.split("/") if part]
    root = site.root_page
    home = counterpart(root) or root
    try:
        return home.specific.route(request, components)
    except Http404:
        if home.pk == root.pk:
            return None
    try:
        page, args, kwargs = root.specific.route(request, components)
    except Http404:
        return None
    other = counterpart(page)
    if other is not None and other.pk != page.pk and not args and not kwargs:
        return Redirect(other.get_url(request))
    return page, args, kwargs

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

from django.conf import settings
from django.utils import translation


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

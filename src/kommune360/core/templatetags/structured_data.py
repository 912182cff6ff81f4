"""Structured data (schema.org JSON-LD) in pages: one tag for every app.

``{% load structured_data %}{% json_ld data %}`` writes the whole
``<script type="application/ld+json">`` element. ``<``, ``>`` and ``&`` are written as
``\\u003C``, ``\\u003E`` and ``\\u0026``, as Django's ``json_script`` does, so no value
(a provider's summary containing ``</script>`` or ``<!--``) can end the element early or
change how the browser parses it; ``json.loads`` of the element gives the values back
unchanged.

Every object gets ``inLanguage``: the language of its text. What people type on the
platform is German, so that is the default, on English pages too (search engines would
otherwise take the page's ``lang="en"``); data whose text is in another language says
so itself (a translated Wagtail page, the data catalogue's UI texts).
"""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The escapes of django.utils.html.json_script (kept here: Django's table is private).
ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_text(data) -> str:
    """The element's content: JSON with ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return text.translate(ESCAPES)


@register.simple_tag
def json_ld(data):
    """The ``<script type="application/ld+json">`` element for ``data`` (nothing if empty)."""
    if not data:
        return ""
    if isinstance(data, dict) and "@type" in data and "inLanguage" not in data:
        data = {**data, "inLanguage": settings.LANGUAGE_CODE}
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(json_ld_text(data))
    )

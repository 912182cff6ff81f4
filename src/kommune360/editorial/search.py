"""The site search at /suche/: pages plus every Searchable in the core registry.

Each source is searched in the German index of ``search_index`` (the same Snowball
stems on SQLite and PostgreSQL) or by its model's own ``site_search``; hits of all
sources are merged by score, paginated, and only the hits of the shown page are
loaded. Registered models show ``search_result()`` if they have it (a dict with title,
url, text, date), otherwise ``str(obj)``, ``get_absolute_url()`` and the first of
teaser, summary, description, intro.
"""

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from kommune360.core.languages import in_shown_language, with_content_language
from kommune360.core.registry import registry
from kommune360.core.shared_parts import get_or_compute
from kommune360.core.text import slugify_de

from . import search_index
from .models import ArticlePage, EpisodePage, PublicationPage

PER_PAGE = 10
MAX_HITS_PER_SOURCE = 200
SNIPPET_CHARS = 240
TEXT_FIELDS = ("teaser", "summary", "description", "intro", "search_description")
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Source:
    key: str
    label: str
    queryset: object
    is_page: bool = False


def _page_sources():
    """The page sources, their querysets built only when a search runs (``callable``):
    a search whose hits are shared (``_shared_search``) reads no view restrictions."""
    private = []

    def live(model, narrow=lambda queryset: queryset):
        def queryset():
            # Wagtail's ``public()`` reads the view restrictions on every call: read them
            # once per request.
            if not private:
                private.append(Page.objects.all().private_q())
            return narrow(in_shown_language(model.objects.live().exclude(private[0])))

        return queryset

    return [
        Source("magazin", _("Magazin"), live(ArticlePage), True),
        Source("podcast", _("Podcast"), live(EpisodePage), True),
        Source("publikationen", _("Publikationen"), live(PublicationPage), True),
        Source(
            "seiten",
            _("Seiten"),
            live(
                Page,
                lambda queryset: queryset.not_type(
                    ArticlePage, EpisodePage, PublicationPage
                ).filter(depth__gt=1),
            ),
            True,
        ),
    ]


def sources():
    found = _page_sources()
    for searchable in registry.searchables():
        found.append(
            Source(slugify_de(str(searchable.label)), searchable.label, searchable.queryset)
        )
    return found


def highlight(text, query, length=SNIPPET_CHARS):
    """A snippet of ``text`` around the first hit, every hit in <mark>, escaped.

    A hit is a word whose German stem begins with a stem of the query, the rule the
    search itself uses: "Fortbildungen" marks "Fortbildung" and "Fortbildungsantrag".
    """
    text = re.sub(r"\s+", " ", strip_tags(text or "")).strip()
    if not text:
        return ""
    parsed = search_index.parse(query)
    hits = [m for m in WORD.finditer(text) if search_index.is_hit(m.group(0), parsed)]
    start = 0
    if hits and hits[0].start() > length // 3:
        start = hits[0].start() - length // 3
        space = text.find(" ", start, hits[0].start())
        start = space + 1 if space >= 0 else start  # begin at a word, not inside one
    end = min(len(text), start + length)
    html, position = [], start
    for match in hits:
        if match.start() < start or match.end() > end:
            continue
        html.append(escape(text[position : match.start()]))
        html.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    html.append(escape(text[position:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(html) + suffix)


def _page_text(page):
    if hasattr(page, "search_text"):
        return page.search_text()
    parts = [getattr(page, field, "") or "" for field in TEXT_FIELDS]
    body = getattr(page, "body", None)
    if body is not None:
        parts.append(body.render_as_block() if hasattr(body, "render_as_block") else str(body))
    for field in ("transcript", "show_notes"):
        parts.append(getattr(page, field, "") or "")
    return " ".join(str(part) for part in parts if part)


def _result(obj, source, query, request):
    if source.is_page:
        return {
            "title": obj.title,
            "url": obj.get_url(request),
            "text": highlight(_page_text(obj), query),
            "type": source.label,
            "date": obj.first_published_at,
            "object": obj,  # the language of its text (``{% content_lang %}``)
        }
    if hasattr(obj, "search_result"):
        data = dict(obj.search_result())
        data["text"] = highlight(data.get("text", ""), query)
    else:
        text = next((getattr(obj, f) for f in TEXT_FIELDS if getattr(obj, f, "")), "")
        data = {"title": str(obj), "url": obj.get_absolute_url(), "text": highlight(text, query)}
    data["type"] = source.label
    data["object"] = obj
    return data


def _search_source(queryset, parsed, query):
    """[(score, pk)] of one source's hits, best first.

    A model may bring its own search: ``site_search(queryset, query)`` returning its
    hits best first, each with a number ``relevance`` (like the atlas's offers). Pages
    and every other model are searched in the German index of ``search_index``.
    """
    model = queryset.model
    if hasattr(model, "site_search"):
        found = model.site_search(queryset, query)
    else:
        found = search_index.matching(queryset, parsed).order_by("-relevance", "-pk")
    return [(obj.relevance or 0, obj.pk) for obj in found.only("pk")[:MAX_HITS_PER_SOURCE]]


def run_search(query, type_key=None, all_sources=None):
    """[(score, source, pk)] of all hits, best first, and the per-type counts."""
    hits, counts = [], {}
    parsed = search_index.parse(query)
    for source in all_sources or sources():
        queryset = source.queryset() if callable(source.queryset) else source.queryset
        found = _search_source(queryset, parsed, query)
        counts[source.key] = len(found)
        if type_key and source.key != type_key:
            continue
        hits.extend((score, source, pk) for score, pk in found)
    hits.sort(key=lambda hit: -hit[0])
    return hits, counts


def load(hits, query, request):
    """Results of one page of hits: one query per model, not per hit."""
    page_ids, by_source = [], {}
    for _score, source, pk in hits:
        if source.is_page:
            page_ids.append(pk)
        else:
            by_source.setdefault(source.key, (source, []))[1].append(pk)
    objects = {}
    for page in with_content_language(Page.objects.filter(pk__in=page_ids)).specific():
        objects[(True, page.pk)] = page
    for key, (source, pks) in by_source.items():
        base = source.queryset() if callable(source.queryset) else source.queryset
        for obj in base.filter(pk__in=pks):
            objects[(key, obj.pk)] = obj
    results = []
    for _score, source, pk in hits:
        obj = objects.get((True, pk) if source.is_page else (source.key, pk))
        if obj is not None:
            results.append(_result(obj, source, query, request))
    return results


def _shared_search(request, query, type_key, all_sources):
    """``run_search``'s hits, shared by everyone searching the same (``core.shared_parts``)."""
    by_key = {source.key: source for source in all_sources}

    def compute():
        hits, counts = run_search(query, type_key, all_sources)
        return [(score, source.key, pk) for score, source, pk in hits], counts

    hits, counts = get_or_compute(request, f"search:{_digest(query, type_key)}", compute)
    return [(score, by_key[key], pk) for score, key, pk in hits if key in by_key], counts


def _digest(*parts):
    return hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=16).hexdigest()


def _found(request, query, type_key):
    """What the results part of the page shows (hits, counts, one page of results)."""
    all_sources = sources()
    hits, counts = _shared_search(request, query, type_key, all_sources)
    page = Paginator(hits, PER_PAGE).get_page(request.GET.get("seite"))
    page.object_list = load(list(page.object_list), query, request)
    return {
        "results": page,
        "total": sum(counts.values()),
        "query_prefix": urlencode({"q": query, **({"typ": type_key} if type_key else {})}),
        "types": [
            {"key": s.key, "label": s.label, "count": counts.get(s.key, 0)} for s in all_sources
        ],
    }


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    type_key = request.GET.get("typ") or None
    # Read only when the page's shared part is rendered (``{% shared_part %}``): a search
    # another visitor made in this generation is answered from its rendered HTML.
    found = SimpleLazyObject(lambda: _found(request, query, type_key)) if query else None
    return render(
        request,
        "editorial/search.html",
        {"query": query, "current_type": type_key, "found": found},
    )

"""The site search at /suche/: pages plus every Searchable in the core registry.

Each source is searched with Wagtail's search backend (SQLite FTS5, PostgreSQL full
text); hits of all sources are merged by score, paginated, and only the hits of the
shown page are loaded. Registered models show ``search_result()`` if they have it
(a dict with title, url, text, date), otherwise ``str(obj)``, ``get_absolute_url()``
and the first of teaser, summary, description, intro.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.shortcuts import render
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.backends import get_search_backend

from kommune360.core.registry import registry
from kommune360.core.text import slugify_de

from .models import ArticlePage, EpisodePage, PublicationPage

PER_PAGE = 10
MAX_HITS_PER_SOURCE = 200
SNIPPET_CHARS = 240
TEXT_FIELDS = ("teaser", "summary", "description", "intro", "search_description")


@dataclass
class Source:
    key: str
    label: str
    queryset: object
    is_page: bool = False


def _page_sources():
    base = Page.objects.live().public()
    return [
        Source("magazin", _("Magazin"), ArticlePage.objects.live().public(), True),
        Source("podcast", _("Podcast"), EpisodePage.objects.live().public(), True),
        Source("publikationen", _("Publikationen"), PublicationPage.objects.live().public(), True),
        Source(
            "seiten",
            _("Seiten"),
            base.not_type(ArticlePage, EpisodePage, PublicationPage).filter(depth__gt=1),
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


def _terms(query):
    return [term for term in re.findall(r"\w+", query, flags=re.UNICODE) if len(term) > 1]


def highlight(text, query, length=SNIPPET_CHARS):
    """A snippet of ``text`` around the first hit, with every term in <mark>, escaped."""
    text = re.sub(r"\s+", " ", strip_tags(text or "")).strip()
    terms = _terms(query)
    if not text:
        return ""
    start = 0
    if terms:
        pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
        if match := pattern.search(text):
            start = max(0, match.start() - length // 3)
    snippet = text[start : start + length]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(text) else ""
    html = escape(snippet)
    if terms:
        pattern = re.compile("|".join(re.escape(escape(term)) for term in terms), re.IGNORECASE)
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    return mark_safe(prefix + html + suffix)


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
        }
    if hasattr(obj, "search_result"):
        data = dict(obj.search_result())
        data["text"] = highlight(data.get("text", ""), query)
    else:
        text = next((getattr(obj, f) for f in TEXT_FIELDS if getattr(obj, f, "")), "")
        data = {"title": str(obj), "url": obj.get_absolute_url(), "text": highlight(text, query)}
    data["type"] = source.label
    return data


def _text_fields(model):
    return [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and field.name not in ("slug", "url")
    ]


def _search_source(queryset, query):
    """[(score, pk)] of one source's hits, best first.

    A model may bring its own search (``site_search(queryset, query)`` returning
    objects with ``_score``, e.g. a German stemming index); models in Wagtail's search
    index use the search backend; any other model is matched word by word in its text
    fields.
    """
    model = queryset.model
    if hasattr(model, "site_search"):
        found = list(model.site_search(queryset, query)[:MAX_HITS_PER_SOURCE])
    elif issubclass(model, index.Indexed):
        found = list(
            get_search_backend()
            .search(query, queryset, operator="and")
            .annotate_score("_score")[:MAX_HITS_PER_SOURCE]
        )
    else:
        condition = Q()
        fields = _text_fields(model)
        for term in _terms(query) or [query]:
            term_q = Q()
            for name in fields:
                term_q |= Q(**{f"{name}__icontains": term})
            condition &= term_q
        found = list(queryset.filter(condition).only("pk")[:MAX_HITS_PER_SOURCE])
    return [(getattr(obj, "_score", None) or 0, obj.pk) for obj in found]


def run_search(query, type_key=None):
    """[(score, source, pk)] of all hits, best first, and the per-type counts."""
    hits, counts = [], {}
    for source in sources():
        queryset = source.queryset() if callable(source.queryset) else source.queryset
        found = _search_source(queryset, query)
        counts[source.key] = len(found)
        if type_key and source.key != type_key:
            continue
        hits.extend((score, source, pk) for score, pk in found)
    hits.sort(key=lambda hit: -hit[0])
    return hits, counts


def load(hits, query, request):
    """Results of one page of hits: one query per model, not per hit."""
    by_source = {}
    for _score, source, pk in hits:
        by_source.setdefault(source.key, (source, []))[1].append(pk)
    objects = {}
    for key, (source, pks) in by_source.items():
        if source.is_page:
            queryset = Page.objects.filter(pk__in=pks).specific()
        else:
            base = source.queryset() if callable(source.queryset) else source.queryset
            queryset = base.filter(pk__in=pks)
        for obj in queryset:
            objects[(key, obj.pk)] = obj
    return [
        _result(objects[(source.key, pk)], source, query, request)
        for _score, source, pk in hits
        if (source.key, pk) in objects
    ]


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    type_key = request.GET.get("typ") or None
    all_sources = sources()
    context = {"query": query, "current_type": type_key, "results": None}
    if query:
        hits, counts = run_search(query, type_key)
        page = Paginator(hits, PER_PAGE).get_page(request.GET.get("seite"))
        page.object_list = load(list(page.object_list), query, request)
        context.update(
            results=page,
            total=sum(counts.values()),
            query_prefix=urlencode({"q": query, **({"typ": type_key} if type_key else {})}),
            types=[
                {"key": s.key, "label": s.label, "count": counts.get(s.key, 0)} for s in all_sources
            ],
        )
    return render(request, "editorial/search.html", context)

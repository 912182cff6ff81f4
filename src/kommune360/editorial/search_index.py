"""The German index of the site search, the same on SQLite and PostgreSQL.

SQLite's FTS5 (Wagtail's database backend there) has no German stemmer, so
"Fortbildungen" would not find "Fortbildung" (decision 0033). The site search therefore
stems like the Angebotsatlas does (decision 0010), with the same Snowball German
stemming (``core.german``: lower case, ß → ss, stop words dropped, umlauts folded by
Snowball, "ae/oe/ue" typed for umlauts) and stores the stems of every live
page and of every object of a registered ``Searchable`` without its own
``site_search`` in ``SearchTerm``.

The index is written at once, not by a background task: when a page is published
(Wagtail's ``page_published`` signal, so also by ``load_demo``), when a registered
object is saved, and by ``kommune360 index_site_search`` for everything.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from kommune360.core import german, synonyms
from kommune360.core.registry import registry

from .models import SearchTerm

TITLE_FIELDS = ("title", "name")


def stems(text):
    return german.stems(strip_tags(str(text or "")))


def terms_of(heavy, light):
    """Stem → weight: 2 for words of ``heavy`` texts, 1 for the others."""
    weighted = dict.fromkeys((stem for text in light for stem in stems(text)), 1)
    weighted.update(dict.fromkeys((stem for text in heavy for stem in stems(text)), 2))
    return weighted


def page_terms(page):
    page = page.specific
    light = [page.search_description]
    light.append(page.search_text() if hasattr(page, "search_text") else "")
    if hasattr(page, "search_keywords"):
        light.extend(page.search_keywords())
    return terms_of([page.title], light)


def _field_value(obj, name):
    value = getattr(obj, name, "")
    if callable(value):
        value = value()
    return "" if value is None else str(value)


def text_fields(model):
    """Names of ``model``'s searchable text: its Wagtail search fields, else its text fields."""
    from django.db import models

    if issubclass(model, index.Indexed):
        return [f.field_name for f in model.get_search_fields() if isinstance(f, index.SearchField)]
    return [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and field.name not in ("slug", "url")
    ]


def object_terms(obj):
    heavy, light = [], []
    for name in text_fields(type(obj)):
        (heavy if name in TITLE_FIELDS else light).append(_field_value(obj, name))
    return terms_of(heavy, light)


def page_content_type():
    return ContentType.objects.get_for_model(Page)


def content_type_of(model):
    if issubclass(model, Page):
        return page_content_type()
    return ContentType.objects.get_for_model(model, for_concrete_model=True)


def _write(content_type, documents):
    """Replace the terms of ``documents`` ({object id: {stem: weight}})."""
    if not documents:
        return
    with transaction.atomic():
        SearchTerm.objects.filter(content_type=content_type, object_id__in=documents).delete()
        SearchTerm.objects.bulk_create(
            [
                SearchTerm(content_type=content_type, object_id=pk, term=term, weight=weight)
                for pk, terms in documents.items()
                for term, weight in terms.items()
            ],
            batch_size=2000,
            # Two publishes of one page at the same moment: the later terms win, the
            # earlier ones may stay as well (harmless: the same page's words).
            ignore_conflicts=True,
        )


def index_pages(pages):
    _write(page_content_type(), {page.pk: page_terms(page) for page in pages})


def index_objects(objects):
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    for model, items in by_model.items():
        _write(content_type_of(model), {obj.pk: object_terms(obj) for obj in items})


def remove(model, ids):
    SearchTerm.objects.filter(content_type=content_type_of(model), object_id__in=ids).delete()


def indexed_models():
    """Registered models searched through this index (not those with ``site_search``)."""
    return {
        searchable.model
        for searchable in registry.searchables()
        if not hasattr(searchable.model, "site_search")
    }


def rebuild(batch=200):
    """Index every live page and every object of the indexed models; returns the count."""
    count = 0
    pages = Page.objects.live().specific().iterator(chunk_size=batch)
    chunk = []
    for page in pages:
        chunk.append(page)
        if len(chunk) == batch:
            index_pages(chunk)
            count, chunk = count + len(chunk), []
    index_pages(chunk)
    count += len(chunk)
    for model in indexed_models():
        content_type = content_type_of(model)
        SearchTerm.objects.filter(content_type=content_type).delete()
        objects = list(model._default_manager.all())
        for start in range(0, len(objects), batch):
            index_objects(objects[start : start + batch])
        count += len(objects)
    return count


def parse(query):
    """The query as a list of words, each a list of alternatives, the editors' synonyms
    included (every word must match)."""
    return synonyms.parse_query(query)


def _prefix_q(stem):
    """Terms beginning with ``stem``: a range on the indexed column (both databases use
    the B-tree index for it whatever their collation), kept exact by ``startswith``."""
    upper = stem[:-1] + chr(ord(stem[-1]) + 1)
    return Q(term__gte=stem, term__lt=upper, term__startswith=stem)


def _word_q(terms, alternatives, **where):
    """Objects having one of the alternatives (every stem of it) among ``terms``."""
    q = Q()
    for alternative in alternatives:
        every = Q()
        for stem in german.prefixes(alternative):
            every &= Q(pk__in=terms.filter(_prefix_q(stem), **where).values("object_id"))
        q |= every
    return q


def matching(queryset, parsed):
    """Objects of ``queryset`` that contain every word, annotated with ``relevance``.

    ``relevance`` is the number of query words found in the title.
    """
    relevance = Value(0, output_field=IntegerField())
    if not parsed:
        return queryset.none().annotate(relevance=relevance)
    terms = SearchTerm.objects.filter(content_type=content_type_of(queryset.model))
    for alternatives in parsed:
        queryset = queryset.filter(_word_q(terms, alternatives))
        relevance = relevance + Case(
            When(_word_q(terms, alternatives, weight=2), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return queryset.annotate(relevance=relevance)


def is_hit(word, parsed):
    """Whether one word of a text matches a word of the parsed query (for highlighting)."""
    found = german.words(word)
    if not found:
        return False
    stem = german.stem(found[0])
    return any(
        stem.startswith(prefix)
        for word in parsed
        for alternative in word
        for prefix in german.prefixes(alternative)
    )


@receiver(page_published, dispatch_uid="editorial-search-published")
def _page_published(sender, instance, **kwargs):
    index_pages([instance])


@receiver(page_unpublished, dispatch_uid="editorial-search-unpublished")
def _page_unpublished(sender, instance, **kwargs):
    remove(Page, [instance.pk])


@receiver(post_save, dispatch_uid="editorial-search-saved")
def _object_saved(sender, instance, raw=False, **kwargs):
    if not raw and sender in indexed_models():
        index_objects([instance])


@receiver(post_delete, dispatch_uid="editorial-search-deleted")
def _object_deleted(sender, instance, **kwargs):
    if sender is Page:
        remove(Page, [instance.pk])
    elif sender in indexed_models():
        remove(sender, [instance.pk])

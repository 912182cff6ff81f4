"""German full-text search for offers, the same on SQLite and PostgreSQL.

SQLite's FTS5 has no German stemmer, so the database search backend would find
"Fortbildung" but not "Fortbildungen" there (docs/decisions/0010-atlas-search.md).
Instead, every offer's words are stemmed with the Snowball German stemmer (the one
PostgreSQL's ``german`` configuration uses) and stored in ``OfferTerm``, one row per
distinct stem. A query is stemmed the same way; each of its words must match the
beginning of a stored stem (so "Fortbildungen" finds "Fortbildungsantrag" and a word
still being typed finds its offers). Both databases answer from the B-tree index on
``(term, offer)``.
"""

import functools
import re
import threading

import snowballstemmer
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from .models import Offer, OfferTerm

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MAX_TERM_LENGTH = 64

_WORD = re.compile(r"\w+", re.UNICODE)
_local = threading.local()

# Words too common to narrow a search; dropped on both sides.
STOP_WORDS = frozenset(
    {
        "aber",
        "als",
        "am",
        "an",
        "auch",
        "auf",
        "aus",
        "bei",
        "bis",
        "das",
        "dass",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "es",
        "für",
        "fur",
        "im",
        "in",
        "ist",
        "mit",
        "nach",
        "nicht",
        "noch",
        "oder",
        "so",
        "sie",
        "sind",
        "über",
        "uber",
        "um",
        "und",
        "uns",
        "vom",
        "von",
        "vor",
        "wie",
        "wir",
        "zu",
        "zum",
        "zur",
    }
)

# Spelled-out umlauts as people type them without a German keyboard.
_SPELLED_UMLAUTS = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"))


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("german")
    return stemmer


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` without stop words."""
    result = []
    for word in _WORD.findall(str(text or "").lower().replace("ß", "ss")):
        word = word.strip("_")
        if len(word) < 2 or word in STOP_WORDS or word.isdigit() and len(word) < 3:
            continue
        result.append(word)
    return result


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of one lower-case word (cached: texts repeat their words)."""
    return _stemmer().stemWord(word)[:MAX_TERM_LENGTH]


def stems(text: str) -> list[str]:
    """Stemmed words of ``text``, in order (duplicates kept)."""
    return [stem(word) for word in words(text)]


def _umlaut_variant(word: str) -> str | None:
    """ "fuehrung" → "führung": the word with spelled-out umlauts, if it has any."""
    variant = word
    for spelled, umlaut in _SPELLED_UMLAUTS:
        variant = variant.replace(spelled, umlaut)
    return variant if variant != word else None


def document_terms(offer) -> dict[str, int]:
    """Stem → weight for one offer (its provider and taxonomy must be loaded)."""
    weighted = {}
    heavy = [offer.title, offer.provider.name]
    light = [
        offer.summary,
        offer.description,
        offer.learning_goals,
        offer.accreditation,
        offer.format.name,
        " ".join(m.name for m in offer.methods.all()),
        " ".join(t.name for t in offer.topics.all()),
        " ".join(t.name for t in offer.target_groups.all()),
    ]
    for text in light:
        for stem in stems(text):
            weighted.setdefault(stem, 1)
    for text in heavy:
        for stem in stems(text):
            weighted[stem] = 2
    return weighted


def _offers_for_indexing(ids):
    return (
        Offer.objects.filter(pk__in=ids)
        .select_related("provider", "format")
        .prefetch_related("methods", "topics", "target_groups")
    )


def index_offers(ids) -> None:
    """Rewrite the search terms of the given offers."""
    ids = list(ids)
    if not ids:
        return
    with transaction.atomic():
        OfferTerm.objects.filter(offer_id__in=ids).delete()
        rows = []
        for offer in _offers_for_indexing(ids):
            rows.extend(
                OfferTerm(offer_id=offer.pk, term=term, weight=weight)
                for term, weight in document_terms(offer).items()
            )
        OfferTerm.objects.bulk_create(rows, batch_size=2000)


def index_offer(offer) -> None:
    index_offers([offer.pk])


def parse_query(query: str) -> list[list[str]]:
    """The query as a list of words, each a list of alternative stems.

    Every word must match (AND); a word with a spelled-out umlaut ("fuehrung") also
    matches the umlaut form.
    """
    query = str(query or "")[:MAX_QUERY_LENGTH]
    parsed = []
    for word in words(query)[:MAX_QUERY_WORDS]:
        alternatives = {stem(word)}
        if variant := _umlaut_variant(word):
            alternatives.add(stem(variant))
        parsed.append(sorted(alternatives))
    return parsed


def _prefix_q(stem: str, prefix: str = "") -> Q:
    # A range on the indexed column instead of LIKE: both databases use the B-tree
    # index for it whatever their collation; the startswith keeps it exact.
    upper = stem[:-1] + chr(ord(stem[-1]) + 1)
    return Q(**{f"{prefix}term__gte": stem, f"{prefix}term__lt": upper}) & Q(
        **{f"{prefix}term__startswith": stem}
    )


def _word_q(alternatives: list[str], prefix: str = "") -> Q:
    q = Q()
    for stem in alternatives:
        q |= _prefix_q(stem, prefix)
    return q


def filter_queryset(queryset, parsed: list[list[str]]):
    """Offers of ``queryset`` matching every word of the parsed query."""
    for alternatives in parsed:
        queryset = queryset.filter(
            pk__in=OfferTerm.objects.filter(_word_q(alternatives)).values("offer_id")
        )
    return queryset


def annotate_relevance(queryset, parsed: list[list[str]]):
    """Adds ``relevance``: how many query words occur in the title or provider name."""
    parts = []
    for alternatives in parsed:
        heavy = OfferTerm.objects.filter(_word_q(alternatives), offer=OuterRef("pk"), weight=2)
        parts.append(Case(When(Exists(heavy), then=Value(1)), default=Value(0)))
    if not parts:
        return queryset.annotate(relevance=Value(0, output_field=IntegerField()))
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return queryset.annotate(relevance=total)

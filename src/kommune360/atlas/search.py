"""German full-text search for offers, the same on SQLite and PostgreSQL.

SQLite's FTS5 has no German stemmer, so the database search backend would find
"Fortbildung" but not "Fortbildungen" there (docs/decisions/0010-atlas-german-search.md).
Instead, every offer's words are stemmed with the Snowball German stemmer
(``core.german``, shared with the site search) and stored in ``OfferSearchText``: the
stems of title and provider name (``heavy``) and all other stems (``light``). The
database's own full-text index runs over these stems (docs/decisions/0011):

- SQLite: the FTS5 table ``atlas_offer_fts`` (external content, kept in step by
  triggers), queried with ``MATCH '(("fortbild"*)) OR (("verwalt"*))'``;
- PostgreSQL: the stored ``tsvector`` column ``document`` (``simple`` configuration,
  heavy stems weighted A) with a GIN index, queried with ``to_tsquery('simple',
  '((fortbild:*)) | ((verwalt:*))')``.

A query is stemmed the same way (``core.synonyms`` adds the editors' synonyms); a word
matches the beginning of a stored stem (so "Fortbildungen" finds "Fortbildungsantrag"
and a word still being typed finds its offers). An offer is found when it has at least
one of the words; offers with more of them come first. Exports, the site search and
``OfferQuery.results()`` ask the database's full-text index; the offer list answers the
same question from the inverted index in ``facet_index`` over the same stems
(docs/decisions/0012).
"""

from django.db import connection, transaction
from django.db.models import IntegerField, Value
from django.db.models.expressions import RawSQL

from kommune360.core.german import prefixes, stems

from . import facet_index
from .models import Offer, OfferSearchText


def document_terms(offer) -> dict[str, int]:
    """Stem → weight for one offer (its provider and taxonomy must be loaded): 2 for
    stems of the title or the provider's name, 1 for the rest. The taxonomy's terms
    count in German and in English, so that visitors of the English pages find offers
    by the names they see there."""
    weighted = {}
    heavy = [offer.title, offer.provider.name]
    terms = [offer.format, *offer.methods.all(), *offer.topics.all(), *offer.target_groups.all()]
    light = [
        offer.summary,
        offer.description,
        offer.learning_goals,
        offer.accreditation,
        " ".join(f"{term.name} {term.name_en}" for term in terms),
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
    """Rewrite the search text of the given offers (the database's full-text index
    follows: FTS5 through triggers, the tsvector as a generated column)."""
    ids = list(ids)
    if not ids:
        return
    with transaction.atomic():
        OfferSearchText.objects.filter(offer_id__in=ids).delete()
        rows = []
        for offer in _offers_for_indexing(ids):
            terms = document_terms(offer)
            rows.append(
                OfferSearchText(
                    offer_id=offer.pk,
                    heavy=" ".join(t for t, w in terms.items() if w == 2),
                    light=" ".join(t for t, w in terms.items() if w == 1),
                )
            )
        OfferSearchText.objects.bulk_create(rows, batch_size=1000)
        facet_index.bump()


def index_offer(offer) -> None:
    index_offers([offer.pk])


# --- Queries on the database's full-text index ---------------------------------------------
# Stems consist of letters and digits only (``_WORD``), so they need no escaping inside
# the FTS5 and tsquery syntax; they are still passed as one bound parameter.


def _fts5_word(alternatives) -> str:
    return (
        "("
        + " OR ".join(
            "(" + " AND ".join(f'"{stem}"*' for stem in prefixes(alternative)) + ")"
            for alternative in alternatives
        )
        + ")"
    )


def _fts5_expression(parsed, column=None):
    """Any of the words (each a group of alternatives), optionally in one column only."""
    prefix = f"{column} : " if column else ""
    return " OR ".join(prefix + _fts5_word(alternatives) for alternatives in parsed)


def _tsquery(parsed):
    return " | ".join(
        "("
        + " | ".join(
            "(" + " & ".join(f"'{stem}':*" for stem in prefixes(alternative)) + ")"
            for alternative in alternatives
        )
        + ")"
        for alternatives in parsed
    )


def filter_queryset(queryset, parsed: list[list[str]]):
    """Offers of ``queryset`` matching at least one word of the parsed query.

    Several words widen the result instead of narrowing it; ``annotate_relevance``
    counts how many of them each offer has, and the list shows those with more first.
    PostgreSQL joins the search table (one scan of the GIN index, and the tsvector at
    hand for the relevance); SQLite selects the ids from FTS5 once (``id IN (…)``).
    """
    if not parsed:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.extra(
            tables=["atlas_offersearchtext"],
            where=[
                "atlas_offersearchtext.offer_id = atlas_offer.id",
                "atlas_offersearchtext.document @@ to_tsquery('simple', %s)",
            ],
            params=[_tsquery(parsed)],
        )
    return queryset.filter(
        pk__in=RawSQL(
            "SELECT rowid AS id FROM atlas_offer_fts WHERE atlas_offer_fts MATCH %s",
            [_fts5_expression(parsed)],
        )
    )


def _count_sql(parsed, column) -> tuple[str, list]:
    """SQL counting the words of ``parsed`` an offer has (in ``column``, or anywhere)."""
    parts, params = [], []
    for alternatives in parsed:
        if connection.vendor == "postgresql":
            document = "heavy_document" if column else "document"
            parts.append(
                f"(CASE WHEN atlas_offersearchtext.{document} @@ to_tsquery('simple', %s) "
                "THEN 1 ELSE 0 END)"
            )
            params.append(_tsquery([alternatives]))
        else:
            parts.append(
                '(CASE WHEN "atlas_offer"."id" IN (SELECT rowid FROM atlas_offer_fts '
                "WHERE atlas_offer_fts MATCH %s) THEN 1 ELSE 0 END)"
            )
            params.append(_fts5_expression([alternatives], column=column))
    return " + ".join(parts), params


def annotate_relevance(queryset, parsed: list[list[str]]):
    """Adds ``matched``, how many query words an offer has, and ``relevance``, how many
    of them occur in its title or provider name.

    Call it on a queryset that went through ``filter_queryset`` with the same words.
    """
    if not parsed:
        zero = Value(0, output_field=IntegerField())
        return queryset.annotate(matched=zero, relevance=zero)
    for name, column in (("matched", None), ("relevance", "heavy")):
        sql, params = _count_sql(parsed, column)
        if connection.vendor == "postgresql":
            queryset = queryset.extra(select={name: sql}, select_params=params)
        else:
            queryset = queryset.annotate(**{name: RawSQL(sql, params, output_field=IntegerField())})
    return queryset

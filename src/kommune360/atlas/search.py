"""German full-text search for offers, the same on SQLite and PostgreSQL.

SQLite's FTS5 has no German stemmer, so the database search backend would find
"Fortbildung" but not "Fortbildungen" there (docs/decisions/0010-atlas-german-search.md).
Instead, every offer's words are stemmed with the Snowball German stemmer
(``core.german``, shared with the site search) and stored in ``OfferSearchText``: the
stems of title and provider name (``heavy``) and all other stems (``light``). The
database's own full-text index runs over these stems (docs/decisions/0011):

- SQLite: the FTS5 table ``atlas_offer_fts`` (external content, kept in step by
  triggers), queried with ``MATCH '"fortbild"* AND ("verwalt"*)'``;
- PostgreSQL: the stored ``tsvector`` column ``document`` (``simple`` configuration,
  heavy stems weighted A) with a GIN index, queried with ``to_tsquery('simple',
  'fortbild:* & verwalt:*')``.

A query is stemmed the same way; each of its words must match the beginning of a
stored stem (so "Fortbildungen" finds "Fortbildungsantrag" and a word still being typed
finds its offers). Exports, the site search and ``OfferQuery.results()`` ask the
database's full-text index; the offer list answers the same question from the
inverted index in ``facet_index`` over the same stems (docs/decisions/0012).
"""

from django.db import connection, transaction
from django.db.models import IntegerField, Value
from django.db.models.expressions import RawSQL

from kommune360.core.german import stems

from . import facet_index
from .models import Offer, OfferSearchText


def document_terms(offer) -> dict[str, int]:
    """Stem → weight for one offer (its provider and taxonomy must be loaded): 2 for
    stems of the title or the provider's name, 1 for the rest."""
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


def _fts5_expression(parsed, column=None):
    prefix = f"{column} : " if column else ""
    return " AND ".join(
        prefix + "(" + " OR ".join(f'"{stem}"*' for stem in alternatives) + ")"
        for alternatives in parsed
    )


def _tsquery(parsed):
    return " & ".join(
        "(" + " | ".join(f"'{stem}':*" for stem in alternatives) + ")" for alternatives in parsed
    )


def match_sql(parsed) -> tuple[str, list]:
    """SQL selecting the ids of offers that match every word, and its parameters."""
    if connection.vendor == "postgresql":
        return (
            "SELECT offer_id AS id FROM atlas_offersearchtext "
            "WHERE document @@ to_tsquery('simple', %s)",
            [_tsquery(parsed)],
        )
    return (
        "SELECT rowid AS id FROM atlas_offer_fts WHERE atlas_offer_fts MATCH %s",
        [_fts5_expression(parsed)],
    )


def filter_queryset(queryset, parsed: list[list[str]]):
    """Offers of ``queryset`` matching every word of the parsed query.

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
    sql, params = match_sql(parsed)
    return queryset.filter(pk__in=RawSQL(sql, params))


def annotate_relevance(queryset, parsed: list[list[str]]):
    """Adds ``relevance``: how many query words occur in the title or provider name.

    Call it on a queryset that went through ``filter_queryset`` with the same words.
    """
    if not parsed:
        return queryset.annotate(relevance=Value(0, output_field=IntegerField()))
    parts, params = [], []
    for alternatives in parsed:
        if connection.vendor == "postgresql":
            parts.append(
                "(CASE WHEN atlas_offersearchtext.heavy_document @@ to_tsquery('simple', %s) "
                "THEN 1 ELSE 0 END)"
            )
            params.append(_tsquery([alternatives]))
        else:
            parts.append(
                '(CASE WHEN "atlas_offer"."id" IN (SELECT rowid FROM atlas_offer_fts '
                "WHERE atlas_offer_fts MATCH %s) THEN 1 ELSE 0 END)"
            )
            params.append(_fts5_expression([alternatives], column="heavy"))
    sql = " + ".join(parts)
    if connection.vendor == "postgresql":
        return queryset.extra(select={"relevance": sql}, select_params=params)
    return queryset.annotate(relevance=RawSQL(sql, params, output_field=IntegerField()))

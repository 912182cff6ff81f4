"""Search words with their synonyms: one parser for the Angebotsatlas and the site search.

Editors keep groups of words that mean the same thing to the people who search
(``SynonymGroup``: "Fortbildung", "Weiterbildung", "Schulung" …). A query word, or a run
of up to three query words, that is a term of a group stands for every term of its
group: it matches any of them. A term of several words ("agile Methoden") matches where
all its words occur. Terms are stemmed like everything else (``core.german``), so
"Weiterbildungen" is a term as well as "Weiterbildung".

The table of terms lives in the shared cache, filled on first use and emptied when an
editor changes a group (the page cache follows: ``SynonymGroup`` is a page dependency).
A search that keeps its own snapshot of what it searches may keep the table with it
(``read()``), if a change of a group renews that snapshot (the atlas's list does).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import german
from .models import SynonymGroup

CACHE_KEY = "core:synonyms:v1"
LONGEST_TERM = 3  # words; longer terms are kept but only their first words are looked up


def build(groups) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Stems of a term → the alternatives it stands for (each a space-separated run of
    stems that must all occur), from the term lists of ``groups``."""
    table: dict[tuple[str, ...], set[str]] = {}
    for terms in groups:
        phrases = {" ".join(german.stems(term)) for term in terms} - {""}
        for phrase in phrases:
            table.setdefault(tuple(phrase.split()[:LONGEST_TERM]), set()).update(phrases)
    return {key: tuple(sorted(value)) for key, value in table.items()}


def read() -> dict:
    """The table and the terms as the database holds them now."""
    groups = [group.term_list for group in SynonymGroup.objects.all()]
    return {"table": build(groups), "terms": [term for terms in groups for term in terms]}


def _cached() -> dict:
    found = cache.get(CACHE_KEY)
    if found is None:
        found = read()
        cache.set(CACHE_KEY, found, None)
    return found


def table() -> dict[tuple[str, ...], tuple[str, ...]]:
    return _cached()["table"]


def parse_query(query: str) -> list[list[str]]:
    """The query as a list of words, each a list of alternatives, synonyms included.

    Without a word (every list page opened without a search) the table is not read."""
    if not german.words(query):
        return []
    return german.parse_query(query, synonyms=table())


def terms() -> list[str]:
    """Every term of every group as editors wrote it (for suggestions)."""
    return _cached()["terms"]


@receiver(post_save, sender=SynonymGroup, dispatch_uid="synonyms-saved")
@receiver(post_delete, sender=SynonymGroup, dispatch_uid="synonyms-deleted")
def forget(**kwargs):
    cache.delete(CACHE_KEY)

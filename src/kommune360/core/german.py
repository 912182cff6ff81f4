"""German words for search: Snowball stems, the same on SQLite and PostgreSQL.

SQLite's FTS5 has no German stemmer, so "Fortbildungen" would not find "Fortbildung"
there (docs/decisions/0010-atlas-german-search.md). The Angebotsatlas and the site
search therefore stem both the indexed texts and the query here, with the Snowball
German stemmer (the one PostgreSQL's ``german`` configuration uses): lower case, ß → ss,
stop words dropped, umlauts folded by Snowball, "ae/oe/ue" typed for umlauts also
tried as umlauts.
"""

import functools
import re
import threading

import snowballstemmer

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MAX_TERM_LENGTH = 64

# Letters and digits; the underscore separates words like any other punctuation.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
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
        alternatives.discard("")
        if alternatives:
            parsed.append(sorted(alternatives))
    return parsed

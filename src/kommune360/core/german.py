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


def parse_query(query: str, synonyms: dict | None = None) -> list[list[str]]:
    """The query as a list of words, each a list of alternatives.

    An alternative is a stem, or several stems separated by a space that must all occur
    (a term of several words). A word with a spelled-out umlaut ("fuehrung") also
    matches the umlaut form. ``synonyms`` (``core.synonyms``: stems of a term → its
    group's alternatives) makes a word, or a run of up to three words, that is a term
    stand for its whole group.
    """
    query = str(query or "")[:MAX_QUERY_LENGTH]
    found = words(query)[:MAX_QUERY_WORDS]
    stemmed = [stem(word) for word in found]
    parsed = []
    position = 0
    while position < len(found):
        size, alternatives = 1, set()
        for length in range(min(3, len(found) - position), 0, -1):
            key = tuple(stemmed[position : position + length])
            if synonyms and key in synonyms:
                size, alternatives = length, {" ".join(key), *synonyms[key]}
                break
        if not alternatives:
            alternatives.add(stemmed[position])
            if variant := _umlaut_variant(found[position]):
                alternatives.add(stem(variant))
                alternatives.update((synonyms or {}).get((stem(variant),), ()))
        alternatives.discard("")
        if alternatives:
            parsed.append(sorted(alternatives))
        position += size
    return parsed


def prefixes(alternative: str) -> list[str]:
    """The stems of one alternative (all must occur, each as the start of a word)."""
    return alternative.split()

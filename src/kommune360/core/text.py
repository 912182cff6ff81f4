from django.utils.text import slugify

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def slugify_de(value: str) -> str:
    """A slug that spells umlauts the German way: "Führung" → "fuehrung"."""
    return slugify(str(value).translate(_UMLAUTS))

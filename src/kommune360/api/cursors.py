"""Cursors of the list pages: where the next page starts, opaque to the client.

Lists run in ascending ``pk`` order and a cursor names the last ``pk`` of the page
before, so it stays valid while objects are added, changed or removed: nothing is
skipped or shown twice (unlike a page number). The text is URL-safe base64 of
``"v1:<pk>"`` so that clients do not build their own.
"""

import base64
import binascii


class BadCursor(ValueError):
    pass


def encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{int(pk)}".encode()).decode().rstrip("=")


def decode(text: str | None) -> int:
    """The ``pk`` after which the page starts (0 for the first page)."""
    if not text:
        return 0
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor(text) from error
    prefix, _, number = raw.partition(":")
    if prefix != "v1" or not number.isdigit() or len(number) > 18:
        raise BadCursor(text)
    return int(number)

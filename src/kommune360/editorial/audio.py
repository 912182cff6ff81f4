"""The audio of a podcast episode: which kind of file it is and how long it plays.

The kind and the size are checked by ``core.uploads`` (from the first bytes, so an
hour of audio is never read into memory); the length comes from the file's own
headers through mutagen. A file that claims to be audio but whose headers mutagen
cannot read is refused with a German message: podcast apps would fail on it too.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kommune360.core.uploads import AUDIO_KINDS, MB, FileSpec

MAX_BYTES = 300 * MB
UPLOAD = FileSpec(kinds=AUDIO_KINDS, max_bytes=MAX_BYTES)
MIME_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "mp4": "audio/mp4",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
    "wav": "audio/wav",
}
# What the file input offers to choose (the content decides anyway).
ACCEPT = "audio/mpeg,audio/mp4,audio/ogg,audio/wav,.mp3,.m4a,.ogg,.opus,.wav"
UNREADABLE = _(
    "Die Audiodatei lässt sich nicht lesen. Ist sie beschädigt? Bitte speichern Sie sie "
    "noch einmal (am besten als MP3) und laden Sie sie erneut hoch."
)


@dataclass(frozen=True)
class AudioInfo:
    kind: str
    seconds: int
    size: int


def inspect(file) -> AudioInfo:
    """Kind, length in whole seconds (at least 1) and size of an audio file: an
    uploaded file, a ``File`` or a stored ``FieldFile``. Raises ``ValidationError``."""
    kind = UPLOAD.check_head(file)
    file.seek(0)
    try:
        length = _length(kind, file)
    except Exception as error:  # mutagen raises many kinds for broken headers
        raise ValidationError(str(UNREADABLE)) from error
    finally:
        file.seek(0)
    if not length or length <= 0 or not math.isfinite(length):
        raise ValidationError(str(UNREADABLE))
    return AudioInfo(kind=kind, seconds=max(1, round(length)), size=file.size)


def _length(kind, file) -> float | None:
    from mutagen import File
    from mutagen.mp3 import MP3
    from mutagen.mp4 import MP4
    from mutagen.oggflac import OggFLAC
    from mutagen.oggopus import OggOpus
    from mutagen.oggspeex import OggSpeex
    from mutagen.oggvorbis import OggVorbis
    from mutagen.wave import WAVE

    if kind == "ogg":
        audio = File(file, options=[OggOpus, OggVorbis, OggFLAC, OggSpeex])
    else:
        audio = {"mp3": MP3, "m4a": MP4, "wav": WAVE}[kind](file)
    return audio.info.length if audio is not None else None


def file_name(name: str, kind: str) -> str:
    """The name to store an upload under: its own name in ASCII, with the extension of
    the kind its content has (a WAV named ``folge.mp3`` becomes ``folge.wav``)."""
    stem = slugify(os.path.splitext(os.path.basename(name or ""))[0])[:80] or "folge"
    return f"{stem}.{kind}"

"""Uploaded files, checked once for every app: size, type from the content (never the
name), for ZIP-based formats (XLSX, DOCX, OpenDocument …) the sizes the zip directory
declares, and for tables the number of rows while they are read.

A refusal is a ``ValidationError`` with a German message; the caller stores nothing.
``FileSpec`` describes what one upload field accepts; ``TableSpec`` adds reading a
CSV or XLSX table with a row limit (every file import, ``ImportJob.upload``). Kinds
told by their first bytes (PDF, images, audio) are checked from those bytes alone
(``FileSpec.check_head``), so a large audio file is never read into memory.

The zip checks read only the zip's central directory. Python's ``zipfile`` never
inflates a member beyond the size the directory declares (it stops there and reports
a broken file), so a directory within the limits bounds what openpyxl can read. The
XLSX shared-strings part is bounded separately: openpyxl keeps all of it in memory,
even in read-only mode.

Limits come from settings (``UPLOAD_MAX_BYTES`` and the ``UPLOAD_MAX_*`` below,
README), a spec may set a smaller or larger upload size for its field.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

MB = 2**20
DEFAULTS = {
    "UPLOAD_MAX_BYTES": 5 * MB,
    # What the members of a zip-based file may unpack to, in all and each.
    "UPLOAD_MAX_UNCOMPRESSED_BYTES": 60 * MB,
    "UPLOAD_MAX_MEMBER_BYTES": 40 * MB,
    "UPLOAD_MAX_MEMBERS": 2000,
    # The shared strings of an XLSX table (kept in memory whole by openpyxl).
    "UPLOAD_MAX_SHARED_STRINGS_BYTES": 10 * MB,
}

# Kinds told from the content, and their names in messages.
LABELS = {
    "csv": "CSV",
    "txt": "Text",
    "xlsx": "XLSX (Excel)",
    "docx": "DOCX (Word)",
    "pptx": "PPTX (PowerPoint)",
    "odt": "ODT",
    "ods": "ODS",
    "odp": "ODP",
    "pdf": "PDF",
    "png": "PNG",
    "jpg": "JPEG",
    "mp3": "MP3",
    "m4a": "M4A (AAC)",
    "ogg": "OGG (Opus, Vorbis)",
    "wav": "WAV",
}
AUDIO_KINDS = ("mp3", "m4a", "ogg", "wav")
_SIGNATURES = [(b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg")]
# Kinds ``signature_kind`` tells from the first bytes, and how many it reads.
SIGNATURE_KINDS = {"pdf", "png", "jpg", *AUDIO_KINDS}
HEAD_BYTES = 64 * 1024
# A zip member that says which office format the zip is.
_OFFICE_PARTS = [
    ("xl/workbook.xml", "xlsx"),
    ("word/document.xml", "docx"),
    ("ppt/presentation.xml", "pptx"),
]
_OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
SHARED_STRINGS = "xl/sharedStrings.xml"
ENCODINGS = ("utf-8-sig", "cp1252")  # UTF-8, or Windows-1252 as Excel writes it in Germany


def limit(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])


def _size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.0f} MB"
    return f"{size // 1024} KB" if size >= 1024 else f"{size} Bytes"


def _too_big(size):
    return ValidationError(_("Die Datei ist größer als %(size)s.") % {"size": _size(size)})


BROKEN = gettext_lazy(
    "Die Datei lässt sich nicht öffnen. Ist sie beschädigt oder hat sie ein anderes Format?"
)


def check_zip(content: bytes) -> zipfile.ZipFile:
    """The zip directory of ``content`` if what it declares stays within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise ValidationError(str(BROKEN)) from error
    total = limit("UPLOAD_MAX_UNCOMPRESSED_BYTES")
    each = limit("UPLOAD_MAX_MEMBER_BYTES")
    shared = limit("UPLOAD_MAX_SHARED_STRINGS_BYTES")
    unpacked = _(
        "Die Datei ist gepackt zu groß: entpackt wären es mehr als %(size)s. "
        "Bitte teilen Sie sie auf oder entfernen Sie nicht benötigte Inhalte."
    )
    if len(members) > limit("UPLOAD_MAX_MEMBERS"):
        raise ValidationError(_("Die Datei besteht aus zu vielen Teilen."))
    if sum(member.file_size for member in members) > total:
        raise ValidationError(unpacked % {"size": _size(total)})
    for member in members:
        if member.file_size > each:
            raise ValidationError(unpacked % {"size": _size(each)})
        if member.filename == SHARED_STRINGS and member.file_size > shared:
            raise ValidationError(
                _("Die Tabelle enthält zu viel Text (mehr als %(size)s). Bitte teilen Sie sie auf.")
                % {"size": _size(shared)}
            )
    return archive


def signature_kind(head: bytes) -> str:
    """The kind of a file whose first bytes are ``head`` if its signature says it (a key
    of ``SIGNATURE_KINDS``), else "". Audio signatures hold bytes no text has (NUL, a
    frame sync), so a table is never taken for audio."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:3] == b"ID3" and head[3:4] in (b"\x02", b"\x03", b"\x04") and head[4:5] == b"\x00":
        return "mp3"  # an ID3v2 tag before the frames
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE6 == 0xE2:
        return "mp3"  # MPEG audio frame sync, layer III
    if head.startswith(b"OggS\x00"):
        return "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE" and head[19:20] == b"\x00":
        return "wav"  # the first chunk (fmt, bext, JUNK …) is smaller than 16 MB
    if head[:2] == b"\x00\x00" and head[4:8] == b"ftyp":
        return "m4a"  # an MP4 container; mutagen tells whether it holds audio
    return ""


def kind_of(content: bytes) -> str:
    """The kind of file ``content`` is (a key of ``LABELS``), or "" if none of them.
    A zip's directory is checked against the limits on the way."""
    kind = signature_kind(content[:HEAD_BYTES])
    if kind:
        return kind
    if content.startswith(b"PK\x03\x04"):
        names = set(check_zip(content).namelist())
        for part, kind in _OFFICE_PARTS:
            if part in names:
                return kind
        if "mimetype" in names:
            mimetype = zipfile.ZipFile(io.BytesIO(content)).read("mimetype").strip()
            return _OPENDOCUMENT.get(mimetype, "")
        return ""
    return "csv" if decode_text(content) is not None else ""


def decode_text(content: bytes) -> str | None:
    """``content`` as text (UTF-8 or Windows-1252), or None for binary content."""
    if b"\x00" in content:
        return None
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None  # pragma: no cover - cp1252 leaves only five bytes undecoded


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    kind: str


@dataclass(frozen=True)
class FileSpec:
    """What one upload accepts: ``kinds`` (keys of ``LABELS``; "csv" accepts any
    text) and ``max_bytes`` (default: the setting ``UPLOAD_MAX_BYTES``)."""

    kinds: tuple = ("csv",)
    max_bytes: int | None = None

    @property
    def size_limit(self) -> int:
        return self.max_bytes or limit("UPLOAD_MAX_BYTES")

    def check_size(self, size: int) -> None:
        if size > self.size_limit:
            raise _too_big(self.size_limit)

    def check(self, upload) -> Upload:
        """An uploaded file (Django's ``UploadedFile``) checked: its size before it is
        read, then its kind from the content. Raises ``ValidationError``."""
        self.check_size(upload.size)
        upload.seek(0)
        return self.check_content(upload.name, upload.read())

    def check_content(self, name: str, content: bytes) -> Upload:
        self.check_size(len(content))
        if not content.strip():
            raise ValidationError(_("Die Datei ist leer."))
        kind = kind_of(content)
        if kind == "csv" and "csv" not in self.kinds and "txt" in self.kinds:
            kind = "txt"
        self._check_kind(kind)
        return Upload(name, content, kind)

    @property
    def by_signature(self) -> bool:
        """Whether every kind of this spec is told by its first bytes."""
        return set(self.kinds) <= SIGNATURE_KINDS

    def check_head(self, upload) -> str:
        """The kind of an uploaded file (any file object with ``size``), from its size
        and its first bytes only; for specs ``by_signature``. Raises ``ValidationError``."""
        if not self.by_signature:
            raise ValueError(f"{self.kinds} are not all told by their first bytes")
        self.check_size(upload.size)
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        if not head.strip():
            raise ValidationError(_("Die Datei ist leer."))
        kind = signature_kind(head)
        self._check_kind(kind)
        return kind

    def _check_kind(self, kind: str) -> None:
        if kind not in self.kinds:
            raise ValidationError(
                _(
                    "Diese Art von Datei ist hier nicht möglich (erkannt am Inhalt, nicht am "
                    "Namen). Bitte laden Sie eine Datei dieser Art hoch: %(kinds)s."
                )
                % {"kinds": ", ".join(LABELS[k] for k in self.kinds)}
            )


@dataclass(frozen=True)
class TableSpec(FileSpec):
    """A table to import (CSV or XLSX) of at most ``max_rows`` rows below its header."""

    kinds: tuple = ("csv", "xlsx")
    max_rows: int = 5000

    def too_many_rows(self):
        return ValidationError(
            ngettext(
                "Die Datei hat mehr als %(count)s Zeile. Bitte teilen Sie sie in mehrere "
                "Dateien auf.",
                "Die Datei hat mehr als %(count)s Zeilen. Bitte teilen Sie sie in mehrere "
                "Dateien auf.",
                self.max_rows,
            )
            % {"count": self.max_rows}
        )

    def read(self, name: str, content: bytes):
        """Header and rows (lists of strings) of a checked table. Reading stops at the
        first row beyond ``max_rows`` with a ``ValidationError``."""
        upload = self.check_content(name, content)
        rows = _read_xlsx(content) if upload.kind == "xlsx" else _read_csv(content)
        header = next(rows, None)
        if header is None:
            raise ValidationError(_("Die Datei ist leer."))
        body = []
        for row in rows:
            if len(body) == self.max_rows:
                raise self.too_many_rows()
            body.append(row)
        return header, body


def _read_csv(content: bytes):
    text = decode_text(content) or ""
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as error:
        raise ValidationError(
            _("Die CSV-Datei ist beschädigt: %(error)s") % {"error": error}
        ) from error


def _read_xlsx(content: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise ValidationError(str(BROKEN)) from error
    try:
        for values in sheet.iter_rows(values_only=True):
            yield ["" if value is None else cell_text(value) for value in values]
    except Exception as error:  # a member cut short or not XML
        raise ValidationError(str(BROKEN)) from error
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A spreadsheet cell as the text a CSV would have."""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")  # ISO 8601, which every import reads
    return str(value)


@deconstructible(path="kommune360.core.uploads.FileValidator")
class FileValidator:
    """A model field validator: a newly uploaded file is checked like ``FileSpec(kinds,
    max_bytes)`` (for ``FileField``s edited in the admin); a stored file is left alone."""

    def __init__(self, kinds, max_bytes=None):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, file):
        if not file or getattr(file, "_committed", False):
            return
        upload = file.file if isinstance(file, FieldFile) else file
        spec = FileSpec(self.kinds, self.max_bytes)
        if spec.by_signature:
            spec.check_head(upload)
        else:
            spec.check(upload)
        upload.seek(0)

    def __eq__(self, other):
        return isinstance(other, FileValidator) and (self.kinds, self.max_bytes) == (
            other.kinds,
            other.max_bytes,
        )

"""Uploaded files are refused at once, in German, before anything is parsed or stored
(``core.uploads``); every file import declares its limits (``ImportJob.upload``) and
is tested here, discovered, not listed."""

import dataclasses
import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kommune360.core.imports import job_models
from kommune360.core.uploads import FileSpec, FileValidator, TableSpec, kind_of

IMPORTS = pytest.mark.parametrize("job_model", job_models(), ids=lambda m: m._meta.label)


def xlsx(rows=(("email", "name"), ("a@musterstadt.example", "A"))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb_xlsx(megabytes=200) -> bytes:
    """A real XLSX whose shared strings unpack to ``megabytes`` MB from a few hundred
    KB: the part openpyxl reads whole into memory, even read-only."""
    source = zipfile.ZipFile(io.BytesIO(xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                bomb.writestr(item, source.read(item))
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            for _ in range(megabytes * 2**20 // len(chunk)):
                part.write(chunk)
            part.write(b"</sst>")
    return buffer.getvalue()


class Unread(SimpleUploadedFile):
    def read(self, *args):
        raise AssertionError("read although too big")


def refusal(spec, name, content) -> str:
    with pytest.raises(ValidationError) as raised:
        spec.read(name, content)
    return raised.value.messages[0]


def test_every_import_declares_its_upload():
    assert job_models(), "no import found"
    for model in job_models():
        assert isinstance(model.upload, TableSpec), model


@IMPORTS
def test_a_zip_bomb_is_refused_from_its_directory(job_model):
    bomb = zip_bomb_xlsx()
    assert len(bomb) < 2**20  # 200 MB unpacked from less than 1 MB
    tracemalloc.start()
    message = refusal(job_model.upload, "liste.xlsx", bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert message.startswith("Die Datei ist gepackt zu groß: entpackt wären es mehr als 60 MB.")
    assert peak < 8 * 2**20  # nothing was unpacked


def test_the_shared_strings_of_a_table_are_bounded_on_their_own(settings):
    settings.UPLOAD_MAX_SHARED_STRINGS_BYTES = 2**20
    message = refusal(TableSpec(kinds=("xlsx",)), "liste.xlsx", zip_bomb_xlsx(megabytes=2))
    assert message.startswith("Die Tabelle enthält zu viel Text (mehr als 1 MB).")


@IMPORTS
def test_an_oversized_file_is_refused_before_it_is_read(job_model, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    content = b"email;name\n" + b"a@musterstadt.example;A\n" * 50
    upload = Unread("liste.csv", content)
    with pytest.raises(ValidationError) as raised:
        job_model.upload.check(upload)
    assert raised.value.messages == ["Die Datei ist größer als 1000 Bytes."]
    assert refusal(job_model.upload, "liste.csv", content) == "Die Datei ist größer als 1000 Bytes."


@IMPORTS
@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 kein Excel", b"\x89PNG\r\n\x1a\nbild", "email".encode("utf-16")],
    ids=["pdf", "png", "utf16"],
)
def test_a_wrong_type_renamed_to_xlsx_is_refused(job_model, content):
    message = refusal(job_model.upload, "liste.xlsx", content)
    assert message.startswith("Diese Art von Datei ist hier nicht möglich (erkannt am Inhalt")


@IMPORTS
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_rows_stop_the_reading_with_a_german_message(job_model, kind):
    if kind not in job_model.upload.kinds:
        pytest.skip(f"{job_model._meta.label} takes no {kind}")
    spec = dataclasses.replace(job_model.upload, max_rows=3)
    rows = [("email", "name")] + [(f"p{n}@musterstadt.example", "P") for n in range(4)]

    def table(rows):
        if kind == "xlsx":
            return xlsx(rows)
        return "\n".join(";".join(row) for row in rows).encode()

    message = refusal(spec, f"liste.{kind}", table(rows))
    assert (
        message == "Die Datei hat mehr als 3 Zeilen. Bitte teilen Sie sie in mehrere Dateien auf."
    )
    header, body = spec.read(f"liste.{kind}", table(rows[:4]))
    assert (header, len(body)) == (["email", "name"], 3)


def test_kinds_come_from_the_content_not_the_name():
    assert kind_of(xlsx()) == "xlsx"
    assert kind_of(b"%PDF-1.7") == "pdf"
    assert kind_of("Größe;Straße".encode("cp1252")) == "csv"
    with pytest.raises(ValidationError, match="lässt sich nicht öffnen"):
        kind_of(b"PK\x03\x04 zerbrochen")


def test_a_material_validator_checks_new_uploads_only():
    validate = FileValidator(["pdf"], 100)
    validate(SimpleUploadedFile("folien.pdf", b"%PDF-1.4 x"))
    with pytest.raises(ValidationError, match="nicht möglich"):
        validate(SimpleUploadedFile("folien.pdf", b"<html>"))
    with pytest.raises(ValidationError, match="größer als"):
        validate(SimpleUploadedFile("folien.pdf", b"%PDF-1.4 " + b"x" * 200))
    assert FileSpec(("txt",)).check_content("a.txt", b"Text").kind == "txt"


def test_audio_kinds_come_from_their_first_bytes_and_no_table_looks_like_audio():
    from tests.editorial import audio_files

    assert kind_of(audio_files.mp3(1)) == "mp3"
    assert kind_of(b"ID3\x04\x00\x00\x00\x00\x00\x00" + audio_files.mp3(1)) == "mp3"
    assert kind_of(audio_files.wav(1)) == "wav"
    assert kind_of(audio_files.ogg_opus(1)) == "ogg"
    assert kind_of(audio_files.m4a(1)) == "m4a"
    # Tables whose first cells spell a signature stay tables.
    for text in (b"ID3;Titel\n1;2\n", b"OggS;RIFF\n", b"RIFF1234WAVE;x\n", b"ftyp;x\n"):
        assert kind_of(text) == "csv", text


class CountingUpload(SimpleUploadedFile):
    """Remembers how much was read at most in one go."""

    largest_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.largest_read = max(self.largest_read, len(data))
        return data


def test_a_large_audio_file_is_checked_from_its_head_only():
    from kommune360.core.uploads import AUDIO_KINDS, HEAD_BYTES
    from tests.editorial import audio_files

    upload = CountingUpload("folge.wav", audio_files.wav(30, rate=22050))  # 1.3 MB
    assert FileSpec(AUDIO_KINDS, max_bytes=2 * 2**20).check_head(upload) == "wav"
    assert upload.largest_read == HEAD_BYTES
    assert upload.tell() == 0  # ready for whoever reads it next
    with pytest.raises(ValidationError, match="nicht möglich"):
        FileSpec(AUDIO_KINDS).check_head(SimpleUploadedFile("folge.mp3", b"%PDF-1.4 x"))
    with pytest.raises(ValueError):
        FileSpec(("csv",)).check_head(upload)  # a table needs its whole content

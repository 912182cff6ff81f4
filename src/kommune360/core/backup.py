"""One archive with everything a site needs to come back: ``kommune360 backup`` and
``kommune360 restore`` (docs/operations.md, decision 0131).

The archive is a tar file (written as ``ARCHIVE.partial`` and renamed when complete):

- ``database.pgdump`` (``pg_dump`` custom format) on PostgreSQL, or ``database.sqlite3``
  (SQLite's online backup) otherwise;
- ``files/<storage>/<name>``: every file of the storages in ``settings.STORAGES`` but the
  static files (local folders or the object storage alike);
- ``manifest.json``, written last: format and version, the database vendor, the row
  count of every table *in the copy*, and size and SHA-256 of the database copy and of
  every file.

Consistency while the site serves: on PostgreSQL the rows are counted in a repeatable-
read transaction whose snapshot ``pg_dump --snapshot`` then dumps, so counts and dump
are the same moment; on SQLite the counts are read from the finished copy. Files are
read after the database: a file uploaded meanwhile is merely extra, none the copy
names can be missing unless it was deleted in between.

``restore`` reads and checks the whole archive before it changes anything: a missing
or foreign manifest, a member whose checksum differs, a truncated tar, another database
vendor, or a target that already holds tables or files (without ``replace``) end with
``BackupError`` and a German message. After restoring it counts the rows and reads every
file back against the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection, connections
from django.utils import timezone

FORMAT = "kommune360-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
SKIPPED_STORAGES = {"staticfiles"}
SKIPPED_FOLDERS = {"healthz"}  # the deep health check's probes (core.health)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


# --- Reading the site ---------------------------------------------------------------


def storage_aliases() -> list[str]:
    return [alias for alias in settings.STORAGES if alias not in SKIPPED_STORAGES]


def walk(storage, folder=""):
    """Every file name in ``storage`` below ``folder``."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        if not folder and sub in SKIPPED_FOLDERS:
            continue
        yield from walk(storage, f"{folder}/{sub}" if folder else sub)


def site_files() -> list[tuple[str, str]]:
    return [(alias, name) for alias in storage_aliases() for name in walk(storages[alias])]


def _tables(cursor, vendor) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    return sorted(row[0] for row in cursor.fetchall())


def _count(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        quoted = table.replace('"', '""')
        cursor.execute(f'SELECT count(*) FROM "{quoted}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def row_counts(using="default") -> dict[str, int]:
    """Rows per table of the site's database as it is now."""
    db = connections[using]
    with db.cursor() as cursor:
        return _count(cursor, _tables(cursor, db.vendor))


def _pg_env(db) -> dict:
    params = db.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    return env


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# --- Backup -------------------------------------------------------------------------


def _dump_postgresql(target: Path) -> dict[str, int]:
    """Dump the database into ``target``; the row counts of the same snapshot."""
    db = connection
    db.ensure_connection()
    with db.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count(cursor, _tables(cursor, "postgresql"))
            result = subprocess.run(
                ["pg_dump", "-Fc", f"--snapshot={snapshot}", "--no-owner", "-f", str(target)],
                env=_pg_env(db),
                capture_output=True,
                text=True,
            )
        finally:
            cursor.execute("ROLLBACK")
    if result.returncode:
        raise BackupError(f"pg_dump ist gescheitert: {result.stderr.strip()}")
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # online: writers go on meanwhile
        cursor = copy.cursor()
        return _count(cursor, _tables(cursor, "sqlite"))
    finally:
        copy.close()


class _HashingReader(io.RawIOBase):
    """Reads a stored file for the tar and hashes what passes through."""

    def __init__(self, handle):
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.handle.read(len(buffer))
        self.digest.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)


def backup(archive: Path, *, log=lambda message: None) -> dict:
    """Write the archive; the manifest it contains."""
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"Datenbank {vendor} wird nicht unterstützt.")
    archive = Path(archive)
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="kommune360-backup-") as work:
        dump = Path(work) / DATABASE_MEMBER[vendor]
        counts = (_dump_postgresql if vendor == "postgresql" else _dump_sqlite)(dump)
        log(f"Datenbank: {len(counts)} Tabellen, {sum(counts.values())} Zeilen")
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": timezone.now().isoformat(),
            "vendor": vendor,
            "database": {
                "member": dump.name,
                "size": dump.stat().st_size,
                "sha256": _sha256_file(dump),
            },
            "tables": counts,
            "files": [],
        }
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=dump.name)
            for alias, name in site_files():
                storage = storages[alias]
                try:
                    size = storage.size(name)
                    handle = storage.open(name, "rb")
                except FileNotFoundError:
                    continue  # deleted since it was listed
                with handle:
                    reader = _HashingReader(handle)
                    info = tarfile.TarInfo(f"files/{alias}/{name}")
                    info.size, info.mtime = size, int(timezone.now().timestamp())
                    tar.addfile(info, io.BufferedReader(reader, CHUNK))
                if reader.size != size:
                    raise BackupError(f"Datei hat sich beim Lesen geändert: {alias}/{name}")
                manifest["files"].append(
                    {
                        "storage": alias,
                        "name": name,
                        "size": size,
                        "sha256": reader.digest.hexdigest(),
                    }
                )
            log(f"Dateien: {len(manifest['files'])}")
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, archive)
    return manifest


# --- Restore ------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def unpack(archive: Path, into: Path) -> dict:
    """Extract and check the whole archive; its manifest. Changes nothing outside ``into``."""
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                if not member.isfile() or not _safe_member(member.name):
                    raise BackupError(f"Unerwarteter Eintrag im Archiv: {member.name}")
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                with open(target, "wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                if target.stat().st_size != member.size:
                    raise BackupError(f"Archiv ist unvollständig: {member.name}")
    except (tarfile.TarError, EOFError, OSError) as error:
        if isinstance(error, FileNotFoundError) and not Path(archive).exists():
            raise BackupError(f"Archiv nicht gefunden: {archive}") from error
        raise BackupError(f"Archiv ist beschädigt oder unvollständig ({error}).") from error
    manifest_path = into / MANIFEST
    if not manifest_path.exists():
        raise BackupError(
            "Archiv ist unvollständig oder kein kommune360-Archiv: manifest.json fehlt."
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError("manifest.json ist beschädigt.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Kein kommune360-Archiv (fremdes manifest.json).")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Archivversion {manifest.get('version')} wird nicht unterstützt.")
    expected = [(manifest["database"]["member"], manifest["database"]["sha256"])]
    expected += [(f"files/{f['storage']}/{f['name']}", f["sha256"]) for f in manifest["files"]]
    for member, checksum in expected:
        path = into / member
        if not path.exists():
            raise BackupError(f"Archiv ist unvollständig: {member} fehlt.")
        if _sha256_file(path) != checksum:
            raise BackupError(f"Archiv ist beschädigt: Prüfsumme von {member} stimmt nicht.")
    unknown = {f["storage"] for f in manifest["files"]} - set(storage_aliases())
    if unknown:
        raise BackupError(f"Archiv nennt unbekannte Speicher: {', '.join(sorted(unknown))}.")
    return manifest


def target_contents() -> tuple[list[str], int]:
    """Tables of the site's database and the number of stored files."""
    with connection.cursor() as cursor:
        tables = _tables(cursor, connection.vendor)
    return tables, len(site_files())


def _restore_postgresql(dump: Path, replace: bool):
    db = connection
    if replace:
        with db.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    db.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "-d",
            db.settings_dict["NAME"],
            str(dump),
        ],
        env=_pg_env(db),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore ist gescheitert: {result.stderr.strip()}")


def _restore_sqlite(dump: Path, replace: bool):
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)  # replaces every page of the target
    finally:
        source.close()


def restore(archive: Path, *, replace=False, log=lambda message: None) -> dict:
    """Restore the archive into this site's database and storages; the manifest."""
    with tempfile.TemporaryDirectory(prefix="kommune360-restore-") as work:
        work = Path(work)
        manifest = unpack(Path(archive), work)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"Das Archiv stammt aus {manifest['vendor']}, die Zieldatenbank ist "
                f"{connection.vendor}; bitte in dieselbe Art Datenbank zurückspielen."
            )
        tables, files = target_contents()
        if (tables or files) and not replace:
            raise BackupError(
                f"Das Ziel ist nicht leer ({len(tables)} Tabellen, {files} Dateien). "
                "Zurückspielen nur in eine leere Datenbank und leere Speicher, "
                "oder mit --replace, das alles Vorhandene ersetzt."
            )
        log(f"Archiv geprüft: {len(manifest['tables'])} Tabellen, {len(manifest['files'])} Dateien")
        dump = work / manifest["database"]["member"]
        (_restore_postgresql if connection.vendor == "postgresql" else _restore_sqlite)(
            dump, replace
        )
        for alias, name in site_files() if replace else []:
            storages[alias].delete(name)
        for entry in manifest["files"]:
            storage = storages[entry["storage"]]
            with open(work / "files" / entry["storage"] / entry["name"], "rb") as handle:
                stored = storage.save(entry["name"], File(handle))
            if stored != entry["name"]:
                raise BackupError(f"Datei unter anderem Namen gespeichert: {stored}")
    verify(manifest)
    _after_restore()
    log("Zurückgespielt und geprüft.")
    return manifest


def verify(manifest: dict):
    """Row counts and every file's checksum as the manifest says."""
    counts = row_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Zeilenzahlen weichen ab: {wrong}")
    for entry in manifest["files"]:
        digest = hashlib.sha256()
        with storages[entry["storage"]].open(entry["name"], "rb") as handle:
            while block := handle.read(CHUNK):
                digest.update(block)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"Datei weicht ab: {entry['storage']}/{entry['name']}")


def _after_restore():
    """Pages cached before the restore must not be served again."""
    from .cache import invalidate_pages

    with contextlib.suppress(Exception):
        invalidate_pages()

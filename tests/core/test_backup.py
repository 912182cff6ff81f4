"""``kommune360 backup`` / ``restore`` on the database the tests run on (SQLite, or
PostgreSQL with ``DATABASE_URL``): a backup taken while rows are written, restored by
a separate process into a fresh database and data folder, gives every row and every
file back; a damaged or foreign archive is refused and nothing changes."""

import contextlib
import datetime
import json
import os
import subprocess
import sys
import tarfile
import threading
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, connections

from kommune360.core import backup
from kommune360.core.models import OutgoingMail

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _fill_storages():
    files = {
        ("default", "images/bild.png"): b"\x89PNG" + os.urandom(3000),
        ("default", "documents/leitfaden.pdf"): b"%PDF-1.4 " + os.urandom(70_000),
        ("private", "learning/folien.pdf"): b"%PDF-1.4 intern " + os.urandom(500),
    }
    for (alias, name), data in files.items():
        assert storages[alias].save(name, ContentFile(data)) == name
    return files


def _mail(n):
    return OutgoingMail(subject=f"Betreff {n}", to=[f"p{n}@example.org"], text="Hallo")


class Writer(threading.Thread):
    """Writes mail rows in its own connection until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop, self.written, self.error = threading.Event(), 0, None

    def run(self):
        try:
            while not self.stop.is_set():
                _mail(self.written).save()
                self.written += 1
        except Exception as error:  # reported by the test
            self.error = error
        finally:
            connections.close_all()


def _value(value):
    # Django's connection turns stored text into dates, numbers into booleans and keeps
    # JSON as text; the restored copy is read with the plain driver (other time zone).
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime.datetime) and value.tzinfo:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    if isinstance(value, str) and value[:1] in "[{":
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value if isinstance(value, int | float | bytes | type(None)) else str(value)


def _rows(cursor, table):
    cursor.execute(f'SELECT * FROM "{table}"')
    return sorted((tuple(map(_value, row)) for row in cursor.fetchall()), key=repr)


@pytest.fixture
def target(tmp_path, settings):
    """A fresh database and data folder for the restoring process: its environment."""
    data = tmp_path / "restored"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "REDIS", "S3_", "KOMMUNE360_", "DJANGO_"))
    }
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "SECRET_KEY": "x" * 50,
            "KOMMUNE360_DATA_DIR": str(data),
            "KOMMUNE360_TASKS": "immediate",
        }
    )
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        name = f"k360_restore_{uuid.uuid4().hex[:8]}"
        base = (
            f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        )
        if params.get("PASSWORD"):
            base = base.replace("@", f":{params['PASSWORD']}@", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{base}/{name}"
        env["_CONNECT"] = env["DATABASE_URL"]
        yield env, data
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["DATABASE_URL"] = f"sqlite:///{data / 'db.sqlite3'}"
        env["_CONNECT"] = str(data / "db.sqlite3")
        yield env, data


def _restore(env, archive, *extra):
    return subprocess.run(
        [sys.executable, "-m", "kommune360.manage", "restore", str(archive), *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def _connect(env):
    if connection.vendor == "postgresql":
        return psycopg.connect(env["_CONNECT"])
    import sqlite3

    return sqlite3.connect(env["_CONNECT"])


def test_backup_under_writes_restores_every_row_and_file(tmp_path, target):
    env, data = target
    files = _fill_storages()
    OutgoingMail.objects.bulk_create([_mail(n) for n in range(300)])
    writer = Writer()
    writer.start()
    try:
        while writer.written < 50 and writer.is_alive():
            pass
        archive = tmp_path / "sicherung.tar"
        manifest = backup.backup(archive)
    finally:
        writer.stop.set()
        writer.join()
    assert writer.error is None and writer.written > 50
    assert not archive.with_name("sicherung.tar.partial").exists()
    assert {(f["storage"], f["name"]) for f in manifest["files"]} == set(files)

    result = _restore(env, archive)
    assert result.returncode == 0, result.stderr

    mail_table = OutgoingMail._meta.db_table
    restored_db = _connect(env)
    with connection.cursor() as source:
        restored = restored_db.cursor()
        for table, count in manifest["tables"].items():
            rows = _rows(restored, table)
            assert len(rows) == count, table
            if table == mail_table:
                # Written after the snapshot: more rows now, the restored ones unchanged.
                assert set(rows) <= set(_rows(source, table))
                assert 300 <= count < OutgoingMail.objects.count()
            else:
                assert rows == _rows(source, table), table
    restored_db.close()
    for (alias, name), content in files.items():
        folder = "media" if alias == "default" else "private"
        assert (data / folder / name).read_bytes() == content


def test_restore_refuses_a_truncated_archive_and_changes_nothing(tmp_path, target):
    env, data = target
    _fill_storages()
    archive = tmp_path / "sicherung.tar"
    backup.backup(archive)
    whole = archive.read_bytes()
    truncated = tmp_path / "abgeschnitten.tar"
    truncated.write_bytes(whole[: len(whole) * 2 // 3])

    result = _restore(env, truncated)

    assert result.returncode != 0
    assert "unvollständig" in result.stderr or "beschädigt" in result.stderr
    assert not (data / "media").exists() or not any((data / "media").rglob("*.*"))
    if connection.vendor == "postgresql":
        with _connect(env) as restored:
            tables = restored.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()[0]
        assert tables == 0
    else:
        db = data / "db.sqlite3"
        assert not db.exists() or db.stat().st_size == 0


def test_restore_refuses_a_changed_file_and_a_foreign_archive(tmp_path, settings):
    _fill_storages()
    archive = tmp_path / "sicherung.tar"
    backup.backup(archive)
    changed = tmp_path / "verändert.tar"
    with tarfile.open(archive) as source, tarfile.open(changed, "w") as out:
        for member in source:
            content = source.extractfile(member).read()
            if member.name.endswith("bild.png"):
                content = content[:-1] + b"!"
            out.addfile(member, __import__("io").BytesIO(content))
    with pytest.raises(backup.BackupError, match="Prüfsumme"):
        backup.restore(changed)

    foreign = tmp_path / "fremd.tar"
    with tarfile.open(foreign, "w") as out:
        out.add(Path(__file__), arcname="manifest.json")
    with pytest.raises(backup.BackupError, match="beschädigt|kein kommune360"):
        backup.restore(foreign)
    assert OutgoingMail.objects.count() == 0  # nothing changed


def test_restore_refuses_a_target_that_is_not_empty(tmp_path):
    _fill_storages()
    archive = tmp_path / "sicherung.tar"
    backup.backup(archive)
    with pytest.raises(backup.BackupError, match="nicht leer.*--replace"):
        backup.restore(archive)


def test_replace_restores_over_a_changed_site(tmp_path):
    files = _fill_storages()
    OutgoingMail.objects.bulk_create([_mail(n) for n in range(5)])
    archive = tmp_path / "sicherung.tar"
    backup.backup(archive)
    OutgoingMail.objects.all().delete()
    storages["default"].save("images/neu.png", ContentFile(b"neu"))

    backup.restore(archive, replace=True)

    assert OutgoingMail.objects.count() == 5
    assert not storages["default"].exists("images/neu.png")
    for (alias, name), content in files.items():
        with storages[alias].open(name) as handle:
            assert handle.read() == content

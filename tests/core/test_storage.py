"""Every stored file goes through a storage named in ``settings.STORAGES``, so that the
backup of the database plus these storages is complete (docs/operations.md), and
private files never get an address under ``MEDIA_URL``."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import models

from kommune360.core.storage import PRIVATE, NamedStorage

SRC = Path(__file__).resolve().parents[2] / "src" / "kommune360"


def file_fields():
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def named(storage):
    """The alias in ``settings.STORAGES`` that ``storage`` is, or None."""
    if isinstance(storage, NamedStorage):
        return storage.alias if storage.alias in settings.STORAGES else None
    if storage is default_storage:
        return "default"
    return next((alias for alias in settings.STORAGES if storages[alias] is storage), None)


def test_every_file_field_uses_a_configured_storage():
    fields = file_fields()
    assert any(f.model._meta.app_label == "learning" for _m, f in fields)
    outside = [f"{m._meta.label}.{f.name}" for m, f in fields if named(f.storage) is None]
    assert outside == []


def test_no_code_makes_a_storage_of_its_own():
    """A storage with its own folder may only come from ``settings.STORAGES``."""
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            call = ast.unparse(node.func) if isinstance(node, ast.Call) else ""
            if "Storage" in call and call != "NamedStorage":
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
            if isinstance(node, ast.ClassDef) and path.name != "storage.py":
                bases = [ast.unparse(base) for base in node.bases]
                if any("Storage" in base for base in bases):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("alias", ["default", "private"])
def test_storages_keep_their_files_in_the_data_folder(alias):
    """The defaults: `<data>/media/` and `<data>/private/`, both in the data folder
    that a backup copies; the private one is not inside the public one."""
    from kommune360 import settings as defaults

    location = defaults.STORAGES[alias].get("OPTIONS", {}).get("location", defaults.MEDIA_ROOT)
    assert Path(location).resolve().is_relative_to(defaults.DATA_DIR)
    private = Path(defaults.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    assert not private.is_relative_to(Path(defaults.MEDIA_ROOT).resolve())


def test_private_files_have_no_address(settings):
    name = PRIVATE.save("learning/probe.txt", ContentFile(b"intern"))
    path = Path(PRIVATE.path(name))
    assert path.is_relative_to(settings.STORAGES["private"]["OPTIONS"]["location"])
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    with pytest.raises(ValueError):
        PRIVATE.url(name)


def test_a_stored_private_file_leaves_the_admin_form_whole(admin_client, home_page):
    """Django's file input asks a stored file for its address; a private file has none,
    and the edit form must still show every field (it was blank before)."""
    from kommune360.learning.models import Material
    from tests.factories.learning import ModuleFactory

    material = Material.objects.create(
        module=ModuleFactory(), title="Folien", file=ContentFile(b"%PDF-1.4 x", name="folien.pdf")
    )
    html = admin_client.get(f"/admin/snippets/learning/material/edit/{material.pk}/").content

    assert b'name="title"' in html and b'type="file" name="file"' in html
    assert b"/private/" not in html and material.file.name.encode() not in html


class _Stored:
    """What a model's ``FieldFile`` offers the views: a name in a storage."""

    def __init__(self, storage, name):
        self.storage, self.name = storage, name

    def open(self, mode="rb"):
        return self.storage.open(self.name, mode)

    @property
    def size(self):
        return self.storage.size(self.name)


class _BucketWithoutTheObject:
    def _error(self, *args):
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "404", "Message": "Not Found"}}, "HeadObject")

    open = size = _error


@pytest.mark.parametrize("storage", [PRIVATE, _BucketWithoutTheObject()], ids=["folder", "bucket"])
def test_a_file_the_storage_no_longer_has_is_a_missing_page(storage, caplog):
    from django.http import Http404

    from kommune360.core.storage import open_stored, stored_size

    gone = _Stored(storage, "podcast/2026/nicht-mehr-da.mp3")
    with pytest.raises(Http404):
        open_stored(gone)
    with pytest.raises(Http404):
        stored_size(gone)
    assert "podcast/2026/nicht-mehr-da.mp3" in caplog.text


def test_views_serve_stored_files_only_through_open_stored():
    """A view that opens a stored file itself would answer a missing one with 500."""
    found = []
    for path in SRC.rglob("*views*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ".open(" in line and "open_stored" not in line:
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert found == []

"""Every file the site stores goes through a storage named in ``settings.STORAGES``:
"default" for media anyone may fetch under ``MEDIA_URL`` (Wagtail's images and
documents), "private" for files only a view that checks access may serve (cohort
material). A backup is the database plus the files of these storages
(``kommune360 backup``, docs/operations.md); with ``S3_BUCKET`` both live in an
S3-compatible object storage (``MediaS3Storage``, ``PrivateS3Storage``) so that several
servers share them. ``tests/core/test_storage.py`` checks that no model field keeps
files anywhere else.

A ``FileField`` names its private storage with ``storage=private_storage`` (a callable,
so migrations record the name, never a folder).
"""

import logging
from urllib.parse import urljoin

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty


class NamedStorage(LazyObject):
    """The storage called ``alias`` in ``settings.STORAGES``, looked up when first used
    and again after the setting changed (tests point it to a temporary folder)."""

    def __init__(self, alias):
        super().__init__()
        self.__dict__["alias"] = alias
        _named.append(self)

    def _setup(self):
        self._wrapped = storages[self.alias]


_named: list[NamedStorage] = []


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT", "MEDIA_URL"):
        for storage in _named:
            storage._wrapped = empty


class NoAddress(ValueError, AttributeError):
    """A private file has no address. It is an ``AttributeError`` too, so that code
    asking whether a file has one (``getattr(file, "url", None)``, as Django's file
    input does for the file already stored) gets "no" instead of an error, and
    templates show none; ``core.forms.StoredFileInput`` names the stored file instead."""

    silent_variable_failure = True


class PrivateFileSystemStorage(FileSystemStorage):
    """Files in a folder no URL maps to: they have no address of their own."""

    def url(self, name):
        raise NoAddress("Private files are served by a view that checks access.")


PRIVATE = NamedStorage("private")


def private_storage():
    """For ``FileField(storage=private_storage)``."""
    return PRIVATE


logger = logging.getLogger(__name__)

# What a storage raises for a file it no longer has: the folder's error, or the bucket's.
MISSING = (FileNotFoundError, ClientError)


def _missing(field_file, error):
    logger.warning("The stored file %s is missing: %s", field_file.name, error)
    return Http404(field_file.name)


def open_stored(field_file, mode="rb"):
    """The open file behind ``field_file`` for a view that serves it. A file its storage
    no longer has (files not restored with a backup, an object deleted in the bucket)
    is a missing page, 404, never a server error; the log names it for the operator."""
    try:
        handle = field_file.open(mode)
    except MISSING as error:
        raise _missing(field_file, error) from error
    return handle


def stored_size(field_file):
    """The size of the file behind ``field_file``; 404 if it is missing (``open_stored``)."""
    try:
        return field_file.size
    except MISSING as error:
        raise _missing(field_file, error) from error


def _s3_base():
    from storages.backends.s3 import S3Storage

    return S3Storage


class MediaS3Storage(_s3_base()):
    """Public media in the object storage (settings ``S3_BUCKET``): their addresses stay
    under ``MEDIA_URL``, which the reverse proxy forwards to the bucket (so pages keep
    one origin and the content security policy needs no other host)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))


class PrivateS3Storage(_s3_base()):
    """Private files in the object storage: no address, like ``PrivateFileSystemStorage``."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NoAddress("Private files are served by a view that checks access.")

"""Running an ``ImportJob`` (``core.models``) in the task worker, and picking up jobs
whose worker died.

A job is taken once per delivery of its task: ``take`` moves a queued job to "running"
under its row lock and counts the attempt. Every sign of life (queued, taken, progress)
is written to ``heartbeat``. A run changes its job only while it is the job's current
attempt (``beat``, ``finish``, ``fail`` compare ``attempts``), so a run that was given up
can neither store the file a second time nor overwrite the next run's state.

``recover_interrupted`` runs every few minutes (a ``Periodic`` of the core app). A job
nobody has heard of for ``STALE_AFTER`` lost its worker: a running job's write
transaction was rolled back with it, so nothing of it is stored, and the job goes back
into the queue; after ``MAX_ATTEMPTS`` interrupted runs it fails with a message. A
queued job whose task got lost is queued again (a second delivery changes nothing).
On PostgreSQL a job whose row is locked is being written right now and is skipped.

``queue`` records a new job, ``import_checked`` („Jetzt importieren“) turns a finished
dry run that kept its file into the real import of that file, on the same row, for
every kind of import.

``forget_files`` (daily) deletes the copy of the uploaded file a finished job still
keeps after ``KEEP_FILE_FOR``.
"""

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ImportJob

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3
# How long a finished job keeps its copy of the file (a clean dry run: for „Jetzt
# importieren“); then the copy is deleted (addresses in a newsletter list are personal).
KEEP_FILE_FOR = timedelta(days=7)

State = ImportJob.State


class Superseded(Exception):
    """This run is no longer the job's current attempt; it must stop and store nothing."""


def job_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, ImportJob) and not model._meta.abstract
    ]


def queued_fields(now=None) -> dict:
    """The fields that put a job (back) into the queue."""
    return {"state": State.QUEUED, "heartbeat": now or timezone.now()}


def queue(model, **fields):
    """A new job of ``model`` with ``fields`` (its file and choices), handed to its task
    after the commit. Call inside the transaction that records the rest of the job."""
    job = model.objects.create(**fields, **queued_fields())
    transaction.on_commit(job.enqueue)
    return job


def import_checked(model, job_id, actor):
    """„Jetzt importieren“: the finished dry run ``job_id`` becomes the real import of
    the file it kept, on the same row (same file, same choices), queued again.

    The row is locked and its state checked, so a second click, a second editor or a
    reloaded form cannot import the file twice: they get a ``ValidationError`` with a
    German message. A dry run keeps its file only if it may be imported
    (``model.file_field``).
    """
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job_id)
        if not job.dry_run:
            raise ValidationError(_("Diese Datei wird bereits importiert oder ist importiert."))
        if job.state != State.DONE or not getattr(job, model.file_field):
            raise ValidationError(str(model.not_importable))
        job.dry_run = False
        job.actor = actor
        job.errors = []
        job.rows_done = job.created_count = job.attempts = 0
        job.finished_at = None
        fields = ["dry_run", "actor", "errors", "rows_done", "created_count", "attempts"]
        fields += ["finished_at", *queued_fields()]
        for name, value in queued_fields().items():
            setattr(job, name, value)
        if hasattr(job, "started_at"):
            job.started_at = None
            fields.append("started_at")
        job.save(update_fields=fields)
        transaction.on_commit(job.enqueue)
    return job


def take(model, job_id):
    """The job, now running as a new attempt; ``None`` if it is not queued (a second
    delivery of the task, or a job that was given up or finished meanwhile)."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != State.QUEUED:
            return None
        job.state = State.RUNNING
        job.attempts += 1
        job.heartbeat = timezone.now()
        fields = ["state", "attempts", "heartbeat"]
        if hasattr(job, "started_at"):
            job.started_at = job.heartbeat
            fields.append("started_at")
        job.save(update_fields=fields)
    return job


def _current(job):
    return type(job).objects.filter(pk=job.pk, state=State.RUNNING, attempts=job.attempts)


def beat(job, done, total) -> None:
    """Record progress (rows checked of rows in the file) as a sign of life."""
    if not _current(job).update(rows_done=done, rows_total=total, heartbeat=timezone.now()):
        raise Superseded


def claim(job) -> None:
    """Inside the transaction that stores the file: lock the job row and make sure this
    run is still the current attempt (else ``Superseded``, which rolls it back)."""
    if not _current(job).select_for_update().exists():
        raise Superseded


def finish(job, **fields) -> None:
    """Mark the current attempt done with ``fields``; inside the storing transaction, so
    that the file's rows and the job's state are committed together."""
    if not _current(job).update(state=State.DONE, finished_at=timezone.now(), **fields):
        raise Superseded


def fail(job, failure, **fields) -> None:
    """Mark the current attempt failed with a message for the editor (nothing if a newer
    attempt has taken over)."""
    _current(job).update(state=State.FAILED, finished_at=timezone.now(), failure=failure, **fields)


@contextmanager
def failing_with(job, failure):
    """Around a run's work: a run that was superseded stops quietly (the current one
    goes on); any other error is logged and fails the job with ``failure`` (German, for
    the editor), and the job keeps no copy of the file."""
    try:
        yield
    except Superseded:
        logger.warning("%s %s: run %s was superseded", job._meta.label, job.pk, job.attempts)
    except Exception:
        logger.exception("%s %s failed", job._meta.label, job.pk)
        fail(job, failure, **job.without_file())


def recover_interrupted(now=None) -> dict:
    """Queue again every job not heard of for ``STALE_AFTER``, or fail it after
    ``MAX_ATTEMPTS`` interrupted runs. Returns the counts ``{"queued": n, "failed": n}``."""
    now = now or timezone.now()
    limit = now - STALE_AFTER
    counts = {"queued": 0, "failed": 0}
    for model in job_models():
        with transaction.atomic():
            stale = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(state__in=[State.QUEUED, State.RUNNING])
                .filter(Q(heartbeat__lt=limit) | Q(heartbeat=None, created__lt=limit))
                .only("pk", "state", "attempts", "heartbeat")
                .order_by("pk")
            )
            for job in stale:
                # Unchanged since it was read (on SQLite a live run may just have beaten).
                unchanged = model.objects.filter(
                    pk=job.pk, state=job.state, attempts=job.attempts, heartbeat=job.heartbeat
                )
                if job.state == State.RUNNING and job.attempts >= MAX_ATTEMPTS:
                    failed = unchanged.update(
                        state=State.FAILED,
                        finished_at=now,
                        failure=_(
                            "Der Import wurde %(count)s-mal unterbrochen, bevor er fertig war "
                            "(etwa durch einen Neustart des Servers). Es wurde nichts "
                            "gespeichert. Bitte laden Sie die Datei erneut hoch."
                        )
                        % {"count": job.attempts},
                        **model.without_file(),
                    )
                    counts["failed"] += failed
                    if failed:
                        logger.warning(
                            "%s %s failed after %s interrupted runs",
                            model.__name__,
                            job.pk,
                            job.attempts,
                        )
                elif unchanged.update(**queued_fields(now)):
                    counts["queued"] += 1
                    logger.warning("%s %s queued again (%s)", model.__name__, job.pk, job.state)
                    transaction.on_commit(lambda job=job: job.enqueue())
    return counts


def forget_files(now=None) -> int:
    """Delete the uploaded file of every job finished more than ``KEEP_FILE_FOR`` ago;
    the number of files deleted."""
    limit = (now or timezone.now()) - KEEP_FILE_FOR
    deleted = 0
    for model in job_models():
        empty = model.without_file()
        if empty:
            deleted += (
                model.objects.filter(state__in=[State.DONE, State.FAILED], finished_at__lt=limit)
                .exclude(**empty)
                .update(**empty)
            )
    return deleted

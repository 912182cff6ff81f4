"""Background work of the core app (django-tasks)."""

from django_tasks import task


@task()
def recover_import_jobs() -> dict:
    """Queue again the file imports whose worker died; the worker runs it every few
    minutes (registry ``Periodic``)."""
    from .imports import recover_interrupted

    return recover_interrupted()


@task()
def forget_import_files() -> int:
    """Delete the copies of uploaded files that finished imports no longer need; the
    worker runs it daily (registry ``Periodic``)."""
    from .imports import forget_files

    return forget_files()

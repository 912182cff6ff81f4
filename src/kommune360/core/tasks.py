"""Background work of the core app (django-tasks)."""

from django_tasks import task


@task()
def recover_import_jobs() -> dict:
    """Queue again the file imports whose worker died; the worker runs it every few
    minutes (registry ``Periodic``)."""
    from .imports import recover_interrupted

    return recover_interrupted()

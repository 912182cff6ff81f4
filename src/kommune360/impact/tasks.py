"""Tasks of the impact app: idempotent, safe to run again."""

from django_tasks import task


@task()
def refresh_figures_task() -> int:
    from .figures import refresh_recent

    return refresh_recent()


@task()
def send_surveys_task() -> int:
    from .surveys import send_due

    return send_due()

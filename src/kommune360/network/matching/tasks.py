"""Tasks of the matching rounds: idempotent, they may run more than once."""

from django_tasks import task


@task()
def send_follow_ups_task() -> int:
    from .services import send_follow_ups

    return send_follow_ups()

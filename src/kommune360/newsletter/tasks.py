"""Tasks of the newsletter: they take ids and may run again at any time."""

from django.utils import timezone
from django_tasks import default_task_backend, task

from . import sending


@task()
def run_campaign_task(campaign_id: int) -> str:
    result = sending.run_campaign(campaign_id)
    next_retry = result.get("next_retry")
    if result.get("state") == "sending" and default_task_backend.supports_defer:
        # Temporary errors wait with growing pauses; come back when the first is due.
        run_campaign_task.using(run_after=next_retry or timezone.now()).enqueue(campaign_id)
    return str(result.get("state"))


@task()
def start_scheduled_campaigns_task() -> list[int]:
    """Start the planned sendings that are due; the worker runs it every minute
    (registry ``Periodic``). Each starts once, however many workers run this."""
    from .services import start_due_campaigns

    return start_due_campaigns()


@task()
def import_subscribers_task(job_id: int) -> None:
    from .services import run_import_job

    run_import_job(job_id)


@task()
def resume_stalled_campaigns_task() -> list[int]:
    """Queue again the campaigns whose worker died while sending (killed, machine gone);
    the worker runs it every minute (registry ``Periodic``). The new run takes over and
    settles the dead worker's rows from its journal (``sending.take_over``)."""
    return sending.resume_stalled()

"""Background work of the atlas (django-tasks)."""

from django_tasks import task


@task()
def remind_stale_offers() -> int:
    """Monthly: ask providers to confirm offers unchecked for 12 months (idempotent per
    month: an offer reminded this month is skipped)."""
    from .services import remind_stale_offers as remind

    return remind()

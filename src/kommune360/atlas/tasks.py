"""Background work of the atlas (django-tasks)."""

from django_tasks import task


@task()
def remind_stale_offers() -> int:
    """Ask providers to confirm offers unchecked for 12 months. The worker runs it daily
    (registry ``Periodic``); each provider gets at most one mail per calendar month."""
    from .services import remind_stale_offers as remind

    return remind()

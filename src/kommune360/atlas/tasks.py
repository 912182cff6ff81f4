"""Background work of the atlas (django-tasks)."""

from django_tasks import task


@task()
def remind_stale_offers() -> int:
    """Ask providers to confirm offers unchecked for 12 months. The worker runs it daily
    (registry ``Periodic``); each provider gets at most one mail per calendar month."""
    from .services import remind_stale_offers as remind

    return remind()


@task()
def import_offers_task(job_id: int) -> None:
    """Check (and, unless it is a dry run, import) the file of one ``OfferImportJob``;
    a job that is no longer queued is left alone."""
    from .services import run_import_job

    run_import_job(job_id)


@task()
def update_offer_references(offer_ids: list[int]) -> int:
    """Record the imported offers' references (provider, format, terms) in Wagtail's
    reference index, which the admin's usage counts and delete warnings read."""
    from wagtail.models import ReferenceIndex

    from .models import Offer

    count = 0
    for offer in Offer.objects.filter(pk__in=offer_ids).iterator(500):
        ReferenceIndex.create_or_update_for_object(offer)
        count += 1
    return count

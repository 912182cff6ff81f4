"""Keep the search index in step with changes made anywhere.

These receivers are the one place that indexes an offer: the services, the Wagtail
admin's snippet forms (which save the offer, then its many-to-many fields) and renamed
taxonomy terms all reach them. Inside ``indexing_deferred()`` (each service, the whole
import) an offer saved and linked several times is indexed once, at the end. The page
cache follows through the registry (``PageDependency`` in ``apps.py``).
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from kommune360.core.cache import invalidation_deferred
from kommune360.core.gv100ad import municipalities_changed
from kommune360.core.models import (
    Format,
    Method,
    Municipality,
    SynonymGroup,
    TargetGroup,
    Topic,
)

from . import facet_index
from .models import Offer, Provider
from .search import index_offer, index_offers

TEXT_FIELDS = {
    "title",
    "summary",
    "description",
    "provider",
    "format",
    "learning_goals",
    "accreditation",
}


_deferred = threading.local()


@contextmanager
def indexing_deferred():
    """Offers saved or linked inside are indexed once, together, when the block ends
    without an error (one rewrite of their search text, one new facet snapshot token,
    the page cache emptied once) instead of once per save and per many-to-many field.
    Blocks may nest (the import calls services); the outermost one indexes. Use inside
    the writing transaction, so the index is committed with the offers."""
    if getattr(_deferred, "ids", None) is not None:
        yield
        return
    _deferred.ids = set()
    try:
        with invalidation_deferred():
            yield
            ids = _deferred.ids
            _deferred.ids = None
            index_offers(sorted(ids))
    finally:
        _deferred.ids = None


def _index_or_defer(offer):
    ids = getattr(_deferred, "ids", None)
    if ids is None:
        index_offer(offer)
    else:
        ids.add(offer.pk)


@receiver(post_save, sender=Offer, dispatch_uid="atlas-offer-saved")
def offer_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is None or set(update_fields) & TEXT_FIELDS:
        _index_or_defer(instance)  # bumps the facet snapshot too
    else:
        facet_index.bump()  # status, dates, facets: the list's snapshot changes


@receiver(post_delete, sender=Offer, dispatch_uid="atlas-offer-deleted")
def offer_deleted(sender, instance, **kwargs):
    facet_index.bump()


def _m2m_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Offer):
        _index_or_defer(instance)


for _field in ("methods", "topics", "target_groups"):
    m2m_changed.connect(
        _m2m_changed,
        sender=getattr(Offer, _field).through,
        dispatch_uid=f"atlas-offer-{_field}",
    )


@receiver(post_save, sender=Provider, dispatch_uid="atlas-provider-saved")
def provider_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    index_offers(instance.offers.values_list("pk", flat=True))


def _term_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    facet_index.bump()  # names and order of the facet values live in the snapshot
    if created:
        return
    relation = {Method: "methods", Topic: "topics", TargetGroup: "target_groups"}.get(sender)
    if relation:
        index_offers(Offer.objects.filter(**{relation: instance}).values_list("pk", flat=True))
    else:
        index_offers(Offer.objects.filter(format=instance).values_list("pk", flat=True))


def _term_deleted(sender, instance, **kwargs):
    facet_index.bump()  # its links to offers went with it (no m2m_changed signal)


def _municipalities_changed(ids):
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED, municipality_id__in=ids)
    if published.exists():
        facet_index.bump()  # the snapshot keeps the names of the offers' municipalities


@receiver(post_save, sender=Municipality, dispatch_uid="atlas-municipality-saved")
def municipality_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _municipalities_changed([instance.pk])


@receiver(municipalities_changed, dispatch_uid="atlas-municipalities-imported")
def municipalities_imported(sender, ids, **kwargs):
    _municipalities_changed(ids)


@receiver(post_save, sender=SynonymGroup, dispatch_uid="atlas-synonyms-saved")
@receiver(post_delete, sender=SynonymGroup, dispatch_uid="atlas-synonyms-deleted")
def synonyms_changed(sender, raw=False, **kwargs):
    if not raw:
        facet_index.bump()  # the list searches with the synonyms kept in the snapshot


for _model in (Method, Topic, TargetGroup, Format):
    post_save.connect(_term_saved, sender=_model, dispatch_uid=f"atlas-term-{_model.__name__}")
    post_delete.connect(
        _term_deleted, sender=_model, dispatch_uid=f"atlas-term-deleted-{_model.__name__}"
    )

"""The atlas list's page of offers, read from the database only when it is shown."""

from django.utils.functional import SimpleLazyObject

from kommune360.core.models import Format

from .models import Offer

# What a result card shows (``atlas/_results.html``); fewer columns, less to convert.
CARD_FIELDS = (
    "title",
    "slug",
    "summary",
    "certificate",
    "cost",
    "cost_amount",
    "delivery",
    "region",
    "state",
    "format_id",
    "provider__name",
    "municipality__name",
)


class RankedOffers:
    """The matches as a sequence for ``Paginator``: its length is the count, and a
    slice orders and reads only that page, when the page is first used (a member
    whose results come from the shared parts reads none)."""

    def __init__(self, query):
        self.query = query
        query._match()

    def count(self):
        return self.query.total

    def __len__(self):
        return self.query.total

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("RankedOffers supports plain slices only")
        start, stop, _step = index.indices(self.query.total)
        return SimpleLazyObject(lambda: self._read(start, stop))

    def _read(self, start, stop):
        ids = [int(pk) for pk in self.query.ids_between(start, stop)]
        snap = self.query.snapshot
        offers = {
            offer.pk: offer
            for offer in Offer.objects.filter(pk__in=ids)
            .select_related("provider", "municipality")
            .only(*CARD_FIELDS)
            .order_by()
        }
        formats = {term.pk: term for term in snap.taxonomy[Format]}
        audiences = snap.terms_of_many("target_groups", ids)
        result = []
        for pk in ids:
            if offer := offers.get(pk):
                if offer.format_id in formats:  # the snapshot has the formats: no join
                    offer.format = formats[offer.format_id]
                offer.audience = audiences.get(pk, [])
                result.append(offer)
        return result

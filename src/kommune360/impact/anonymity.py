"""The k-anonymity rule of every breakdown on the impact pages, downloads and report.

A count below ``MIN_GROUP`` in a breakdown (answers per option, answers of a survey)
is never shown as a number: ``shown(count)`` gives "weniger als 5" instead. Results of
a group smaller than ``MIN_GROUP`` (a survey's answers, a question's values) are not
shown at all (``enough(count)``).
"""

from django.utils.translation import gettext as _

MIN_GROUP = 5


def enough(count: int) -> bool:
    return count >= MIN_GROUP


def shown(count: int):
    """The count if it may be shown, else the German "weniger als 5"."""
    if count >= MIN_GROUP:
        return count
    return _("weniger als %(min)s") % {"min": MIN_GROUP}


def breakdown(counts: list[int]) -> list:
    """The cells of a breakdown whose total is shown: every count below ``MIN_GROUP`` is
    hidden, and when that hides a single cell, the smallest other one as well — else the
    hidden one would follow from the total minus the rest."""
    hidden = {index for index, count in enumerate(counts) if count < MIN_GROUP}
    if len(hidden) == 1 and len(counts) > 1:
        others = [index for index in range(len(counts)) if index not in hidden]
        hidden.add(min(others, key=lambda index: counts[index]))
    return [shown(0) if index in hidden else count for index, count in enumerate(counts)]

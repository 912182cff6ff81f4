"""The training requests' part of a person's data export and of account deletion: only
the details a person asked to keep (a request itself is never stored)."""

from .models import SavedDetails
from .services import KEPT_FIELDS


def export_personal_data(user):
    saved = SavedDetails.objects.filter(user=user).first()
    if saved is None:
        return {}
    return {
        **{f: getattr(saved, f) for f in KEPT_FIELDS},
        "updated_at": saved.updated_at.isoformat(),
    }


def identifiers(user):
    """The name the person asked to keep for the next request."""
    return list(SavedDetails.objects.filter(user=user).values_list("name", flat=True))


def erase_personal_data(user) -> None:
    SavedDetails.objects.filter(user=user).delete()

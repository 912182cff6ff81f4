"""The atlas's part of a person's data export and of account deletion."""

from .models import Offer, Provider


def export_personal_data(user):
    return {
        "maintained_providers": list(
            Provider.objects.filter(maintainers=user).values_list("name", flat=True)
        ),
        "offers_created": [
            {"title": o.title, "status": o.get_status_display(), "created": o.created}
            for o in Offer.objects.filter(created_by=user).only("title", "status", "created")
        ],
    }


def erase_personal_data(user):
    # The offers belong to their provider and stay; only the link to the person goes.
    Offer.objects.filter(created_by=user).update(created_by=None)
    for provider in Provider.objects.filter(maintainers=user):
        provider.maintainers.remove(user)

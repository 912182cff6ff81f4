"""The atlas's part of a person's data export and of account deletion."""

from .models import Offer, Provider, ProviderRequest


def export_personal_data(user):
    return {
        "maintained_providers": list(
            Provider.objects.filter(maintainers=user).values_list("name", flat=True)
        ),
        "offers_created": [
            {"title": o.title, "status": o.get_status_display(), "created": o.created}
            for o in Offer.objects.filter(created_by=user).only("title", "status", "created")
        ],
        "provider_requests": [
            {
                "organisation": r.organisation_name,
                "website": r.website,
                "note": r.note,
                "status": r.status,
                "created": r.created,
                "decided_at": r.decided_at,
                "message": r.reason,
            }
            for r in ProviderRequest.objects.filter(user=user)
            .select_related("provider")
            .order_by("created", "pk")
        ],
    }


def erase_personal_data(user):
    # The offers belong to their provider and stay; only the link to the person goes.
    Offer.objects.filter(created_by=user).update(created_by=None)
    for provider in Provider.objects.filter(maintainers=user):
        provider.maintainers.remove(user)
    # A request is the person's own (their note, their proposal); an organisation it
    # created stays. Requests the person decided as an editor lose the link to them.
    ProviderRequest.objects.filter(user=user).delete()
    ProviderRequest.objects.filter(decided_by=user).update(decided_by=None)

"""The newsletter's part of a person's data export and of account deletion."""

from kommune360.core.addresses import normalize_email

from .models import Delivery, Subscriber


def export_personal_data(user):
    subscriber = (
        Subscriber.objects.filter(email=normalize_email(user.email))
        .prefetch_related("topics", "consent_events")
        .first()
    )
    if subscriber is None:
        return None
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "status": subscriber.get_state_display(),
        "grundlage": subscriber.get_basis_display(),
        "themen": [t.name for t in subscriber.topics.all()],
        "einwilligungshistorie": [e.as_export() for e in subscriber.consent_events.all()],
    }


def identifiers(user):
    """The name given at sign-up."""
    return list(
        Subscriber.objects.filter(email=normalize_email(user.email)).values_list("name", flat=True)
    )


def erase_personal_data(user):
    """Delete the subscriber and its history; a suppression hash stays (objection)."""
    address = normalize_email(user.email)
    Delivery.objects.filter(subscriber__email=address).update(email="")
    Subscriber.objects.filter(email=address).delete()

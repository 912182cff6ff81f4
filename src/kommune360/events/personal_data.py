"""The events app's part of a person's data export and of account deletion."""

from django.db.models import Q
from django.utils import timezone

from .models import Registration


def _registrations(user):
    return Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email)).select_related(
        "event"
    )


def export_registrations(user):
    return [
        {
            "event": r.event.title,
            "starts_at": r.event.starts_at,
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation,
            "status": r.get_status_display(),
            "registered_at": r.created_at,
            "checked_in_at": r.checked_in_at,
            "answers": {a.question.label: a.value for a in r.answers.select_related("question")},
            "sessions": [c.session.title for c in r.choices.select_related("session")],
        }
        for r in _registrations(user)
    ]


def registration_identifiers(user):
    """Names and addresses as typed into the registration form."""
    return [text for row in _registrations(user).values_list("name", "email") for text in row]


def erase_registrations(user):
    """Cancel upcoming places (so the waitlist moves on), take the name off their
    certificates, then delete every registration."""
    from kommune360.core.certificates import certificates_of, forget_holders

    from .services import cancel_registration

    now = timezone.now()
    for registration in _registrations(user):
        if (
            registration.status != Registration.Status.CANCELLED
            and registration.event.ends_at > now
        ):
            cancel_registration(registration, actor=None, notify=False)
    forget_holders(certificates_of(_registrations(user)))
    _registrations(user).delete()

"""The account's own part of a person's data export and of account deletion."""


def export_account(user):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": user.organisation,
        "position": user.position,
        "municipality": str(user.municipality) if user.municipality_id else None,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "two_factor_methods": sorted(
            a.get_type_display() for a in Authenticator.objects.filter(user=user)
        ),
    }


def erase_account(user):
    # The account row, its addresses and authenticators go with ``user.delete()``;
    # the audit log keeps entries but loses the link to the person (SET_NULL).
    pass


def account_identifiers(user):
    """The account's addresses and the name as the person gave it."""
    from allauth.account.models import EmailAddress

    return [
        user.email,
        user.get_full_name(),
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    ]

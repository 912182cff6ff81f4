"""Participation's part of a person's data export and of account deletion."""

from django.db.models import Q

from .models import BlockedAuthor, Contribution, Report, Status
from .services.limits import email_hash


def _own(user):
    """Everything written by the account or under its address (erasure removes all of it)."""
    return Contribution.objects.filter(Q(author=user) | Q(author_email__iexact=user.email)).exclude(
        is_official=True
    )


def _confirmed_own(user):
    """What the person wrote: under their address only once the address was confirmed.

    Anybody can type anybody's address into the form; until the link in the mail was
    clicked, the contribution is not the address owner's and stays out of their export.
    """
    return _own(user).filter(Q(author=user) | Q(email_confirmed_at__isnull=False))


def export_personal_data(user):
    """The person's contributions, the reports they made and a block against them."""
    reports = Report.objects.filter(reporter=user).select_related("contribution")
    blocks = BlockedAuthor.objects.filter(Q(user=user) | Q(email__iexact=user.email))
    return {
        "contributions": _export_contributions(user),
        "reports": [
            {
                "contribution": r.contribution_id,
                "target": r.contribution.target_title,
                "reason": r.get_reason_display(),
                "note": r.note,
                "created": r.created,
            }
            for r in reports.order_by("created")
        ],
        "blocked": [{"reason": b.reason, "created": b.created} for b in blocks],
    }


def _export_contributions(user):
    return [
        {
            "id": c.pk,
            "target": c.target_title,
            "kind": c.get_kind_display(),
            "role": c.get_role_display(),
            "affiliation": c.affiliation,
            "text": c.text,
            "name": c.author_name,
            "email": c.author_email or user.email,
            "anonymous": c.anonymous,
            "keep_text_on_erasure": c.keep_text_on_erasure,
            "consent_version": c.consent_version,
            "consented_at": c.consented_at,
            "status": c.get_status_display(),
            "created": c.created,
            "published_at": c.published_at,
        }
        for c in _confirmed_own(user).order_by("created")
    ]


def identifiers(user):
    """Names and addresses as typed into the contribution form."""
    rows = _own(user).values_list("author_name", "author_email")
    return [text for row in rows for text in row]


def erase_personal_data(user):
    """Remove the author from their contributions; keep the text only if they chose so."""
    own = _own(user)
    keep = own.filter(keep_text_on_erasure=True, status=Status.PUBLISHED)
    kept = keep.update(author=None, author_name="", author_email="", anonymous=True, affiliation="")
    own.exclude(pk__in=keep.values("pk")).delete()
    Contribution.objects.filter(author=user, is_official=True).update(author=None)
    # Reports still count (three hide a contribution), but no longer point at the person.
    Report.objects.filter(reporter=user).update(reporter=None, note="")
    BlockedAuthor.objects.filter(Q(user=user) | Q(email__iexact=user.email)).update(
        user=None, email=email_hash(user.email)
    )
    return kept

"""The network's part of a person's data export and of account deletion.

Erasure removes the profile (with its photo and search words), the person's contact
requests in both directions, blocks and the reports they filed; reports about them
go with the profile. Nothing of theirs stays in the directory or the contacts.
"""

from django.db.models import Q

from .models import FIELDS, Block, ContactRequest, Profile, Report, Visibility


def export_personal_data(user):
    profile = (
        Profile.objects.filter(user=user)
        .prefetch_related("topics", "offers_topics", "seeks_topics")
        .select_related("municipality")
        .first()
    )
    data = {"profile": None}
    if profile is not None:
        data["profile"] = {
            "visible": profile.is_active,
            "name": profile.name,
            "role": profile.get_role_display() if profile.role else "",
            "municipality": profile.municipality.ags if profile.municipality_id else "",
            "topics": [t.name for t in profile.topics.all()],
            "offers": profile.offers,
            "offers_topics": [t.name for t in profile.offers_topics.all()],
            "seeks": profile.seeks,
            "seeks_topics": [t.name for t in profile.seeks_topics.all()],
            "languages": profile.languages,
            "links": profile.link_list,
            "photo": bool(profile.photo),
            "visibility": {
                name: str(Visibility(profile.visibility_of(name)).label) for name in FIELDS
            },
            "fellow_year": profile.fellow_year if profile.is_fellow else None,
            "created": profile.created,
        }
    data["contact_requests_sent"] = [
        {"message": r.message, "state": r.get_state_display(), "created": r.created}
        for r in ContactRequest.objects.filter(sender=user).order_by("created", "pk")
    ]
    data["contact_requests_received"] = [
        {
            "message": r.message,
            "state": r.get_state_display(),
            "reason": r.reason,
            "created": r.created,
        }
        for r in ContactRequest.objects.filter(recipient=user).order_by("created", "pk")
    ]
    data["blocked_accounts"] = Block.objects.filter(blocker=user).count()
    data["reports_filed"] = [
        {"reason": r.reason, "created": r.created}
        for r in Report.objects.filter(reporter=user).order_by("created", "pk")
    ]
    from .matching.personal_data import export_matching

    data.update(export_matching(user))
    return data


def identifiers(user):
    """The name the person gave their profile: it may differ from the account's, and
    others' audit entries about the profile (a report, the Fellow mark) carry it."""
    return [
        name for name in Profile.objects.filter(user=user).values_list("name", flat=True) if name
    ]


def erase_personal_data(user):
    from .matching.personal_data import erase_matching

    erase_matching(user)
    ContactRequest.objects.filter(Q(sender=user) | Q(recipient=user)).delete()
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
    Report.objects.filter(reporter=user).delete()
    Report.objects.filter(handled_by=user).update(handled_by=None)
    for profile in Profile.objects.filter(user=user):
        if profile.photo:
            profile.photo.delete(save=False)
        profile.delete()

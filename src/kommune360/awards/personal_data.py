"""The awards' part of a person's data export and of account deletion.

The rule (docs/awards.md, "Personal data"): drafts and withdrawn applications of the
person go, with their attachments; submitted applications keep their content without
the person (no account, the contact cleared where it named them), because the jury's
work and the published decision rest on them; reviews keep their scores and texts
without the juror's name; invitations as co-applicant (pending or accepted), pending
invitations the person sent, declared conflicts and "Nachnutzen" requests of the person
go.
"""

from django.db.models import Q

from kommune360.core.addresses import normalize_email

from .models import AdoptionRequest, Application, CoApplicant, Conflict, Review, Solution


def _own(user):
    return Application.objects.filter(applicant=user)


def _iso(moment):
    return moment.isoformat() if moment else None


def export_personal_data(user):
    email = normalize_email(user.email)
    return {
        "applications": [
            {
                "round": a.round.title,
                "title": a.title,
                "municipality": a.municipality.name,
                "organisation": a.organisation,
                "contact_name": a.contact_name,
                "contact_email": a.contact_email,
                "summary": a.summary,
                "answers": a.answers,
                "state": a.get_state_display(),
                "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
                "attachments": [att.name for att in a.attachments.all()],
                "consent_at": _iso(a.consent_at),
                "consent_version": a.consent_version,
                "showcase_consent_at": _iso(a.showcase_consent_at),
                "showcase_consent_version": a.showcase_consent_version,
                "invitations_sent": [
                    {
                        "email": c.email,
                        "invited_at": _iso(c.invited_at),
                        "accepted": bool(c.accepted_at),
                    }
                    for c in a.co_applicants.all()
                ],
            }
            for a in _own(user)
            .select_related("round", "municipality")
            .prefetch_related("attachments", "co_applicants")
        ],
        "co_applicant_of": [
            {
                "application": c.application.title,
                "invited_at": _iso(c.invited_at),
                "accepted_at": _iso(c.accepted_at),
            }
            for c in CoApplicant.objects.filter(Q(user=user) | Q(email=email)).select_related(
                "application"
            )
        ],
        "reviews": [
            {
                "application": r.application.title,
                "recommendation": r.get_recommendation_display(),
                "comment": r.comment,
                "meeting_note": r.meeting_note,
                "scores": {s.criterion.name: s.value for s in r.scores.all()},
                "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
            }
            for r in Review.objects.filter(juror=user)
            .select_related("application")
            .prefetch_related("scores__criterion")
        ],
        "declared_conflicts": [
            {"application": c.application.title, "reason": c.reason}
            for c in Conflict.objects.filter(
                juror=user, source=Conflict.Source.DECLARED
            ).select_related("application")
        ],
        "adoption_requests": [
            {"solution": r.solution.title, "message": r.message, "state": r.get_state_display()}
            for r in AdoptionRequest.objects.filter(requester=user).select_related("solution")
        ],
    }


def identifiers(user):
    """The contact names and addresses the person typed into their applications."""
    texts = set()
    for name, email in _own(user).values_list("contact_name", "contact_email"):
        if name:
            texts.add(name)
        if email:
            texts.add(email)
    for (organisation,) in AdoptionRequest.objects.filter(requester=user).values_list(
        "organisation"
    ):
        if organisation:
            texts.add(organisation)
    return sorted(texts)


def erase_personal_data(user) -> None:
    email = normalize_email(user.email)
    name = user.get_full_name()
    drafts = _own(user).filter(state__in=[Application.State.DRAFT, Application.State.WITHDRAWN])
    for application in drafts:
        for attachment in application.attachments.all():
            attachment.file.delete(save=False)
        application.delete()
    # Pending invitations the person sent go; accepted co-applicants keep their place.
    CoApplicant.objects.filter(application__applicant=user, accepted_at__isnull=True).delete()
    for application in _own(user):
        if normalize_email(application.contact_email) == email or (
            name and application.contact_name == name
        ):
            application.contact_name = ""
            application.contact_email = ""
        application.applicant = None
        application.person_erased = True
        application.save(
            update_fields=["contact_name", "contact_email", "applicant", "person_erased"]
        )
    # Solution profiles start with the application's contact: the same rule clears them.
    named = Q(contact_email__iexact=email)
    if name:
        named |= Q(contact_name=name)
    Solution.objects.filter(named).update(contact_name="", contact_email="")
    CoApplicant.objects.filter(Q(user=user) | Q(email=email)).delete()
    Conflict.objects.filter(juror=user, source=Conflict.Source.DECLARED).update(reason="")
    Review.objects.filter(juror=user).update(juror=None)
    AdoptionRequest.objects.filter(requester=user).delete()

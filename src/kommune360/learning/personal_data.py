"""The learning app's part of a person's data export and of account deletion.

Certificates belong to core: its own entry exports them and takes the holder's name
off them (``core.certificates.forget_holders``)."""

from .models import Application


def _applications(user):
    return Application.objects.filter(user=user).select_related(
        "cohort__path", "municipality", "feedback"
    )


def _feedback(application):
    feedback = getattr(application, "feedback", None)
    if feedback is None:
        return None
    return {
        "rating": feedback.rating,
        "text": feedback.text,
        "publish_consent": feedback.publish_consent,
        "attribution": feedback.get_attribution_display(),
        "published": feedback.is_published,
        "created_at": feedback.created_at,
    }


def export_applications(user):
    return [
        {
            "learning_path": a.cohort.path.title,
            "cohort": a.cohort.title,
            "role": a.role,
            "municipality": a.municipality.name if a.municipality else "",
            "employer": a.employer,
            "motivation": a.motivation,
            "status": a.get_status_display(),
            "applied_at": a.created_at,
            "decided_at": a.decided_at,
            "visible_to_cohort": a.show_to_cohort,
            "feedback": _feedback(a),
            "attended_modules": [
                {"module": t.module.title, "recorded_at": t.recorded_at, "self": t.self_reported}
                for t in a.attendances.select_related("module")
            ],
        }
        for a in _applications(user)
    ]


def erase_applications(user):
    """Delete applications with their attendance rows and feedback (cascade; a
    published quote disappears with it)."""
    _applications(user).delete()

"""The learning app's part of a person's data export and of account deletion.

Certificates belong to core (they stay verifiable for HR after an account is gone;
their ``holder`` link is cleared by core's foreign key)."""

from .models import Application


def _applications(user):
    return Application.objects.filter(user=user).select_related("cohort__path", "municipality")


def export_applications(user):
    return [
        {
            "learning_path": a.cohort.path.title,
            "cohort": a.cohort.title,
            "role": a.role,
            "municipality": a.municipality.name if a.municipality else "",
            "employer": a.employer,
            "motivation": a.motivation,
            "status": a.status,
            "applied_at": a.created_at,
            "decided_at": a.decided_at,
            "attended_modules": [
                {"module": t.module.title, "recorded_at": t.recorded_at, "self": t.self_reported}
                for t in a.attendances.select_related("module")
            ],
        }
        for a in _applications(user)
    ]


def erase_applications(user):
    """Delete applications and their attendance rows (cascade)."""
    _applications(user).delete()

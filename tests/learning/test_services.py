from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from kommune360.core.certificates import certificates_for, revoke_certificate
from kommune360.core.models import AuditEntry
from kommune360.learning import services
from kommune360.learning.models import Application, Attendance, Module
from tests.factories.accounts import UserFactory
from tests.factories.learning import (
    ApplicationFactory,
    CohortFactory,
    FinishedCohortFactory,
    LearningPathFactory,
    ModuleFactory,
)

pytestmark = pytest.mark.django_db
Status = Application.Status
TODAY = date(2024, 7, 15)  # after the finished cohort (ends 30 June 2024)


@pytest.fixture
def finished(db):
    """A finished cohort of a path with five modules of 2 hours; one accepted person."""
    path = LearningPathFactory(title="Lernpfad Change")
    modules = [ModuleFactory(path=path, order=n, hours=Decimal("2")) for n in range(5)]
    cohort = FinishedCohortFactory(path=path)
    application = ApplicationFactory(cohort=cohort, status=Status.ACCEPTED)
    return application, modules


def attend(application, modules):
    for module in modules:
        services.record_attendance(application, module)


def not_eligible_reasons(application):
    return list(
        AuditEntry.objects.filter(
            action="learning.certificate_not_eligible", object_id=str(application.pk)
        ).values_list("data__reason", flat=True)
    )


def test_apply_and_decide_send_one_mail_each(django_capture_on_commit_callbacks):
    cohort = CohortFactory()
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.apply_to_cohort(
            cohort, user=user, role="Jugendamtsleitung", motivation="Veränderung anstoßen"
        )
    assert application.status == Status.APPLIED
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_application(application, Status.WAITLISTED)
        services.decide_application(application, Status.ACCEPTED)
        services.decide_application(application, Status.ACCEPTED)  # no second mail
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 3
    assert subjects[0].startswith("Ihre Bewerbung für")
    assert subjects[1].startswith("Warteliste:")
    assert subjects[2].startswith("Sie sind aufgenommen:")
    area = f"/lernpfade/{cohort.path.slug}/kohorte/{cohort.pk}/"
    assert area in mail.outbox[2].body and area not in mail.outbox[1].body
    assert all(m.to == [user.email] for m in mail.outbox)
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED and application.decided_at
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"learning.application_applied", "learning.application_accepted"} <= actions


def test_decline_mail(django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_application(application, Status.DECLINED)
    assert "keinen Platz" in mail.outbox[0].body


def test_apply_twice_and_outside_the_window():
    cohort = CohortFactory()
    user = UserFactory()
    services.apply_to_cohort(cohort, user=user, role="Planung", motivation="x")
    with pytest.raises(services.AlreadyApplied):
        services.apply_to_cohort(cohort, user=user, role="Planung", motivation="x")
    with pytest.raises(services.ApplicationsClosed):
        services.apply_to_cohort(FinishedCohortFactory(), user=user, role="Planung", motivation="x")


def test_acceptance_never_exceeds_capacity():
    cohort = CohortFactory(capacity=2)
    applications = [ApplicationFactory(cohort=cohort) for _ in range(3)]
    services.decide_application(applications[0], Status.ACCEPTED)
    services.decide_application(applications[1], Status.ACCEPTED)
    with pytest.raises(services.CohortFull) as error:
        services.decide_application(applications[2], Status.ACCEPTED)
    assert "2 Plätze" in error.value.message
    # Accepting an already accepted person again is not a new place.
    services.decide_application(applications[0], Status.ACCEPTED)
    # A freed place can be given again.
    services.decide_application(applications[1], Status.DECLINED)
    services.decide_application(applications[2], Status.ACCEPTED)
    assert cohort.applications.filter(status=Status.ACCEPTED).count() == 2


def test_exactly_the_minimum_is_eligible(finished):
    application, modules = finished
    attend(application, modules[:4])  # 8 of 10 hours = 80 %
    assert services.attended_percent(application) == Decimal("80")
    assert services.certificate_eligibility(application, today=TODAY) == (True, "")
    assert not_eligible_reasons(application) == []


def test_below_the_minimum_is_not_eligible_and_logged(finished):
    application, modules = finished
    modules[0].hours = Decimal("1.9")  # 7.9 of 9.9 hours = 79.80 %
    modules[0].save(update_fields=["hours"])
    attend(application, modules[:4])
    eligible, reason = services.certificate_eligibility(application, today=TODAY)
    assert not eligible
    assert reason == "Teilgenommen an 79,8 % der Modulstunden, nötig sind 80 %."
    assert not_eligible_reasons(application) == [reason]
    with pytest.raises(services.NotEligible):
        services.issue_learning_certificate(application, today=TODAY)
    assert not certificates_for(application).exists()


def test_not_accepted_and_not_finished_are_not_eligible(finished):
    application, modules = finished
    attend(application, modules)
    assert services.certificate_eligibility(application, today=date(2024, 6, 30)) == (
        False,
        "Die Kohorte ist noch nicht abgeschlossen.",
    )
    Application.objects.filter(pk=application.pk).update(status=Status.WAITLISTED)
    application.refresh_from_db()
    assert services.certificate_eligibility(application, today=TODAY)[1] == (
        "Die Bewerbung wurde nicht angenommen."
    )


def test_module_removed_after_attendance(finished):
    application, modules = finished
    attend(application, modules[:4])
    modules[0].delete()  # an attended module goes: 6 of 8 hours = 75 %
    assert services.certificate_eligibility(application, today=TODAY)[0] is False
    modules[4].delete()  # an unattended one goes too: 6 of 6 hours
    assert services.certificate_eligibility(application, today=TODAY) == (True, "")
    assert Attendance.objects.filter(application=application).count() == 3


def test_issue_revoke_and_no_silent_reissue(finished):
    application, modules = finished
    attend(application, modules)
    certificate = services.issue_learning_certificate(application, today=TODAY)
    assert certificate.holder == application.user
    assert certificate.title == "Lernpfad Change"
    assert certificate.details["total_hours"] == "10"
    assert len(certificate.details["modules"]) == 5
    assert certificate.details["goals"] == application.cohort.path.goal_list
    # Issuing again returns the same valid certificate.
    assert services.issue_learning_certificate(application, today=TODAY) == certificate
    revoke_certificate(certificate, reason="Teilnahme falsch erfasst")
    eligible, reason = services.certificate_eligibility(application, today=TODAY)
    assert (eligible, reason) == (False, "Die Teilnahmebescheinigung wurde widerrufen.")
    with pytest.raises(services.NotEligible):
        services.issue_learning_certificate(application, today=TODAY)
    assert certificates_for(application).count() == 1


def test_self_study_only_by_the_person_and_only_when_accepted(finished):
    application, modules = finished
    study = ModuleFactory(path=application.cohort.path, kind=Module.Kind.SELF_STUDY, order=9)
    with pytest.raises(services.LearningError):
        services.mark_self_study_done(application, modules[0])  # an online session
    attendance = services.mark_self_study_done(application, study)
    assert attendance.self_reported and attendance.recorded_by == application.user
    other = ModuleFactory(kind=Module.Kind.SELF_STUDY)  # another path
    with pytest.raises(services.LearningError):
        services.mark_self_study_done(application, other)
    applied = ApplicationFactory(cohort=application.cohort)
    with pytest.raises(services.LearningError):
        services.record_attendance(applied, modules[0])


def test_attendance_can_be_taken_back(finished):
    application, modules = finished
    facilitator = UserFactory()
    services.record_attendance(application, modules[0], actor=facilitator)
    services.record_attendance(application, modules[0], actor=facilitator)  # idempotent
    assert application.attendances.get().recorded_by == facilitator
    services.record_attendance(application, modules[0], attended=False, actor=facilitator)
    assert not application.attendances.exists()

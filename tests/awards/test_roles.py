"""Every view of the app for every role: anonymous, member, applicant, accepted
co-applicant, invited person (not yet accepted), juror, conflicted juror, editor (GET;
POST-only views by POST)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kommune360.awards.models import Round
from kommune360.awards.services import applications as services
from kommune360.awards.services import invitations, jury, rounds
from tests.factories.accounts import UserFactory

from .conftest import make_round, submitted

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "member",
    "applicant",
    "co_applicant",
    "invitee",
    "juror",
    "conflicted",
    "editor",
]
LOGIN = 302  # to the login page
# The admin answers a missing permission with a redirect to its dashboard (or login).
OK, FORBIDDEN, MISSING = 200, 302, 404
WRONG_ACCOUNT = 403


@pytest.fixture
def world(home_page, places):
    applicant = UserFactory(email="anna@musterstadt-verwaltung.example")
    juror = UserFactory(roles=["Jury"], email="j@jury.example", municipality=places["probstadt"])
    conflicted = UserFactory(
        roles=["Jury"], email="k@jury.example", municipality=places["beispielhausen"]
    )
    round_ = make_round(title="Rollen-Runde")
    round_.jurors.set([juror, conflicted])
    round_.save()
    application = submitted(round_, places["musterstadt"], applicant)
    attachment = services.add_attachment(
        application, applicant, SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    co_applicant = UserFactory(email="co@partner-a.example")
    invitations.invite(application, applicant, co_applicant.email)
    co = application.co_applicants.get()
    co.user, co.accepted_at = co_applicant, timezone.now()
    co.save()
    invitee = UserFactory(email="neu@partner-b.example")
    pending = invitations.invite(application, applicant, invitee.email)
    rounds.change_phase(round_, Round.Phase.REVIEW, None)
    jury.assign(round_, None)
    published = make_round(title="Fertige Runde")
    won = submitted(published, places["neustadt"], applicant, title="Gewonnen")
    published.phase = Round.Phase.DECISION
    published.save()
    rounds.decide(won, "awarded", "Gut.", None)
    solution = rounds.solution_profile(won, None)
    won.showcase_consent_at = timezone.now()
    won.save(update_fields=["showcase_consent_at"])
    solution.is_published = True
    solution.save()
    published.phase = Round.Phase.PUBLISHED
    published.save()
    return {
        "round": round_,
        "application": application,
        "attachment": attachment,
        "solution": solution,
        "published": published,
        "link": invitations.token(pending),
        "users": {
            "anonymous": None,
            "member": UserFactory(roles=["Mitglied"]),
            "applicant": applicant,
            "co_applicant": co_applicant,
            "invitee": invitee,
            "juror": juror,
            "conflicted": conflicted,
            "editor": UserFactory(roles=["Redaktion"], is_staff=True),
        },
    }


def expectations(w):
    r, a, att, s, p = w["round"], w["application"], w["attachment"], w["solution"], w["published"]
    everyone = dict.fromkeys(ROLES, OK)
    logged_in = {**everyone, "anonymous": LOGIN}
    own = {**dict.fromkeys(ROLES, MISSING), "anonymous": LOGIN, "applicant": OK}
    editor_only = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "member": LOGIN}
    editor_only["editor"] = OK
    jury_only = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "member": LOGIN}
    jury_only.update({"juror": OK, "conflicted": OK})
    jury_app = {**jury_only, "conflicted": MISSING}
    jury_meeting = {**jury_only, "juror": MISSING, "conflicted": MISSING}  # not yet
    # The invitation link is the invited person's only; others are told it is not theirs.
    link = {**dict.fromkeys(ROLES, WRONG_ACCOUNT), "anonymous": LOGIN, "invitee": OK}
    shared = {**own, "co_applicant": OK}  # an accepted co-applicant works on it
    rows = [
        ("GET", reverse("awards:list"), everyone),
        ("GET", reverse("awards:round", args=[r.slug]), everyone),
        ("GET", reverse("awards:apply", args=[r.slug]), logged_in),
        ("GET", reverse("awards:mine"), logged_in),
        ("GET", reverse("awards:application", args=[r.slug, a.pk]), shared),
        ("GET", reverse("awards:copy_pdf", args=[r.slug, a.pk]), shared),
        ("GET", reverse("awards:download", args=[r.slug, a.pk, att.pk]), shared),
        (
            "POST",
            reverse("awards:invite", args=[r.slug, a.pk]),
            {**own, "applicant": 302, "co_applicant": WRONG_ACCOUNT},
        ),
        ("GET", reverse("awards:invitation", args=[w["link"]]), link),
        ("GET", reverse("awards:solutions", args=[p.slug]), everyone),
        ("GET", reverse("awards:solution", args=[p.slug, s.slug]), everyone),
        ("GET", reverse("awards:seal", args=[p.slug, s.slug]), everyone),
        ("GET", reverse("awards:requests", args=[p.slug, s.slug]), own),
        ("GET", reverse("awards_round", args=[r.pk]), editor_only),
        ("GET", reverse("awards_application", args=[r.pk, a.pk]), editor_only),
        ("GET", reverse("awards_export", args=[r.pk, "csv"]), editor_only),
        ("GET", reverse("awards_export", args=[r.pk, "xlsx"]), editor_only),
        ("GET", reverse("awards_dossier", args=[r.pk, a.pk]), editor_only),
        ("GET", reverse("awards_editor_meeting", args=[r.pk]), editor_only),
        ("POST", reverse("awards_assign", args=[r.pk]), {**editor_only, "editor": 302}),
        ("GET", reverse("awards_jury"), jury_only),
        ("GET", reverse("awards_shortlist", args=[r.pk]), jury_only),
        ("GET", reverse("awards_review", args=[r.pk, a.pk]), jury_app),
        ("GET", reverse("awards_juror_attachment", args=[r.pk, a.pk, att.pk]), jury_app),
        (
            "POST",
            reverse("awards_declare_conflict", args=[r.pk, a.pk]),
            {**jury_app, "juror": 302},
        ),
        ("GET", reverse("awards_juror_dossier", args=[r.pk, a.pk]), {**jury_app, "juror": 404}),
        ("GET", reverse("awards_meeting", args=[r.pk]), jury_meeting),
    ]
    # Co-applicant and invited person are members everywhere else.
    for _method, _url, expected in rows:
        for role in ("co_applicant", "invitee"):
            expected.setdefault(role, expected["member"])
    return rows


def test_every_view_for_every_role(client, world):
    failures = []
    for method, url, expected in expectations(world):
        for role in ROLES:
            user = world["users"][role]
            client.logout()
            if user is not None:
                client.force_login(user)
            response = client.get(url) if method == "GET" else client.post(url)
            if response.status_code != expected[role]:
                failures.append((method, url, role, response.status_code, expected[role]))
    assert failures == [], "\n".join(map(str, failures))


def test_the_conflicted_juror_sees_the_application_nowhere(client, world):
    client.force_login(world["users"]["conflicted"])
    title = world["application"].title
    for url in [reverse("awards_jury"), reverse("awards_shortlist", args=[world["round"].pk])]:
        assert title not in client.get(url).content.decode()

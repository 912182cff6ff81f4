"""The jury: conflicts of interest, assignment and reviews.

A juror with a conflict never sees the application. Conflicts are declared by the juror
("befangen") or detected: the same municipality, the same Kreis, optionally the same
Land, the same e-mail domain (not a mail provider's), being applicant or co-applicant.
Detection runs live wherever a juror meets an application (``conflict_reasons``), and
``refresh_conflicts`` stores the detected ones for the editors' screens.

Assignment is a linear programme over the allowed (application, juror) pairs, solved by
HiGHS through ``scipy.optimize.linprog``: the constraint matrix is that of a bipartite
transportation problem (totally unimodular), so the simplex's vertex solution is whole.
"""

import math
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.addresses import normalize_email
from kommune360.core.audit import log_action

from ..models import Application, Assignment, Conflict, Review, Round, Score
from .applications import ApplicationError

Source = Conflict.Source
MAIL_PROVIDERS = frozenset(
    {
        "gmail.com", "googlemail.com", "web.de", "gmx.de", "gmx.net", "t-online.de",
        "outlook.com", "outlook.de", "hotmail.com", "hotmail.de", "yahoo.de", "yahoo.com",
        "posteo.de", "mailbox.org", "icloud.com", "freenet.de", "aol.com", "live.de",
    }
)  # fmt: skip


def domain(email: str) -> str:
    return normalize_email(email or "").rpartition("@")[2]


def district_of(municipality):
    """The Kreis a municipality belongs to (itself for Kreise and kreisfreie Städte)."""
    if municipality is None:
        return None
    return municipality.district_id or municipality.pk


def applicant_emails(application) -> set[str]:
    emails = {co.email for co in application.co_applicants.all()}
    if application.applicant_id and application.applicant:
        emails.add(normalize_email(application.applicant.email))
    if application.contact_email:
        emails.add(normalize_email(application.contact_email))
    return {e for e in emails if e}


def detected(juror, application, round_) -> list[str]:
    """The detected conflicts of ``juror`` with ``application`` (sources).

    Needs ``juror.municipality``, ``application.municipality``, ``applicant`` and
    ``co_applicants`` loaded to stay without queries."""
    sources = []
    mine, theirs = juror.municipality, application.municipality
    if mine is not None and theirs is not None:
        if mine.pk == theirs.pk:
            sources.append(Source.MUNICIPALITY)
        elif district_of(mine) == district_of(theirs):
            sources.append(Source.DISTRICT)
        if round_.conflict_same_state and mine.state == theirs.state:
            sources.append(Source.STATE)
    emails = applicant_emails(application)
    juror_email = normalize_email(juror.email)
    co_user_ids = {co.user_id for co in application.co_applicants.all() if co.user_id}
    if juror_email in emails or juror.pk == application.applicant_id or juror.pk in co_user_ids:
        sources.append(Source.CO_APPLICANT)
    juror_domain = domain(juror.email)
    if (
        juror_domain
        and juror_domain not in MAIL_PROVIDERS
        and any(domain(e) == juror_domain for e in emails)
    ):
        sources.append(Source.DOMAIN)
    return sources


def conflict_reasons(juror, application) -> list[str]:
    """Every conflict, declared or detected, of ``juror`` with ``application``."""
    declared = Conflict.objects.filter(
        juror=juror, application=application, source=Source.DECLARED
    ).exists()
    return ([Source.DECLARED] if declared else []) + detected(juror, application, application.round)


def _jurors(round_: Round):
    return list(round_.jurors.select_related("municipality").order_by("pk"))


def _candidates(round_: Round):
    return list(
        Application.objects.filter(round=round_, state=Application.State.SUBMITTED)
        .select_related("municipality", "applicant")
        .prefetch_related("co_applicants")
        .order_by("pk")
    )


def conflict_pairs(round_: Round, jurors=None, applications=None) -> set[tuple[int, int]]:
    """(application id, juror id) of every conflict in the round, declared or detected."""
    jurors = _jurors(round_) if jurors is None else jurors
    applications = _candidates(round_) if applications is None else applications
    pairs = set(
        Conflict.objects.filter(application__round=round_, source=Source.DECLARED).values_list(
            "application_id", "juror_id"
        )
    )
    for application in applications:
        for juror in jurors:
            if detected(juror, application, round_):
                pairs.add((application.pk, juror.pk))
    return pairs


@transaction.atomic
def refresh_conflicts(round_: Round) -> int:
    """Store the detected conflicts of the round (declared ones stay as they are)."""
    jurors = _jurors(round_)
    wanted = set()
    for application in _candidates(round_):
        for juror in jurors:
            for source in detected(juror, application, round_):
                wanted.add((application.pk, juror.pk, source))
    stored = set(
        Conflict.objects.filter(application__round=round_)
        .exclude(source=Source.DECLARED)
        .values_list("application_id", "juror_id", "source")
    )
    stale = stored - wanted
    for application_id, juror_id, source in stale:
        Conflict.objects.filter(
            application_id=application_id, juror_id=juror_id, source=source
        ).delete()
    Conflict.objects.bulk_create(
        [Conflict(application_id=a, juror_id=j, source=s) for a, j, s in wanted - stored],
        ignore_conflicts=True,
    )
    # An assignment that a new conflict forbids goes.
    by_juror = defaultdict(set)
    for application_id, juror_id, _source in wanted:
        by_juror[juror_id].add(application_id)
    for juror_id, application_ids in by_juror.items():
        Assignment.objects.filter(juror_id=juror_id, application_id__in=application_ids).delete()
    return len(wanted)


@transaction.atomic
def declare_conflict(juror, application, reason: str) -> Conflict:
    conflict, _created = Conflict.objects.get_or_create(
        juror=juror, application=application, source=Source.DECLARED, defaults={"reason": reason}
    )
    Assignment.objects.filter(juror=juror, application=application).delete()
    Review.objects.filter(juror=juror, application=application, submitted_at__isnull=True).delete()
    log_action(juror, "awards.conflict.declared", application)
    return conflict


def solve(needs: dict, capacity: dict, allowed: dict[int, list[int]]) -> list[tuple[int, int]]:
    """Pairs (application, juror) so that each application gets up to ``needs[a]``
    jurors among ``allowed[a]`` and no juror more than ``capacity[j]``; as many as
    possible. A linear programme (HiGHS dual simplex), whole-numbered at its vertex."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_array

    pairs = [(a, j) for a, jurors in allowed.items() for j in jurors if needs.get(a, 0) > 0]
    if not pairs:
        return []
    app_index = {a: i for i, a in enumerate(sorted({a for a, _ in pairs}))}
    juror_ids = sorted(capacity)
    juror_index = {j: len(app_index) + i for i, j in enumerate(juror_ids)}
    rows = [app_index[a] for a, _ in pairs] + [juror_index[j] for _, j in pairs]
    cols = list(range(len(pairs))) * 2
    matrix = csr_array(
        (np.ones(len(rows)), (rows, cols)), shape=(len(app_index) + len(juror_ids), len(pairs))
    )
    bounds_rhs = np.array(
        [needs[a] for a in sorted(app_index, key=app_index.get)]
        + [max(capacity[j], 0) for j in juror_ids],
        dtype=float,
    )
    result = linprog(
        -np.ones(len(pairs)),
        A_ub=matrix,
        b_ub=bounds_rhs,
        bounds=(0, 1),
        method="highs-ds",
    )
    if result.x is None:
        return []
    return [pair for pair, value in zip(pairs, result.x, strict=True) if value > 0.5]


@transaction.atomic
def assign(round_: Round, actor) -> int:
    """Give each submitted application its number of reviews, balancing the jurors'
    load and never assigning a juror with a conflict; keeps existing assignments."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    jurors = _jurors(round_)
    applications = _candidates(round_)
    if not jurors or not applications:
        return 0
    conflicts = conflict_pairs(round_, jurors, applications)
    existing = defaultdict(set)
    load = defaultdict(int)
    for application_id, juror_id in Assignment.objects.filter(
        application__round=round_
    ).values_list("application_id", "juror_id"):
        if (application_id, juror_id) in conflicts:
            continue
        existing[application_id].add(juror_id)
        load[juror_id] += 1
    k = round_.reviews_per_application
    needs, allowed = {}, {}
    for application in applications:
        have = existing[application.pk]
        options = [
            j.pk for j in jurors if j.pk not in have and (application.pk, j.pk) not in conflicts
        ]
        needs[application.pk] = min(max(k - len(have), 0), len(options))
        allowed[application.pk] = options
    target = sum(needs.values())
    total = target + sum(load.values())
    cap = math.ceil(total / len(jurors))
    chosen: list[tuple[int, int]] = []
    while True:
        chosen = solve(needs, {j.pk: cap - load[j.pk] for j in jurors}, allowed)
        if len(chosen) >= target or cap >= total:
            break
        cap += 1
    Assignment.objects.bulk_create(
        [Assignment(application_id=a, juror_id=j) for a, j in chosen], ignore_conflicts=True
    )
    log_action(actor, "awards.round.assigned", round_, assignments=len(chosen), max_load=cap)
    return len(chosen)


@transaction.atomic
def assign_by_hand(application: Application, juror, actor) -> Assignment:
    application = Application.objects.select_related("round", "municipality", "applicant").get(
        pk=application.pk
    )
    if not application.round.jurors.filter(pk=juror.pk).exists():
        raise ApplicationError(_("Diese Person gehört nicht zur Jury dieser Runde."))
    if conflict_reasons(juror, application):
        raise ApplicationError(
            _("Dieses Jurymitglied ist befangen und kann die Bewerbung nicht begutachten.")
        )
    assignment, _created = Assignment.objects.get_or_create(
        application=application, juror=juror, defaults={"by_hand": True}
    )
    log_action(actor, "awards.assignment.added", application, juror=juror.pk)
    return assignment


@transaction.atomic
def unassign(application: Application, juror, actor) -> None:
    Assignment.objects.filter(application=application, juror=juror).delete()
    log_action(actor, "awards.assignment.removed", application, juror=juror.pk)


@transaction.atomic
def save_review(application, juror, *, scores, recommendation, comment, meeting_note, submit):
    """Store a juror's review (scores per criterion with comments); ``submit`` makes it
    count and lets the juror see the others' reviews. It is tied to the version read."""
    application = (
        Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    )
    if application.round.phase != Round.Phase.REVIEW:
        raise ApplicationError(_("Gutachten sind nur in der Phase „Begutachtung“ möglich."))
    review, _created = Review.objects.select_for_update().get_or_create(
        application=application, juror=juror
    )
    criteria = {c.pk: c for c in application.round.criteria.all()}
    for criterion_id, (value, note) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None or value is None:
            continue
        if not 1 <= value <= criterion.scale_max:
            raise ApplicationError(_("Bitte wählen Sie eine Stufe der Skala."))
        Score.objects.update_or_create(
            review=review, criterion=criterion, defaults={"value": value, "comment": note}
        )
    review.recommendation = recommendation
    review.comment = comment
    review.meeting_note = meeting_note
    review.version = application.versions.order_by("-number").first()
    if submit:
        if review.scores.count() < len(criteria) or not recommendation:
            raise ApplicationError(
                _("Bitte bewerten Sie jedes Kriterium und geben Sie eine Empfehlung.")
            )
        review.submitted_at = review.submitted_at or timezone.now()
    review.save()
    log_action(juror, "awards.review.submitted" if submit else "awards.review.saved", application)
    return review

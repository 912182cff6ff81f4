"""The jury: conflicts of interest, assignment and reviews.

A juror with a conflict never sees the application. Conflicts are declared by the juror
("befangen") or detected: the same municipality, the same Kreis, optionally the same
Land, the same e-mail domain (not a mail provider's), being applicant or co-applicant.
Detection runs live wherever a juror meets an application (``conflict_reasons``), and
``refresh_conflicts`` stores the detected ones for the editors' screens.

Assignment is a maximum flow over the allowed (application, juror) pairs, solved by
SciPy's ``maximum_flow`` (Dinic): source → application (its missing reviews) → juror
(one review per pair) → sink (the juror's load cap); the flow is whole by construction.
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
from .conflict_index import MAIL_PROVIDERS, ConflictIndex, domain, juror_keys

Source = Conflict.Source


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


def declared_pairs(round_: Round) -> set[tuple[int, int]]:
    return set(
        Conflict.objects.filter(application__round=round_, source=Source.DECLARED).values_list(
            "application_id", "juror_id"
        )
    )


def conflict_pairs(round_: Round, jurors=None, index=None) -> set[tuple[int, int]]:
    """(application id, juror id) of every conflict in the round, declared or detected."""
    jurors = juror_keys(round_) if jurors is None else jurors
    index = ConflictIndex(round_) if index is None else index
    pairs = declared_pairs(round_)
    for juror in jurors:
        pairs.update((application_id, juror.pk) for application_id in index.sources(juror))
    return pairs


@transaction.atomic
def refresh_conflicts(round_: Round) -> int:
    """Store the detected conflicts of the round (declared ones stay as they are)."""
    index = ConflictIndex(round_)
    wanted = set()
    for juror in juror_keys(round_):
        for application_id, sources in index.sources(juror).items():
            wanted.update((application_id, juror.pk, source) for source in sources)
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


def solve(needs, capacity, allowed):
    """Pairs (application row, juror column) of the boolean matrix ``allowed`` so that
    application ``a`` gets up to ``needs[a]`` jurors and juror ``j`` no more than
    ``capacity[j]``; as many as possible.

    A maximum flow (SciPy's ``maximum_flow``, Dinic's algorithm) through source →
    application (capacity: its need) → juror (1, only where allowed) → sink (the
    juror's capacity); integral by construction. Returns two index arrays."""
    import numpy as np
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_flow

    n_apps, n_jurors = allowed.shape
    needs = np.asarray(needs, dtype=np.int32)
    capacity = np.maximum(np.asarray(capacity, dtype=np.int32), 0)
    rows, cols = np.nonzero(allowed & (needs > 0)[:, np.newaxis] & (capacity > 0)[np.newaxis, :])
    if not len(rows):
        return rows, cols
    source, sink = n_apps + n_jurors, n_apps + n_jurors + 1
    apps, jurors = np.arange(n_apps), np.arange(n_jurors)
    tails = np.concatenate([np.full(n_apps, source), rows, n_apps + jurors])
    heads = np.concatenate([apps, n_apps + cols, np.full(n_jurors, sink)])
    capacities = np.concatenate([needs, np.ones(len(rows), dtype=np.int32), capacity])
    keep = capacities > 0
    graph = csr_array((capacities[keep], (tails[keep], heads[keep])), shape=(sink + 1, sink + 1))
    flow = maximum_flow(graph, source, sink, method="dinic").flow.tocoo()
    chosen = (flow.row < n_apps) & (flow.col >= n_apps) & (flow.col < source) & (flow.data > 0)
    return flow.row[chosen], flow.col[chosen] - n_apps


@transaction.atomic
def assign(round_: Round, actor) -> int:
    """Give each submitted application its number of reviews, balancing the jurors'
    load and never assigning a juror with a conflict; keeps existing assignments.

    The load cap starts at the balanced share of all reviews (existing ones included);
    if conflicts leave reviews unassigned, the smallest cap that assigns them all is
    searched (bisection: a higher cap never assigns fewer)."""
    import numpy as np

    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    jurors = juror_keys(round_)
    index = ConflictIndex(round_)
    if not jurors or not index.ids:
        return 0
    app_ids = np.array(index.ids)
    juror_ids = np.array([j.pk for j in jurors])
    row_of = {pk: n for n, pk in enumerate(index.ids)}
    column_of = {pk: n for n, pk in enumerate(juror_ids.tolist())}
    allowed = np.ones((len(app_ids), len(juror_ids)), dtype=bool)
    for application_id, juror_id in conflict_pairs(round_, jurors, index):
        if application_id in row_of and juror_id in column_of:
            allowed[row_of[application_id], column_of[juror_id]] = False
    have = np.zeros(len(app_ids), dtype=np.int32)
    load = np.zeros(len(juror_ids), dtype=np.int32)
    for application_id, juror_id in Assignment.objects.filter(
        application__round=round_
    ).values_list("application_id", "juror_id"):
        row, column = row_of.get(application_id), column_of.get(juror_id)
        if row is None or column is None or not allowed[row, column]:
            continue  # not a candidate, not a juror, or a conflict: not counted
        allowed[row, column] = False
        have[row] += 1
        load[column] += 1
    k = round_.reviews_per_application
    needs = np.minimum(np.maximum(k - have, 0), allowed.sum(axis=1)).astype(np.int32)
    target = int(needs.sum())
    total = target + int(load.sum())
    low = math.ceil(total / len(juror_ids))
    rows, cols = solve(needs, low - load, allowed)
    cap = low
    if len(rows) < target and low < total:
        high = total  # with no cap every application gets its need
        best = solve(needs, high - load, allowed)
        while low + 1 < high:
            middle = (low + high) // 2
            found = solve(needs, middle - load, allowed)
            if len(found[0]) >= target:
                high, best = middle, found
            else:
                low = middle
        (rows, cols), cap = best, high
    Assignment.objects.bulk_create(
        [
            Assignment(application_id=a, juror_id=j)
            for a, j in zip(app_ids[rows].tolist(), juror_ids[cols].tolist(), strict=True)
        ],
        ignore_conflicts=True,
    )
    log_action(actor, "awards.round.assigned", round_, assignments=len(rows), max_load=cap)
    return len(rows)


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

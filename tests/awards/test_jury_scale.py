"""The jury at scale: conflict detection for a whole round, the assignment's maximum
flow, the vectorised calibration (against a plain reference) and the shortlist, which
loads only its page."""

import random
from collections import defaultdict
from datetime import timedelta

import numpy as np
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kommune360.accounts.models import User
from kommune360.awards.jury import admin_views as jury_views
from kommune360.awards.models import Application, Assignment, Criterion, Review, Round, Score
from kommune360.awards.services import calibration, jury
from kommune360.awards.services.conflict_index import ConflictIndex, JurorKey
from tests.factories.accounts import UserFactory

from .conftest import make_round, municipality, submitted

pytestmark = pytest.mark.django_db


def test_the_index_finds_exactly_what_detected_finds(places, home_page):
    round_ = make_round(title="Index-Runde")
    other_kreis = municipality("03998", "Landkreis Anders", "landkreis")
    in_other_kreis = municipality("03998001", "Andersdorf", "gemeinde", district=other_kreis)
    spots = [*places.values(), in_other_kreis]
    applicant = UserFactory(email="bewerberin@musterstadt.example")
    co_user = UserFactory(email="mit@partner.example")
    apps = [
        submitted(round_, places["musterstadt"], user=applicant, contact_email="x@web.de"),
        submitted(round_, places["kreis"], contact_email="team@kreis.example"),
        submitted(round_, in_other_kreis, contact_email=""),
        submitted(round_, places["neustadt"], contact_email="Info@Neustadt.example "),
    ]
    apps[2].co_applicants.create(email="mit@partner.example", user=co_user)
    apps[3].co_applicants.create(email="gast@gmail.com")
    jurors = [
        UserFactory(email="a@musterstadt.example", municipality=places["beispielhausen"]),
        UserFactory(email="b@kreis.example", municipality=None),
        UserFactory(email="GAST@gmail.com", municipality=places["probstadt"]),
        UserFactory(email="c@neustadt.example", municipality=places["kreis"]),
        UserFactory(email="d@irgendwo.example", municipality=in_other_kreis),
        UserFactory(email="e@web.de", municipality=places["neustadt"]),
        applicant,
        co_user,
    ]
    for same_state in (False, True):
        round_.conflict_same_state = same_state
        index = ConflictIndex(round_)
        for user in jurors:
            user = User.objects.select_related("municipality").get(pk=user.pk)
            found = index.sources(JurorKey.of(user))
            for application in Application.objects.filter(pk__in=[a.pk for a in apps]):
                expected = jury.detected(user, application, round_)
                assert found.get(application.pk, []) == expected, (user.email, application.pk)
    assert spots  # every kind of place took part


def test_the_flow_respects_needs_capacities_and_conflicts():
    rng = np.random.default_rng(7)
    allowed = rng.random((60, 7)) > 0.3
    needs = np.full(60, 3)
    capacity = np.full(7, 24)
    rows, cols = jury.solve(needs, capacity, allowed)
    assert allowed[rows, cols].all()
    assert len(set(zip(rows.tolist(), cols.tolist(), strict=True))) == len(rows)
    assert (np.bincount(rows, minlength=60) <= needs).all()
    assert (np.bincount(cols, minlength=7) <= capacity).all()
    # As many as the problem allows: check against the linear programme.
    from scipy.optimize import linprog
    from scipy.sparse import csr_array

    a_idx, j_idx = np.nonzero(allowed)
    n = len(a_idx)
    matrix = csr_array(
        (np.ones(2 * n), (np.concatenate([a_idx, 60 + j_idx]), np.tile(np.arange(n), 2))),
        shape=(67, n),
    )
    best = linprog(-np.ones(n), A_ub=matrix, b_ub=np.concatenate([needs, capacity]), bounds=(0, 1))
    assert len(rows) == round(-best.fun)


def test_the_cap_rises_only_as_far_as_conflicts_force_it(places, home_page):
    free = [UserFactory(roles=["Jury"], email=f"frei{n}@jury{n}.example") for n in range(2)]
    local = UserFactory(
        roles=["Jury"], email="lokal@jury.example", municipality=places["musterstadt"]
    )
    round_ = make_round(title="Enge Runde", reviews_per_application=2)
    round_.jurors.set([*free, local])
    round_.save()
    apps = [submitted(round_, places["beispielhausen"], title=f"L{n}") for n in range(6)]
    round_.phase = Round.Phase.REVIEW
    round_.save()
    # The local juror may review none of them (same Kreis): the two others take all 12.
    assert jury.assign(round_, None) == 12
    loads = sorted(Assignment.objects.filter(juror=j).count() for j in [*free, local])
    assert loads == [0, 6, 6]
    assert all(a.assignments.count() == 2 for a in apps)


def _bulk_round(count, jurors_count, *, seed=3):
    """A round in the decision phase with ``count`` applications, each reviewed by
    three of ``jurors_count`` jurors, made in bulk (random scores and criteria)."""
    rng = random.Random(seed)
    place = municipality("09999001", "Skalierstadt", state="09")
    now = timezone.now()
    round_ = Round.objects.create(
        title=f"Skalierung {count}",
        phase=Round.Phase.DECISION,
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=1),
        reviews_per_application=3,
    )
    criteria = [
        Criterion.objects.create(round=round_, name="A", weight=3, scale_max=5),
        Criterion.objects.create(round=round_, name="B", weight=1, scale_max=4),
        Criterion.objects.create(round=round_, name="C", weight=2, scale_max=10),
    ]
    jurors = User.objects.bulk_create(
        [User(email=f"s{count}-{n}@skala{n}.example") for n in range(jurors_count)]
    )
    round_.jurors.set(jurors)
    round_.save()
    apps = Application.objects.bulk_create(
        [
            Application(
                round=round_,
                municipality=place,
                applicant_kind="municipality",
                organisation="Verwaltung",
                title=f"Skaliert {n}",
                summary="…",
                state=Application.State.SUBMITTED,
                submitted_at=now,
                version=1,
            )
            for n in range(count)
        ]
    )
    reviews = Review.objects.bulk_create(
        [
            Review(
                application=application,
                juror=juror,
                recommendation=rng.choice(["award", "seal", "maybe", "not"]),
                submitted_at=now,
            )
            for application in apps
            for juror in rng.sample(jurors, rng.choice([1, 2, 3, 3]))
        ]
    )
    Score.objects.bulk_create(
        [
            Score(review=review, criterion=c, value=rng.randint(1, c.scale_max))
            for review in reviews
            for c in criteria
        ]
    )
    return round_, jurors, apps


def _reference(round_, bootstrap):
    """The calibration as plain Python (the definition the numpy version follows)."""
    rows = list(
        Review.objects.filter(application__round=round_, submitted_at__isnull=False)
        .order_by("pk")
        .values_list("pk", "application_id", "juror_id", "recommendation")
    )
    sums = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for review_id, value, weight, scale in (
        Score.objects.filter(review__application__round=round_)
        .order_by("review_id", "criterion_id")
        .values_list("review_id", "value", "criterion__weight", "criterion__scale_max")
    ):
        normalised = 1 + (value - 1) * 4 / max(scale - 1, 1)
        entry = sums[review_id]
        entry[0] += weight * normalised
        entry[1] += weight
        entry[2] += normalised
        entry[3] += 1
    by_juror = defaultdict(list)
    scored = []
    for review_id, application_id, juror_id, recommendation in rows:
        s = sums[review_id]
        scored.append((application_id, juror_id, recommendation, s[0] / s[1], s[2] / s[3]))
        by_juror[juror_id].append(s[0] / s[1])
    stats = {j: (np.mean(v), np.std(v)) for j, v in by_juror.items()}
    figures = {}
    for application_id, juror_id, recommendation, weighted, plain in scored:
        mean, sd = stats[juror_id]
        entry = figures.setdefault(application_id, calibration.Figures(application_id, z_scores=[]))
        entry.z_scores.append((weighted - mean) / sd if sd > 1e-9 else 0.0)
        entry.__dict__.setdefault("w", []).append(weighted)
        entry.__dict__.setdefault("p", []).append(plain)
        entry.__dict__.setdefault("r", set()).add(recommendation)
    for entry in figures.values():
        entry.reviews = len(entry.w)
        entry.mean = float(np.mean(entry.p))
        entry.weighted = float(np.mean(entry.w))
        entry.normalised = float(np.mean(entry.z_scores))
        entry.sd = float(np.std(entry.w, ddof=1)) if len(entry.w) > 1 else 0.0
        entry.disagreement = entry.sd >= 1 or bool(
            entry.r & calibration.FOR and entry.r & calibration.AGAINST
        )
    calibration._rank(figures, bootstrap)
    return figures


def test_vectorised_calibration_equals_the_plain_definition(home_page):
    round_, _jurors, _apps = _bulk_round(120, 9)
    got = calibration.calibrate(round_)
    want = _reference(round_, calibration.BOOTSTRAP)
    assert got.keys() == want.keys()
    for pk, expected in want.items():
        figures = got[pk]
        assert figures.reviews == expected.reviews
        for name in ("mean", "weighted", "normalised", "sd"):
            assert getattr(figures, name) == pytest.approx(getattr(expected, name), abs=1e-9)
        assert figures.disagreement == expected.disagreement
        assert figures.z_scores == pytest.approx(expected.z_scores, abs=1e-9)
        assert (figures.rank, figures.rank_low, figures.rank_high) == (
            expected.rank,
            expected.rank_low,
            expected.rank_high,
        )


def _count_queries(client, url):
    """Queries of one request, counted as they run (Django empties its debug log at
    each request's start, so comparing the log's length before and after misleads)."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200
    return count, response.content.decode()


# (first request after a review changed: the calibration is computed; then: stored)
SHORTLIST_QUERIES = {"sqlite": (20, 18), "postgresql": (20, 18)}


def test_shortlist_queries_are_pinned_for_3_and_30_applications(client, home_page):
    counts = {}
    for size in (3, 30):
        round_, jurors, _apps = _bulk_round(size, 4, seed=size)
        Group.objects.get(name="Jury").user_set.add(jurors[0])
        client.force_login(jurors[0])
        url = reverse("awards_shortlist", args=[round_.pk])
        first, page = _count_queries(client, url)
        assert page.count("Skaliert ") == size
        counts[size] = (first, _count_queries(client, url)[0])
    assert counts[3] == counts[30] == SHORTLIST_QUERIES[connection.vendor]


def test_shortlist_pages_follow_the_ranking(client, home_page, monkeypatch):
    monkeypatch.setattr(jury_views, "SHORTLIST_PER_PAGE", 4)
    round_, jurors, apps = _bulk_round(10, 4)
    Group.objects.get(name="Jury").user_set.add(jurors[0])
    client.force_login(jurors[0])
    figures = calibration.calibrate(round_)
    ranked = sorted(figures, key=lambda pk: figures[pk].rank)
    titles = {a.pk: a.title for a in apps}
    url = reverse("awards_shortlist", args=[round_.pk])
    shown = []
    for number in (1, 2, 3):
        page = client.get(url, {"p": number}).content.decode()
        shown += sorted(
            (page.index(f">{titles[pk]}<"), pk) for pk in titles if f">{titles[pk]}<" in page
        )
    assert [pk for _position, pk in shown] == ranked


def _same(table, figures):
    """The stored table holds the same figures as a fresh calibration."""
    assert sorted(table.ids.tolist()) == sorted(figures)
    for pk, expected in figures.items():
        got = table[pk]
        assert (got.rank, got.rank_low, got.rank_high, got.reviews) == (
            expected.rank,
            expected.rank_low,
            expected.rank_high,
            expected.reviews,
        )
        assert got.disagreement == expected.disagreement
        for name in ("mean", "weighted", "normalised", "sd"):
            assert getattr(got, name) == getattr(expected, name)
    ranked = sorted(figures, key=lambda pk: figures[pk].rank)
    assert table.by_rank([*reversed(ranked), 10**8]) == [*ranked, 10**8]
    assert table.get(10**8) is None and 10**8 not in table
    return True


def test_stored_calibration_follows_every_change_of_the_reviews(home_page):
    round_, jurors, _apps = _bulk_round(12, 4)
    assert _same(calibration.stored(round_), calibration.calibrate(round_))
    # A score changes with its review (as ``save_review`` does).
    review = Review.objects.filter(application__round=round_).order_by("pk").first()
    score = review.scores.order_by("pk").first()
    score.value = 1 if score.value > 1 else 3
    score.save()
    review.save()
    assert _same(calibration.stored(round_), calibration.calibrate(round_))
    # A juror is erased (reviews keep their scores without the juror).
    Review.objects.filter(juror=jurors[0]).update(juror=None)
    assert _same(calibration.stored(round_), calibration.calibrate(round_))
    # A criterion's weight changes; a review is withdrawn from the count.
    round_.criteria.filter(name="A").update(weight=1)
    assert _same(calibration.stored(round_), calibration.calibrate(round_))
    Review.objects.filter(pk=review.pk).update(submitted_at=None)
    assert _same(calibration.stored(round_), calibration.calibrate(round_))

"""The jury's screens in the Wagtail admin: the rounds, the shortlist, reviewing and the
meeting view.

A juror with a conflict never sees the application: it is left out of every list and
each of its URLs answers 404 (``_visible_application``). A juror sees the other
reviews of an application only after submitting their own (pretalx's rule).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kommune360.core.permissions import admin_permission_required

from ..admin_views import EDIT, dossier_response
from ..documents import answer_rows
from ..forms import ConflictForm, ReviewForm
from ..models import Application, Assignment, Attachment, Review, Round
from ..services import jury
from ..services.calibration import stored as calibrate
from ..services.conflict_index import ConflictIndex, JurorKey
from ..views import attachment_response

REVIEW = "awards.review_application"
SHORTLIST_PER_PAGE = 50
JURY_PHASES = (Round.Phase.REVIEW, Round.Phase.DECISION)


def _juror_round(request, round_id):
    round_ = get_object_or_404(Round, pk=round_id, phase__in=JURY_PHASES, jurors=request.user)
    return round_


def _hidden_ids(juror, round_, applications=None) -> set[int]:
    """Applications of ``applications`` (a queryset; the round's submitted ones if
    ``None``) the juror may not see (any conflict); a fixed number of queries."""
    return ConflictIndex(round_, applications).hidden(JurorKey.of(juror))


def _juror(request):
    user = request.user
    if not hasattr(user, "_awards_juror"):
        from django.contrib.auth import get_user_model

        user._awards_juror = get_user_model().objects.select_related("municipality").get(pk=user.pk)
    return user._awards_juror


def _visible_application(request, round_id, pk, *, assigned_only=None):
    """The application if the juror may see it, else 404 (conflicts, not assigned in
    the review phase, drafts and withdrawn ones)."""
    round_ = _juror_round(request, round_id)
    application = get_object_or_404(
        Application.objects.select_related("round", "municipality", "applicant").prefetch_related(
            "co_applicants", "attachments"
        ),
        pk=pk,
        round=round_,
        state=Application.State.SUBMITTED,
    )
    juror = _juror(request)
    if jury.conflict_reasons(juror, application):
        raise Http404
    if assigned_only is None:
        assigned_only = round_.phase == Round.Phase.REVIEW
    if (
        assigned_only
        and not Assignment.objects.filter(application=application, juror=juror).exists()
    ):
        raise Http404
    return application


@admin_permission_required(REVIEW)
def home(request):
    rounds = list(
        Round.objects.filter(jurors=request.user, phase__in=JURY_PHASES).order_by("closes_at")
    )
    return render(
        request,
        "awards/admin/jury_home.html",
        {"page_title": _("Jury"), "header_icon": "trophy", "rounds": rounds},
    )


def shortlist_context(request, round_, page_number):
    """The juror's shortlist: in the review phase their assigned applications with the
    state of their review; in the decision phase every application they may see,
    ranked, with its rank range. A fixed number of queries, whatever the number of
    applications."""
    juror = _juror(request)
    applications = Application.objects.filter(round=round_, state=Application.State.SUBMITTED)
    if round_.phase == Round.Phase.REVIEW:
        applications = applications.filter(assignments__juror=juror)
    index = ConflictIndex(round_, applications)
    hidden = index.hidden(JurorKey.of(juror))
    ids = [pk for pk in index.ids if pk not in hidden]
    mine = dict(
        Review.objects.filter(juror=juror, application__round=round_).values_list(
            "application_id", "submitted_at"
        )
    )
    figures = {}
    if round_.phase == Round.Phase.DECISION:
        figures = calibrate(round_)
        ids = figures.by_rank(ids)
    page = Paginator(ids, SHORTLIST_PER_PAGE).get_page(page_number)
    return {
        "page_title": round_.title,
        "page_subtitle": _("Jury"),
        "header_icon": "trophy",
        "round": round_,
        "page": page,
        "rows": _shortlist_rows(round_, list(page.object_list), mine, figures),
        "ranked": bool(figures),
    }


def _shortlist_rows(round_, ids, mine, figures) -> list[dict]:
    """The page's rows, ready to print: only the page's applications are loaded (the
    fields shown), and labels and numbers are made here rather than per row in the
    template."""
    loaded = {
        pk: (title, place)
        for pk, title, place in Application.objects.filter(pk__in=ids).values_list(
            "pk", "title", "municipality__name"
        )
    }
    labels = {True: _("abgegeben"), None: _("Entwurf"), False: _("offen")}
    yes, no, uncertain = _("ja"), _("nein"), _("unsicher")
    rows = []
    for pk in ids:
        title, place = loaded[pk]
        review = mine.get(pk, False)
        row = {
            "url": reverse("awards_review", args=[round_.pk, pk]),
            "title": title,
            "municipality": place,
            "review": labels[True if review else review],
        }
        f = figures.get(pk)
        if figures:
            row["rank"] = f.rank if f else "–"
            row["range"] = "–"
            if f and f.rank_range:
                row["range"] = f"{f.rank_range} ({uncertain})" if f.uncertain else f.rank_range
            row["normalised"] = floatformat(f.normalised, 2) if f else "–"
            row["disagreement"] = yes if f and f.disagreement else no
        rows.append(row)
    return rows


@admin_permission_required(REVIEW)
def shortlist(request, round_id):
    round_ = _juror_round(request, round_id)
    return render(
        request,
        "awards/admin/shortlist.html",
        shortlist_context(request, round_, request.GET.get("p")),
    )


@admin_permission_required(REVIEW)
def review(request, round_id, pk):
    application = _visible_application(request, round_id, pk)
    round_ = application.round
    juror = _juror(request)
    own = (
        Review.objects.filter(application=application, juror=juror)
        .prefetch_related("scores")
        .first()
    )
    criteria = list(round_.criteria.all())
    initial = {}
    if own:
        initial = {
            "recommendation": own.recommendation,
            "comment": own.comment,
            "meeting_note": own.meeting_note,
        }
        for score in own.scores.all():
            initial[f"score_{score.criterion_id}"] = score.value
            initial[f"note_{score.criterion_id}"] = score.comment
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            jury.save_review(
                application,
                juror,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                meeting_note=form.cleaned_data["meeting_note"],
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ihr Gutachten ist gespeichert."))
            return redirect("awards_review", round_.pk, application.pk)
    submitted = bool(own and own.submitted_at)
    others = []
    if submitted:
        others = list(
            Review.objects.filter(application=application, submitted_at__isnull=False)
            .exclude(juror=juror)
            .select_related("juror")
            .prefetch_related("scores__criterion")
        )
    return render(
        request,
        "awards/admin/review.html",
        {
            "page_title": application.title,
            "page_subtitle": round_.title,
            "header_icon": "doc-full",
            "round": round_,
            "application": application,
            "blind": round_.blind,
            "rows": answer_rows(application),
            "attachments": list(application.attachments.all()),
            "form": form,
            "own": own,
            "submitted": submitted,
            "others": others,
            "editable": round_.phase == Round.Phase.REVIEW,
            "conflict_form": ConflictForm(),
        },
    )


@admin_permission_required(REVIEW)
def attachment(request, round_id, pk, attachment_id):
    application = _visible_application(request, round_id, pk)
    item = get_object_or_404(Attachment, pk=attachment_id, application=application)
    return attachment_response(item)


@admin_permission_required(REVIEW)
@require_POST
def declare_conflict(request, round_id, pk):
    application = _visible_application(request, round_id, pk, assigned_only=False)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte nennen Sie kurz den Grund."))
        return redirect("awards_review", round_id, application.pk)
    jury.declare_conflict(_juror(request), application, form.cleaned_data["reason"])
    messages.success(
        request, _("Sie sind für diese Bewerbung befangen; sie erscheint nicht mehr bei Ihnen.")
    )
    return redirect("awards_shortlist", round_id)


@admin_permission_required(REVIEW)
def juror_dossier(request, round_id, pk):
    application = _visible_application(request, round_id, pk)
    own = Review.objects.filter(
        application=application, juror=request.user, submitted_at__isnull=False
    ).exists()
    if not own and application.round.phase == Round.Phase.REVIEW:
        raise Http404
    return dossier_response(application, blind=application.round.blind, hide_jurors=True)


def meeting_context(request, round_, *, juror=None):
    """Every application of the meeting, the greatest disagreement first; for a juror
    without those they have a conflict with."""
    applications = list(
        Application.objects.filter(round=round_, state=Application.State.SUBMITTED)
        .select_related("municipality")
        .order_by("pk")
    )
    if juror is not None:
        hidden = _hidden_ids(juror, round_)
        applications = [a for a in applications if a.pk not in hidden]
    figures = calibrate(round_)
    notes = {}
    for application_id, note in (
        Review.objects.filter(application__round=round_, submitted_at__isnull=False)
        .exclude(meeting_note="")
        .values_list("application_id", "meeting_note")
    ):
        notes.setdefault(application_id, []).append(note)
    for application in applications:
        application.figures = figures.get(application.pk)
        application.notes = notes.get(application.pk, [])
    applications.sort(
        key=lambda a: (
            not (a.figures and a.figures.disagreement),
            -(a.figures.sd if a.figures and a.figures.sd is not None else -1),
            a.pk,
        )
    )
    return {
        "page_title": round_.title,
        "page_subtitle": _("Jurysitzung"),
        "header_icon": "group",
        "round": round_,
        "applications": applications,
        "blind": juror is not None and round_.blind,
        "is_editor": juror is None,
    }


@admin_permission_required(REVIEW)
def meeting(request, round_id):
    round_ = get_object_or_404(Round, pk=round_id, phase=Round.Phase.DECISION, jurors=request.user)
    return render(
        request,
        "awards/admin/meeting.html",
        meeting_context(request, round_, juror=_juror(request)),
    )


@admin_permission_required(EDIT)
def editor_meeting(request, round_id):
    round_ = get_object_or_404(Round, pk=round_id)
    return render(request, "awards/admin/meeting.html", meeting_context(request, round_))

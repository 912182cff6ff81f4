"""The editors' screens of a round in the Wagtail admin: phases, assignment, the
applications with their reviews and figures, the decision, the exports.

Views parse and check permissions; every change goes through ``services``.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kommune360.core import exports
from kommune360.core.http import content_disposition
from kommune360.core.permissions import admin_permission_required

from .documents import answer_rows, dossier_pdf
from .forms import DecisionForm
from .models import Application, Assignment, Review, Round, Solution
from .services import jury, rounds
from .services.calibration import calibrate

EDIT = "awards.change_round"
PER_PAGE = 100


def _round(round_id):
    return get_object_or_404(Round, pk=round_id)


def _errors(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


@admin_permission_required(EDIT)
def round_overview(request, round_id):
    round_ = _round(round_id)
    applications = (
        Application.objects.filter(round=round_)
        .exclude(state=Application.State.DRAFT)
        .select_related("municipality")
        .annotate(
            assigned=Count("assignments", distinct=True),
            reviewed=Count("reviews", filter=Q(reviews__submitted_at__isnull=False), distinct=True),
            conflicted=Count("conflicts", distinct=True),
        )
        .order_by("title", "pk")
    )
    page = Paginator(applications, PER_PAGE).get_page(request.GET.get("p"))
    figures = calibrate(round_, bootstrap=0)
    for application in page:
        application.figures = figures.get(application.pk)
    counts = dict(
        Application.objects.filter(round=round_)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "awards/admin/round.html",
        {
            "page_title": round_.title,
            "page_subtitle": round_.get_phase_display(),
            "header_icon": "trophy",
            "round": round_,
            "page": page,
            "counts": [(label, counts.get(value, 0)) for value, label in Application.State.choices],
            "next_phase": rounds.next_phase(round_),
            "next_phase_label": dict(Round.Phase.choices).get(rounds.next_phase(round_), ""),
            "jurors": list(round_.jurors.order_by("last_name", "first_name", "pk")),
        },
    )


@admin_permission_required(EDIT)
@require_POST
def change_phase(request, round_id):
    round_ = _round(round_id)
    try:
        round_ = rounds.change_phase(round_, request.POST.get("phase", ""), request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Die Runde ist jetzt in der Phase „%(phase)s“.")
            % {"phase": round_.get_phase_display()},
        )
    return redirect("awards_round", round_.pk)


@admin_permission_required(EDIT)
@require_POST
def assign(request, round_id):
    round_ = _round(round_id)
    count = jury.assign(round_, request.user)
    messages.success(
        request,
        ngettext(
            "Neu zugeteilt: %(count)s Gutachten.", "Neu zugeteilt: %(count)s Gutachten.", count
        )
        % {"count": count},
    )
    return redirect("awards_round", round_.pk)


def _application(round_id, pk):
    return get_object_or_404(
        Application.objects.select_related("round", "municipality", "applicant").prefetch_related(
            "co_applicants", "attachments"
        ),
        pk=pk,
        round_id=round_id,
    )


@admin_permission_required(EDIT)
def application_admin(request, round_id, pk):
    application = _application(round_id, pk)
    round_ = application.round
    User = get_user_model()
    assigned = list(
        Assignment.objects.filter(application=application).select_related("juror").order_by("pk")
    )
    assigned_ids = {a.juror_id for a in assigned}
    jurors = list(round_.jurors.select_related("municipality").order_by("last_name", "pk"))
    declared = set(
        application.conflicts.filter(source="declared").values_list("juror_id", flat=True)
    )
    free = [
        j
        for j in jurors
        if j.pk not in assigned_ids
        and j.pk not in declared
        and not jury.detected(j, application, round_)
    ]
    figures = calibrate(round_, bootstrap=0).get(application.pk)
    return render(
        request,
        "awards/admin/application.html",
        {
            "page_title": application.title,
            "page_subtitle": round_.title,
            "header_icon": "doc-full",
            "round": round_,
            "application": application,
            "rows": answer_rows(application),
            "attachments": list(application.attachments.all()),
            "assigned": assigned,
            "free_jurors": free,
            "conflicts": list(application.conflicts.select_related("juror")),
            "reviews": list(
                application.reviews.select_related("juror", "version").prefetch_related(
                    "scores__criterion"
                )
            ),
            "figures": figures,
            "decision_form": DecisionForm(
                initial={"decision": application.decision, "reason": application.decision_reason}
            ),
            "solution": Solution.objects.filter(application=application).first(),
            "users": User,
        },
    )


@admin_permission_required(EDIT)
@require_POST
def assignment(request, round_id, pk):
    application = _application(round_id, pk)
    juror = get_object_or_404(get_user_model(), pk=_int(request.POST.get("juror")))
    try:
        if request.POST.get("action") == "remove":
            jury.unassign(application, juror, request.user)
        else:
            jury.assign_by_hand(application, juror, request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect("awards_application", round_id, application.pk)


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**31 else 0


@admin_permission_required(EDIT)
@require_POST
def decide(request, round_id, pk):
    application = _application(round_id, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Entscheidung und begründen Sie sie."))
    else:
        try:
            rounds.decide(
                application,
                form.cleaned_data["decision"],
                form.cleaned_data["reason"],
                request.user,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Die Entscheidung ist gespeichert."))
    return redirect("awards_application", round_id, application.pk)


@admin_permission_required(EDIT)
@require_POST
def create_solution(request, round_id, pk):
    application = _application(round_id, pk)
    if not application.is_awarded:
        messages.error(request, _("Ein Lösungsprofil gibt es nur für ausgezeichnete Bewerbungen."))
        return redirect("awards_application", round_id, application.pk)
    solution = rounds.solution_profile(application, request.user)
    return redirect("wagtailsnippets_awards_solution:edit", solution.pk)


def score_rows(round_, figures, applications, *, blind):
    """The export's rows: one per application, its figures and each review's scores."""
    criteria = list(round_.criteria.all())
    yield [_("Ausschreibung"), round_.title]
    header = [
        _("Bewerbung"),
        _("Titel"),
        *([] if blind else [_("Kommune"), _("Organisation")]),
        _("Gutachten"),
        _("Mittelwert"),
        _("gewichteter Mittelwert"),
        _("normalisierter Mittelwert"),
        _("Standardabweichung"),
        _("Uneinigkeit"),
        _("Rang"),
        _("Rangbereich"),
        *[c.name for c in criteria],
    ]
    yield header
    reviews = (
        Review.objects.filter(application__in=applications, submitted_at__isnull=False)
        .prefetch_related("scores")
        .order_by("application_id", "pk")
    )
    by_app = {}
    for review in reviews:
        by_app.setdefault(review.application_id, []).append(review)
    for application in applications:
        f = figures.get(application.pk)
        means = []
        for criterion in criteria:
            values = [
                s.value
                for r in by_app.get(application.pk, [])
                for s in r.scores.all()
                if s.criterion_id == criterion.pk
            ]
            means.append(round(sum(values) / len(values), 2) if values else "")
        yield [
            application.pk,
            application.title,
            *([] if blind else [application.municipality.name, application.organisation]),
            f.reviews if f else 0,
            _r(f and f.mean),
            _r(f and f.weighted),
            _r(f and f.normalised),
            _r(f and f.sd),
            _("ja") if f and f.disagreement else _("nein"),
            f.rank if f else "",
            f.rank_range if f else "",
            *means,
        ]


def _r(value):
    return "" if value is None else round(value, 2)


@admin_permission_required(EDIT)
def export(request, round_id, fmt):
    round_ = _round(round_id)
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Dieses Format gibt es nicht."), status=404)
    applications = list(
        Application.objects.filter(round=round_, state=Application.State.SUBMITTED)
        .select_related("municipality")
        .order_by("pk")
    )
    rows = score_rows(round_, calibrate(round_), applications, blind=False)
    return exports.response(fmt, rows, f"bewertungen-{round_.slug}", sheet_title=_("Bewertungen"))


def dossier_response(application, *, blind, hide_jurors):
    reviews = list(
        application.reviews.filter(submitted_at__isnull=False)
        .select_related("juror")
        .prefetch_related("scores__criterion")
    )
    if hide_jurors:
        for review in reviews:
            review.juror = None
    figures = calibrate(application.round, bootstrap=0).get(application.pk)
    response = HttpResponse(
        dossier_pdf(application, reviews, figures, blind=blind), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition(f"dossier-{application.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@admin_permission_required(EDIT)
def dossier(request, round_id, pk):
    return dossier_response(_application(round_id, pk), blind=False, hide_jurors=False)


def round_link(round_):
    return reverse("awards_round", args=[round_.pk])

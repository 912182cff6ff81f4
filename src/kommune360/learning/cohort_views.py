"""The cohort area (accepted participants, facilitators, the team) and the
facilitators' attendance list. Views parse, check access, delegate to ``services``.

Who may see what:

| page | accepted participant | facilitator of the cohort | team (``learning.change_application``) |
| --- | --- | --- | --- |
| area, dates (.ics), material | yes | yes | yes |
| own progress, self-study, visibility, certificate, feedback | yes | – | – |
| attendance list | – | yes | yes |

Everyone else gets a German 403 page (anonymous people the login first).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kommune360.core.cache import mark_private
from kommune360.core.certificates import certificate_pdf_response
from kommune360.core.http import content_disposition
from kommune360.core.sorting import by_name
from kommune360.core.storage import open_stored

from . import services
from .calendar import dates_ics
from .forms import FeedbackForm
from .models import Application, Attendance, Cohort, CohortDate, Material, Module

Status = Application.Status


class Access:
    """Who the visitor is for this cohort."""

    def __init__(self, request, cohort):
        user = request.user
        self.application = (
            Application.objects.filter(cohort=cohort, user=user)
            .select_related("municipality", "user")
            .first()
        )
        if self.application is not None:
            self.application.cohort = cohort  # with its path, already loaded
        self.is_staff = services.is_staff_for_learning(user)
        self.is_facilitator = cohort.facilitators.filter(pk=user.pk).exists()

    @property
    def participant(self):
        a = self.application
        return a if a is not None and a.status == Status.ACCEPTED else None

    @property
    def may_enter(self):
        return bool(self.participant or self.is_facilitator or self.is_staff)

    @property
    def may_record(self):
        return self.is_facilitator or self.is_staff


def _cohort(slug, cohort_id):
    return get_object_or_404(Cohort.objects.select_related("path"), pk=cohort_id, path__slug=slug)


def _forbidden(request, cohort, access=None):
    application = access.application if access else None
    return render(
        request,
        "learning/forbidden.html",
        {"cohort": cohort, "path": cohort.path, "application": application},
        status=403,
    )


def _for_cohort(right):
    """A view of one cohort (the URL names path and cohort) for the people whose
    ``Access`` has ``right`` ("may_enter", "participant", "may_record"); it is called
    with the cohort and the access. Everyone else gets the page that says why (403),
    anonymous people the login first."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, slug, cohort_id, **kwargs):
            mark_private(request)
            cohort = _cohort(slug, cohort_id)
            access = Access(request, cohort)
            if not getattr(access, right):
                return _forbidden(request, cohort, access)
            return view(request, cohort, access, **kwargs)

        return wrapped

    return decorator


def _area_url(cohort):
    return reverse("learning:cohort", args=[cohort.path.slug, cohort.pk])


@_for_cohort("may_enter")
def cohort_area(request, cohort, access):
    path = cohort.path
    modules = list(
        Module.objects.filter(path=path).prefetch_related(
            Prefetch(
                "materials",
                queryset=Material.objects.filter(Q(cohort=cohort) | Q(cohort__isnull=True)),
            )
        )
    )
    dates = {d.module_id: d for d in CohortDate.objects.filter(cohort=cohort)}
    me = access.participant
    attended = {}
    if me is not None:
        attended = {
            a.module_id: a for a in Attendance.objects.filter(application=me, attended=True)
        }
    for module in modules:
        module.date = dates.get(module.pk)
        module.attendance = attended.get(module.pk)
        module.material_list = list(module.materials.all())
    context = {
        "cohort": cohort,
        "path": path,
        "modules": modules,
        "dates": sorted(dates.values(), key=lambda d: (d.starts_at, d.pk)),
        "me": me,
        "access": access,
        "peers": Application.objects.filter(
            cohort=cohort, status=Status.ACCEPTED, show_to_cohort=True
        )
        .select_related("user", "municipality")
        .order_by(*by_name("user__last_name", "user__first_name"), "pk"),
    }
    if me is not None:
        context["progress"] = progress = services.progress(me, modules, set(attended))
        context["certificate"] = services.valid_certificate(me)
        if context["certificate"] is None:
            eligible, reason = services.certificate_eligibility(
                me, log=False, percent=progress["exact_percent"]
            )
            context["eligible"], context["not_eligible_reason"] = eligible, reason
        context["feedback_open"] = services.feedback_open(cohort, dates=dates.values())
        context["feedback"] = getattr(me, "feedback", None) if context["feedback_open"] else None
    return render(request, "learning/cohort_area.html", context)


def _calendar(request, cohort, dates, name, filename):
    """``dates`` as a calendar file, each linking back to the cohort's area."""
    area_url = request.build_absolute_uri(_area_url(cohort))
    content = dates_ics(dates, name=name, area_url=area_url)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    return response


@_for_cohort("may_enter")
def cohort_ics(request, cohort, access):
    dates = CohortDate.objects.filter(cohort=cohort).select_related("module", "cohort__path")
    name = f"{cohort.path.title} – {cohort.title}"
    return _calendar(request, cohort, dates, name, f"{cohort.path.slug}-{cohort.pk}.ics")


@_for_cohort("may_enter")
def date_ics(request, cohort, access, date_id):
    date = get_object_or_404(
        CohortDate.objects.select_related("module", "cohort__path"), pk=date_id, cohort=cohort
    )
    name = f"{cohort.path.title} – {date.module.title}"
    return _calendar(request, cohort, [date], name, f"{cohort.path.slug}-termin-{date.pk}.ics")


@_for_cohort("may_enter")
def material(request, cohort, access, material_id):
    item = get_object_or_404(
        Material.objects.filter(Q(cohort=cohort) | Q(cohort__isnull=True)),
        pk=material_id,
        module__path_id=cohort.path_id,
    )
    if not item.file:
        return redirect(item.url)
    response = FileResponse(open_stored(item.file), as_attachment=True, filename=item.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@_for_cohort("participant")
@require_POST
def self_study_done(request, cohort, access, module_id):
    me = access.participant
    module = get_object_or_404(Module, pk=module_id, path_id=cohort.path_id)
    try:
        services.mark_self_study_done(me, module)
    except services.LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("„%(module)s“ ist erledigt.") % {"module": module.title})
    return redirect(f"{_area_url(cohort)}#modul-{module.pk}")


@_for_cohort("participant")
@require_POST
def visibility(request, cohort, access):
    me = access.participant
    visible = request.POST.get("visible") == "1"
    services.set_visibility(me, visible)
    messages.success(
        request,
        _("Die anderen Teilnehmer:innen sehen jetzt Ihren Namen.")
        if visible
        else _("Ihr Name ist für die anderen Teilnehmer:innen nicht mehr sichtbar."),
    )
    return redirect(f"{_area_url(cohort)}#teilnehmende")


@_for_cohort("participant")
@require_http_methods(["GET", "POST"])
def certificate(request, cohort, access):
    """POST issues the certificate (when eligible) and goes back to the area; GET
    downloads the valid one."""
    me = access.participant
    if request.method == "POST":
        try:
            services.issue_learning_certificate(me, actor=request.user)
        except services.NotEligible as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Ihre Teilnahmebescheinigung ist ausgestellt. Sie können sie herunterladen."),
            )
        return redirect(f"{_area_url(cohort)}#bescheinigung")
    issued = services.valid_certificate(me)
    if issued is None:
        raise Http404
    response = certificate_pdf_response(issued)
    response["Cache-Control"] = "private, no-store"
    return response


@_for_cohort("participant")
@require_http_methods(["GET", "POST"])
def feedback(request, cohort, access):
    me = access.participant
    if not services.feedback_open(cohort):
        messages.info(request, _("Die Rückmeldung ist erst zum Abschluss der Kohorte möglich."))
        return redirect(_area_url(cohort))
    existing = getattr(me, "feedback", None)
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.submit_feedback(me, **form.cleaned_data)
            except services.LearningError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Vielen Dank für Ihre Rückmeldung!"))
                return redirect(f"{_area_url(cohort)}#rueckmeldung")
    else:
        initial = {}
        if existing is not None:
            initial = {
                "rating": str(existing.rating),
                "text": existing.text,
                "publish_consent": existing.publish_consent,
                "attribution": existing.attribution,
            }
        form = FeedbackForm(initial=initial)
    return render(
        request,
        "learning/feedback.html",
        {"cohort": cohort, "path": cohort.path, "form": form, "me": me},
    )


# --- Attendance ------------------------------------------------------------------------------


def _attendance_rows(cohort, module):
    applications = list(
        Application.objects.filter(cohort=cohort, status=Status.ACCEPTED)
        .select_related("user")
        .order_by(*by_name("user__last_name", "user__first_name"), "pk")
    )
    present = set(
        Attendance.objects.filter(
            application__cohort=cohort, module=module, attended=True
        ).values_list("application_id", flat=True)
    )
    for application in applications:
        application.present = application.pk in present
    return applications


@_for_cohort("may_record")
@require_http_methods(["GET", "POST"])
def attendance(request, cohort, access, module_id):
    """The facilitators' list for one meeting: one big button per person (present /
    absent). Works without JavaScript (the form posts and the page comes back); with
    htmx only the row is swapped. Toggling is idempotent: the button sends the state
    it wants, not "toggle"."""
    module = get_object_or_404(Module, pk=module_id, path_id=cohort.path_id)
    if request.method == "POST":
        application = get_object_or_404(
            Application.objects.select_related("user", "cohort"),
            pk=request.POST.get("application"),
            cohort=cohort,
        )
        present = request.POST.get("present") == "1"
        try:
            services.record_attendance(application, module, attended=present, actor=request.user)
        except services.LearningError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        application.present = present
        if request.htmx:
            return render(
                request,
                "learning/_attendance_row.html",
                {"row": application, "cohort": cohort, "module": module, "swapped": True},
            )
        return redirect(f"{request.path}#person-{application.pk}")
    rows = _attendance_rows(cohort, module)
    dates = list(
        CohortDate.objects.filter(cohort=cohort).select_related("module").order_by("starts_at")
    )
    return render(
        request,
        "learning/attendance.html",
        {
            "cohort": cohort,
            "path": cohort.path,
            "module": module,
            "date": next((d for d in dates if d.module_id == module.pk), None),
            "dates": dates,
            "rows": rows,
            "present_count": sum(1 for r in rows if r.present),
            "now": timezone.now(),
        },
    )

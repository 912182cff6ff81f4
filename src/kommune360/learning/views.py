"""Public pages of Lernpfade and the application form. Views parse, check, delegate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.cache import mark_private
from kommune360.core.models import SiteSettings

from . import services
from .forms import ApplicationForm
from .models import Application, Cohort, LearningPath
from .structured_data import path_json_ld

PER_PAGE = 20


def path_list(request):
    paths = (
        LearningPath.objects.filter(is_published=True)
        .prefetch_related("modules", "target_groups")
        .order_by("title", "pk")
    )
    page = Paginator(paths, PER_PAGE).get_page(request.GET.get("seite"))
    return render(request, "learning/path_list.html", {"page": page, "paths": page.object_list})


def path_detail(request, slug):
    path = get_object_or_404(
        LearningPath.objects.filter(is_published=True).prefetch_related(
            "modules",
            "target_groups",
            Prefetch("cohorts", queryset=Cohort.objects.order_by("starts_on", "pk")),
        ),
        slug=slug,
    )
    today = timezone.localdate()
    cohorts = list(path.cohorts.all())
    for cohort in cohorts:
        cohort.open_now = cohort.applications_open(today)
    mine, facilitated = {}, set()
    if request.user.is_authenticated:
        mark_private(request)
        mine = dict(
            Application.objects.filter(user=request.user, cohort__path=path).values_list(
                "cohort_id", "status"
            )
        )
        facilitated = set(
            Cohort.facilitators.through.objects.filter(
                user=request.user, cohort__path=path
            ).values_list("cohort_id", flat=True)
        )
    staff = services.is_staff_for_learning(request.user)
    for cohort in cohorts:
        status = mine.get(cohort.pk)
        cohort.my_status = Application.STATUS_SENTENCES[status] if status else ""
        cohort.may_enter = (
            status == Application.Status.ACCEPTED or cohort.pk in facilitated or staff
        )
    modules = list(path.modules.all())
    network_name = SiteSettings.for_request(request).network_name
    return render(
        request,
        "learning/path_detail.html",
        {
            "path": path,
            "modules": modules,
            "cohorts": cohorts,
            "json_ld": path_json_ld(path, cohorts, modules, network_name),
            "quotes": list(services.published_quotes(path)[:6]),
        },
    )


@login_required
def apply(request, slug, cohort_id):
    mark_private(request)
    cohort = get_object_or_404(
        Cohort.objects.select_related("path"),
        pk=cohort_id,
        path__slug=slug,
        path__is_published=True,
    )
    if not cohort.applications_open(timezone.localdate()):
        messages.error(request, _("Für diese Kohorte ist keine Bewerbung möglich."))
        return redirect("learning:detail", slug=slug)
    user = request.user
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                services.apply_to_cohort(
                    cohort,
                    user=user,
                    role=form.cleaned_data["role"],
                    employer=form.cleaned_data["employer"],
                    motivation=form.cleaned_data["motivation"],
                    show_to_cohort=form.cleaned_data["show_to_cohort"],
                    municipality=getattr(user, "municipality", None),
                )
            except services.LearningError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Ihre Bewerbung ist eingegangen. Sie erhalten eine Bestätigung per E-Mail."),
                )
            return redirect("learning:detail", slug=slug)
    else:
        form = ApplicationForm(
            initial={"role": getattr(user, "position", ""), "employer": user.organisation}
        )
    return render(
        request, "learning/apply.html", {"cohort": cohort, "path": cohort.path, "form": form}
    )

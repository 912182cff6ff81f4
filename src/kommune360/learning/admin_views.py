"""The team's screens for Lernpfade inside the Wagtail admin: a cohort's applications
(accept, waitlist, decline), its certificates (issue in bulk, revoke with a reason,
re-issue) and publishing feedback quotes. Views parse and check permissions; every
change goes through ``services`` (locking, one mail each, audit entries)."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from kommune360.core import choices
from kommune360.core.certificates import Certificate, certificate_pdf_response
from kommune360.core.forms import Form
from kommune360.core.permissions import admin_permission_required
from kommune360.core.sorting import by_name

from . import services
from .models import Application, Attendance, Cohort, Feedback, Module

Status = Application.Status
DECISIONS = {
    "accept": Status.ACCEPTED,
    "waitlist": Status.WAITLISTED,
    "decline": Status.DECLINED,
}


def _cohort(cohort_id):
    return get_object_or_404(Cohort.objects.select_related("path"), pk=cohort_id)


@require_http_methods(["GET", "POST"])
@admin_permission_required("learning.view_application", for_post="learning.change_application")
def applications(request, cohort_id):
    cohort = _cohort(cohort_id)
    if request.method == "POST":
        application = get_object_or_404(
            Application, pk=request.POST.get("application"), cohort=cohort
        )
        decision = DECISIONS.get(request.POST.get("decision"))
        if decision is None:
            messages.error(request, _("Unbekannte Entscheidung."))
        else:
            try:
                application = services.decide_application(application, decision, actor=request.user)
            except services.LearningError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("%(name)s: %(status)s")
                    % {
                        "name": application.holder_name,
                        "status": application.get_status_display(),
                    },
                )
        return redirect("learning_applications", cohort.pk)
    rows = list(
        Application.objects.filter(cohort=cohort)
        .select_related("user", "municipality")
        .order_by("status", "created_at", "pk")
    )
    counts = {s: sum(1 for r in rows if r.status == s) for s in Status.values}
    return render(
        request,
        "learning/admin/applications.html",
        {
            "cohort": cohort,
            "rows": rows,
            "status_counts": choices.counted(Status, counts),
            "free": max(cohort.capacity - counts[Status.ACCEPTED], 0),
            "page_title": _("Bewerbungen: %(cohort)s") % {"cohort": cohort},
            "header_icon": "group",
        },
    )


def _certificate_rows(cohort):
    """Accepted people with hours attended and their certificates, in four queries."""
    modules = list(Module.objects.filter(path_id=cohort.path_id))
    people = list(
        Application.objects.filter(cohort=cohort, status=Status.ACCEPTED)
        .select_related("user", "cohort__path")
        .order_by(*by_name("user__last_name", "user__first_name"), "pk")
    )
    attended = {}
    for application_id, module_id in Attendance.objects.filter(
        application__cohort=cohort, attended=True
    ).values_list("application_id", "module_id"):
        attended.setdefault(application_id, set()).add(module_id)
    certificates = {}
    for certificate in Certificate.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id__in=[str(p.pk) for p in people],
    ).order_by("created_at", "pk"):
        certificates.setdefault(int(certificate.object_id), []).append(certificate)
    today = timezone.localdate()
    for person in people:
        person.progress = services.progress(person, modules, attended.get(person.pk, set()))
        person.certificates = certificates.get(person.pk, [])
        person.valid = next((c for c in person.certificates if c.is_valid), None)
        person.revoked = [c for c in person.certificates if not c.is_valid]
        person.ready = cohort.is_finished(today) and person.progress["reached"] and not person.valid
    return people


@require_http_methods(["GET", "POST"])
@admin_permission_required("learning.view_application", for_post="learning.change_application")
def certificates(request, cohort_id):
    cohort = _cohort(cohort_id)
    if request.method == "POST":
        if "reissue" in request.POST:
            application = get_object_or_404(
                Application, pk=request.POST.get("reissue"), cohort=cohort
            )
            try:
                certificate = services.issue_learning_certificate(
                    application, actor=request.user, reissue=True
                )
            except services.LearningError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Neu ausgestellt: %(name)s (%(code)s)")
                    % {"name": certificate.holder_name, "code": certificate.code},
                )
        else:
            issued, refused = services.issue_cohort_certificates(cohort, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)s Teilnahmebescheinigung gültig, %(refused)s nicht berechtigt.",
                    "%(count)s Teilnahmebescheinigungen gültig, %(refused)s nicht berechtigt.",
                    len(issued),
                )
                % {"count": len(issued), "refused": len(refused)},
            )
        return redirect("learning_certificates", cohort.pk)
    rows = _certificate_rows(cohort)
    return render(
        request,
        "learning/admin/certificates.html",
        {
            "cohort": cohort,
            "rows": rows,
            "finished": cohort.is_finished(timezone.localdate()),
            "page_title": _("Teilnahmebescheinigungen: %(cohort)s") % {"cohort": cohort},
            "header_icon": "doc-full",
            "zero": Decimal("0"),
        },
    )


class RevokeForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Grund des Widerrufs"),
        help_text=gettext_lazy("Erscheint auf der öffentlichen Prüfseite."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


def _learning_certificate(certificate_id):
    return get_object_or_404(
        Certificate,
        pk=certificate_id,
        content_type=ContentType.objects.get_for_model(Application),
    )


@require_http_methods(["GET", "POST"])
@admin_permission_required("learning.change_application")
def revoke(request, certificate_id):
    certificate = _learning_certificate(certificate_id)
    application = get_object_or_404(Application, pk=certificate.object_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.revoke_learning_certificate(
            certificate, reason=form.cleaned_data["reason"], actor=request.user
        )
        messages.success(
            request, _("Die Bescheinigung %(code)s ist widerrufen.") % {"code": certificate.code}
        )
        return redirect("learning_certificates", application.cohort_id)
    return render(
        request,
        "learning/admin/revoke.html",
        {
            "certificate": certificate,
            "cohort_id": application.cohort_id,
            "form": form,
            "page_title": _("Bescheinigung widerrufen: %(name)s")
            % {"name": certificate.holder_name},
            "header_icon": "warning",
        },
    )


@admin_permission_required("learning.view_application")
def certificate_pdf(request, certificate_id):
    return certificate_pdf_response(_learning_certificate(certificate_id))


@require_http_methods(["GET", "POST"])
@admin_permission_required("learning.view_feedback", for_post="learning.change_feedback")
def feedback(request, cohort_id):
    """A cohort's feedback; the team picks quotes to publish (only with consent)."""
    cohort = _cohort(cohort_id)
    if request.method == "POST":
        item = get_object_or_404(Feedback, pk=request.POST.get("feedback"), cohort=cohort)
        publish = request.POST.get("publish") == "1"
        try:
            services.publish_feedback(item, publish=publish, actor=request.user)
        except services.LearningError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Das Zitat ist veröffentlicht.")
                if publish
                else _("Das Zitat ist zurückgezogen."),
            )
        return redirect("learning_feedback", cohort.pk)
    items = list(Feedback.objects.filter(cohort=cohort).order_by("-created_at", "-pk"))
    ratings = [f.rating for f in items]
    return render(
        request,
        "learning/admin/feedback.html",
        {
            "cohort": cohort,
            "items": items,
            "average": round(sum(ratings) / len(ratings), 1) if ratings else None,
            "page_title": _("Rückmeldungen: %(cohort)s") % {"cohort": cohort},
            "header_icon": "comment",
        },
    )

"""Public pages of the rounds and the applicants' pages: parse, check, delegate to
``services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kommune360.core import ratelimit
from kommune360.core.cache import mark_private
from kommune360.core.http import content_disposition
from kommune360.core.storage import open_stored

from .documents import application_pdf
from .forms import ApplicationForm, AttachmentForm, CoApplicantForm
from .models import Application, Attachment, Round
from .services import applications as services
from .services import invitations

UPLOADS = ratelimit.Limit("awards:upload", 60, per=ratelimit.USER)
INVITES = ratelimit.Limit("awards:invite", 20, per=ratelimit.USER)
# Each application mails its contact person; one account cannot start them in bulk.
STARTS = ratelimit.Limit("awards:start", 10, per=ratelimit.USER)


def countdown(closes_at, now=None) -> str:
    """The time left until ``closes_at`` in words ("noch 3 Tage und 4 Stunden")."""
    seconds = int((closes_at - (now or timezone.now())).total_seconds())
    if seconds < 0:
        return _("Die Frist ist abgelaufen.")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        first = ngettext("%(count)s Tag", "%(count)s Tage", days) % {"count": days}
        second = ngettext("%(count)s Stunde", "%(count)s Stunden", hours) % {"count": hours}
    elif hours:
        first = ngettext("%(count)s Stunde", "%(count)s Stunden", hours) % {"count": hours}
        second = ngettext("%(count)s Minute", "%(count)s Minuten", minutes) % {"count": minutes}
    else:
        return ngettext("noch %(count)s Minute", "noch %(count)s Minuten", max(minutes, 1)) % {
            "count": max(minutes, 1)
        }
    return _("noch %(first)s und %(second)s") % {"first": first, "second": second}


def round_list(request):
    now = timezone.now()
    rounds = list(Round.objects.public().order_by("closes_at", "pk"))
    open_rounds, upcoming, past = [], [], []
    for round_ in rounds:
        if round_.is_external:
            (open_rounds if round_.closes_at >= now else past).append(round_)
        elif round_.accepts_applications(now):
            open_rounds.append(round_)
        elif round_.phase == Round.Phase.OPEN and round_.opens_at and round_.opens_at > now:
            upcoming.append(round_)
        else:
            past.append(round_)
    for round_ in open_rounds:
        round_.countdown = countdown(round_.closes_at, now)
    past.reverse()
    return render(
        request,
        "awards/round_list.html",
        {"open_rounds": open_rounds, "upcoming": upcoming, "past": past},
    )


def _public_round(slug):
    return get_object_or_404(Round.objects.public(), slug=slug)


def round_detail(request, slug):
    round_ = _public_round(slug)
    now = timezone.now()
    return render(
        request,
        "awards/round_detail.html",
        {
            "round": round_,
            "criteria": list(round_.criteria.all()),
            "open": round_.accepts_applications(now),
            "countdown": countdown(round_.closes_at, now),
            "deadline_passed": round_.closes_at < now,
            "has_solutions": round_.phase == Round.Phase.PUBLISHED,
        },
    )


def _private(request, template, context):
    mark_private(request)
    response = render(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def apply(request, slug):
    round_ = _public_round(slug)
    form = ApplicationForm(
        request.POST or None,
        round_=round_,
        initial=ApplicationForm.initial_for(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        if STARTS.exceeded(request):
            form.add_error(
                None,
                _(
                    "Sie haben in der letzten Stunde viele Bewerbungen angelegt. "
                    "Bitte versuchen Sie es später noch einmal."
                ),
            )
        else:
            try:
                application = services.start_application(round_, request.user, form.details())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Ihr Entwurf ist gespeichert."))
                return redirect(application.get_absolute_url())
    return _private(
        request,
        "awards/apply.html",
        {"round": round_, "form": form, "open": round_.accepts_applications()},
    )


def _own_application(request, slug, pk):
    application = get_object_or_404(
        Application.objects.select_related("round", "municipality", "applicant").prefetch_related(
            "co_applicants", "attachments"
        ),
        pk=pk,
        round__slug=slug,
    )
    if not services.may_edit(application, request.user):
        raise Http404
    return application


@login_required
def application_detail(request, slug, pk):
    application = _own_application(request, slug, pk)
    round_ = application.round
    form = ApplicationForm(
        request.POST or None,
        round_=round_,
        initial=ApplicationForm.initial_for(application),
        submitting="submit" in request.POST and application.state == Application.State.DRAFT,
        submitted=application.is_submitted,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_application(application, request.user, form.details())
            if "submit" in request.POST and application.state == Application.State.DRAFT:
                application.refresh_from_db()
                services.submit_application(application, request.user)
                messages.success(
                    request,
                    _(
                        "Ihre Bewerbung ist eingereicht. Sie erhalten eine Bestätigung mit einer "
                        "Kopie als PDF."
                    ),
                )
            else:
                messages.success(request, _("Ihre Änderungen sind gespeichert."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(application.get_absolute_url())
    return _private(
        request,
        "awards/application.html",
        {
            "round": round_,
            "application": application,
            "form": form,
            "attachment_form": AttachmentForm(round_=round_),
            "co_form": CoApplicantForm(),
            "is_applicant": application.applicant_id == request.user.pk,
            "co_applicants": list(application.co_applicants.all()),
            "open": round_.accepts_applications(),
            "countdown": countdown(round_.closes_at),
            "may_withdraw": application.state != Application.State.WITHDRAWN
            and not application.decision
            and round_.phase in (Round.Phase.OPEN, Round.Phase.REVIEW),
            "attachments": list(application.attachments.all()),
            "max_attachments": services.MAX_ATTACHMENTS,
        },
    )


def _report(request, error):
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def upload(request, slug, pk):
    application = _own_application(request, slug, pk)
    form = AttachmentForm(request.POST, request.FILES, round_=application.round)
    if UPLOADS.exceeded(request):
        messages.error(request, _("Sie haben sehr viele Dateien hochgeladen. Bitte warten Sie."))
    elif not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        question = next(
            (q for q in application.round.questions.all() if q.pk == form.cleaned_data["question"]),
            None,
        )
        try:
            services.add_attachment(
                application, request.user, form.cleaned_data["file"], question=question
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("Der Anhang ist gespeichert."))
    return redirect(application.get_absolute_url())


@login_required
@require_POST
def remove_attachment(request, slug, pk, attachment_id):
    application = _own_application(request, slug, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    try:
        services.remove_attachment(attachment, request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Der Anhang ist entfernt."))
    return redirect(application.get_absolute_url())


def attachment_response(attachment) -> HttpResponse:
    response = HttpResponse(
        open_stored(attachment.file).read(),
        content_type=services.MIME.get(attachment.kind, "application/octet-stream"),
    )
    response["Content-Disposition"] = content_disposition(attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download(request, slug, pk, attachment_id):
    application = _own_application(request, slug, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    return attachment_response(attachment)


@login_required
@require_POST
def invite(request, slug, pk):
    application = _own_application(request, slug, pk)
    if application.applicant_id != request.user.pk:
        raise PermissionDenied
    form = CoApplicantForm(request.POST)
    if INVITES.exceeded(request):
        messages.error(request, _("Sie haben sehr viele Einladungen verschickt. Bitte warten Sie."))
    elif form.is_valid():
        try:
            invitations.invite(application, request.user, form.cleaned_data["email"])
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("Die Einladung ist unterwegs."))
    else:
        messages.error(request, _("Bitte geben Sie eine gültige E-Mail-Adresse an."))
    return redirect(application.get_absolute_url())


def _invitation_problem(request, problem):
    texts = {
        invitations.Problem.BROKEN: _(
            "Dieser Link ist unvollständig oder verändert. Bitte öffnen Sie ihn genau so, "
            "wie er in der E-Mail steht."
        ),
        invitations.Problem.EXPIRED: _(
            "Diese Einladung ist abgelaufen. Bitten Sie die bewerbende Person, Sie noch "
            "einmal einzuladen."
        ),
        invitations.Problem.USED: _("Diese Einladung ist schon angenommen oder gilt nicht mehr."),
        invitations.Problem.WRONG_ACCOUNT: _(
            "Diese Einladung gilt für eine andere E-Mail-Adresse als die Ihres Kontos. "
            "Bitte melden Sie sich mit dem Konto der eingeladenen Adresse an."
        ),
        invitations.Problem.UNCONFIRMED: _(
            "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse; danach können Sie die "
            "Einladung annehmen."
        ),
    }
    response = _private(request, "awards/invitation_problem.html", {"text": texts[problem]})
    response.status_code = problem.status
    return response


@login_required
def invitation(request, token):
    """The signed link of an invitation: shows it (GET) and accepts it (POST)."""
    try:
        if request.method == "POST":
            application = invitations.accept(token, request.user)
            messages.success(request, _("Sie bewerben sich jetzt mit."))
            return redirect(application.get_absolute_url())
        co = invitations.read(token, request.user)
    except invitations.InvitationProblem as error:
        return _invitation_problem(request, error.problem)
    return _private(
        request,
        "awards/invitation.html",
        {"application": co.application, "round": co.application.round},
    )


@login_required
@require_POST
def withdraw(request, slug, pk):
    application = _own_application(request, slug, pk)
    try:
        services.withdraw_application(application, request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Ihre Bewerbung ist zurückgezogen."))
    return redirect(application.get_absolute_url())


@login_required
def copy_pdf(request, slug, pk):
    application = _own_application(request, slug, pk)
    response = HttpResponse(application_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"bewerbung-{application.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_applications(request):
    return _private(
        request,
        "awards/my_applications.html",
        {"applications": list(services.applications_of(request.user))},
    )

"""Public views of Mitdenken: the call page, sending, confirming and reporting contributions.

The form under an item is part of pages that the anonymous page cache may keep. It
therefore carries no CSRF token for visitors without an account: the endpoint accepts
their contributions without one, because nothing happens before the address is
confirmed through the link in the e-mail (honeypot and rate limits keep bots out). For
logged-in members the form carries a token and the endpoint checks it.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kommune360.core import ratelimit
from kommune360.core.cache import mark_private

from . import services
from .forms import ContributionForm, ReportForm
from .models import Call, Contribution, Status, kind_names
from .targets import resolve, target_for


def _call_page(request, call):
    return render(request, "participation/call.html", {"call": call, "target": target_for(call)})


def index(request):
    call = Call.objects.filter(is_active=True).first()
    if call is None:
        # The navigation links here on every instance, with or without a call.
        return render(request, "participation/no_call.html", {"kinds": kind_names()})
    return _call_page(request, call)


def call_detail(request, slug):
    return _call_page(request, get_object_or_404(Call, slug=slug, is_active=True))


def _check_csrf(request):
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


@csrf_exempt
def submit(request):
    """Receives the form under an item; shows it on its own page when something is missing."""
    mark_private(request)
    if request.user.is_authenticated and request.method == "POST":
        rejected = _check_csrf(request)
        if rejected is not None:
            return rejected
    data = request.POST if request.method == "POST" else request.GET
    target = resolve(data.get("content_type"), data.get("object_id"), data.get("section", ""))
    if target is None or not target.is_public():
        raise Http404
    if request.method != "POST":
        form = ContributionForm(
            user=request.user,
            initial={
                "content_type": target.content_type.pk,
                "object_id": target.object_id,
                "section": target.section,
                "kind": data.get("kind") or "comment",
            },
        )
        return render(request, "participation/submit.html", {"form": form, "target": target})

    form = ContributionForm(request.POST, user=request.user)
    if form.is_spam():
        # Answer like a success, so that a bot learns nothing; nothing is stored.
        messages.info(request, _("Vielen Dank für Ihren Beitrag."))
        return HttpResponseRedirect(target.url)
    if form.is_valid():
        data = form.cleaned_data
        try:
            contribution = services.submit_contribution(
                target,
                kind=data["kind"],
                role=data["role"],
                text=data["text"],
                affiliation=data["affiliation"],
                user=request.user,
                name=data.get("name", ""),
                email=data.get("email", ""),
                anonymous=data["anonymous"],
                keep_text_on_erasure=data["keep_text_on_erasure"],
                client=ratelimit.visitor_identity(request),
            )
        except services.ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _submitted_message(contribution))
            return HttpResponseRedirect(target.url)
    return render(request, "participation/submit.html", {"form": form, "target": target})


def _submitted_message(contribution):
    if contribution.status == Status.UNCONFIRMED:
        return _(
            "Fast geschafft: Wir haben Ihnen eine E-Mail geschickt. Bitte bestätigen Sie "
            "Ihren Beitrag über den Link darin."
        )
    if contribution.status == Status.INTERNAL:
        return _("Vielen Dank! Ihr Beitrag ist beim Team angekommen; wir melden uns bei Ihnen.")
    if contribution.status == Status.PUBLISHED:
        return _("Vielen Dank! Ihr Beitrag ist veröffentlicht.")
    return _("Vielen Dank! Ihr Beitrag wird geprüft. Wir schreiben Ihnen, sobald er erscheint.")


def confirm(request, token):
    """Confirming needs a click on a button: mail scanners open links, they do not post."""
    mark_private(request)
    contribution = services.contribution_for_token(token)
    context = {"contribution": contribution, "token": token}
    if contribution is not None and request.method == "POST":
        try:
            contribution = services.confirm_contribution(token)
        except services.ParticipationError as error:
            context["error"] = str(error)
        else:
            context.update(confirmed=True, message=_submitted_message(contribution))
            target = resolve(
                contribution.content_type_id, contribution.object_id, contribution.section
            )
            context["target"] = target
    return render(request, "participation/confirm.html", context)


def report(request, pk):
    mark_private(request)
    contribution = get_object_or_404(Contribution.objects.public().filter(is_official=False), pk=pk)
    target = resolve(contribution.content_type_id, contribution.object_id, contribution.section)
    if target is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            messages.info(request, _("Vielen Dank für Ihre Meldung."))
            return HttpResponseRedirect(target.url)
        try:
            services.report(
                contribution,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                reporter=request.user,
                client=ratelimit.visitor_identity(request),
            )
        except services.ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Vielen Dank für Ihre Meldung. Die Moderation sieht sie sich an.")
            )
            return HttpResponseRedirect(target.url)
    return render(
        request,
        "participation/report.html",
        {"form": form, "contribution": contribution, "target": target},
    )

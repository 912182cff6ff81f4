"""Staff screens in the Wagtail admin: Fellows (Redaktion, Administration) and the
reports about profiles (Moderation)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from kommune360.core.permissions import admin_permission_required

from .forms import FellowForm
from .models import MatchingRound, Pair, Participation, Profile, Report
from .services import contact, profiles

FELLOW_PERMISSION = "network.change_profile"
REPORT_PERMISSION = "network.moderate_report"
PER_PAGE = 50


@admin_permission_required(FELLOW_PERMISSION)
def profile_list(request):
    """Every profile (switched on or not), searchable by name; Fellows first."""
    q = (request.GET.get("q") or "")[:100].strip()
    items = Profile.objects.select_related("user", "municipality").order_by(
        "-is_fellow", "name", "pk"
    )
    if q:
        items = items.filter(name__icontains=q)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "network/admin/profiles.html",
        {
            "page": page,
            "q": q,
            "query": f"q={q}" if q else "",
            "page_title": _("Netzwerkprofile und Fellows"),
            "header_icon": "user",
        },
    )


@admin_permission_required(FELLOW_PERMISSION)
@require_http_methods(["GET", "POST"])
def fellow_edit(request, pk):
    profile = get_object_or_404(Profile.objects.select_related("user"), pk=pk)
    form = FellowForm(
        request.POST or None,
        initial={"is_fellow": profile.is_fellow, "fellow_year": profile.fellow_year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profiles.set_fellow(
                request.user,
                profile,
                is_fellow=form.cleaned_data["is_fellow"],
                year=form.cleaned_data["fellow_year"],
            )
        except ValidationError as error:
            form.add_error("fellow_year", error)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect("network_profiles")
    return TemplateResponse(
        request,
        "network/admin/fellow.html",
        {
            "form": form,
            "profile": profile,
            "page_title": _("Fellow"),
            "page_subtitle": profile.name,
            "header_icon": "user",
        },
    )


@admin_permission_required(REPORT_PERMISSION)
def report_list(request):
    done = request.GET.get("status") == "erledigt"
    items = Report.objects.filter(
        state=Report.State.DONE if done else Report.State.OPEN
    ).select_related("profile", "reporter", "handled_by")
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "network/admin/reports.html",
        {
            "page": page,
            "done": done,
            "query": "status=erledigt" if done else "",
            "page_title": _("Meldungen aus dem Netzwerk"),
            "page_subtitle": _("erledigt") if done else _("offen"),
            "header_icon": "warning",
        },
    )


@admin_permission_required(REPORT_PERMISSION)
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    item = get_object_or_404(Report.objects.select_related("profile__user", "reporter"), pk=pk)
    if request.method == "POST" and item.state == Report.State.OPEN:
        note = (request.POST.get("note") or "")[:1000]
        contact.close_report(request.user, item, note)
        if request.POST.get("hide") == "1":
            profiles.set_active(item.profile.user, False, actor=request.user)
        messages.success(request, _("Die Meldung ist erledigt."))
        return redirect("network_reports")
    return TemplateResponse(
        request,
        "network/admin/report.html",
        {
            "item": item,
            "page_title": _("Meldung"),
            "page_subtitle": item.profile.name,
            "header_icon": "warning",
        },
    )


# --- Matching rounds --------------------------------------------------------------------

ROUND_PERMISSION = "network.change_matchinground"


@admin_permission_required(ROUND_PERMISSION)
@require_http_methods(["GET", "POST"])
def round_list(request):
    from .matching import services as matching

    if request.method == "POST":
        title = (request.POST.get("title") or "").strip()[:200]
        if title:
            found = matching.create_round(
                request.user, title, (request.POST.get("description") or "")[:2000]
            )
            return redirect("network_round", pk=found.pk)
        messages.error(request, _("Bitte geben Sie einen Titel an."))
    page = Paginator(MatchingRound.objects.all(), PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "network/admin/rounds.html",
        {"page": page, "page_title": _("Matching-Runden"), "header_icon": "group"},
    )


ROUND_ACTIONS = ("open", "compute", "release", "remove")


@admin_permission_required(ROUND_PERMISSION)
@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    from .matching import services as matching

    round_obj = get_object_or_404(MatchingRound, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                matching.open_round(request.user, round_obj)
            elif action == "compute":
                pairs = matching.compute_pairs(request.user, round_obj)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s Paar vorgeschlagen.",
                        "%(count)s Paare vorgeschlagen.",
                        len(pairs),
                    )
                    % {"count": len(pairs)},
                )
            elif action == "release":
                matching.release(request.user, round_obj)
            elif action == "remove":
                pair = get_object_or_404(Pair, pk=request.POST.get("pair") or 0, round=round_obj)
                matching.remove_pair(request.user, pair)
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("network_round", pk=round_obj.pk)
    pairs = Pair.objects.filter(round=round_obj).select_related(
        "first__network_profile", "second__network_profile"
    )[:500]
    participations = Participation.objects.filter(round=round_obj)
    return TemplateResponse(
        request,
        "network/admin/round.html",
        {
            "round": round_obj,
            "pairs": pairs,
            "count": participations.count(),
            "unmatched": participations.exclude(unmatched_reason="").count(),
            "page_title": _("Matching-Runde"),
            "page_subtitle": round_obj.title,
            "header_icon": "group",
        },
    )

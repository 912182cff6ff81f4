"""Moderation screens in the Wagtail admin: queue, one contribution, follow-ups.

Every action calls a service; the services check the permission again and refuse
moderating one's own contribution.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kommune360.core.permissions import admin_permission_required

from . import services
from .forms import AnswerForm, RejectForm, RemarkForm
from .models import Contribution, FollowUp, Kind, Status
from .targets import commentable_content_types, resolve

PER_PAGE = 50

OPEN = "open"


def _filtered(request):
    params = request.GET
    items = Contribution.objects.filter(parent__isnull=True)
    status = params.get("status", OPEN)
    if status == OPEN:
        items = items.filter(
            Q(status=Status.PENDING) | Q(status=Status.HIDDEN, hidden_by_reports=True)
        )
    elif status in Status.values:
        items = items.filter(status=status)
    if params.get("kind") in Kind.values:
        items = items.filter(kind=params["kind"])
    if params.get("content_type", "").isdigit():
        items = items.filter(content_type_id=int(params["content_type"]))
    if params.get("target"):
        ct, _sep, rest = params["target"].partition("-")
        object_id, _sep, section = rest.partition("-")
        if ct.isdigit():
            items = items.filter(content_type_id=int(ct), object_id=object_id, section=section)
    if params.get("reported") == "1":
        items = items.filter(report_count__gt=0)
    return items.select_related("author", "content_type").order_by("created", "pk")


@admin_permission_required(services.MODERATE_PERMISSION)
def queue(request):
    if request.method == "POST":
        return _bulk(request)
    paginator = Paginator(_filtered(request), PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    content_types = commentable_content_types()
    return render(
        request,
        "participation/admin/queue.html",
        {
            "page_title": _("Mitdenken: Moderation"),
            "header_icon": "comment",
            "page": page,
            "query": query.urlencode(),
            "filters": {
                "status": request.GET.get("status", OPEN),
                "kind": request.GET.get("kind", ""),
                "content_type": request.GET.get("content_type", ""),
                "target": request.GET.get("target", ""),
                "reported": request.GET.get("reported", ""),
            },
            "status_choices": [(OPEN, _("offen (wartend oder gemeldet)")), *Status.choices],
            "kind_choices": Kind.choices,
            "content_types": [
                (ct.pk, str(ct.model_class()._meta.verbose_name)) for ct in content_types
            ],
            "own_ids": {c.pk for c in page if services.is_own(c, request.user)},
            "reject_form": RejectForm(),
        },
    )


def _bulk(request):
    action = request.POST.get("action")
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    items = list(Contribution.objects.filter(pk__in=ids))
    reason = request.POST.get("reason", "").strip()
    if action == "reject" and not reason:
        messages.error(request, _("Bitte geben Sie für die Ablehnung eine Begründung an."))
        return redirect(request.get_full_path())
    done = skipped = 0
    for contribution in items:
        try:
            if action == "approve":
                services.approve(contribution, request.user)
            elif action == "reject":
                services.reject(contribution, request.user, reason)
            elif action == "spam":
                services.mark_spam(contribution, request.user)
            else:
                break
            done += 1
        except (PermissionDenied, services.ParticipationError):
            skipped += 1
    if done:
        messages.success(
            request,
            ngettext("%(count)s Beitrag bearbeitet.", "%(count)s Beiträge bearbeitet.", done)
            % {"count": done},
        )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s Beitrag übersprungen (eigener oder nicht möglich).",
                "%(count)s Beiträge übersprungen (eigene oder nicht möglich).",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect(request.get_full_path())


# Decisions on one contribution: (service, message) or, where the moderator writes
# something, (form, its field, service taking the text, message).
ACTIONS = {
    "approve": (services.approve, gettext_lazy("Beitrag veröffentlicht.")),
    "spam": (services.mark_spam, gettext_lazy("Beitrag als Spam markiert.")),
}
FORM_ACTIONS = {
    "reject": (
        RejectForm,
        "reason",
        services.reject,
        gettext_lazy("Beitrag abgelehnt; die Autor:in wird benachrichtigt."),
    ),
    "answer": (AnswerForm, "text", services.answer, gettext_lazy("Antwort veröffentlicht.")),
    "remark": (RemarkForm, "remark", services.add_remark, gettext_lazy("Anmerkung gespeichert.")),
}


@admin_permission_required(services.MODERATE_PERMISSION)
def detail(request, pk):
    contribution = get_object_or_404(
        Contribution.objects.select_related("author", "decided_by", "content_type"), pk=pk
    )
    target = resolve(contribution.content_type_id, contribution.object_id, contribution.section)
    forms = {f"{name}_form": entry[0](prefix=name) for name, entry in FORM_ACTIONS.items()}
    if request.method == "POST":
        response = _act(request, contribution, target, forms)
        if response is not None:
            return response
    return render(
        request,
        "participation/admin/detail.html",
        {
            "page_title": _("Beitrag #%(pk)s") % {"pk": contribution.pk},
            "header_icon": "comment",
            "contribution": contribution,
            "target": target,
            "premoderation": services.premoderation_for(target) if target else None,
            "reports": contribution.reports.all(),
            "replies": contribution.replies.all(),
            "is_own": services.is_own(contribution, request.user),
            **forms,
        },
    )


def _act(request, contribution, target, forms):
    action = request.POST.get("action")
    user = request.user
    try:
        if action in ACTIONS:
            change, success = ACTIONS[action]
            change(contribution, user)
            messages.success(request, success)
        elif action in FORM_ACTIONS:
            form_class, field, change, success = FORM_ACTIONS[action]
            form = forms[f"{action}_form"] = form_class(request.POST, prefix=action)
            if not form.is_valid():
                return None
            change(contribution, user, form.cleaned_data[field])
            messages.success(request, success)
        elif action in ("take_up", "untake_up"):
            services.mark_taken_up(contribution, user, action == "take_up")
            messages.success(request, _("Gespeichert."))
        elif action == "block":
            hidden = services.block_author(contribution, user, request.POST.get("block_reason", ""))
            messages.success(
                request,
                ngettext(
                    "Autor:in gesperrt; %(count)s Beitrag ausgeblendet.",
                    "Autor:in gesperrt; %(count)s Beiträge ausgeblendet.",
                    hidden,
                )
                % {"count": hidden},
            )
        elif action in ("premoderation_on", "premoderation_off") and target is not None:
            services.set_premoderation(target, user, action == "premoderation_on")
            messages.success(request, _("Einstellung gespeichert."))
        else:
            messages.error(request, _("Unbekannte Aktion."))
    except services.ParticipationError as error:
        messages.error(request, str(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Das dürfen Sie nicht."))
    return redirect("participation_admin:detail", contribution.pk)


@admin_permission_required("participation.view_followup")
def follow_ups(request):
    items = FollowUp.objects.select_related("contribution", "owner").order_by(
        "state", "-contribution__created"
    )
    state = request.GET.get("state", "")
    if state in FollowUp.State.values:
        items = items.filter(state=state)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("p"))
    return render(
        request,
        "participation/admin/follow_ups.html",
        {
            "page_title": _("Mitdenken: Nachverfolgung"),
            "header_icon": "tasks",
            "page": page,
            "state": state,
            "query": urlencode({"state": state}) if state else "",
            "state_choices": FollowUp.State.choices,
        },
    )


@admin_permission_required("participation.view_followup", for_post=services.FOLLOW_UP_PERMISSION)
def follow_up_detail(request, pk):
    follow_up = get_object_or_404(FollowUp.objects.select_related("contribution", "owner"), pk=pk)
    team = (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__codename="change_followup") | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
    if request.method == "POST":
        owner_id = request.POST.get("owner")
        owner = services.UNCHANGED
        if owner_id == "":
            owner = None  # "–": nobody is in charge any more
        elif owner_id is not None:
            owner = team.filter(pk=owner_id).first() if owner_id.isdigit() else None
            if owner is None:
                owner = services.UNCHANGED
                messages.error(request, _("Diese Person gehört nicht zum Team."))
        state = request.POST.get("state")
        services.update_follow_up(
            follow_up,
            request.user,
            state=state if state in FollowUp.State.values else None,
            owner=owner,
            note=request.POST.get("note", "")[:2000],
        )
        messages.success(request, _("Nachverfolgung gespeichert."))
        return redirect("participation_admin:follow_up", follow_up.pk)
    contribution = follow_up.contribution
    return render(
        request,
        "participation/admin/follow_up.html",
        {
            "page_title": _("Nachverfolgung #%(pk)s") % {"pk": follow_up.pk},
            "header_icon": "tasks",
            "follow_up": follow_up,
            "contribution": contribution,
            "target": resolve(
                contribution.content_type_id, contribution.object_id, contribution.section
            ),
            "team": team,
            "state_choices": FollowUp.State.choices,
            "can_change": request.user.has_perm(services.FOLLOW_UP_PERMISSION),
        },
    )

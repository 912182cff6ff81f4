"""The editors' dashboard: the registry's ``DashboardPanel`` entries on Wagtail's home.

``core/wagtail_hooks.py`` adds, through Wagtail's one ``construct_homepage_panels``
hook, a panel for every entry the user may see. Each panel shows what its app's
``context(request)`` returns in the app's template, or the entry's ``empty`` sentence
when nothing needs anybody. Apps declare their panels in ``AppConfig.ready()``; core
declares the panel of the file imports, which spans every kind of ``ImportJob``.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .registry import DashboardPanel, registry


class RegistryPanel(Component):
    """One ``DashboardPanel`` entry as a component of Wagtail's dashboard."""

    template_name = "core/admin/dashboard_panel.html"

    def __init__(self, entry: DashboardPanel, request):
        self.entry = entry
        self.request = request
        self.name = f"k360-{entry.key}"
        # Before Wagtail's own panels (workflows 210, recent edits 250, locks 300).
        self.order = entry.order

    def get_context_data(self, parent_context=None):
        values = self.entry.context(self.request)
        return {
            **(values or {}),
            "dashboard_panel": self.entry,
            "dashboard_empty": values is None,
            "request": self.request,
        }


def panels_for(request) -> list[RegistryPanel]:
    """The dashboard panels ``request.user`` may see, in their order."""
    return [
        RegistryPanel(entry, request)
        for entry in registry.dashboard_panels()
        if entry.shown_to(request.user)
    ]


# --- The panel of the file imports (every concrete ``ImportJob``) ----------------------------

# Finished imports drop out of the panel; running and failed ones stay this long.
IMPORTS_SHOWN_FOR = timedelta(days=7)
IMPORTS_PER_KIND = 5


def _import_kinds(user):
    from .imports import job_models

    return [
        model
        for model in job_models()
        if model.admin_url_name and user.has_perm(model.admin_permission)
    ]


def imports_visible(user) -> bool:
    return bool(_import_kinds(user))


def imports_context(request):
    """Imports of the last days that are waiting, running or broke off, per kind the
    user may run (one query per kind)."""
    from .models import ImportJob

    State = ImportJob.State
    since = timezone.now() - IMPORTS_SHOWN_FOR
    kinds = []
    for model in _import_kinds(request.user):
        recent = model.objects.filter(
            created__gte=since, state__in=[State.QUEUED, State.RUNNING, State.FAILED]
        )
        counts = recent.aggregate(
            running=Count("pk", filter=~Q(state=State.FAILED)),
            failed=Count("pk", filter=Q(state=State.FAILED)),
        )
        if not (counts["running"] or counts["failed"]):
            continue
        jobs = list(
            recent.select_related("actor")
            .only(
                "pk",
                "filename",
                "dry_run",
                "state",
                "rows_total",
                "rows_done",
                "created",
                "actor__email",
            )
            .order_by("-created", "-pk")[:IMPORTS_PER_KIND]
        )
        for job in jobs:
            job.admin_url = reverse(model.admin_url_name, args=[job.pk])
        kinds.append(
            {
                "label": model._meta.verbose_name_plural,
                "jobs": jobs,
                "start_url": reverse(model.admin_start_url_name),
                **counts,
            }
        )
    if not kinds:
        return None
    return {"kinds": kinds, "days": IMPORTS_SHOWN_FOR.days}


IMPORTS_PANEL = DashboardPanel(
    "imports",
    _("Importe"),
    "core/admin/dashboard_imports.html",
    context=imports_context,
    empty=_("Keine laufenden oder abgebrochenen Importe in den letzten 7 Tagen."),
    visible=imports_visible,
    order=60,
)

"""Pieces of the apps' Wagtail admin, declared once in each app's ``wagtail_hooks.py``.

- ``register_menu_item``: an entry of the admin menu shown only to people with a
  permission (the screen behind it checks the permission again,
  ``core.permissions.admin_permission_required``).
- ``register_listing_buttons``: buttons beside each object in a snippet listing that
  lead to the app's own screens, for people with a permission.
- ``RelatedSnippetViewSet``: a snippet viewset whose listing loads the related rows it
  shows in the same query (``list_select_related``).
- ``import_job_header``, ``import_checked_file``: the header of a file import's screen
  (``core/admin/base.html``) and its button „Jetzt importieren“.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.snippets.views.snippets import SnippetViewSet


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


def register_menu_item(label, url_name, *, icon, order, permission):
    """An admin menu entry to the screen ``url_name``, for people with ``permission``."""

    def menu_item():
        return PermissionMenuItem(
            label, reverse(url_name), icon_name=icon, order=order, permission=permission
        )

    hooks.register("register_admin_menu_item", menu_item)


def register_listing_buttons(model, permission, buttons, *, in_dropdown=True):
    """Buttons beside each ``model`` object in its snippet listing, for people with
    ``permission``: ``buttons`` are ``(label, url, icon)``, ``url`` a URL name taking
    the object's pk or a function of the object. They go into the "more" menu of the
    row, or stand in the row itself (``in_dropdown=False``), in the order given."""
    kind = Button if in_dropdown else ListingButton

    def listing_buttons(snippet, user, next_url=None):
        if not isinstance(snippet, model) or not user.has_perm(permission):
            return
        for priority, (label, url, icon) in enumerate(buttons, start=5):
            href = url(snippet) if callable(url) else reverse(url, args=[snippet.pk])
            yield kind(label, href, icon_name=icon, priority=priority)

    hooks.register("register_snippet_listing_buttons", listing_buttons)


class RelatedSnippetViewSet(SnippetViewSet):
    """``list_select_related``: the relations the listing shows (``"path"``,
    ``"cohort__path"``), loaded with the objects instead of one query per row."""

    list_select_related = ()

    def get_queryset(self, request):
        if not self.list_select_related:
            return None  # Wagtail's default
        return self.model._default_manager.select_related(*self.list_select_related)


def import_job_header(job, title) -> dict:
    """What an import job's screen shows above the job: dry run or import and the file;
    the window names the import (``title``); the page reloads itself until the job is
    done."""
    return {
        "page_title": job.run_label,
        "page_subtitle": job.filename,
        "header_title": f"{title}: {job.filename}",
        "header_icon": "upload",
        "refresh_seconds": 0 if job.finished else 2,
    }


def import_checked_file(request, job, start, url_name):
    """„Jetzt importieren“ on a job's screen: ``start(user, job)`` (the app's service)
    turns the dry run into the import, or the editor reads why not; then the job's
    screen (``url_name``) again."""
    try:
        start(request.user, job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(url_name, pk=job.pk)

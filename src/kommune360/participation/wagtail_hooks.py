from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Call
from .services import MODERATE_PERMISSION

admin_urlpatterns = [
    path("", admin_views.queue, name="queue"),
    path("beitrag/<id:pk>/", admin_views.detail, name="detail"),
    path("nachverfolgung/", admin_views.follow_ups, name="follow_ups"),
    path("nachverfolgung/<id:pk>/", admin_views.follow_up_detail, name="follow_up"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("mitdenken/", include((admin_urlpatterns, "participation_admin"))),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def moderation_menu_item():
    return PermissionMenuItem(
        _("Moderation"),
        reverse("participation_admin:queue"),
        icon_name="comment",
        order=300,
        permission=MODERATE_PERMISSION,
    )


@hooks.register("register_admin_menu_item")
def follow_up_menu_item():
    return PermissionMenuItem(
        _("Nachverfolgung"),
        reverse("participation_admin:follow_ups"),
        icon_name="tasks",
        order=301,
        permission="participation.view_followup",
    )


class CallViewSet(SnippetViewSet):
    model = Call
    icon = "comment"
    menu_label = _("Aufrufe zum Mitdenken")
    list_display = ["title", "is_active", "sort_order"]


register_snippet(CallViewSet)

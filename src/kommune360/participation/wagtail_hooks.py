from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kommune360.core.admin_ui import register_menu_item

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


register_menu_item(
    _("Moderation"),
    "participation_admin:queue",
    icon="comment",
    order=300,
    permission=MODERATE_PERMISSION,
)
register_menu_item(
    _("Nachverfolgung"),
    "participation_admin:follow_ups",
    icon="tasks",
    order=301,
    permission="participation.view_followup",
)


class CallViewSet(SnippetViewSet):
    model = Call
    icon = "comment"
    menu_label = _("Aufrufe zum Mitdenken")
    list_display = ["title", "is_active", "sort_order"]


register_snippet(CallViewSet)

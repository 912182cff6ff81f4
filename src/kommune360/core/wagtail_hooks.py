from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import (
    AuditEntry,
    Format,
    Method,
    Municipality,
    Person,
    Supporter,
    SynonymGroup,
    TargetGroup,
    Topic,
)


class TermViewSet(SnippetViewSet):
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en"]
    ordering = ["sort_order", "name"]


class TopicViewSet(TermViewSet):
    model = Topic
    icon = "tag"


class MethodViewSet(TermViewSet):
    model = Method
    icon = "cogs"
    list_display = ["name", "name_en", "is_innovative", "sort_order"]
    list_filter = ["is_innovative"]


class TargetGroupViewSet(TermViewSet):
    model = TargetGroup
    icon = "group"
    list_display = ["name", "name_en", "is_municipal", "sort_order"]


class FormatViewSet(TermViewSet):
    model = Format
    icon = "list-ul"


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    list_display = ["name", "ags", "kind", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["name", "ags"]
    list_per_page = 50


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Gleichbedeutende Suchbegriffe")
    list_display = ["name", "terms"]
    search_fields = ["name", "terms"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomie")
    menu_icon = "tag"
    menu_order = 400
    items = (
        TopicViewSet,
        MethodViewSet,
        TargetGroupViewSet,
        FormatViewSet,
        MunicipalityViewSet,
        SynonymGroupViewSet,
    )


class SupporterViewSet(SnippetViewSet):
    model = Supporter
    icon = "pick"
    list_display = ["name", "url", "sort_order"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "organisation"]


class NetworkGroup(SnippetViewSetGroup):
    menu_label = _("Netzwerk")
    menu_icon = "group"
    menu_order = 410
    items = (SupporterViewSet, PersonViewSet)


register_snippet(TaxonomyGroup)
register_snippet(NetworkGroup)


class AuditEntryViewSet(ModelViewSet):
    """Read-only list of the audit log for the Administration role."""

    model = AuditEntry
    icon = "history"
    menu_label = _("Protokoll")
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["timestamp", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["action", "object_repr"]
    inspect_view_enabled = True
    exclude_form_fields = []


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    # Only the "view" permission is granted to any role, so the log stays read-only.
    return AuditEntryViewSet("audit")


@hooks.register("construct_homepage_panels")
def dashboard_panels(request, panels):
    """The registry's ``DashboardPanel`` entries the user may see (``core.dashboard``)."""
    from .dashboard import panels_for

    panels.extend(panels_for(request))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin.css"))

"""The awards in the Wagtail admin: rounds and solution profiles for the Redaktion, the
round's screens (phases, assignment, decision, exports) and the jury's screens."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kommune360.core.admin_ui import register_listing_buttons, register_menu_item

from . import admin_views
from .jury import admin_views as jury_views
from .models import Round, Solution


class RoundViewSet(SnippetViewSet):
    model = Round
    icon = "trophy"
    menu_label = _("Ausschreibungen")
    list_display = ["title", "kind", "phase", "closes_at"]
    list_filter = ["kind", "phase"]
    search_fields = ["title", "summary"]
    ordering = ["-closes_at"]


class SolutionViewSet(SnippetViewSet):
    model = Solution
    icon = "pick"
    menu_label = _("Lösungsprofile")
    list_display = ["title", "municipality_name", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "municipality_name"]


class AwardsGroup(SnippetViewSetGroup):
    items = (RoundViewSet, SolutionViewSet)
    menu_icon = "trophy"
    menu_label = _("Auszeichnungen")
    menu_order = 270


register_snippet(AwardsGroup)

register_listing_buttons(
    Round,
    admin_views.EDIT,
    [(_("Runde steuern"), "awards_round", "cogs")],
    in_dropdown=False,
)

register_menu_item(_("Jury"), "awards_jury", icon="group", order=275, permission=jury_views.REVIEW)


@hooks.register("register_admin_urls")
def register_awards_admin_urls():
    prefix = "auszeichnungen/<id:round_id>/"
    application = prefix + "bewerbung/<id:pk>/"
    jury = "jury/<id:round_id>/"
    return [
        path(prefix, admin_views.round_overview, name="awards_round"),
        path(prefix + "phase/", admin_views.change_phase, name="awards_phase"),
        path(prefix + "zuteilen/", admin_views.assign, name="awards_assign"),
        path(prefix + "export.<str:fmt>", admin_views.export, name="awards_export"),
        path(prefix + "sitzung/", jury_views.editor_meeting, name="awards_editor_meeting"),
        path(application, admin_views.application_admin, name="awards_application"),
        path(application + "zuteilung/", admin_views.assignment, name="awards_assignment"),
        path(application + "entscheidung/", admin_views.decide, name="awards_decide"),
        path(application + "profil/", admin_views.create_solution, name="awards_solution_create"),
        path(application + "dossier.pdf", admin_views.dossier, name="awards_dossier"),
        path("jury/", jury_views.home, name="awards_jury"),
        path(jury, jury_views.shortlist, name="awards_shortlist"),
        path(jury + "sitzung/", jury_views.meeting, name="awards_meeting"),
        path(jury + "bewerbung/<id:pk>/", jury_views.review, name="awards_review"),
        path(
            jury + "bewerbung/<id:pk>/befangen/",
            jury_views.declare_conflict,
            name="awards_declare_conflict",
        ),
        path(
            jury + "bewerbung/<id:pk>/dossier.pdf",
            jury_views.juror_dossier,
            name="awards_juror_dossier",
        ),
        path(
            jury + "bewerbung/<id:pk>/anhang/<id:attachment_id>/",
            jury_views.attachment,
            name="awards_juror_attachment",
        ),
    ]

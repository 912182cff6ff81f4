"""The team's screens for Lernpfade in the Wagtail admin (Redaktion, Administration):
paths, modules, cohorts, dates, material and feedback as snippets; a cohort's
applications, certificates and feedback on screens of their own (``admin_views``)."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kommune360.core.admin_ui import RelatedSnippetViewSet, register_listing_buttons

from . import admin_views
from .models import Cohort, CohortDate, Feedback, LearningPath, Material, Module


class LearningPathViewSet(SnippetViewSet):
    model = LearningPath
    icon = "list-ol"
    menu_label = _("Lernpfade")
    list_display = ["title", "slug", "cost", "certificate_min_percent", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary"]
    search_backend_name = None
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("goals"),
        FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("cost"), FieldPanel("cost_note")]),
        FieldPanel("provider"),
        FieldPanel("certificate_min_percent"),
        FieldPanel("is_published"),
    ]


class ModuleViewSet(RelatedSnippetViewSet):
    model = Module
    icon = "list-ul"
    menu_label = _("Module")
    list_display = ["title", "path", "kind", "hours", "order"]
    list_filter = ["path", "kind"]
    search_fields = ["title"]
    search_backend_name = None
    list_select_related = ("path",)
    ordering = ["path", "order", "pk"]


class CohortViewSet(RelatedSnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Kohorten")
    list_display = ["title", "path", "starts_on", "ends_on", "capacity", "applications_close_on"]
    list_filter = ["path"]
    search_fields = ["title"]
    search_backend_name = None
    list_select_related = ("path",)
    ordering = ["-starts_on", "pk"]
    panels = [
        FieldPanel("path"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("is_online")]),
        MultiFieldPanel(
            [FieldPanel("facilitators"), FieldPanel("facilitator_names")],
            heading=_("Begleitung"),
        ),
        FieldPanel("capacity"),
        FieldRowPanel([FieldPanel("applications_open_on"), FieldPanel("applications_close_on")]),
    ]


class CohortDateViewSet(RelatedSnippetViewSet):
    model = CohortDate
    icon = "date"
    menu_label = _("Termine")
    list_display = ["module", "cohort", "starts_at", "place"]
    list_filter = ["cohort"]
    search_backend_name = None
    list_select_related = ("module__path", "cohort__path")
    ordering = ["-starts_at", "pk"]


class MaterialViewSet(RelatedSnippetViewSet):
    model = Material
    icon = "doc-full-inverse"
    menu_label = _("Material")
    list_display = ["title", "module", "cohort", "created_at"]
    list_filter = ["module__path", "cohort"]
    search_fields = ["title"]
    search_backend_name = None
    list_select_related = ("module__path", "cohort__path")


class FeedbackViewSet(RelatedSnippetViewSet):
    """Feedback received on other ways can be entered here; publishing happens on the
    cohort's feedback screen (only with consent)."""

    model = Feedback
    icon = "comment"
    menu_label = _("Rückmeldungen")
    list_display = ["cohort", "rating", "author_name", "publish_consent", "is_published"]
    list_filter = ["cohort__path", "is_published", "publish_consent", "rating"]
    search_fields = ["text", "author_name"]
    search_backend_name = None
    list_select_related = ("cohort__path",)
    panels = [
        FieldPanel("cohort"),
        FieldPanel("rating"),
        FieldPanel("text"),
        FieldPanel("publish_consent"),
        FieldPanel("attribution"),
        FieldRowPanel([FieldPanel("author_name"), FieldPanel("author_role")]),
        FieldPanel("created_at"),
    ]


class LearningGroup(SnippetViewSetGroup):
    menu_label = _("Lernpfade")
    menu_icon = "list-ol"
    menu_order = 260
    items = (
        LearningPathViewSet,
        ModuleViewSet,
        CohortViewSet,
        CohortDateViewSet,
        MaterialViewSet,
        FeedbackViewSet,
    )


register_snippet(LearningGroup)


register_listing_buttons(
    Cohort,
    "learning.view_application",
    [
        (_("Bewerbungen"), "learning_applications", "group"),
        (_("Bescheinigungen"), "learning_certificates", "doc-full"),
        (_("Rückmeldungen"), "learning_feedback", "comment"),
        (
            _("Bereich der Kohorte"),
            lambda cohort: reverse("learning:cohort", args=[cohort.path.slug, cohort.pk]),
            "view",
        ),
    ],
)


@hooks.register("register_admin_urls")
def register_learning_admin_urls():
    return [
        path(
            "lernpfade/kohorte/<id:cohort_id>/bewerbungen/",
            admin_views.applications,
            name="learning_applications",
        ),
        path(
            "lernpfade/kohorte/<id:cohort_id>/bescheinigungen/",
            admin_views.certificates,
            name="learning_certificates",
        ),
        path(
            "lernpfade/kohorte/<id:cohort_id>/rueckmeldungen/",
            admin_views.feedback,
            name="learning_feedback",
        ),
        path(
            "lernpfade/bescheinigung/<id:certificate_id>/widerrufen/",
            admin_views.revoke,
            name="learning_certificate_revoke",
        ),
        path(
            "lernpfade/bescheinigung/<id:certificate_id>.pdf",
            admin_views.certificate_pdf,
            name="learning_certificate_pdf",
        ),
    ]

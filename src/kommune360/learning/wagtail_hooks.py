"""The team's screens for Lernpfade in the Wagtail admin (Redaktion, Administration):
paths, modules, cohorts, dates, material and feedback as snippets; a cohort's
applications, certificates and feedback on screens of their own (``admin_views``)."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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


class ModuleViewSet(SnippetViewSet):
    model = Module
    icon = "list-ul"
    menu_label = _("Module")
    list_display = ["title", "path", "kind", "hours", "order"]
    list_filter = ["path", "kind"]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["path", "order", "pk"]

    def get_queryset(self, request):
        return Module.objects.select_related("path")


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Kohorten")
    list_display = ["title", "path", "starts_on", "ends_on", "capacity", "applications_close_on"]
    list_filter = ["path"]
    search_fields = ["title"]
    search_backend_name = None
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

    def get_queryset(self, request):
        return Cohort.objects.select_related("path")


class CohortDateViewSet(SnippetViewSet):
    model = CohortDate
    icon = "date"
    menu_label = _("Termine")
    list_display = ["module", "cohort", "starts_at", "place"]
    list_filter = ["cohort"]
    search_backend_name = None
    ordering = ["-starts_at", "pk"]

    def get_queryset(self, request):
        return CohortDate.objects.select_related("module__path", "cohort__path")


class MaterialViewSet(SnippetViewSet):
    model = Material
    icon = "doc-full-inverse"
    menu_label = _("Material")
    list_display = ["title", "module", "cohort", "created_at"]
    list_filter = ["module__path", "cohort"]
    search_fields = ["title"]
    search_backend_name = None

    def get_queryset(self, request):
        return Material.objects.select_related("module__path", "cohort__path")


class FeedbackViewSet(SnippetViewSet):
    """Feedback received on other ways can be entered here; publishing happens on the
    cohort's feedback screen (only with consent)."""

    model = Feedback
    icon = "comment"
    menu_label = _("Rückmeldungen")
    list_display = ["cohort", "rating", "author_name", "publish_consent", "is_published"]
    list_filter = ["cohort__path", "is_published", "publish_consent", "rating"]
    search_fields = ["text", "author_name"]
    search_backend_name = None
    panels = [
        FieldPanel("cohort"),
        FieldPanel("rating"),
        FieldPanel("text"),
        FieldPanel("publish_consent"),
        FieldPanel("attribution"),
        FieldRowPanel([FieldPanel("author_name"), FieldPanel("author_role")]),
        FieldPanel("created_at"),
    ]

    def get_queryset(self, request):
        return Feedback.objects.select_related("cohort__path")


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


@hooks.register("register_snippet_listing_buttons")
def cohort_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Cohort) and user.has_perm("learning.view_application"):
        yield Button(
            _("Bewerbungen"),
            reverse("learning_applications", args=[snippet.pk]),
            icon_name="group",
            priority=5,
        )
        yield Button(
            _("Bescheinigungen"),
            reverse("learning_certificates", args=[snippet.pk]),
            icon_name="doc-full",
            priority=6,
        )
        yield Button(
            _("Rückmeldungen"),
            reverse("learning_feedback", args=[snippet.pk]),
            icon_name="comment",
            priority=7,
        )
        yield Button(
            _("Bereich der Kohorte"),
            reverse("learning:cohort", args=[snippet.path.slug, snippet.pk]),
            icon_name="view",
            priority=8,
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

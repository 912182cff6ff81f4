"""The team's screens for Wirkung in the Wagtail admin: manual figures, the year's
report texts, indicators with their targets and follow-up surveys (snippets), and the
results of a survey with its free-text answers (``admin_views``). Every change of a
manual figure, an indicator or a survey leaves an audit entry."""

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kommune360.core.admin_ui import register_listing_buttons
from kommune360.core.audit import log_action
from kommune360.core.registry import registry

from . import admin_views
from .models import Indicator, ManualFigure, Survey, YearReport

AUDITED = (ManualFigure, Indicator, Survey, YearReport)


class ManualFigureViewSet(SnippetViewSet):
    model = ManualFigure
    icon = "table"
    menu_label = _("Manuelle Zahlen")
    list_display = ["label", "year", "value", "unit", "stage", "source"]
    list_filter = ["year", "stage"]
    search_fields = ["label", "key", "source"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("key")]),
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("value"), FieldPanel("unit")]),
        FieldPanel("stage"),
        FieldPanel("source"),
        FieldPanel("note"),
    ]


class YearReportViewSet(SnippetViewSet):
    model = YearReport
    icon = "doc-full"
    menu_label = _("Jahresberichte")
    list_display = ["year"]
    panels = [
        FieldPanel("year"),
        FieldPanel("situation"),
        FieldPanel("approach"),
        FieldPanel("resources"),
        FieldPanel("outputs"),
        FieldPanel("outcomes"),
        FieldPanel("impact"),
        FieldPanel("highlights"),
    ]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "crosshairs"
    menu_label = _("Indikatoren")
    list_display = ["name", "stage", "source", "figure_key", "question"]
    list_filter = ["stage", "source"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("stage"), FieldPanel("unit"), FieldPanel("order")]),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("figure_key"), FieldPanel("question")],
            heading=_("Woher der Ist-Wert kommt"),
        ),
        FieldPanel("description"),
        InlinePanel("targets", label=_("Zielwerte je Jahr")),
    ]

    def get_queryset(self, request):
        return Indicator.objects.select_related("question__survey")


def _subject_choices():
    choices = [("", "---------")]
    for subject in registry.survey_subjects():
        group = [(f"{subject.key}:{obj.pk}", str(obj)) for obj in subject.choices()[:200]]
        if group:
            choices.append((str(subject.label), group))
    return choices


class SurveyAdminForm(WagtailAdminModelForm):
    subject = forms.ChoiceField(
        label=_("Nachbefragung zu"),
        help_text=_("Eine Veranstaltung oder eine Lernpfad-Kohorte."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = _subject_choices()
        if self.instance.pk:
            self.initial["subject"] = f"{self.instance.subject_key}:{self.instance.subject_id}"

    def clean_subject(self):
        key, _sep, pk = self.cleaned_data["subject"].rpartition(":")
        subject = registry.survey_subject(key)
        if subject is None or not pk.isdigit() or subject.get(int(pk)) is None:
            raise forms.ValidationError(_("Bitte wählen Sie eine Möglichkeit aus."))
        self.instance.subject_key, self.instance.subject_id = key, int(pk)
        return self.cleaned_data["subject"]

    def save(self, commit=True):
        from .surveys import subject_label

        self.instance.subject_label = subject_label(self.instance)[:300]
        return super().save(commit=commit)


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "form"
    menu_label = _("Nachbefragungen")
    list_display = ["title", "subject_label", "months", "is_active", "created_at"]
    list_filter = ["is_active", "months"]
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("subject"),
            FieldRowPanel([FieldPanel("months"), FieldPanel("is_active")]),
            FieldPanel("intro"),
            InlinePanel("questions", label=_("Fragen"), min_num=1),
        ],
        base_form_class=SurveyAdminForm,
    )


class ImpactGroup(SnippetViewSetGroup):
    menu_label = _("Wirkung")
    menu_icon = "table"
    menu_order = 290
    items = (ManualFigureViewSet, IndicatorViewSet, SurveyViewSet, YearReportViewSet)


register_snippet(ImpactGroup)
register_listing_buttons(
    Survey,
    "impact.change_survey",
    [(_("Ergebnisse"), "impact_survey_results", "view")],
)


@hooks.register("register_admin_urls")
def register_impact_admin_urls():
    return [
        path(
            "impact/umfrage/<id:pk>/ergebnisse/",
            admin_views.survey_results,
            name="impact_survey_results",
        ),
    ]


def _values(instance):
    if isinstance(instance, ManualFigure):
        return {
            "key": instance.key,
            "year": instance.year,
            "value": str(instance.value),
            "source": instance.source,
        }
    return {}


def _audit(verb):
    def hook(request, instance):
        if isinstance(instance, AUDITED):
            name = instance._meta.model_name
            log_action(request.user, f"impact.{name}_{verb}", instance, **_values(instance))

    return hook


hooks.register("after_create_snippet", _audit("created"))
hooks.register("after_edit_snippet", _audit("changed"))


@hooks.register("after_delete_snippet")
def _audit_deleted(request, instances):
    for instance in instances:
        if isinstance(instance, AUDITED):
            name = instance._meta.model_name
            log_action(
                request.user,
                f"impact.{name}_deleted",
                None,
                label=str(instance),
                **_values(instance),
            )

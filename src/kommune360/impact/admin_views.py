"""The results of one follow-up survey for the team, with the free-text answers (which
appear nowhere else). Closed questions follow the same rule as the public page:
results only from five answers, smaller counts as "weniger als 5"."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kommune360.core.permissions import admin_permission_required

from .anonymity import enough, shown
from .models import Answer, Question, Survey
from .results import question_results

TEXTS_SHOWN = 500


@admin_permission_required("impact.change_survey")
def survey_results(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    questions = list(survey.questions.all())
    results = question_results(questions)
    responses = survey.responses.count()
    invited = survey.invitations.count()
    texts = {}
    if enough(responses):
        # In the order of the text, not of arrival: the sequence says nothing about who.
        rows = (
            Answer.objects.filter(
                question__in=[q for q in questions if q.kind == Question.Kind.TEXT]
            )
            .order_by("question_id", "text")
            .values_list("question_id", "text")[:TEXTS_SHOWN]
        )
        for question_id, text in rows:
            texts.setdefault(question_id, []).append(text)
    rows = [(q, results[q.pk], texts.get(q.pk, [])) for q in questions]
    return render(
        request,
        "impact/admin/survey_results.html",
        {
            "page_title": _("Ergebnisse: %(title)s") % {"title": survey.title},
            "header_icon": "form",
            "breadcrumbs_items": [
                {
                    "url": reverse("wagtailsnippets_impact_survey:list"),
                    "label": _("Nachbefragungen"),
                },
                {"url": "", "label": survey.title},
            ],
            "survey": survey,
            "rows": rows,
            "responses": shown(responses),
            "enough": enough(responses),
            "invited": invited,
        },
    )

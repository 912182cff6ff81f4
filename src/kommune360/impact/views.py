"""Public pages of the impact app: the year in numbers, its downloads and report, and
the follow-up survey pages reached from a mail (no login)."""

from datetime import date

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kommune360.core import exports
from kommune360.core.cache import mark_private
from kommune360.core.http import content_disposition

from . import surveys
from .figures import year_figures, years_with_figures
from .forms import SurveyForm
from .indicators import year_indicators
from .models import Question, Survey, YearReport
from .results import question_results

LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.de"


def year_context(year: int) -> dict:
    """Everything the page, the downloads and the report show for ``year``; a fixed
    number of queries whatever the amount of data."""
    figures = year_figures(year)
    survey_list = list(
        Survey.objects.filter(
            questions__tallies__month__range=(date(year, 1, 1), date(year, 12, 1))
        )
        .distinct()
        .prefetch_related("questions")
    )
    questions = [q for survey in survey_list for q in survey.questions.all()]
    results = question_results(questions, year) if questions else {}
    for survey in survey_list:
        survey.results = [
            results[q.pk] for q in survey.questions.all() if q.kind != Question.Kind.TEXT
        ]
    return {
        "year": year,
        "figures": figures,
        "indicators": year_indicators(year, figures),
        "surveys": survey_list,
        "report": YearReport.objects.filter(year=year).first(),
        "license": LICENSE,
        "license_url": LICENSE_URL,
    }


def _page(request, year, years):
    from .charts import bars, svg

    context = year_context(year)
    for figure in context["figures"]:
        figure.chart = svg(bars([(str(y), v) for y, v in figure.years()]), figure.key, figure.label)
    context["years"] = years
    context["history"] = (
        [y for y, _v in context["figures"][0].years()] if context["figures"] else []
    )
    return render(request, "impact/year.html", context)


def index(request):
    years = years_with_figures()
    if not years:
        return render(request, "impact/year.html", {"years": [], "figures": []})
    return _page(request, years[0], years)


def _known_year(year):
    years = years_with_figures()
    if year not in years:
        raise Http404(_("Für dieses Jahr gibt es keine Zahlen."))
    return years


def year_page(request, year):
    return _page(request, year, _known_year(year))


def _rows(year):
    yield [
        _("Kennung"),
        _("Zahl"),
        _("Jahr"),
        _("Wert"),
        _("Einheit"),
        _("Vorjahr"),
        _("Stufe"),
        _("Quelle"),
        _("Methode"),
    ]
    for figure in year_figures(year):
        yield [
            figure.key,
            figure.label,
            year,
            figure.value,
            figure.unit,
            figure.previous,
            figure.stage or "",
            figure.source,
            figure.method,
        ]
    yield []
    yield [_("Lizenz: %(license)s, %(url)s") % {"license": LICENSE, "url": LICENSE_URL}]


def figures_csv(request, year):
    _known_year(year)
    return exports.csv_response(list(_rows(year)), f"wirkung-{year}-zahlen.csv")


def figures_json(request, year):
    _known_year(year)
    data = {
        "year": year,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "figures": [
            {
                "key": f.key,
                "label": f.label,
                "value": f.value,
                "previous_year": f.previous,
                "unit": f.unit,
                "stage": f.stage or None,
                "source": f.source,
                "method": f.method,
                "manual": f.manual,
            }
            for f in year_figures(year)
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = content_disposition(f"wirkung-{year}-zahlen.json")
    return response


def report_pdf(request, year):
    from .report import report_pdf_response

    _known_year(year)
    return report_pdf_response(year)


def report_docx(request, year):
    from .report import report_docx_response

    _known_year(year)
    return report_docx_response(year)


@csrf_exempt  # the link in the mail is the credential (decision 0111)
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, token):
    mark_private(request)
    invitation = surveys.invitation_for(token)
    if invitation is None:
        return render(request, "impact/survey_gone.html", status=404)
    questions = invitation.survey.questions.all()
    form = SurveyForm(questions, request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request,
                "impact/survey.html",
                {"survey": invitation.survey, "form": form},
                status=400,
            )
        surveys.submit(token, form.answers())
        return redirect("impact:survey_thanks")
    return render(request, "impact/survey.html", {"survey": invitation.survey, "form": form})


def survey_thanks(request):
    return render(request, "impact/survey_thanks.html")


@csrf_exempt  # one click from the mail, also RFC 8058 one-click POSTs (like decision 0041)
@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request, signed):
    mark_private(request)
    if not surveys.OPT_OUT.read_text(signed):
        return render(request, "impact/survey_gone.html", status=404)
    if request.method == "POST":
        surveys.opt_out_person(signed)
        return render(request, "impact/opted_out.html")
    return render(request, "impact/opt_out.html")

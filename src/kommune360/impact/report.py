"""The year's report for funders, structured after the Social Reporting Standard (SRS):
as PDF (WeasyPrint, with the SVG charts) and as DOCX (python-docx, to edit further; the
same charts as PNG drawn with matplotlib, ``charts.bars_png``).

Both are built from ``views.year_context`` — the same figures, indicators and survey
results the public page shows, with the k-anonymity rule already applied.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kommune360.core.http import content_disposition
from kommune360.core.languages import default_language
from kommune360.core.models import SiteSettings

from .charts import bars, bars_png, svg
from .models import stage_kind

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# (field of YearReport, heading, the stage kind whose figures the section shows)
SECTIONS = [
    ("situation", gettext_lazy("Ausgangslage"), None),
    ("approach", gettext_lazy("Lösungsansatz"), None),
    ("resources", gettext_lazy("Eingesetzte Ressourcen"), None),
    ("outputs", gettext_lazy("Erbrachte Leistungen (Output)"), "output"),
    ("outcomes", gettext_lazy("Erreichte Wirkungen (Outcome)"), "outcome"),
    ("impact", gettext_lazy("Gesellschaftliche Wirkung (Impact)"), "impact"),
]


def _number(value):
    if value is None:
        return "–"
    return number_format(value, force_grouping=True)


def report_context(year: int) -> dict:
    from .views import year_context

    context = year_context(year)
    report = context["report"]
    sections = []
    for field, heading, kind in SECTIONS:
        figures = [f for f in context["figures"] if kind and stage_kind(f.stage) == kind]
        for figure in figures:
            points = [(str(y), v) for y, v in figure.years()]
            chart = bars(points, width=260, height=120)
            figure.chart = svg(chart, figure.key, figure.label, prefix="pdf")
        indicators = [i for i in context["indicators"] if kind and i.stage_kind == kind]
        text = getattr(report, field, "") if report else ""
        sections.append(
            {
                "heading": str(heading),
                "text": text,
                "paragraphs": [p.strip() for p in text.split("\n\n") if p.strip()],
                "figures": figures,
                "indicators": indicators,
                "surveys": context["surveys"] if kind == "outcome" else [],
            }
        )
    other = [f for f in context["figures"] if not stage_kind(f.stage)]
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return {
        **context,
        "sections": sections,
        "other_figures": other,
        "site_name": SiteSettings.for_site(site).network_name if site else "kommune360",
        "site_url": settings.SITE_URL,
    }


def report_pdf(year: int) -> bytes:
    from weasyprint import HTML

    with default_language():
        html = render_to_string("impact/pdf/report.html", report_context(year))
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def report_pdf_response(year: int) -> HttpResponse:
    response = HttpResponse(report_pdf(year), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"wirkungsbericht-{year}.pdf")
    return response


def report_docx(year: int) -> bytes:
    import io

    from docx import Document
    from docx.shared import Cm, Pt

    with default_language():
        context = report_context(year)
        document = Document()
        title = _("Wirkungsbericht %(year)s") % {"year": year}
        document.core_properties.title = title
        document.core_properties.language = "de-DE"
        document.styles["Normal"].font.size = Pt(11)
        document.add_heading(title, level=0)
        document.add_paragraph(
            _("%(site)s · nach dem Social Reporting Standard (SRS)")
            % {"site": context["site_name"]}
        )

        def table(header, rows):
            grid = document.add_table(rows=1, cols=len(header))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, header, strict=True):
                cell.text = str(text)
                cell.paragraphs[0].runs[0].bold = True
            for row in rows:
                for cell, text in zip(grid.add_row().cells, row, strict=True):
                    cell.text = str(text)

        def chart(figure):
            # The PDF's bar chart of the last five years, as a PNG with a caption and
            # the same alternative text as the SVG (the table above has the values).
            points = [(str(y), v) for y, v in figure.years()]
            document.add_paragraph(figure.label, style="Caption")
            document.add_picture(io.BytesIO(bars_png(points)), width=Cm(8))
            picture = document.inline_shapes[-1]._inline.docPr
            picture.set("name", figure.key)
            picture.set("descr", _("%(label)s nach Jahren") % {"label": figure.label})

        for number, section in enumerate(context["sections"], start=1):
            document.add_heading(f"{number}. {section['heading']}", level=1)
            for paragraph in section["paragraphs"]:
                document.add_paragraph(paragraph)
            if section["figures"]:
                table(
                    [_("Zahl"), str(year), _("Vorjahr"), _("Stufe"), _("Quelle")],
                    [
                        (f.label, _number(f.value), _number(f.previous), f.stage, f.source)
                        for f in section["figures"]
                    ],
                )
                for figure in section["figures"]:
                    chart(figure)
            if section["indicators"]:
                document.add_paragraph()
                table(
                    [_("Indikator"), _("Ziel"), _("Ist"), _("erreicht")],
                    [
                        (
                            row.indicator.name,
                            _number(row.target),
                            _number(row.actual),
                            "–" if row.reached is None else f"{row.reached} %",
                        )
                        for row in section["indicators"]
                    ],
                )
            for survey in section["surveys"]:
                document.add_heading(str(survey), level=2)
                for result in survey.results:
                    line = result.question.text + ": "
                    if result.shown:
                        line += ngettext(
                            "%(count)s Antwort, Mittel %(mean)s",
                            "%(count)s Antworten, Mittel %(mean)s",
                            result.count,
                        ) % {
                            "count": result.count,
                            "mean": _number(result.mean),
                        }
                    else:
                        line += _("zu wenige Antworten für eine Auswertung")
                    document.add_paragraph(line, style="List Bullet")
        document.add_heading(_("Methode und Datenquellen"), level=1)
        for figure in context["figures"]:
            document.add_paragraph(
                f"{figure.label}: {figure.method or figure.source}", style="List Bullet"
            )
        document.add_paragraph(
            _("Zahlen unter der Lizenz %(license)s.") % {"license": context["license"]}
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_docx_response(year: int) -> HttpResponse:
    response = HttpResponse(report_docx(year), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition(f"wirkungsbericht-{year}.docx")
    return response

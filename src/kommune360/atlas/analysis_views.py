"""The landscape analysis page, its SVG figures and the Impulspapier PDF."""

import base64

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.http import content_disposition
from kommune360.core.languages import default_language

from . import charts
from .analysis import SECTIONS, compute
from .models import AnalysisText


def _figure_svg(name, analysis):
    if name == "matrix":
        return charts.matrix_svg(analysis)
    if name == "reichweite":
        return charts.bars_svg(
            [_("innovative Methoden"), _("andere Angebote")],
            [[analysis.innovative_municipal_share, analysis.other_municipal_share]],
        )
    if name == "quartale":
        return charts.quarters_svg(analysis.quarters)
    for cut in analysis.cuts:
        if cut.key == name:
            return charts.bars_svg(
                [str(label) for label, *_n in cut.rows],
                [[row[1] for row in cut.rows], [row[2] for row in cut.rows]],
                legend=[_("alle Angebote"), _("für kommunale Zielgruppen")],
            )
    raise Http404


FIGURES = [key for key, _label in SECTIONS]


def _context(analysis):
    return {
        "analysis": analysis,
        "text": AnalysisText.current(),
        "figures": FIGURES,
        "sections": SECTIONS,
    }


def analysis_page(request):
    analysis = compute()
    return render(request, "atlas/analysis.html", _context(analysis))


# matplotlib writes presentation attributes and a <style> element into the SVG; the
# file is shown as an image (no script can run in it), so its inline styles are safe.
@csp_update({"style-src": [UNSAFE_INLINE]})
def figure(request, name):
    if name not in FIGURES:
        raise Http404
    response = HttpResponse(_figure_svg(name, compute()), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=300"
    return response


def impulspapier(request):
    from weasyprint import HTML

    analysis = compute()
    context = _context(analysis)
    context["images"] = [
        (
            name,
            label,
            "data:image/svg+xml;base64,"
            + base64.b64encode(_figure_svg(name, analysis).encode()).decode(),
        )
        for name, label in SECTIONS
    ]
    # A4 holds the methods and five target groups a table at 8.5 pt.
    context["matrix_parts"] = analysis.matrix_parts(columns=5)
    context["site_url"] = settings.SITE_URL
    context["date"] = timezone.localdate()
    # The Impulspapier is a German report, also when fetched from an English page.
    with default_language():
        html = render_to_string("atlas/impulspapier.html", context, request=request)
    pdf = HTML(string=html, base_url=settings.SITE_URL).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"impulspapier-angebotsatlas-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = content_disposition(filename, attachment=False)
    return response

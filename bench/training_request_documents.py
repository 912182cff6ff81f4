"""How long one Fortbildungsantrag takes to build: PDF (WeasyPrint) and DOCX (python-docx).

Builds a request for a Lernpfad with two cohorts, six modules and their dates (the
longest kind of request) ``BENCH_ROUNDS`` times (default 20) in this process, and as
many one-line PDFs through WeasyPrint (``bare``: the fixed cost of starting a PDF), all
interleaved so that other load on the machine hits them alike. No database: the facts
are built in memory and the network's name is fixed.

Last line of output:

    training_request_documents pdf_ms=… docx_ms=… bare_pdf_ms=… ratio=… pages=…

``ratio`` = milliseconds per request PDF / per one-line PDF (comparable between busy and
idle machines). Goal: pdf_ms < 1,000, so the form answers within a second; the limit of
30 documents per client and hour (``training_requests.views``) keeps one client's share
of the CPU below 1 %.
"""

import os
import statistics
import sys
import time

sys.path[:] = [p for p in sys.path if p and __file__.rpartition("/")[0] != p.rstrip("/")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from kommune360.core.registry import TrainingFacts  # noqa: E402
from kommune360.training_requests import services  # noqa: E402

services.network_name = lambda request=None: "Kommune 360°"


def facts():
    modules = tuple(
        (f"Modul {n}: Veränderung im Amt (Präsenztreffen)", "6 Stunden") for n in range(6)
    )
    schedule = []
    for cohort in ("Frühjahr", "Herbst"):
        schedule.append(
            f"Kohorte {cohort}: 3. März 2027 bis 20. Juni 2027 (Tagungshaus Musterstadt)"
        )
        schedule += [f"– Modul {n}: {n + 3}. April 2027, 10:00–16:00 Uhr" for n in range(6)]
    return TrainingFacts(
        kind="Lernpfad",
        title="Lernpfad Wandel gestalten",
        provider="Beispiel-Akademie für Verwaltung",
        description="Veränderung im Jugendamt planen und begleiten. " * 4,
        url="https://kommune360.example/lernpfade/wandel/",
        learning_goals=("Veränderungsprozesse anstoßen", "Teams führen", "Beteiligung planen"),
        schedule=tuple(schedule),
        hours="36 Stunden",
        place="Tagungshaus Musterstadt",
        online=True,
        cost_text="350 €",
        includes="Material und Verpflegung",
        certificate="Ja, bei Teilnahme an mindestens 80 % der Modulstunden.",
        modules=modules,
    )


def main():
    rounds = int(os.environ.get("BENCH_ROUNDS", "20"))
    translation.activate("de")
    person = services.Requester(
        "Erika Beispielfrau",
        "Jugendhilfeplanerin",
        "Jugendamt Musterland",
        "Dr. Bernd Vorgesetzter",
        "Ich plane die Neuaufstellung unserer Jugendhilfeplanung.",
    )
    the_facts = facts()
    services.request_pdf(the_facts, person)  # warm-up: fonts, templates
    HTML(string="<p>x</p>").write_pdf()
    times = {"pdf": [], "docx": [], "bare": []}
    pages = 0
    for _ in range(rounds):
        start = time.perf_counter()
        pdf = services.request_pdf(the_facts, person)
        times["pdf"].append(time.perf_counter() - start)
        start = time.perf_counter()
        services.request_docx(the_facts, person)
        times["docx"].append(time.perf_counter() - start)
        start = time.perf_counter()
        HTML(string="<p>x</p>").write_pdf()
        times["bare"].append(time.perf_counter() - start)
    import io

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    ms = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(
        f"training_request_documents pdf_ms={ms['pdf']:.0f} docx_ms={ms['docx']:.0f} "
        f"bare_pdf_ms={ms['bare']:.0f} ratio={ms['pdf'] / ms['bare']:.1f} pages={pages}"
    )


if __name__ == "__main__":
    main()

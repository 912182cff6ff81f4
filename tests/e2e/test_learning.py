"""Browser journey of Lernpfade: a member applies to a cohort and writes a
Fortbildungsantrag for her employer from the Lernpfad page, the team accepts her in
the Wagtail admin, the facilitator records attendance on a phone-sized screen, she
marks the self-study module done, downloads her certificate, HR verifies it; she gives
feedback. axe checks every page on the way."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
BERLIN = timezone.get_default_timezone()


def _path():
    from kommune360.learning.models import CohortDate
    from tests.factories.learning import CohortFactory, LearningPathFactory, ModuleFactory

    path = LearningPathFactory(
        title="Lernpfad Change",
        slug="change",
        goals="Ein Veränderungsvorhaben planen\nKolleg:innen gewinnen",
        provider="Beispiel-Akademie",
    )
    modules = [
        ModuleFactory(path=path, order=1, title="Auftakt", kind="online", hours=Decimal("3")),
        ModuleFactory(path=path, order=2, title="Werkstatt", kind="presence", hours=Decimal("5")),
        ModuleFactory(path=path, order=3, title="Lesen", kind="self_study", hours=Decimal("2")),
    ]
    cohort = CohortFactory(path=path, title="Kohorte Browser", capacity=2)
    for n, module in enumerate(modules[:2]):
        start = datetime.datetime.combine(
            cohort.starts_on + datetime.timedelta(days=7 * n), datetime.time(10), tzinfo=BERLIN
        )
        CohortDate.objects.create(
            cohort=cohort,
            module=module,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
        )
    return path, modules, cohort


def _pdf_text(download):
    from pypdf import PdfReader

    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(page.extract_text() for page in reader.pages)


def test_apply_accept_attend_certificate_verify(page, axe_check, login, make_user):
    path, modules, cohort = _path()
    make_user(
        email="maria@beispiel.example",
        first_name="Maria",
        last_name="Muster",
        organisation="Jugendamt Musterstadt",
    )
    facilitator = make_user(
        email="begleitung@beispiel.example", first_name="Fiona", last_name="Begleit"
    )
    cohort.facilitators.add(facilitator)
    editor = make_user(email="redaktion@beispiel.example", is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))

    # Maria applies.
    login(page, "maria@beispiel.example")
    page.goto(reverse("learning:list"))
    axe_check(page)
    page.get_by_role("link", name="Lernpfad Change").first.click()
    page.wait_for_url("**/lernpfade/change/")
    axe_check(page)
    page.get_by_role("link", name="Jetzt bewerben").click()
    page.wait_for_url("**/bewerben/")
    axe_check(page)
    page.get_by_label("Ihre Rolle oder Funktion").fill("Jugendhilfeplanerin")
    page.get_by_label("Warum möchten Sie teilnehmen?").fill("Ich plane ein Vorhaben im Amt.")
    page.get_by_label(re.compile("dürfen meinen Namen sehen")).check()
    page.get_by_role("button", name="Bewerbung absenden").click()
    page.wait_for_url("**/lernpfade/change/")
    expect(page.get_by_text("Ihre Bewerbung ist eingegangen.", exact=True)).to_be_visible()
    axe_check(page)

    # She asks her employer for approval: a Fortbildungsantrag from the Lernpfad page.
    page.get_by_role("link", name="Fortbildungsantrag erstellen").click()
    page.wait_for_url(re.compile(r"/fortbildungsantrag/lernpfad/\d+/$"))
    axe_check(page)
    for label, value in {
        "Ihr Name": "Maria Muster",
        "Ihre Funktion oder Stelle": "Jugendhilfeplanerin",
        "Ihre Dienststelle oder Arbeitgeber:in": "Jugendamt Musterstadt",
        "Name Ihrer oder Ihres Vorgesetzten": "Bernd Beispiel",
        "Warum ist die Fortbildung für Ihre Arbeit wichtig?": "Ich plane ein Vorhaben im Amt.",
    }.items():
        page.get_by_label(label, exact=True).fill(value)
    with page.expect_download() as info:
        page.get_by_role("button", name="Antrag als PDF herunterladen").click()
    request_text = " ".join(_pdf_text(info.value).split())
    for fact in ("Lernpfad Change", "Beispiel-Akademie", "Maria Muster", "Bernd Beispiel"):
        assert fact in request_text, fact

    # The team accepts her in the Wagtail admin.
    page.context.clear_cookies()
    login(page, "redaktion@beispiel.example")
    page.goto(reverse("learning_applications", args=[cohort.pk]))
    axe_check(page)
    page.get_by_role("button", name="Aufnehmen Maria Muster").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Maria Muster: aufgenommen")).to_be_visible()
    axe_check(page)

    # The facilitator records attendance on a phone.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "begleitung@beispiel.example")
    page.goto(reverse("learning:cohort", args=[path.slug, cohort.pk]))
    axe_check(page)
    for module in modules[:2]:
        page.goto(reverse("learning:attendance", args=[path.slug, cohort.pk, module.pk]))
        axe_check(page)
        row = page.locator("li", has_text="Maria Muster")
        button = row.get_by_role("button", name=re.compile("^Anwesend"))
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 300  # a large touch target
        button.click()  # htmx swaps the row
        row = page.locator("li", has_text="Maria Muster")
        expect(row.get_by_role("button", name=re.compile("^Abwesend"))).to_be_visible()
        expect(row.get_by_text("anwesend", exact=True)).to_be_visible()
        axe_check(page)
    page.reload()  # the state is stored, not only shown
    expect(page.get_by_role("button", name=re.compile("^Abwesend"))).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    # Time passes: the cohort is over.
    cohort.starts_on = timezone.localdate() - datetime.timedelta(days=60)
    cohort.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    cohort.save(update_fields=["starts_on", "ends_on"])

    # Maria: her area, self-study, certificate, verification, feedback.
    page.context.clear_cookies()
    login(page, "maria@beispiel.example")
    page.goto(reverse("learning:detail", args=[path.slug]))
    page.get_by_role("link", name="Zum Bereich der Kohorte").click()
    page.wait_for_url(f"**{reverse('learning:cohort', args=[path.slug, cohort.pk])}")
    expect(page.get_by_text("Besuchte Module: 8 Stunden von 10 Stunden")).to_be_visible()
    expect(page.get_by_text("Maria Muster · Jugendhilfeplanerin")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name=re.compile(r"^Erledigt\W+Lesen$")).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Besuchte Module: 10 Stunden von 10 Stunden")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Teilnahmebescheinigung erstellen").click()
    page.wait_for_load_state()
    with page.expect_download() as info:
        page.get_by_role("link", name="Teilnahmebescheinigung herunterladen (PDF)").click()
    text = _pdf_text(info.value)
    code = re.search(r"[A-Z2-9]{5}(?:-[A-Z2-9]{5}){3}", text).group(0)
    for fact in (
        "Maria Muster",
        "Lernpfad Change",
        "Kohorte Browser",
        "Auftakt",
        "Werkstatt",
        "Lesen",
        "Gesamtumfang: 10 Stunden",
        "Kolleg:innen gewinnen",
        "Beispiel-Akademie",
    ):
        assert fact in text, fact
    page.goto(f"/nachweis/{code}/")
    expect(page.get_by_text("Diese Bescheinigung ist gültig.")).to_be_visible()
    expect(page.get_by_text("Maria Muster").first).to_be_visible()
    axe_check(page)

    page.goto(reverse("learning:cohort", args=[path.slug, cohort.pk]))
    page.get_by_role("link", name="Rückmeldung geben").click()
    page.wait_for_url("**/rueckmeldung/")
    axe_check(page)
    page.get_by_role("button", name="Rückmeldung senden").click()  # nothing chosen
    expect(page.get_by_text("Bitte wählen Sie eine Möglichkeit aus.").first).to_be_visible()
    axe_check(page)
    page.get_by_label("5 – sehr gut").check()
    page.get_by_label("Was nehmen Sie mit?").fill("Mehr Mut für unser Vorhaben.")
    page.get_by_label(re.compile("als Zitat")).check()
    page.get_by_role("button", name="Rückmeldung senden").click()
    page.wait_for_url(f"**{reverse('learning:cohort', args=[path.slug, cohort.pk])}*")
    expect(page.get_by_text("Vielen Dank für Ihre Rückmeldung!")).to_be_visible()
    axe_check(page)

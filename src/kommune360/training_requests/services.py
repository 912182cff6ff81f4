"""Training requests (Fortbildungsanträge): the document as PDF and DOCX, the mail to
the supervisor, and the details a logged-in person asked to keep.

Nothing about a request is stored: the document is built from the source's facts
(``core.registry.TrainingRequestSource``) and the person's input, and handed out. The
supervisor's address only travels in the outbox row of the one mail, which the mail
task deletes once it is delivered.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.audit import log_action
from kommune360.core.dates import local_date
from kommune360.core.http import content_disposition
from kommune360.core.languages import in_default_language, typed
from kommune360.core.mail import queue_email
from kommune360.core.registry import TrainingFacts, registry
from kommune360.core.text import slugify_de

from .models import SavedDetails

KEPT_FIELDS = ("name", "position", "employer", "supervisor_name")


@dataclass(frozen=True)
class Requester:
    name: str
    position: str
    employer: str
    supervisor_name: str
    relevance: str
    supervisor_email: str = ""

    @classmethod
    def from_data(cls, data) -> Requester:
        return cls(
            name=data["name"],
            position=data["position"],
            employer=data["employer"],
            supervisor_name=data["supervisor_name"],
            relevance=data["relevance"],
            supervisor_email=data.get("supervisor_email") or "",
        )


# Sources -----------------------------------------------------------------------------


def source_by_key(key):
    return next((s for s in registry.training_request_sources() if s.key == key), None)


def source_for(obj):
    return next((s for s in registry.training_request_sources() if isinstance(obj, s.model)), None)


def request_url(obj) -> str:
    """The address of the request form for ``obj``, or "" if it lacks facts."""
    from django.urls import reverse

    source = source_for(obj)
    if source is None or not source.has_facts(obj):
        return ""
    return reverse("training_requests:form", args=[source.key, obj.pk])


def load(key, pk, request=None):
    """``(source, object, facts)`` for a public object with enough facts, else 404."""
    source = source_by_key(key)
    obj = source.get(pk) if source else None
    facts = source.facts(obj) if obj is not None else None
    if facts is None:
        raise Http404
    if not facts.provider:
        facts = replace(facts, provider=network_name(request))
    return source, obj, facts


@in_default_language
def document_facts(key, pk, request=None):
    """The facts as the document states them: in the platform's language, whatever the
    language of the page the form is on (an employer reads the request)."""
    return load(key, pk, request)[2]


def network_name(request=None) -> str:
    """The network's name; with a request, from the settings the layout loads anyway."""
    from wagtail.models import Site

    from kommune360.core.models import SiteSettings

    if request is not None:
        return SiteSettings.for_request(request).network_name
    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site).network_name if site else "kommune360"


# The document --------------------------------------------------------------------------


def place_text(facts: TrainingFacts) -> str:
    if facts.place and facts.online:
        return _("%(place)s; auch online") % {"place": facts.place}
    if facts.online:
        return _("online")
    return facts.place or _("keine Angabe")


def fact_rows(facts: TrainingFacts) -> list[tuple[str, str]]:
    """The facts of the training as (label, value) rows, the same in PDF and DOCX."""
    rows = [
        (_("Art"), facts.kind),
        (_("Titel"), typed(facts.title)),
        (_("Anbieter:in"), typed(facts.provider)),
        (_("Inhalt"), typed(facts.description) or _("keine Angabe")),
        (_("Termine"), "\n".join(facts.schedule) or _("keine Angabe")),
        (_("Umfang"), facts.hours or _("keine Angabe")),
        (_("Ort"), typed(facts.place) if facts.place and not facts.online else place_text(facts)),
        (_("Kosten"), facts.cost_text or _("keine Angabe")),
    ]
    if facts.includes:
        rows.append((_("In den Kosten enthalten"), typed(facts.includes)))
    rows.append((_("Teilnahmebescheinigung"), facts.certificate or _("keine Angabe")))
    rows.extend(facts.extra)
    rows.append((_("Weitere Informationen"), facts.url))
    return rows


def document_context(facts: TrainingFacts, requester: Requester) -> dict:
    return {
        "facts": facts,
        "rows": fact_rows(facts),
        "person": requester,
        "network_name": network_name(),
        "today": local_date(timezone.localdate()),
    }


def filename(facts: TrainingFacts, extension: str) -> str:
    return f"fortbildungsantrag-{slugify_de(facts.title)[:60] or 'fortbildung'}.{extension}"


@in_default_language
def request_pdf(facts: TrainingFacts, requester: Requester) -> bytes:
    from weasyprint import HTML

    html = render_to_string("training_requests/pdf.html", document_context(facts, requester))
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


@in_default_language
def request_docx(facts: TrainingFacts, requester: Requester) -> bytes:
    """The same content as the PDF, as a Word document the person can still edit."""
    from docx import Document
    from docx.shared import Pt

    context = document_context(facts, requester)
    document = Document()
    document.core_properties.title = _("Fortbildungsantrag: %(title)s") % {"title": facts.title}
    document.core_properties.author = requester.name
    document.core_properties.language = "de-DE"
    document.styles["Normal"].font.size = Pt(11)

    def table(rows):
        grid = document.add_table(rows=0, cols=2)
        grid.style = "Table Grid"
        for label, value in rows:
            cells = grid.add_row().cells
            cells[0].text = str(label)
            cells[1].text = str(value)
            cells[0].paragraphs[0].runs[0].bold = True

    document.add_heading(_("Antrag auf Genehmigung einer Fortbildung"), level=1)
    table(person_rows(requester))
    document.add_paragraph(
        _(
            "Hiermit beantrage ich die Teilnahme an der folgenden Fortbildung und bitte um "
            "Genehmigung."
        )
    )
    document.add_heading(_("Die Fortbildung"), level=2)
    table(context["rows"])
    if facts.learning_goals:
        document.add_heading(_("Lernziele"), level=2)
        for goal in facts.learning_goals:
            document.add_paragraph(goal, style="List Bullet")
    if facts.modules:
        document.add_heading(_("Module"), level=2)
        table(facts.modules)
    document.add_heading(_("Bezug zu meinen Aufgaben"), level=2)
    document.add_paragraph(requester.relevance)
    document.add_heading(_("Antragsteller:in"), level=2)
    document.add_paragraph(
        _("Datum, Unterschrift Antragsteller:in: ______________________________")
    )
    document.add_heading(_("Genehmigung"), level=2)
    document.add_paragraph(_("☐ genehmigt    ☐ nicht genehmigt"))
    document.add_paragraph(_("Bemerkungen: ____________________________________________"))
    document.add_paragraph(
        _("Datum, Unterschrift Vorgesetzte:r (%(name)s): ____________________")
        % {"name": requester.supervisor_name}
    )
    document.add_paragraph(
        _("Personalabteilung (optional) – Datum, Unterschrift: ____________________")
    )
    document.add_paragraph(footer_text(context))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def person_rows(requester: Requester) -> list[tuple[str, str]]:
    return [
        (_("Name"), requester.name),
        (_("Funktion oder Stelle"), requester.position),
        (_("Dienststelle oder Arbeitgeber:in"), requester.employer),
        (_("Vorgesetzte:r"), requester.supervisor_name),
    ]


def footer_text(context) -> str:
    return _("Erstellt am %(date)s mit der Plattform %(network)s.") % {
        "date": context["today"],
        "network": context["network_name"],
    }


@in_default_language
def download(facts: TrainingFacts, requester: Requester, output: str) -> HttpResponse:
    if output == "docx":
        content = request_docx(facts, requester)
        mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        output, content, mimetype = "pdf", request_pdf(facts, requester), "application/pdf"
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = content_disposition(filename(facts, output))
    response["Cache-Control"] = "private, no-store"
    return response


# Mail to the supervisor ----------------------------------------------------------------


def member_name(user) -> str:
    """How a mail names the member who sent it: the account's name, on one line."""
    return " ".join((user.get_full_name() or user.email).split())


@in_default_language
def send_to_supervisor(obj, facts: TrainingFacts, requester: Requester, *, user) -> None:
    """Queue the request with the PDF attached, on behalf of the logged-in ``user``.

    The subject is fixed (it names only the network); what the member
    typed appears only in the body, marked as their message. The address is used for
    this mail only: it is neither kept on the account nor written to the audit log.
    """
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Nur angemeldete Mitglieder können Anträge per E-Mail senden."))
    if not requester.supervisor_email:
        raise ValueError("supervisor_email is required")
    member = member_name(user)
    context = {
        "facts": facts,
        "person": requester,
        "member": member,
        "member_email": user.email,
        "network_name": network_name(),
    }
    text = render_to_string("training_requests/mail/request.txt", context)
    # The supervisor did not ask for this mail: its subject holds nothing a member or a
    # provider typed (name and training stand in the body and the PDF).
    subject = _("Fortbildungsantrag zur Genehmigung (über %(network)s)") % {
        "network": context["network_name"]
    }
    with transaction.atomic():
        queue_email(
            subject,
            [requester.supervisor_email],
            text,
            reply_to=[user.email],
            attachments=[
                (filename(facts, "pdf"), request_pdf(facts, requester), "application/pdf")
            ],
        )
        log_action(user, "training_requests.mailed", obj)


# Details kept for the next request -----------------------------------------------------


def initial_for(user) -> dict:
    """Prefill: kept details if any, otherwise what the account already says."""
    if not user.is_authenticated:
        return {}
    saved = SavedDetails.objects.filter(user=user).first()
    if saved is not None:
        return {**{f: getattr(saved, f) for f in KEPT_FIELDS}, "remember": True}
    return {
        "name": user.get_full_name(),
        "position": getattr(user, "position", ""),
        "employer": getattr(user, "organisation", ""),
    }


def keep_details(user, requester: Requester, *, remember: bool) -> None:
    """Keep (or, without the person's choice, delete) the details for the next request."""
    if not user.is_authenticated:
        return
    if remember:
        values = {f: getattr(requester, f) for f in KEPT_FIELDS}
        SavedDetails.objects.update_or_create(user=user, defaults=values)
    else:
        SavedDetails.objects.filter(user=user).delete()

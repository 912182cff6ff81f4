"""Import offers from CSV or XLSX: check everything first, then write all or nothing.

The upload form checks size and type at once (``UPLOAD``, ``core.uploads``);
``check_file`` reads the file and returns every problem as (row, column, message) in
German, plus the rows ready to import. The import itself runs as a task on an
``OfferImportJob`` (``services.start_import`` / ``services.run_import_job``), which
creates the offers only if there is no problem at all, in one transaction. The column
names are those of the export (``exports.COLUMNS``), so an exported list can be
re-imported.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from kommune360.core.models import Format, Method, State, TargetGroup, Topic

from .models import Offer, OfferImportJob, Provider

# What an import file may be: CSV or XLSX, at most 5000 rows (``core.uploads``).
UPLOAD = OfferImportJob.upload
# Rows between two progress reports of a running import.
PROGRESS_EVERY = 250

REQUIRED = ["Titel", "Kurzbeschreibung", "Anbieter:in", "Format", "Zielgruppen"]
OPTIONAL = [
    "Beschreibung",
    "Art der Anbieter:in",
    "Methoden",
    "Themen",
    "Durchführung",
    "Region",
    "Land",
    "Kosten",
    "Betrag in Euro",
    "Dauer in Stunden",
    "laufend",
    "Beginn",
    "Ende",
    "Sprache",
    "Website",
    "Kontakt",
    "Teilnahmebescheinigung",
    "Lernziele",
    "Anerkennung/Akkreditierung",
]
# Export columns that the import ignores (computed or site-specific).
IGNORED = {"Termine", "zuletzt geprüft", "Adresse im Angebotsatlas"}

YES = {"ja", "j", "yes", "x", "1", "wahr", "true"}
NO = {"nein", "n", "no", "0", "falsch", "false", ""}


@dataclass
class Problem:
    row: int  # as the person sees it in the spreadsheet (header = row 1)
    column: str
    message: str


@dataclass
class Report:
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # cleaned rows ready to import
    new_providers: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems and bool(self.rows)

    def add(self, row, column, message):
        self.problems.append(Problem(row, column, str(message)))


# --- Checking ----------------------------------------------------------------------------


class _Lookup:
    """Taxonomy and choices by name, case-insensitive."""

    def __init__(self):
        def terms(model):
            found = {}
            for term in model.objects.all():
                found[term.name.casefold()] = term
                found[term.slug] = term
            return found

        self.format = terms(Format)
        self.method = terms(Method)
        self.topic = terms(Topic)
        self.group = terms(TargetGroup)
        self.providers = {p.name.casefold(): p for p in Provider.objects.all()}
        self.titles = {
            (t.casefold(), pid) for t, pid in Offer.objects.values_list("title", "provider_id")
        }

    @staticmethod
    def choice(choices, text):
        text = text.strip().casefold()
        for value, label in choices:
            if text in (str(value).casefold(), str(label).casefold()):
                return value
        return None


def _names(text):
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _decimal(text):
    text = text.strip().replace("€", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


def _date(text):
    text = text.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def check_rows(header, rows, progress=None) -> Report:
    """Check every row; ``progress(done, total)`` is called every ``PROGRESS_EVERY`` rows
    and at the end."""
    report = Report()
    header = [str(h).strip() for h in header]
    columns = {name: index for index, name in enumerate(header) if name}
    for name in REQUIRED:
        if name not in columns:
            report.add(1, name, _("Die Pflichtspalte „%(name)s“ fehlt.") % {"name": name})
    for name in columns:
        if name not in REQUIRED and name not in OPTIONAL and name not in IGNORED:
            report.add(1, name, _("Die Spalte „%(name)s“ ist unbekannt.") % {"name": name})
    if report.problems:
        return report
    rows = [r for r in rows if any(str(v).strip() for v in r)]
    if not rows:
        report.add(2, "", _("Die Datei enthält keine Angebote."))
        return report

    lookup = _Lookup()
    seen = set()
    new_providers = {}
    total = len(rows)
    for offset, values in enumerate(rows):
        number = offset + 2
        if progress is not None and offset and offset % PROGRESS_EVERY == 0:
            progress(offset, total)

        def get(name, values=values):
            index = columns.get(name)
            if index is None or index >= len(values):
                return ""
            return str(values[index]).strip()

        def problem(column, message, number=number):
            report.add(number, column, message)

        data = {}
        before = len(report.problems)
        for name in REQUIRED:
            if not get(name):
                problem(name, _("Bitte ausfüllen."))
        for name, field_name, limit in (
            ("Titel", "title", 200),
            ("Kurzbeschreibung", "summary", 300),
            ("Website", "website", 200),
            ("Kontakt", "contact", 200),
            ("Anerkennung/Akkreditierung", "accreditation", 200),
        ):
            value = get(name)
            if len(value) > limit:
                problem(name, _("Höchstens %(n)s Zeichen.") % {"n": limit})
            data[field_name] = value
        if data["website"]:
            try:
                URLValidator()(data["website"])
            except ValidationError:
                problem("Website", _("Bitte eine vollständige Adresse mit https:// angeben."))
        data["description"] = get("Beschreibung")
        data["learning_goals"] = get("Lernziele")

        provider_name = get("Anbieter:in")
        provider = lookup.providers.get(provider_name.casefold())
        if provider_name and provider is None:
            kind_text = get("Art der Anbieter:in")
            kind = lookup.choice(Provider.Type.choices, kind_text) if kind_text else None
            if kind is None:
                problem(
                    "Art der Anbieter:in",
                    _(
                        "„%(name)s“ ist noch nicht angelegt. Geben Sie die Art an (%(kinds)s), "
                        "dann wird sie neu angelegt."
                    )
                    % {
                        "name": provider_name,
                        "kinds": ", ".join(str(label) for _v, label in Provider.Type.choices),
                    },
                )
            else:
                new_providers.setdefault(provider_name.casefold(), (provider_name, kind))
        data["provider_name"] = provider_name

        format_name = get("Format")
        if format_name:
            data["format"] = lookup.format.get(format_name.casefold())
            if data["format"] is None:
                problem("Format", _("Das Format „%(name)s“ gibt es nicht.") % {"name": format_name})
        for column, key, table in (
            ("Methoden", "methods", lookup.method),
            ("Themen", "topics", lookup.topic),
            ("Zielgruppen", "target_groups", lookup.group),
        ):
            found = []
            for name in _names(get(column)):
                term = table.get(name.casefold())
                if term is None:
                    problem(column, _("„%(name)s“ gibt es nicht.") % {"name": name})
                else:
                    found.append(term)
            data[key] = found

        for column, key, choices, default in (
            ("Durchführung", "delivery", Offer.Delivery.choices, Offer.Delivery.ONLINE),
            ("Region", "region", Offer.Region.choices, Offer.Region.NATIONWIDE),
            ("Kosten", "cost", Offer.Cost.choices, Offer.Cost.FREE),
            ("Sprache", "language", Offer.Language.choices, Offer.Language.GERMAN),
        ):
            text = get(column)
            value = lookup.choice(choices, text) if text else default
            if value is None:
                problem(
                    column,
                    _("„%(value)s“ ist nicht erlaubt; möglich: %(choices)s.")
                    % {"value": text, "choices": ", ".join(str(label) for _v, label in choices)},
                )
            data[key] = value
        state_text = get("Land")
        data["state"] = ""
        if state_text:
            data["state"] = lookup.choice(State.choices, state_text) or ""
            if not data["state"]:
                problem("Land", _("Das Land „%(value)s“ gibt es nicht.") % {"value": state_text})

        for column, key in (
            ("Betrag in Euro", "cost_amount"),
            ("Dauer in Stunden", "duration_hours"),
        ):
            text = get(column)
            data[key] = None
            if text:
                try:
                    data[key] = _decimal(text)
                    if data[key] < 0 or data[key] > Decimal("9999999"):
                        raise InvalidOperation
                except (InvalidOperation, ValueError):
                    problem(column, _("„%(value)s“ ist keine gültige Zahl.") % {"value": text})
        for column, key in (("Teilnahmebescheinigung", "certificate"), ("laufend", "ongoing")):
            text = get(column).casefold()
            if text in YES:
                data[key] = True
            elif text in NO:
                data[key] = False
            else:
                problem(column, _("Bitte „ja“ oder „nein“ angeben."))
        for column, key in (("Beginn", "start_date"), ("Ende", "end_date")):
            text = get(column)
            data[key] = None
            if text:
                try:
                    data[key] = _date(text)
                except ValueError:
                    problem(column, _("„%(value)s“ ist kein Datum (TT.MM.JJJJ).") % {"value": text})

        key = (data["title"].casefold(), provider_name.casefold())
        if data["title"] and key in seen:
            problem("Titel", _("Dieses Angebot steht zweimal in der Datei."))
        seen.add(key)
        if provider is not None and (data["title"].casefold(), provider.pk) in lookup.titles:
            problem(
                "Titel", _("Dieses Angebot von „%(name)s“ gibt es schon.") % {"name": provider.name}
            )

        if len(report.problems) == before:
            # The model's own rules (amount for costs, Land for regional offers, dates).
            offer = Offer(
                **{
                    k: v
                    for k, v in data.items()
                    if k not in ("provider_name", "methods", "topics", "target_groups")
                }
            )
            try:
                offer.clean()
            except ValidationError as error:
                labels = {
                    "cost_amount": "Betrag in Euro",
                    "state": "Land",
                    "municipality": "Region",
                    "end_date": "Ende",
                }
                for field_name, messages in error.message_dict.items():
                    for message in messages:
                        problem(labels.get(field_name, field_name), message)
        report.rows.append((number, data))
    report.new_providers = list(new_providers.values())
    if progress is not None:
        progress(total, total)
    return report


def check_file(name, content, progress=None) -> Report:
    try:
        header, rows = UPLOAD.read(name, content)
    except ValidationError as error:
        report = Report()
        for message in error.messages:
            report.add(0, "", message)
        return report
    return check_rows(header, rows, progress)

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

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from kommune360.core.models import Format, Method, Municipality, TargetGroup, Topic

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


def _number(text):
    """German spelling of a number as the form reads it: "1.200,50 €" → "1200.50"."""
    text = text.replace("€", "").replace(" ", "")
    return text.replace(".", "").replace(",", ".") if "," in text else text


# The columns checked by the model's own form: column → field of ``Offer``.
FIELD_COLUMNS = {
    "Titel": "title",
    "Kurzbeschreibung": "summary",
    "Beschreibung": "description",
    "Lernziele": "learning_goals",
    "Website": "website",
    "Kontakt": "contact",
    "Anerkennung/Akkreditierung": "accreditation",
    "Durchführung": "delivery",
    "Region": "region",
    "Land": "state",
    "Kosten": "cost",
    "Betrag in Euro": "cost_amount",
    "Dauer in Stunden": "duration_hours",
    "Beginn": "start_date",
    "Ende": "end_date",
    "Sprache": "language",
}
YES_NO_COLUMNS = {"Teilnahmebescheinigung": "certificate", "laufend": "ongoing"}
# Where the model's rules (``Offer.clean``) name a field the file has no column for.
COLUMN_OF = {field: column for column, field in FIELD_COLUMNS.items()} | {"municipality": "Region"}


class RowForm(forms.ModelForm):
    """One row as ``Offer`` fields: lengths, choices, numbers and the model's rules
    (``Offer.clean``) come from the model; the messages speak of a spreadsheet."""

    # Only for the model's rule "Region Kommune needs a Kommune" (no column names one).
    municipality = forms.ModelChoiceField(queryset=Municipality.objects.none(), required=False)

    class Meta:
        model = Offer
        fields = [*FIELD_COLUMNS.values(), *YES_NO_COLUMNS.values(), "municipality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            messages = form_field.error_messages
            messages["required"] = _("Bitte ausfüllen.")
            if isinstance(form_field, forms.TypedChoiceField):
                labels = ", ".join(str(label) for value, label in form_field.choices if value)
                messages["invalid_choice"] = _(
                    "„%(value)s“ ist nicht erlaubt; möglich: %(choices)s."
                ).replace("%(choices)s", labels)
            if isinstance(form_field, forms.DecimalField):
                messages["invalid"] = _("Bitte eine Zahl angeben, etwa 120,50.")
            if isinstance(form_field, forms.DateField):
                form_field.input_formats = ["%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"]
                messages["invalid"] = _("Bitte ein Datum als TT.MM.JJJJ angeben.")
        self.fields["website"].error_messages["invalid"] = _(
            "Bitte eine vollständige Adresse mit https:// angeben."
        )

    def check(self, data, instance) -> bool:
        """Validate the next row with this form. One form serves the whole file: a new
        form per row copies all its fields each time (2000 rows: 10 s instead of
        well under one)."""
        self.data, self.is_bound, self.instance, self._errors = data, True, instance, None
        return self.is_valid()


class _Row:
    """One row of the file: its cells by column name, and its problems."""

    def __init__(self, number, values, columns, report):
        self.number, self.values, self.columns, self.report = number, values, columns, report
        self.before = len(report.problems)

    def get(self, column) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(self.values):
            return ""
        return str(self.values[index]).strip()

    def problem(self, column, message):
        self.report.add(self.number, column, message)

    @property
    def ok(self):
        return len(self.report.problems) == self.before


class _RowChecker:
    """The checks of one row, in the order the editor reads the problems: provider,
    taxonomy, the model's fields, repetitions."""

    def __init__(self, columns, report):
        self.columns, self.report = columns, report
        self.lookup = _Lookup()
        self.form = RowForm()
        self.seen = set()
        self.new_providers = {}

    def check(self, number, values):
        row = _Row(number, values, self.columns, self.report)
        for column in REQUIRED:
            if column in ("Anbieter:in", "Format", "Zielgruppen") and not row.get(column):
                row.problem(column, _("Bitte ausfüllen."))
        provider = self._provider(row)
        data = {"provider_name": row.get("Anbieter:in"), **self._terms(row)}
        data.update(self._fields(row, provider, data.get("format")))
        self._repetition(row, provider)
        self.report.rows.append((number, data))

    def _provider(self, row):
        """The provider named in the row, or None: unknown ones are created with the
        import if the row says what kind they are."""
        name = row.get("Anbieter:in")
        provider = self.lookup.providers.get(name.casefold())
        if not name or provider is not None:
            return provider
        kind_text = row.get("Art der Anbieter:in")
        kind = self.lookup.choice(Provider.Type.choices, kind_text) if kind_text else None
        if kind is None:
            row.problem(
                "Art der Anbieter:in",
                _(
                    "„%(name)s“ ist noch nicht angelegt. Geben Sie die Art an (%(kinds)s), "
                    "dann wird sie neu angelegt."
                )
                % {
                    "name": name,
                    "kinds": ", ".join(str(label) for _v, label in Provider.Type.choices),
                },
            )
        else:
            self.new_providers.setdefault(name.casefold(), (name, kind))
        return None

    def _terms(self, row) -> dict:
        """Format and the taxonomy terms named in the row."""
        terms = {}
        format_name = row.get("Format")
        if format_name:
            terms["format"] = self.lookup.format.get(format_name.casefold())
            if terms["format"] is None:
                row.problem(
                    "Format", _("Das Format „%(name)s“ gibt es nicht.") % {"name": format_name}
                )
        for column, key, table in (
            ("Methoden", "methods", self.lookup.method),
            ("Themen", "topics", self.lookup.topic),
            ("Zielgruppen", "target_groups", self.lookup.group),
        ):
            terms[key] = []
            for name in _names(row.get(column)):
                term = table.get(name.casefold())
                if term is None:
                    row.problem(column, _("„%(name)s“ gibt es nicht.") % {"name": name})
                else:
                    terms[key].append(term)
        return terms

    def _fields(self, row, provider, format) -> dict:
        """The model's fields of the row, checked by ``RowForm``."""
        form = self.form
        if form.check(self._form_data(row), Offer(provider=provider, format=format)):
            data = dict(form.cleaned_data)
            data.pop("municipality", None)
            return data
        for name, messages in form.errors.items():
            column = COLUMN_OF.get(name) or next(
                (c for c, f in YES_NO_COLUMNS.items() if f == name), name
            )
            for message in messages:
                row.problem(column, message)
        return {}

    def _form_data(self, row) -> dict:
        """The row as form data: choices by label or value (empty: the model's
        default), numbers in German spelling, „ja“/„nein“."""
        data = {}
        for column, name in FIELD_COLUMNS.items():
            text = row.get(column)
            field = Offer._meta.get_field(name)
            if field.choices:
                value = self.lookup.choice(field.choices, text) if text else field.get_default()
                data[name] = text if value is None else value
            elif isinstance(field, models.DecimalField):
                data[name] = _number(text)
            else:
                data[name] = text
        for column, name in YES_NO_COLUMNS.items():
            text = row.get(column).casefold()
            if text not in YES | NO:
                row.problem(column, _("Bitte „ja“ oder „nein“ angeben."))
            data[name] = text in YES
        return data

    def _repetition(self, row, provider):
        title, provider_name = row.get("Titel").casefold(), row.get("Anbieter:in").casefold()
        if title and (title, provider_name) in self.seen:
            row.problem("Titel", _("Dieses Angebot steht zweimal in der Datei."))
        self.seen.add((title, provider_name))
        if provider is not None and (title, provider.pk) in self.lookup.titles:
            row.problem(
                "Titel", _("Dieses Angebot von „%(name)s“ gibt es schon.") % {"name": provider.name}
            )


def _check_header(header, report) -> dict:
    """Column name → index; a missing required or an unknown column is a problem."""
    header = [str(h).strip() for h in header]
    columns = {name: index for index, name in enumerate(header) if name}
    for name in REQUIRED:
        if name not in columns:
            report.add(1, name, _("Die Pflichtspalte „%(name)s“ fehlt.") % {"name": name})
    for name in columns:
        if name not in REQUIRED and name not in OPTIONAL and name not in IGNORED:
            report.add(1, name, _("Die Spalte „%(name)s“ ist unbekannt.") % {"name": name})
    return columns


def check_rows(header, rows, progress=None) -> Report:
    """Check every row; ``progress(done, total)`` is called every ``PROGRESS_EVERY`` rows
    and at the end."""
    report = Report()
    columns = _check_header(header, report)
    if report.problems:
        return report
    rows = [r for r in rows if any(str(v).strip() for v in r)]
    if not rows:
        report.add(2, "", _("Die Datei enthält keine Angebote."))
        return report
    checker = _RowChecker(columns, report)
    total = len(rows)
    for offset, values in enumerate(rows):
        if progress is not None and offset and offset % PROGRESS_EVERY == 0:
            progress(offset, total)
        checker.check(offset + 2, values)
    report.new_providers = list(checker.new_providers.values())
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

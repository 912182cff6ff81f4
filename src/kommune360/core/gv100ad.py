"""The Destatis Gemeindeverzeichnis (GV100AD): reading the file and importing it.

GV100AD is a fixed-width text file (ISO-8859-1/Windows-1252 in the quarterly
extracts, UTF-8 in some re-packaged copies), one record per line. Positions below are
1-based and inclusive, as in the Destatis "Datensatzbeschreibung":

====== ================================================================
1–2    Satzart: 10 Land, 20 Regierungsbezirk, 30 Region (only Baden-Württemberg),
       40 Kreis, 50 Gemeindeverband, 60 Gemeinde
3–10   Gebietsstand, JJJJMMTT
11–12  Land · 13 Regierungsbezirk · 14–15 Kreis · 16–18 Gemeinde
       (11–18 together: the Amtlicher Gemeindeschlüssel)
19–22  Gemeindeverband (Satzart 50 and 60)
23–72  Name
73–122 Sitz der Verwaltung (Satzart 10–50)
123–124 Textkennzeichen (Satzart 40, 50, 60)
129–139 Fläche in ha · 140–150 Bevölkerung insgesamt · 151–161 männlich (Satzart 60)
166–170 Postleitzahl des Verwaltungssitzes (Satzart 60)
====== ================================================================

Only Kreise (40) and Gemeinden (60) become ``Municipality`` rows; the other record
types are checked and then skipped. Gemeindefreie Gebiete (Textkennzeichen 65, 66) are
no Kommune and are skipped as well.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .audit import log_action
from .cache import invalidate_pages
from .models import Municipality, State

# Sent with ``ids`` when an import changed municipalities in bulk (bulk updates send no
# ``post_save``), so that whatever keeps their names can renew them.
municipalities_changed = Signal()

Kind = Municipality.Kind

LINE_LENGTH = 220
RECORD_TYPES = {"10", "20", "30", "40", "50", "60"}

# Textkennzeichen of Satzart 40 (Kreis).
DISTRICT_KINDS = {
    "41": Kind.KREISFREIE_STADT,
    "42": Kind.KREISFREIE_STADT,  # Stadtkreis (Baden-Württemberg)
    "43": Kind.KREIS,
    "44": Kind.LANDKREIS,
    "45": Kind.REGIONALVERBAND,
}
# Textkennzeichen of Satzart 60 (Gemeinde).
MUNICIPALITY_KINDS = {
    "60": Kind.GEMEINDE,  # Markt
    "61": Kind.KREISFREIE_STADT,
    "62": Kind.KREISFREIE_STADT,  # Stadtkreis
    "63": Kind.STADT,
    "64": Kind.GEMEINDE,  # kreisangehörige Gemeinde
    "67": Kind.STADT,  # Große Kreisstadt
}
UNINCORPORATED = {"65", "66"}  # gemeindefreies Gebiet, bewohnt / unbewohnt
CITY_STATES = {"02", "11"}  # Hamburg, Berlin: Land and Gemeinde at once

FIELDS = ["name", "kind", "state", "district_id", "population", "postal_code", "territorial_status"]


class GV100ADError(ValueError):
    """A line of the file does not fit the format; the message is German."""

    def __init__(self, line_no: int, problem: str):
        self.line_no = line_no
        self.problem = problem
        if line_no:
            problem = _("Zeile %(line)s: %(problem)s") % {"line": line_no, "problem": problem}
        super().__init__(problem)


@dataclass
class Record:
    """A Kreis or a Gemeinde, as read from one line."""

    line_no: int
    record_type: str
    ags: str
    name: str
    kind: str
    state: str
    territorial_status: datetime.date
    population: int | None = None
    postal_code: str = ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    territorial_status: datetime.date | None = None
    dry_run: bool = False
    created_ags: list[str] = field(default_factory=list)

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


def decode(data: bytes, encoding: str = "auto") -> str:
    """The file's text; ``auto`` takes UTF-8 when the bytes are valid UTF-8, else cp1252."""
    if encoding != "auto":
        return data.decode(encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # cp1252 is a superset of ISO-8859-1 for every printable character.
        return data.decode("cp1252", errors="strict")


def _field(line: str, start: int, end: int) -> str:
    return line[start - 1 : end].strip()


def _date(line_no: int, value: str) -> datetime.date:
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError
        return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise GV100ADError(
            line_no, _("Der Gebietsstand »%(value)s« ist kein Datum (JJJJMMTT).") % {"value": value}
        ) from None


def _number(line_no: int, value: str, label: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise GV100ADError(
            line_no,
            _("%(label)s »%(value)s« ist keine Zahl.") % {"label": label, "value": value},
        )
    return int(value)


def _key(line_no: int, value: str, length: int) -> str:
    if len(value) != length or not value.isdigit():
        raise GV100ADError(
            line_no,
            ngettext(
                "Der Schlüssel »%(value)s« hat nicht %(length)s Ziffer.",
                "Der Schlüssel »%(value)s« hat nicht %(length)s Ziffern.",
                length,
            )
            % {"value": value, "length": length},
        )
    if value[:2] not in State.values:
        raise GV100ADError(
            line_no, _("Unbekanntes Land »%(value)s« im Schlüssel.") % {"value": value[:2]}
        )
    return value


def _name(line_no: int, value: str, kind: str) -> str:
    if not value:
        raise GV100ADError(line_no, _("Der Name fehlt."))
    # GV100AD writes "Flensburg, Stadt"; the kind already says it is a city.
    if kind in (Kind.STADT, Kind.KREISFREIE_STADT, Kind.STADTSTAAT) and value.endswith(", Stadt"):
        value = value[: -len(", Stadt")]
    return value


def _text_code(line_no: int, value: str, allowed: Iterable[str], what: str) -> str:
    if value not in allowed:
        raise GV100ADError(
            line_no,
            _("Unbekanntes Textkennzeichen »%(value)s« für %(what)s.")
            % {"value": value, "what": what},
        )
    return value


def _record(line_no, line, ags, kind, status, **extra) -> Record:
    name = _name(line_no, _field(line, 23, 72), kind)
    return Record(line_no, line[:2], ags, name, kind, ags[:2], status, **extra)


def parse_line(line_no: int, raw: str) -> Record | None:
    """One line as a Record, ``None`` for lines that hold no Kreis or Gemeinde."""
    raw = raw.rstrip("\r\n")
    if not raw.strip():
        return None
    line = raw.ljust(LINE_LENGTH)
    record_type = line[:2]
    if record_type not in RECORD_TYPES:
        raise GV100ADError(
            line_no,
            _("Unbekannte Satzart »%(value)s« (erwartet 10, 20, 30, 40, 50 oder 60).")
            % {"value": record_type.strip()},
        )
    status = _date(line_no, line[2:10])
    if record_type == "40":
        ags = _key(line_no, _field(line, 11, 15), 5)
        code = _text_code(line_no, _field(line, 123, 124), DISTRICT_KINDS, _("einen Kreis"))
        return _record(line_no, line, ags, DISTRICT_KINDS[code], status)
    if record_type == "60":
        ags = _key(line_no, _field(line, 11, 18), 8)
        code = _text_code(
            line_no,
            _field(line, 123, 124),
            [*MUNICIPALITY_KINDS, *UNINCORPORATED],
            _("eine Gemeinde"),
        )
        population = _number(line_no, _field(line, 140, 150), _("Die Bevölkerungszahl"))
        postal_code = _field(line, 166, 170)
        if postal_code and (len(postal_code) != 5 or not postal_code.isdigit()):
            raise GV100ADError(
                line_no,
                _("Die Postleitzahl »%(value)s« hat nicht fünf Ziffern.") % {"value": postal_code},
            )
        if code in UNINCORPORATED:
            return None
        kind = MUNICIPALITY_KINDS[code]
        if ags[:2] in CITY_STATES and ags.endswith("000000"):
            kind = Kind.STADTSTAAT
        return _record(
            line_no, line, ags, kind, status, population=population, postal_code=postal_code
        )
    # Land, Regierungsbezirk, Region, Gemeindeverband: checked, not stored.
    if not _field(line, 11, 12).isdigit():
        raise GV100ADError(
            line_no,
            _("Der Schlüssel »%(value)s« ist keine Zahl.") % {"value": _field(line, 11, 22)},
        )
    return None


def parse(text: str) -> tuple[list[Record], int]:
    """Every Kreis and Gemeinde of the file, and the number of other records.

    Raises GV100ADError at the first line that does not fit the format.
    """
    records, skipped = [], 0
    for line_no, raw in enumerate(text.splitlines(), start=1):
        record = parse_line(line_no, raw)
        if record is not None:
            records.append(record)
        elif raw.strip():
            skipped += 1
    return records, skipped


def import_records(
    records: list[Record],
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 500,
    skipped: int = 0,
) -> ImportResult:
    """Create or update one Municipality per record, matched by AGS, in one transaction."""
    result = ImportResult(dry_run=dry_run, skipped=skipped)
    if not records:
        return result
    result.territorial_status = max(r.territorial_status for r in records)
    # Kreise first (in their own batches), so that every Gemeinde finds its Kreis.
    records = sorted(records, key=lambda r: (r.record_type, r.ags))
    district_population: dict[str, int] = {}
    for record in records:
        if record.record_type == "60" and record.population is not None:
            key = record.ags[:5]
            district_population[key] = district_population.get(key, 0) + record.population

    total = len(records)
    touched: list[Municipality] = []
    with transaction.atomic():
        existing = {m.ags: m for m in Municipality.objects.select_for_update()}
        done = 0
        districts = [r for r in records if r.record_type == "40"]
        municipalities = [r for r in records if r.record_type == "60"]
        batches = [
            group[start : start + batch_size]
            for group in (districts, municipalities)
            for start in range(0, len(group), batch_size)
        ]
        for batch in batches:
            new, changed = [], []
            for record in batch:
                district = existing.get(record.ags[:5]) if record.record_type == "60" else None
                population = record.population
                if record.record_type == "40":
                    population = district_population.get(record.ags)
                values = {
                    "name": record.name,
                    "kind": record.kind,
                    "state": record.state,
                    "district_id": district.pk if district else None,
                    "population": population,
                    "postal_code": record.postal_code,
                    "territorial_status": record.territorial_status,
                }
                municipality = existing.get(record.ags)
                if municipality is None:
                    municipality = Municipality(ags=record.ags, **values)
                    new.append(municipality)
                    result.created_ags.append(record.ags)
                elif any(getattr(municipality, k) != v for k, v in values.items()):
                    for name, value in values.items():
                        setattr(municipality, name, value)
                    changed.append(municipality)
                else:
                    result.unchanged += 1
            Municipality.objects.bulk_create(new)
            if changed:
                Municipality.objects.bulk_update(changed, FIELDS)
                invalidate_pages()  # names on public pages; bulk updates send no signal
                municipalities_changed.send(Municipality, ids=[m.pk for m in changed])
            for municipality in new:
                existing[municipality.ags] = municipality
            result.created += len(new)
            result.updated += len(changed)
            touched.extend(new)
            touched.extend(changed)
            done += len(batch)
            if progress:
                progress(done, total)
        if dry_run:
            transaction.set_rollback(True)
        else:
            log_action(
                None,
                "core.gv100ad_imported",
                None,
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
                territorial_status=result.territorial_status.isoformat(),
            )
            _index(touched)
    return result


def _index(municipalities: list[Municipality]) -> None:
    """Put new and changed rows into the site search (bulk writes skip the signals)."""
    from wagtail.search.backends import get_search_backends

    if not municipalities:
        return
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(municipalities), 1000):
            backend.add_bulk(Municipality, municipalities[start : start + 1000])


def import_file(
    path: str | Path,
    *,
    encoding: str = "auto",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read the whole file first (a bad line stops everything), then write it."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise GV100ADError(
            0,
            _("Die Datei %(path)s lässt sich nicht lesen (%(error)s).")
            % {"path": path, "error": error.strerror or error},
        ) from None
    try:
        text = decode(data, encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise GV100ADError(
            0, _("Die Datei ist nicht im erwarteten Zeichensatz: %(error)s") % {"error": error}
        ) from None
    records, skipped = parse(text)
    if not records:
        raise GV100ADError(0, _("Die Datei enthält keine Kreise und keine Gemeinden."))
    return import_records(records, dry_run=dry_run, progress=progress, skipped=skipped)

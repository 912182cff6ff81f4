"""The GV100AD import: a small file in the Destatis fixed-width format, built here."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from kommune360.core.gv100ad import GV100ADError, decode, parse_line
from kommune360.core.models import AuditEntry, Municipality, Person
from tests.factories.core import MunicipalityFactory

STAND = "20250630"


def gv_line(
    record_type,
    key,
    name,
    *,
    code="",
    seat="",
    association="",
    area=None,
    population=None,
    male=None,
    postal_code="",
    stand=STAND,
):
    """One record, positions as in the Destatis Datensatzbeschreibung (220 characters)."""

    def number(value):
        return "" if value is None else str(value).rjust(11, "0")

    line = (
        record_type  # 1–2
        + stand  # 3–10
        + key.ljust(8)  # 11–18
        + association.ljust(4)  # 19–22
        + name.ljust(50)  # 23–72
        + seat.ljust(50)  # 73–122
        + code.ljust(2)  # 123–124
        + " " * 4  # 125–128
        + number(area).rjust(11)  # 129–139
        + number(population).rjust(11)  # 140–150
        + number(male).rjust(11)  # 151–161
        + " " * 4  # 162–165
        + postal_code.ljust(5)  # 166–170
    )
    assert len(line) == 170
    return line.ljust(220)


def sample_lines():
    return [
        gv_line("10", "09", "Bayern", seat="München"),
        gv_line("20", "097", "Schwaben", seat="Augsburg"),
        gv_line("40", "09761", "Augsburg", code="41", seat="Augsburg"),
        gv_line("40", "09772", "Augsburg", code="44", seat="Augsburg"),
        gv_line("50", "09772", "Musterstadt, Stadt", association="0111", code="50"),
        gv_line(
            "60",
            "09761000",
            "Augsburg",
            code="61",
            association="0000",
            area=14686,
            population=301033,
            male=147000,
            postal_code="86150",
        ),
        gv_line(
            "60",
            "09772111",
            "Musterstadt, Stadt",
            code="63",
            association="0111",
            area=2000,
            population=12500,
            male=6100,
            postal_code="86399",
        ),
        gv_line(
            "60",
            "09772112",
            "Übungshausen-Süßbach",
            code="64",
            association="5501",
            area=1500,
            population=2500,
            male=1250,
            postal_code="86400",
        ),
        gv_line("60", "09772451", "Beispielforst (gemfr. Geb.)", code="66", area=900),
        gv_line("30", "0811", "Region Beispielland", seat="Stuttgart"),
        gv_line("40", "08111", "Stuttgart", code="42", seat="Stuttgart"),
        gv_line("40", "11000", "Berlin", code="41", seat="Berlin"),
        gv_line(
            "60", "11000000", "Berlin, Stadt", code="61", population=3755251, postal_code="10178"
        ),
    ]


def write_file(tmp_path, lines, encoding="cp1252", name="GV100AD_30062025.txt"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_gv100ad", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_takes_kreise_and_gemeinden_with_their_details(tmp_path):
    output = run(write_file(tmp_path, sample_lines()))

    assert "8 neu, 0 aktualisiert, 0 unverändert, 5 andere Einträge übersprungen" in output
    assert "Gebietsstand 30.06.2025" in output
    by_ags = {m.ags: m for m in Municipality.objects.all()}
    assert sorted(by_ags) == [
        "08111",
        "09761",
        "09761000",
        "09772",
        "09772111",
        "09772112",
        "11000",
        "11000000",
    ]

    landkreis = by_ags["09772"]
    assert (landkreis.name, landkreis.kind, landkreis.state) == (
        "Augsburg",
        Municipality.Kind.LANDKREIS,
        "09",
    )
    assert landkreis.district is None
    # A Kreis record has no population of its own: the sum of its Gemeinden.
    assert landkreis.population == 12500 + 2500
    assert landkreis.territorial_status == datetime.date(2025, 6, 30)

    town = by_ags["09772111"]
    assert town.name == "Musterstadt"
    assert town.kind == Municipality.Kind.STADT
    assert town.district == landkreis
    assert (town.population, town.postal_code) == (12500, "86399")

    village = by_ags["09772112"]
    assert village.name == "Übungshausen-Süßbach"
    assert village.kind == Municipality.Kind.GEMEINDE

    assert by_ags["09761"].kind == Municipality.Kind.KREISFREIE_STADT
    assert by_ags["09761000"].kind == Municipality.Kind.KREISFREIE_STADT
    assert by_ags["09761000"].district == by_ags["09761"]
    assert by_ags["08111"].kind == Municipality.Kind.KREISFREIE_STADT  # Stadtkreis
    assert by_ags["08111"].state == "08"
    assert by_ags["11000000"].kind == Municipality.Kind.STADTSTAAT
    assert by_ags["11000000"].name == "Berlin"
    # The gemeindefreie Gebiet is no Kommune.
    assert "09772451" not in by_ags
    assert AuditEntry.objects.filter(action="core.gv100ad_imported").count() == 1


@pytest.mark.django_db
def test_imported_municipalities_are_in_the_search(tmp_path):
    run(write_file(tmp_path, sample_lines()))

    from wagtail.search.backends import get_search_backend

    found = list(get_search_backend().search("Übungshausen", Municipality))

    assert [m.ags for m in found] == ["09772112"]


@pytest.mark.django_db
def test_import_twice_changes_nothing_the_second_time(tmp_path):
    path = write_file(tmp_path, sample_lines())
    run(path)
    before = list(Municipality.objects.order_by("ags").values())

    output = run(path)

    assert "0 neu, 0 aktualisiert, 8 unverändert" in output
    assert list(Municipality.objects.order_by("ags").values()) == before


@pytest.mark.django_db
def test_import_updates_existing_rows_by_ags_and_keeps_their_links(tmp_path):
    old = MunicipalityFactory(
        ags="09761000", name="Augsburg (alt)", kind=Municipality.Kind.STADT, state="09"
    )
    person = Person.objects.create(name="Beispiel Person", municipality=old)
    lines = sample_lines()
    path = write_file(tmp_path, lines)

    output = run(path)

    assert "7 neu, 1 aktualisiert, 0 unverändert" in output
    old.refresh_from_db()
    assert old.name == "Augsburg"
    assert old.kind == Municipality.Kind.KREISFREIE_STADT
    assert old.population == 301033
    person.refresh_from_db()
    assert person.municipality_id == old.pk
    assert Municipality.objects.filter(ags="09761000").count() == 1


@pytest.mark.django_db
def test_a_changed_population_in_a_newer_file_is_updated(tmp_path):
    run(write_file(tmp_path, sample_lines()))
    lines = [
        line.replace(STAND, "20251231").replace("00000012500", "00000012800")
        for line in sample_lines()
    ]

    output = run(write_file(tmp_path, lines, name="GV100AD_31122025.txt"))

    town = Municipality.objects.get(ags="09772111")
    assert town.population == 12800
    assert town.territorial_status == datetime.date(2025, 12, 31)
    assert Municipality.objects.get(ags="09772").population == 12800 + 2500
    assert "0 neu, 8 aktualisiert" in output


@pytest.mark.django_db
def test_a_broken_line_stops_the_import_and_writes_nothing(tmp_path):
    existing = MunicipalityFactory(ags="09772", name="Augsburg (alt)")
    lines = sample_lines()
    # Line 8: the population column holds letters.
    lines[7] = lines[7][:139] + "zwölftausnd" + lines[7][150:]
    path = write_file(tmp_path, lines)

    with pytest.raises(CommandError) as error:
        run(path)

    message = str(error.value)
    assert "Zeile 8" in message
    assert "Die Bevölkerungszahl »zwölftausnd« ist keine Zahl." in message
    assert "nichts wurde gespeichert" in message
    assert list(Municipality.objects.values_list("ags", flat=True)) == ["09772"]
    existing.refresh_from_db()
    assert existing.name == "Augsburg (alt)"
    assert not AuditEntry.objects.filter(action="core.gv100ad_imported").exists()


@pytest.mark.django_db
def test_a_line_of_another_format_names_the_line(tmp_path):
    lines = [*sample_lines()[:3], "AGS;Name;Einwohner", *sample_lines()[3:]]

    with pytest.raises(CommandError, match=r"Zeile 4: Unbekannte Satzart »AG«"):
        run(write_file(tmp_path, lines))
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_dry_run_counts_but_saves_nothing(tmp_path):
    output = run(write_file(tmp_path, sample_lines()), "--dry-run")

    assert "Probelauf (nichts gespeichert): 8 neu" in output
    assert not Municipality.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_progress_is_reported(tmp_path):
    output = run(write_file(tmp_path, sample_lines()))

    assert "8 von 8 Kreisen und Gemeinden verarbeitet" in output


@pytest.mark.django_db
def test_a_utf8_file_is_read_as_well(tmp_path):
    run(write_file(tmp_path, sample_lines(), encoding="utf-8"))

    assert Municipality.objects.get(ags="09772112").name == "Übungshausen-Süßbach"


@pytest.mark.django_db
def test_a_missing_file_gives_a_german_error(tmp_path):
    with pytest.raises(CommandError, match="lässt sich nicht lesen"):
        run(tmp_path / "fehlt.txt")


@pytest.mark.django_db
def test_a_file_without_kreise_and_gemeinden_is_refused(tmp_path):
    with pytest.raises(CommandError, match="enthält keine Kreise und keine Gemeinden"):
        run(write_file(tmp_path, sample_lines()[:2]))


def test_cp1252_and_utf8_are_told_apart():
    assert decode("Süßbach".encode("cp1252")) == "Süßbach"
    assert decode("Süßbach".encode()) == "Süßbach"
    assert decode(b"\xef\xbb\xbf" + "Süßbach".encode()) == "Süßbach"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            gv_line("60", "0977211", "Kurz", code="64"),
            "Der Schlüssel »0977211« hat nicht 8 Ziffern.",
        ),
        (gv_line("60", "99772111", "Nirgendwo", code="64"), "Unbekanntes Land »99«"),
        (gv_line("60", "09772111", "", code="64"), "Der Name fehlt."),
        (
            gv_line("60", "09772111", "Musterstadt", code="44"),
            "Unbekanntes Textkennzeichen »44« für eine Gemeinde.",
        ),
        (
            gv_line("40", "09772", "Augsburg", code="61"),
            "Unbekanntes Textkennzeichen »61« für einen Kreis.",
        ),
        (
            gv_line("60", "09772111", "Musterstadt", code="63", stand="20251332"),
            "Der Gebietsstand »20251332« ist kein Datum (JJJJMMTT).",
        ),
        (
            gv_line("60", "09772111", "Musterstadt", code="63", postal_code="8639"),
            "Die Postleitzahl »8639« hat nicht fünf Ziffern.",
        ),
        ("70" + STAND, "Unbekannte Satzart »70«"),
    ],
)
def test_bad_lines_are_named_with_the_problem(line, problem):
    with pytest.raises(GV100ADError) as error:
        parse_line(12, line)

    assert error.value.line_no == 12
    assert str(error.value).startswith("Zeile 12: ")
    assert problem in str(error.value)


def test_a_line_cut_after_the_population_still_parses():
    line = gv_line("60", "09772111", "Musterstadt, Stadt", code="63", population=12500)
    record = parse_line(1, line[:150])

    assert (record.ags, record.name, record.population, record.postal_code) == (
        "09772111",
        "Musterstadt",
        12500,
        "",
    )

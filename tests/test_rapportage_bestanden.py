"""The jaarverslag as files: CSV, the zip of CSVs and the XLSX parse back to the same figures."""

import csv
import io
import zipfile
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from rapportage_voorbeeld import JAREN, voorbeeld

from leerplicht.rapportage.bestanden import (
    als_csv,
    als_xlsx,
    als_zip,
    bestandsnaam,
    bladnaam,
    bladnamen,
)
from leerplicht.rapportage.tabel import Cel, Groep, Rij, Soort, Tabel


def lees_csv(tekst: str) -> list[list[str]]:
    """Parse CSV text as a spreadsheet would: BOM first, ';' between fields."""
    assert tekst.startswith("\ufeff")
    return list(csv.reader(io.StringIO(tekst[1:]), delimiter=";"))


def als_getal(veld: str):
    """A CSV field back to a number where it is one (int before float), else the text."""
    for soort in (int, float):
        try:
            return soort(veld)
        except ValueError:
            pass
    return veld


def verwacht(tabel: Tabel) -> list[list]:
    """What every row of a table must hold in a spreadsheet: label, group, cells, change."""
    return [
        [rij.label, groep.label, *(c.spreadsheetwaarde for c in rij.cellen),
         rij.verschil.spreadsheetwaarde]
        for groep in tabel.groepen for rij in groep.rijen
    ]


def als_in_xlsx(rij: list) -> list:
    """A row as the XLSX holds it: floats to 16 significant digits, as openpyxl writes them
    (Excel itself keeps 15), so they compare with pytest.approx; everything else exactly."""
    return [pytest.approx(w, rel=1e-15) if isinstance(w, float) else w for w in rij]


def xlsx(verslag):
    """The workbook of a report, loaded back."""
    return load_workbook(io.BytesIO(als_xlsx(verslag)))


def blad_rijen(blad) -> list[list]:
    """The data rows of a table sheet (under the header in row 3), as values."""
    return [list(r) for r in blad.iter_rows(min_row=4, values_only=True)]


# --- CSV ------------------------------------------------------------------------------------


def test_csv_of_a_share_table_reads_back_as_numbers():
    """Header row, shares as fractions with a dot, change in procentpunten, missing year text."""
    rijen = lees_csv(als_csv(voorbeeld().tabel("termijnen-sector")))
    assert rijen == [
        ["Sector", "groep", "2023-2024", "2024-2025", "2025-2026", "verschil"],
        ["Primair onderwijs", "", "geen gegevens", "0.75", "0.875", "13"],
        ["Voortgezet onderwijs", "", "geen gegevens", "0.9", "0.8", "-10"],
    ]


@pytest.mark.parametrize("sleutel", [t.sleutel for t in voorbeeld().tabellen])
def test_every_csv_cell_is_the_cells_spreadsheet_value(sleutel):
    """Per table, every field parsed back equals spreadsheetwaarde (numbers as numbers)."""
    tabel = voorbeeld().tabel(sleutel)
    kop, *rijen = lees_csv(als_csv(tabel))
    assert kop == [tabel.kolomkop, "groep", *JAREN, "verschil"]
    assert [[als_getal(v) for v in rij] for rij in rijen] == verwacht(tabel)


def test_csv_keeps_hidden_missing_and_nothing_to_judge_as_text():
    """'< 5', 'geen gegevens' and '—' come through as the page shows them."""
    verslag = voorbeeld()
    school = lees_csv(als_csv(verslag.tabel("meldingen-school")))
    assert school[1] == ["Basisschool De Linde (00AA00)", "Primair onderwijs", "geen gegevens",
                         "12", "< 5", "—"]
    assert school[2][-1] == "12"
    mediaan = lees_csv(als_csv(verslag.tabel("mediaan-sector")))
    assert mediaan[2] == ["Voortgezet onderwijs", "", "geen gegevens", "—", "5", "—"]
    scores = lees_csv(als_csv(verslag.tabel("scores-sector")))
    assert scores[1][3:] == ["3.5", "3.8333", "0.3"]


def test_csv_is_utf8_with_bom_and_semicolons():
    """Bytes as Dutch Excel expects them: BOM, ';', CRLF line ends."""
    data = als_csv(voorbeeld().tabel("termijnen-sector")).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbfSector;groep;2023-2024;")
    assert data.count(b"\r\n") == 3


def _tabel_met(label: str, groep: str = "") -> Tabel:
    """A one-row table with a user-supplied label."""
    return Tabel("t", "Titel", JAREN, [Groep(groep, [Rij("r", label, [Cel(1), Cel(-2),
                                                                       Cel(-3)])])])


@pytest.mark.parametrize("naam", ["=HYPERLINK(\"http://x\")", "+31 school", "-1+1", "@SUM(A1)",
                                  "\t=1"])
def test_csv_guards_against_formula_injection(naam):
    """Text starting with = + - @ gets an apostrophe; negative numbers stay numbers."""
    rijen = lees_csv(als_csv(_tabel_met(naam, groep=naam)))
    assert rijen[1][0] == "'" + naam
    assert rijen[1][1] == "'" + naam
    assert rijen[1][2:] == ["1", "-2", "-3", "-1"]


def test_csv_leaves_ordinary_names_alone():
    """No apostrophe where none is needed (a hyphen inside a name is fine)."""
    rijen = lees_csv(als_csv(_tabel_met("Sint-Jan; \"de\" school")))
    assert rijen[1][0] == "Sint-Jan; \"de\" school"


def test_csv_without_column_head_gets_a_neutral_one():
    """An empty kolomkop still gives a named first column."""
    assert lees_csv(als_csv(_tabel_met("x")))[0][0] == "Onderdeel"


# --- zip ------------------------------------------------------------------------------------


def test_zip_holds_one_csv_per_table_sorted_and_deterministic():
    """Every table as <sleutel>.csv, sorted, fixed times: the same report, the same bytes."""
    verslag = voorbeeld()
    data = als_zip(verslag)
    archief = zipfile.ZipFile(io.BytesIO(data))
    namen = archief.namelist()
    assert namen == sorted(f"{t.sleutel}.csv" for t in verslag.tabellen)
    assert len(namen) == 5
    for tabel in verslag.tabellen:
        assert archief.read(f"{tabel.sleutel}.csv").decode("utf-8") == als_csv(tabel)
    assert {info.date_time for info in archief.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert als_zip(voorbeeld()) == data


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_has_a_summary_then_one_sheet_per_table_then_the_lists():
    """Sheet order and names; the full title in A1 of each table sheet."""
    verslag = voorbeeld()
    boek = xlsx(verslag)
    assert boek.sheetnames == ["Samenvatting", "termijnen-sector", "mediaan-sector",
                               "meldingen-school", "afsprakenlijst-school", "scores-sector",
                               "Lijsten"]
    for tabel in verslag.tabellen:
        assert boek[tabel.sleutel]["A1"].value == tabel.titel


def test_xlsx_summary_sheet():
    """Title, schooljaar, sector, peildatum, norms version and every summary sentence."""
    verslag = voorbeeld()
    waarden = [c for r in xlsx(verslag)["Samenvatting"].iter_rows(values_only=True) for c in r]
    assert waarden[0] == verslag.titel
    for verwacht_ in ("2025-2026", "alle sectoren", "2026-07-31", "1"):
        assert verwacht_ in waarden
    for zin in verslag.samenvatting:
        assert zin.tekst in waarden


@pytest.mark.parametrize("sleutel", [t.sleutel for t in voorbeeld().tabellen])
def test_every_xlsx_cell_is_the_cells_spreadsheet_value(sleutel):
    """Every row read back equals the table (numbers as numbers, text as text)."""
    tabel = voorbeeld().tabel(sleutel)
    blad = xlsx(voorbeeld())[sleutel]
    assert [c.value for c in blad[3]] == [tabel.kolomkop, "groep", *JAREN, "verschil"]
    terug = [[v if v is not None else "" for v in rij] for rij in blad_rijen(blad)]
    assert terug == verwacht(tabel)


def test_xlsx_numbers_are_numbers_with_formats():
    """Shares '0%', counts '0', scores '0.0'; hidden and missing cells are text; header frozen."""
    boek = xlsx(voorbeeld())
    termijnen = boek["termijnen-sector"]
    assert termijnen["D4"].value == 0.75 and termijnen["D4"].number_format == "0%"
    assert termijnen["E4"].value == 0.875 and isinstance(termijnen["E4"].value, float)
    assert termijnen["F4"].value == 13 and isinstance(termijnen["F4"].value, int)
    assert "procentpunt" in termijnen["F4"].number_format
    assert termijnen["F5"].value == -10
    assert termijnen["C4"].value == "geen gegevens" and termijnen["C4"].data_type == "s"
    assert termijnen.freeze_panes == "A4"
    school = boek["meldingen-school"]
    assert school["D4"].value == 12 and school["D4"].number_format == "0"
    assert school["E4"].value == "< 5" and school["E4"].data_type == "s"
    assert school["F5"].value == 12
    scores = boek["scores-sector"]
    assert scores["E4"].number_format == "0.0" and isinstance(scores["E4"].value, float)
    assert scores["F4"].value == pytest.approx(0.3)
    assert "Geen gegevens in de app voor 2023-2024." in boek["mediaan-sector"]["A2"].value


def test_xlsx_column_widths_follow_the_text():
    """The label column is wide enough for the longest school name."""
    blad = xlsx(voorbeeld())["meldingen-school"]
    assert blad.column_dimensions["A"].width >= len("Basisschool De Linde (00AA00)")


def test_xlsx_lists_are_text_on_their_own_sheet():
    """Decisions, measures with their periods, and the text for an empty list."""
    waarden = [c for r in xlsx(voorbeeld())["Lijsten"].iter_rows(values_only=True) for c in r]
    for tekst in ("Besluiten Klankbordgroep VO", "De termijn voor vragen wordt 4 werkdagen.",
                  "Maatregel 1: vaste spreekuren", "Periode 1", "Gestart op drie scholen.",
                  "De Klankbordgroep PO nam dit schooljaar geen besluiten."):
        assert tekst in waarden


def test_xlsx_stores_formula_like_names_as_text():
    """A school name starting with '=' is a text cell, never a formula."""
    verslag = voorbeeld()
    tabel = _tabel_met("=1+1")
    verslag.hoofdstukken[0].tabellen.append(tabel)
    cel = xlsx(verslag)["t"]["A4"]
    assert cel.value == "=1+1" and cel.data_type == "s"


def test_xlsx_survives_control_characters_in_user_text():
    """Characters XML cannot hold are dropped instead of failing the download."""
    verslag = voorbeeld()
    verslag.hoofdstukken[0].tabellen.append(_tabel_met("School\x01 A"))
    assert xlsx(verslag)["t"]["A4"].value == "School A"


@pytest.mark.parametrize("naam, gebruikt, verwacht_", [
    ("termijnen-sector", set(), "termijnen-sector"),
    ("a[b]c:d*e?f/g\\h", set(), "a_b_c_d_e_f_g_h"),
    ("x" * 40, set(), "x" * 31),
    ("x" * 40, {"x" * 31}, "x" * 29 + "~2"),
    ("Samenvatting", {"samenvatting"}, "Samenvatting~2"),
    ("'quote'", set(), "quote"),
])
def test_sheet_names_are_valid_and_unique(naam, gebruikt, verwacht_):
    """At most 31 characters, none of []:*?/\\, unique regardless of case."""
    assert bladnaam(naam, set(gebruikt)) == verwacht_


def test_long_similar_table_keys_get_distinct_sheets():
    """Two keys equal in their first 31 characters still give two sheets."""
    verslag = voorbeeld()
    lang = "termijnen-per-school-binnen-de-norm"
    verslag.hoofdstukken[0].tabellen += [replace(_tabel_met("a"), sleutel=lang + "-po"),
                                         replace(_tabel_met("b"), sleutel=lang + "-vo")]
    namen = bladnamen(verslag)
    assert len(set(namen.values())) == len(verslag.tabellen)
    assert all(len(n) <= 31 for n in namen.values())
    boek = xlsx(verslag)
    assert boek[namen[lang + "-vo"]]["A4"].value == "b"


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sector, extensie, verwacht_", [
    ("", "xlsx", "jaarverslag-2025-2026-alle.xlsx"),
    ("VO", "xlsx", "jaarverslag-2025-2026-vo.xlsx"),
    ("MBO", ".zip", "jaarverslag-2025-2026-mbo.zip"),
    ("PO", "pdf", "jaarverslag-2025-2026-po.pdf"),
    ("Ö/../x", "csv", "jaarverslag-2025-2026-x.csv"),
])
def test_file_names(sector, extensie, verwacht_):
    """Sector lowercased, 'alle' without one, ASCII only, nothing that leaves the folder."""
    naam = bestandsnaam(replace(voorbeeld(), sector=sector), extensie)
    assert naam == verwacht_
    assert naam.isascii()


# --- the real report over the demo world ----------------------------------------------------


@pytest.fixture
def demo_verslag(app):
    """The demo world's report for the current schooljaar (when the builder exists)."""
    jaarverslag = pytest.importorskip("leerplicht.rapportage.jaarverslag")
    from leerplicht.demo import vul_demo
    from leerplicht.schooljaren import huidig_schooljaar

    with app.app_context():
        vul_demo(12)
        return jaarverslag.bouw_jaarverslag(huidig_schooljaar())


def test_demo_report_round_trips_through_csv_and_xlsx(demo_verslag):
    """Every Cel of the real report comes back from the CSV and the XLSX as its value."""
    boek = load_workbook(io.BytesIO(als_xlsx(demo_verslag)))
    namen = bladnamen(demo_verslag)
    archief = zipfile.ZipFile(io.BytesIO(als_zip(demo_verslag)))
    assert demo_verslag.tabellen
    for tabel in demo_verslag.tabellen:
        rijen = lees_csv(archief.read(f"{tabel.sleutel}.csv").decode("utf-8"))[1:]
        assert [[als_getal(v) for v in rij] for rij in rijen] == verwacht(tabel), tabel.sleutel
        terug = [[v if v is not None else "" for v in rij]
                 for rij in blad_rijen(boek[namen[tabel.sleutel]])]
        assert terug == [als_in_xlsx(r) for r in verwacht(tabel)], tabel.sleutel
        for rij, waarden in zip(tabel.rijen, terug, strict=True):
            for cel, waarde in zip(rij.cellen, waarden[2:], strict=False):
                getal = cel.getoond and cel.soort is not Soort.TEKST
                assert isinstance(waarde, int | float) == getal, (tabel.sleutel, waarde)

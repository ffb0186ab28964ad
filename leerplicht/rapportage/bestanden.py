"""The jaarverslag as files: one table as CSV, every table as CSV in a zip, the whole as XLSX.

CSV: separator ";", UTF-8 with a byte order mark (so Dutch Excel reads the accents), one header
row: the table's column head, "groep" (the group label, e.g. the sector), one column per
schooljaar (oldest first) and "verschil" (the report's year minus the year before). Figures are
written as numbers with a dot as decimal separator: counts as 12, shares as fractions 0–1
(0.875 is 87.5%), scores and durations as they are. The change of a share is in procentpunten
(13 means 13 percentage points), of a score on one decimal. Cells without a figure are text:
"< 5" (a small number hidden), "geen gegevens" (no data for that year), "—" (nothing to judge).

XLSX: a sheet "Samenvatting", one sheet per table (named after the table's key, the full title
in A1), and a sheet "Lijsten" with the decisions, measures and other lists as text. Figures are
numbers with a number format (shares '0%', scores '0.0', counts '0'), stored with 16
significant digits (openpyxl's precision; Excel itself computes with 15).

Text that comes from users (school names) may start with = + - @: in the CSV it gets a leading
apostrophe so a spreadsheet never runs it as a formula; in the XLSX it is stored as text.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING

# openpyxl is imported where the XLSX is made: importing it costs ~0.15 s of every start of
# the app and the CLI, and only the XLSX download needs it.
if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

from .tabel import Jaarverslag, Soort, Tabel

BOM = "\ufeff"
# Characters a spreadsheet may read as the start of a formula (OWASP's list).
FORMULETEKENS = ("=", "+", "-", "@", "\t", "\r")
# Every zip entry gets this time, so the same report gives the same bytes.
ZIPTIJD = (1980, 1, 1, 0, 0, 0)
MAX_BLADNAAM = 31
VERBODEN_IN_BLADNAAM = re.compile(r"[\[\]:*?/\\]")
SAMENVATTING = "Samenvatting"
LIJSTEN = "Lijsten"
# Number formats per kind of figure, and for its change (a number too, with its sign).
FORMAAT = {
    Soort.AANTAL: "0",
    Soort.AANDEEL: "0%",
    Soort.WERKDAGEN: "0",
    Soort.DAGEN: "0",
    Soort.SCORE: "0.0",
}
VERSCHILFORMAAT = {
    Soort.AANDEEL: '+0" procentpunt";-0" procentpunt";0" procentpunt"',
    Soort.SCORE: "+0.0;-0.0;0.0",
}
STANDAARD_VERSCHILFORMAAT = "+0;-0;0"
MAX_BREEDTE = 60


def _kolomkop(tabel: Tabel) -> str:
    """The head of the label column; tables without one get a neutral word."""
    return tabel.kolomkop or "Onderdeel"


def kop(tabel: Tabel) -> list[str]:
    """The header row shared by the CSV and the table's sheet."""
    return [_kolomkop(tabel), "groep", *tabel.jaren, "verschil"]


def rijen(tabel: Tabel) -> list[list]:
    """Every row as spreadsheet values: label, group, one value per year, the change."""
    return [
        [rij.label, groep.label, *(cel.spreadsheetwaarde for cel in rij.cellen),
         rij.verschil.spreadsheetwaarde]
        for groep in tabel.groepen
        for rij in groep.rijen
    ]


def veilige_tekst(tekst: str) -> str:
    """Text a spreadsheet will not run as a formula: a leading apostrophe where it could."""
    return f"'{tekst}" if tekst.startswith(FORMULETEKENS) else tekst


def _csv_waarde(waarde) -> str | int | float:
    """A CSV field: numbers as they are (dot decimal), text guarded against formulas."""
    if waarde is None:
        return ""
    if isinstance(waarde, bool) or not isinstance(waarde, int | float):
        return veilige_tekst(str(waarde))
    return waarde


def als_csv(tabel: Tabel) -> str:
    """One table as CSV text (starting with the BOM), see the module docstring."""
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    schrijver.writerow([veilige_tekst(k) for k in kop(tabel)])
    for rij in rijen(tabel):
        schrijver.writerow([_csv_waarde(w) for w in rij])
    return BOM + uit.getvalue()


def _csv_naam(tabel: Tabel) -> str:
    """The file name of a table's CSV: its key, made safe for every file system."""
    return f"{re.sub(r'[^A-Za-z0-9._-]', '_', tabel.sleutel)}.csv"


def als_zip(verslag: Jaarverslag) -> bytes:
    """Every table's CSV as `<sleutel>.csv` in one zip; the same report gives the same bytes."""
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as archief:
        for naam, tabel in sorted((_csv_naam(t), t) for t in verslag.tabellen):
            info = zipfile.ZipInfo(naam, date_time=ZIPTIJD)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archief.writestr(info, als_csv(tabel).encode("utf-8"))
    return uit.getvalue()


def bladnaam(naam: str, gebruikt: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, unique (any case)."""
    basis = VERBODEN_IN_BLADNAAM.sub("_", naam).strip("'").strip() or "Tabel"
    kandidaat = basis[:MAX_BLADNAAM]
    nummer = 2
    while kandidaat.casefold() in gebruikt:
        achtervoegsel = f"~{nummer}"
        kandidaat = basis[:MAX_BLADNAAM - len(achtervoegsel)] + achtervoegsel
        nummer += 1
    gebruikt.add(kandidaat.casefold())
    return kandidaat


def _tekst(waarde: str) -> str:
    """Text openpyxl can store: control characters (illegal in XML) removed."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", waarde)


def _zet(blad: Worksheet, rij: int, kolom: int, waarde, formaat: str | None = None):
    """Write one cell: text always as text (never a formula), numbers with their format."""
    cel = blad.cell(row=rij, column=kolom)
    if isinstance(waarde, int | float) and not isinstance(waarde, bool):
        cel.value = waarde
        if formaat:
            cel.number_format = formaat
    elif waarde is not None:
        cel.value = _tekst(str(waarde))
        cel.data_type = "s"  # openpyxl reads a leading '=' as a formula otherwise
    return cel


def _breedtes(blad: Worksheet, vanaf_rij: int, minimum: int = 8) -> None:
    """Column widths from the longest text in each column (from a row on), within bounds."""
    from openpyxl.utils import get_column_letter

    breedtes: dict[int, int] = {}
    for rij in blad.iter_rows(min_row=vanaf_rij):
        for cel in rij:
            if cel.value is not None:
                lengte = len(str(cel.value)) if isinstance(cel.value, str) else 8
                breedtes[cel.column] = max(breedtes.get(cel.column, minimum), lengte + 2)
    for kolom, breedte in breedtes.items():
        blad.column_dimensions[get_column_letter(kolom)].width = min(breedte, MAX_BREEDTE)


def _samenvatting(blad: Worksheet, verslag: Jaarverslag, namen: dict[str, str]) -> None:
    """The first sheet: what the report is about, its summary sentences, and its tables."""
    from openpyxl.styles import Alignment, Font

    _zet(blad, 1, 1, verslag.titel).font = Font(bold=True, size=14)
    gegevens = [
        ("Schooljaar", verslag.schooljaar),
        ("Sector", verslag.sectornaam),
        ("Peildatum", verslag.peildatum),
        ("Versie werkafspraken", verslag.normversie),
        ("Aantal scholen", verslag.scholen),
        ("Kleine aantallen verborgen onder", verslag.drempel),
    ]
    rij = 3
    for label, waarde in gegevens:
        _zet(blad, rij, 1, label).font = Font(bold=True)
        _zet(blad, rij, 2, waarde, "0").alignment = Alignment(horizontal="left")
        rij += 1
    rij += 1
    _zet(blad, rij, 1, "Samenvatting").font = Font(bold=True, size=12)
    for zin in verslag.samenvatting:
        rij += 1
        _zet(blad, rij, 1, zin.tekst)
        _zet(blad, rij, 2, namen.get(zin.tabel, ""))
    rij += 2
    _zet(blad, rij, 1, "Tabellen").font = Font(bold=True, size=12)
    for tabel in verslag.tabellen:
        rij += 1
        _zet(blad, rij, 1, tabel.titel)
        _zet(blad, rij, 2, namen[tabel.sleutel])
    blad.column_dimensions["A"].width = 100
    blad.column_dimensions["B"].width = 34
    for cellen in blad.iter_rows(min_row=2, max_col=1):
        cellen[0].alignment = Alignment(wrap_text=True, vertical="top")


def _tabelblad(blad: Worksheet, tabel: Tabel) -> None:
    """One table: the full title in A1, its explanation, the header (frozen), the rows."""
    from openpyxl.styles import Font

    _zet(blad, 1, 1, tabel.titel).font = Font(bold=True, size=12)
    uitleg = [tabel.toelichting] if tabel.toelichting else []
    if tabel.jaren_zonder_gegevens:
        uitleg.append("Geen gegevens in de app voor " + ", ".join(tabel.jaren_zonder_gegevens)
                      + ".")
    _zet(blad, 2, 1, " ".join(uitleg) or None)
    koprij = 3
    for kolom, tekst in enumerate(kop(tabel), start=1):
        _zet(blad, koprij, kolom, tekst).font = Font(bold=True)
    jaar_kolom = 3
    rijnummer = koprij
    for groep in tabel.groepen:
        for rij in groep.rijen:
            rijnummer += 1
            _zet(blad, rijnummer, 1, rij.label)
            _zet(blad, rijnummer, 2, groep.label or None)
            for i, cel in enumerate(rij.cellen):
                _zet(blad, rijnummer, jaar_kolom + i, cel.spreadsheetwaarde,
                     FORMAAT.get(cel.soort))
            verschil = rij.verschil
            _zet(blad, rijnummer, jaar_kolom + len(rij.cellen), verschil.spreadsheetwaarde,
                 VERSCHILFORMAAT.get(verschil.soort, STANDAARD_VERSCHILFORMAAT))
    blad.freeze_panes = blad.cell(row=koprij + 1, column=1)
    _breedtes(blad, koprij)


def _lijstenblad(blad: Worksheet, verslag: Jaarverslag) -> None:
    """Every list of the report as text: title, then per entry its head, text and details."""
    from openpyxl.styles import Alignment, Font

    rij = 0
    for hoofdstuk in verslag.hoofdstukken:
        for lijst in hoofdstuk.lijsten:
            rij += 1
            _zet(blad, rij, 1, lijst.titel).font = Font(bold=True, size=12)
            if not lijst.items:
                rij += 1
                _zet(blad, rij, 1, lijst.leeg)
            for item in lijst.items:
                rij += 1
                _zet(blad, rij, 1, item.kop).font = Font(bold=True)
                _zet(blad, rij, 2, item.tekst or None)
                for label, tekst in item.details:
                    rij += 1
                    _zet(blad, rij, 1, label)
                    _zet(blad, rij, 2, tekst)
            rij += 1
    blad.column_dimensions["A"].width = 40
    blad.column_dimensions["B"].width = 90
    for cellen in blad.iter_rows(max_col=2):
        for cel in cellen:
            cel.alignment = Alignment(wrap_text=True, vertical="top")


def bladnamen(verslag: Jaarverslag) -> dict[str, str]:
    """The sheet name of every table (by table key), unique next to the fixed sheets."""
    gebruikt = {SAMENVATTING.casefold(), LIJSTEN.casefold()}
    return {t.sleutel: bladnaam(t.sleutel, gebruikt) for t in verslag.tabellen}


def als_xlsx(verslag: Jaarverslag) -> bytes:
    """The whole report as an XLSX workbook (see the module docstring)."""
    from openpyxl import Workbook

    boek = Workbook()
    moment = datetime(2000, 1, 1)  # fixed, so equal reports give (nearly) equal files
    boek.properties.creator = "Leerplicht samenwerking"
    boek.properties.title = verslag.titel
    boek.properties.created = moment
    namen = bladnamen(verslag)
    _samenvatting(boek.active, verslag, namen)
    boek.active.title = SAMENVATTING
    for tabel in verslag.tabellen:
        _tabelblad(boek.create_sheet(namen[tabel.sleutel]), tabel)
    if any(h.lijsten for h in verslag.hoofdstukken):
        _lijstenblad(boek.create_sheet(LIJSTEN), verslag)
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def bestandsnaam(verslag: Jaarverslag, extensie: str) -> str:
    """The download's file name, ASCII only: 'jaarverslag-2025-2026-vo.xlsx' ('alle': no sector)."""
    sector = verslag.sector.lower() or "alle"
    naam = f"jaarverslag-{verslag.schooljaar}-{sector}"
    naam = re.sub(r"[^a-z0-9]+", "-", naam.lower()).strip("-")
    extensie = re.sub(r"[^a-z0-9]", "", extensie.lower())
    return f"{naam}.{extensie}"

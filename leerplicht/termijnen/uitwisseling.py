"""Import and export of the registers: reading CSV/XLSX, checking rows, writing files.

Plain functions without a request. An import checks every row on its own: a bad row imports
nothing of itself and is reported as "regel N: reden" (N is the line in the file, the header
is line 1); the good rows go in together in one transaction. A reference a school already has
is skipped ("al aanwezig"), so importing the same file twice adds nothing.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from wtforms.validators import ValidationError

from ..accounts.models import Rol
from ..audit import Auditregel
from ..extensions import db
from ..models_base import utcnow
from ..normenbron import normen_voor
from ..policy import is_llz_editor_clause
from ..regelfout import Regelfout
from ..scholen.models import School
from ..schooljaren import Schooljaar, alle_schooljaren
from ..text import geen_bsn
from .kalender import kalender
from .models import Meldingstatus, Oordeel, Verzuimmelding
from .opslag import REGISTERS, schooljaar_voor
from .regels import (
    controleer_melding,
    herbereken_melding,
    niet_verzonden,
    stand_op,
)

# The columns of a meldingen file, in the order of the template and the export.
KOLOMMEN = ("schoolcode", "referentie", "ontvangen_op", "status", "compleet",
            "ontbrekende_elementen", "toelichting", "teruggemeld_op", "aangevuld_op",
            "gereageerd_op")
VERPLICHT = ("schoolcode", "referentie", "ontvangen_op")
DATUMKOLOMMEN = ("ontvangen_op", "teruggemeld_op", "aangevuld_op", "gereageerd_op")
MAX_FOUTEN_IN_KOP = 5
FORMATEN = ("csv", "xlsx")
XLSX_DATUMFORMAAT = "DD-MM-YYYY"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): the
# export puts an apostrophe before it, the import takes that apostrophe off again.
FORMULETEKENS = ("=", "+", "-", "@", "\t", "\r")

DATUM_NL = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
DATUM_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]00:00(?::00)?)?")


class Importfout(Exception):
    """The file as a whole cannot be read (format, encoding, a missing column)."""


@dataclass
class Importverslag:
    """What an import did: rows added, rows already present, rows refused with the reason."""

    bestandsnaam: str = ""
    toegevoegd: int = 0
    al_aanwezig: int = 0
    fouten: list[tuple[int, str]] = field(default_factory=list)
    bestandsfout: str | None = None

    @property
    def geweigerd(self) -> int:
        """How many rows were refused."""
        return len(self.fouten)

    @property
    def gelukt(self) -> bool:
        """True when the file was read and no row was refused."""
        return self.bestandsfout is None and not self.fouten

    def regels(self) -> list[str]:
        """The report as lines of text (the CLI prints them)."""
        if self.bestandsfout:
            return [f"{self.bestandsnaam}: {self.bestandsfout}"]
        lijst = [f"Toegevoegd: {self.toegevoegd}", f"Al aanwezig: {self.al_aanwezig}",
                 f"Geweigerd: {self.geweigerd}"]
        lijst += [f"regel {nummer}: {reden}" for nummer, reden in self.fouten]
        return lijst


# --- reading files -----------------------------------------------------------------------------

def _formaat(bestandsnaam: str) -> str:
    """csv or xlsx from the file name; Importfout otherwise."""
    extensie = Path(bestandsnaam or "").suffix.lower().lstrip(".")
    if extensie not in FORMATEN:
        raise Importfout("Kies een CSV- of Excel-bestand (.csv of .xlsx).")
    return extensie


def _csv_rijen(data: bytes) -> Iterator[tuple[int, list]]:
    """(line number, cells) of a CSV file in UTF-8 (with or without BOM), ; or , separated."""
    try:
        tekst = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Importfout("Het bestand is geen UTF-8-tekst. Sla het in Excel op als "
                         "'CSV UTF-8 (door komma's gescheiden)'.") from None
    if "\x00" in tekst:
        raise Importfout("Het bestand bevat een ongeldig teken (NUL).")
    eerste = tekst.split("\n", 1)[0]
    scheiding = ";" if eerste.count(";") >= eerste.count(",") else ","
    lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
    vorige = 0
    try:
        for cellen in lezer:
            begin, vorige = vorige + 1, lezer.line_num
            yield begin, cellen
    except csv.Error as fout:
        raise Importfout(f"Het CSV-bestand is niet te lezen na regel {vorige}: {fout}.") from None


def _xlsx_rijen(data: bytes) -> Iterator[tuple[int, list]]:
    """(row number, cell values) of the first sheet of an XLSX workbook."""
    from openpyxl import load_workbook

    try:
        boek = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - zip, XML and openpyxl errors all mean: not a workbook
        raise Importfout("Het bestand is geen leesbaar Excel-bestand (.xlsx).") from None
    try:
        blad = boek.worksheets[0]
        for nummer, cellen in enumerate(blad.iter_rows(values_only=True), start=1):
            yield nummer, list(cellen)
    finally:
        boek.close()


def lees_rijen(data: bytes, bestandsnaam: str) -> Iterator[tuple[int, dict]]:
    """(line number, {column: value}) of every non-empty data row; Importfout for the file.

    Header names are matched case-insensitively; unknown columns are ignored (an export has
    more columns than an import needs); a missing required column refuses the whole file.
    """
    rijen = _xlsx_rijen(data) if _formaat(bestandsnaam) == "xlsx" else _csv_rijen(data)
    kop = next(rijen, None)
    if kop is None:
        raise Importfout("Het bestand is leeg.")
    namen = [_tekst(cel).lower().replace(" ", "_") for cel in kop[1]]
    ontbreekt = [kolom for kolom in VERPLICHT if kolom not in namen]
    if ontbreekt:
        raise Importfout(
            "De kolom" + ("men " if len(ontbreekt) > 1 else " ") + ", ".join(ontbreekt)
            + (" ontbreken" if len(ontbreekt) > 1 else " ontbreekt")
            + " in de eerste regel. Gebruik de kolomnamen van het sjabloon: "
            + ", ".join(KOLOMMEN) + ".")
    posities = {kolom: namen.index(kolom) for kolom in KOLOMMEN if kolom in namen}
    for nummer, cellen in rijen:
        if all(_tekst(cel) == "" for cel in cellen):
            continue
        yield nummer, {kolom: cellen[i] if i < len(cellen) else None
                       for kolom, i in posities.items()}


def _tekst(waarde) -> str:
    """A cell as trimmed text (a whole number stays without '.0'; an escaped formula loses
    its apostrophe)."""
    if waarde is None:
        return ""
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    tekst = str(waarde).strip()
    if len(tekst) > 1 and tekst[0] == "'" and tekst[1] in FORMULETEKENS:
        tekst = tekst[1:]
    return tekst


def _datum(waarde, kolom: str) -> date | None:
    """A date from a real date cell or from dd-mm-jjjj / jjjj-mm-dd text; Regelfout otherwise."""
    if isinstance(waarde, datetime):
        dag = waarde.date()
    elif isinstance(waarde, date):
        dag = waarde
    else:
        tekst = _tekst(waarde)
        if not tekst:
            return None
        if match := DATUM_NL.fullmatch(tekst):
            dag_, maand, jaar = (int(x) for x in match.groups())
        elif match := DATUM_ISO.fullmatch(tekst):
            jaar, maand, dag_ = (int(x) for x in match.groups())
        else:
            raise Regelfout(f"{kolom} '{tekst[:40]}' is geen datum; schrijf dd-mm-jjjj of "
                            "jjjj-mm-dd.", kolom)
        try:
            dag = date(jaar, maand, dag_)
        except ValueError:
            raise Regelfout(f"{kolom} '{tekst}' bestaat niet als datum.", kolom) from None
    if not date(2000, 1, 1) <= dag <= date(2100, 12, 31):
        raise Regelfout(f"{kolom} {dag:%d-%m-%Y} ligt niet tussen 2000 en 2100.", kolom)
    return dag


def _vrije_tekst(waarde, kolom: str, maximum: int) -> str:
    """Free text: no BSN-like number, no control characters, not too long."""
    tekst = _tekst(waarde)
    if len(tekst) > maximum:
        raise Regelfout(f"{kolom} is langer dan {maximum} tekens.", kolom)
    try:
        geen_bsn(None, SimpleNamespace(data=tekst))
    except ValidationError as fout:
        raise Regelfout(f"{kolom}: {fout}", kolom) from None
    return tekst


STATUSSEN = {
    **{status.value: status for status in Meldingstatus},
    **{status.label.lower(): status for status in Meldingstatus},
    **{status.value.replace("_", " "): status for status in Meldingstatus},
}


def _status(waarde) -> Meldingstatus:
    """A status by its value or Dutch label (any case); empty: geregistreerd."""
    tekst = _tekst(waarde).lower()
    if not tekst:
        return Meldingstatus.GEREGISTREERD
    if tekst not in STATUSSEN:
        keuzes = ", ".join(status.value for status in Meldingstatus)
        raise Regelfout(f"status '{tekst[:40]}' is onbekend; kies uit {keuzes}.", "status")
    return STATUSSEN[tekst]


def _oordeel(compleet, ontbrekend, aantal: int) -> tuple[Oordeel, int]:
    """The judgement and the present-elements mask from compleet (ja/nee/leeg) and the numbers
    (1..aantal) of the missing checklist elements."""
    if isinstance(compleet, bool):
        compleet = "ja" if compleet else "nee"
    antwoord = _tekst(compleet).lower()
    nummers = [deel for deel in re.split(r"[,;\s]+", _tekst(ontbrekend)) if deel]
    alles = (1 << aantal) - 1
    if antwoord not in ("", "ja", "nee"):
        raise Regelfout(f"compleet '{antwoord[:20]}' moet ja, nee of leeg zijn.", "compleet")
    if nummers and antwoord != "nee":
        raise Regelfout("ontbrekende_elementen vult u alleen in bij compleet = nee.",
                        "ontbrekende_elementen")
    if antwoord == "":
        return Oordeel.OPEN, 0
    if antwoord == "ja":
        return Oordeel.COMPLEET, alles
    if not nummers:
        raise Regelfout(f"Noem bij compleet = nee de ontbrekende elementen (nummers 1 tot en met "
                        f"{aantal} van de checklist).", "ontbrekende_elementen")
    ontbreekt = 0
    for deel in nummers:
        if not re.fullmatch(r"[0-9]{1,2}", deel) or not 1 <= int(deel) <= aantal:
            raise Regelfout(f"ontbrekende_elementen: '{deel[:20]}' is geen nummer van 1 tot en "
                            f"met {aantal}.", "ontbrekende_elementen")
        ontbreekt |= 1 << (int(deel) - 1)
    return Oordeel.ONVOLLEDIG, alles & ~ontbreekt


# --- importing ----------------------------------------------------------------------------------

KOPIEERVELDEN = ("school_id", "schooljaar_id", "referentie", "ontvangen_op", "status",
                 "elementen", "oordeel", "toelichting", "teruggemeld_op", "aangevuld_op",
                 "gereageerd_op", "normversie", "terugmelden_uiterlijk", "terugmelden_werkdagen",
                 "aanvullen_uiterlijk", "aanvullen_werkdagen", "reactie_uiterlijk",
                 "reactie_werkdagen")


@dataclass
class _Context:
    """What checking a row needs, loaded once per import."""

    scholen: dict[str, tuple[int, str]]  # code -> (id, name)
    bewerkbaar: set[int] | None  # None: every school
    jaren: list[Schooljaar]
    bestaand: set[tuple[int, str]]
    vandaag: date
    normen: dict = field(default_factory=dict)  # schooljaar name -> Normversie


def _context(gebruiker, vandaag: date) -> _Context:
    """Schools, the schools the user may edit, schooljaren, existing references: a few queries."""
    scholen = {code: (id_, naam) for id_, code, naam
               in db.session.execute(select(School.id, School.code, School.naam))}
    bewerkbaar = None
    if gebruiker is not None and gebruiker.rol != Rol.BEHEERDER:
        bewerkbaar = set() if gebruiker.rol != Rol.LLZ else set(db.session.scalars(
            select(School.id).where(is_llz_editor_clause(gebruiker, School.id))))
    bestaand = set(db.session.execute(select(Verzuimmelding.school_id, Verzuimmelding.referentie)))
    return _Context(scholen, bewerkbaar, alle_schooljaren(), bestaand, vandaag)


class _Rij:
    """A melding as the rules see it (the same attribute names as Verzuimmelding), without
    the ORM's per-attribute bookkeeping: 40,000 of them are made in a large import."""

    __slots__ = KOPIEERVELDEN

    def __init__(self, **waarden):
        for veld in KOPIEERVELDEN:
            setattr(self, veld, waarden.get(veld))
        self.normversie = ""

    def als_dict(self) -> dict:
        """The row for an INSERT."""
        return {veld: getattr(self, veld) for veld in KOPIEERVELDEN}


class _OnthoudendeKalender:
    """The calendar's two computations, remembered: the rows of a file share few dates."""

    def __init__(self, kal):
        self._kal = kal
        self._plus: dict = {}
        self._tussen: dict = {}

    def plus_werkdagen(self, start: date, n: int) -> date:
        """As Werkdagkalender.plus_werkdagen."""
        sleutel = (start, n)
        if sleutel not in self._plus:
            self._plus[sleutel] = self._kal.plus_werkdagen(start, n)
        return self._plus[sleutel]

    def werkdagen_tussen(self, begin: date, eind: date) -> int:
        """As Werkdagkalender.werkdagen_tussen."""
        sleutel = (begin, eind)
        if sleutel not in self._tussen:
            self._tussen[sleutel] = self._kal.werkdagen_tussen(begin, eind)
        return self._tussen[sleutel]


def _melding(rij: dict, ctx: _Context, kal) -> _Rij:
    """A checked, recomputed melding from a row; Regelfout with the reason."""
    code = _tekst(rij.get("schoolcode")).upper()
    if not code:
        raise Regelfout("schoolcode is leeg.", "schoolcode")
    if code not in ctx.scholen:
        raise Regelfout(f"school {code[:20]} bestaat niet.", "schoolcode")
    school_id, naam = ctx.scholen[code]
    if ctx.bewerkbaar is not None and school_id not in ctx.bewerkbaar:
        raise Regelfout(f"u bent geen contactpersoon van Leerlingzaken voor {naam} ({code}); "
                        "alleen de contactpersoon of vervanger legt haar meldingen vast.",
                        "schoolcode")
    referentie = _vrije_tekst(rij.get("referentie"), "referentie", 40)
    if not referentie:
        raise Regelfout("referentie is leeg.", "referentie")
    datums = {kolom: _datum(rij.get(kolom), kolom) for kolom in DATUMKOLOMMEN}
    if datums["ontvangen_op"] is None:
        raise Regelfout("ontvangen_op is leeg.", "ontvangen_op")
    if datums["ontvangen_op"] > ctx.vandaag:
        raise Regelfout("De ontvangstdatum ligt in de toekomst.", "ontvangen_op")
    schooljaar = schooljaar_voor(datums["ontvangen_op"], ctx.jaren)
    if schooljaar is None:
        raise Regelfout(f"voor {datums['ontvangen_op']:%d-%m-%Y} is er geen schooljaar in de "
                        "app; de beheerder opent schooljaren.", "ontvangen_op")
    normen = ctx.normen.get(schooljaar.naam) or ctx.normen.setdefault(
        schooljaar.naam, normen_voor(schooljaar.naam))
    oordeel, elementen = _oordeel(rij.get("compleet"), rij.get("ontbrekende_elementen"),
                                  len(normen.meldingselementen))
    melding = _Rij(
        school_id=school_id, schooljaar_id=schooljaar.id, referentie=referentie,
        status=_status(rij.get("status")).value, oordeel=oordeel.value, elementen=elementen,
        toelichting=_vrije_tekst(rij.get("toelichting"), "toelichting", 300), **datums)
    controleer_melding(melding, normen, kal, ctx.vandaag)
    herbereken_melding(melding, normen, kal)
    return melding


def importeer_meldingen(bestand: bytes | str | Path, bestandsnaam: str | None = None,
                        gebruiker=None, vandaag: date | None = None) -> Importverslag:
    """Import verzuimmeldingen from a CSV or XLSX file (bytes or a path); commits the good rows.

    `gebruiker` None imports as the system (every school); an LLZ user only for the schools
    whose LLZ contact or vervanger they are. The file as a whole failing (format, columns) is
    reported in `bestandsfout` and imports nothing.
    """
    if not isinstance(bestand, bytes):
        pad = Path(bestand)
        bestandsnaam = bestandsnaam or pad.name
        bestand = pad.read_bytes()
    verslag = Importverslag(bestandsnaam=bestandsnaam or "")
    vandaag = vandaag or date.today()
    ctx = _context(gebruiker, vandaag)
    kal = _OnthoudendeKalender(kalender())
    nieuw: list[dict] = []
    gezien: dict[tuple[int, str], int] = {}
    try:
        for nummer, rij in lees_rijen(bestand, verslag.bestandsnaam):
            try:
                melding = _melding(rij, ctx, kal)
            except Regelfout as fout:
                verslag.fouten.append((nummer, str(fout)))
                continue
            sleutel = (melding.school_id, melding.referentie)
            if sleutel in gezien:
                verslag.fouten.append((nummer, f"referentie {melding.referentie} van deze school "
                                               f"staat al op regel {gezien[sleutel]}."))
                continue
            gezien[sleutel] = nummer
            if sleutel in ctx.bestaand:
                verslag.al_aanwezig += 1
                continue
            nieuw.append(melding.als_dict())
    except Importfout as fout:
        verslag.bestandsfout = str(fout)
        return verslag
    if nieuw:
        try:
            _voeg_toe(nieuw, gebruiker, verslag.bestandsnaam)
        except Importfout as fout:
            verslag.bestandsfout = str(fout)
            return verslag
    verslag.toegevoegd = len(nieuw)
    return verslag


def _voeg_toe(rijen: list[dict], gebruiker, bestandsnaam: str) -> None:
    """Insert the rows in one transaction with one audit row summarising the import."""
    nu = utcnow()
    for rij in rijen:
        rij.update(versie=1, aangemaakt_op=nu, gewijzigd_op=nu)
    try:
        db.session.execute(insert(Verzuimmelding.__table__), rijen)
        db.session.add(Auditregel(
            gebruiker_id=gebruiker.id if gebruiker is not None else None,
            tabel=Verzuimmelding.__tablename__, record_id=0, school_id=None,
            actie="geïmporteerd", veld="",
            nieuw=f"{len(rijen)} meldingen uit {bestandsnaam[:200]}"))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Importfout("Tijdens de import legde iemand anders dezelfde meldingen vast. "
                         "Er is niets geïmporteerd; importeer het bestand opnieuw.") from None


# --- exporting ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tabel:
    """An export: the file's column headers and its rows of typed values."""

    kolommen: tuple[str, ...]
    rijen: list[tuple]


def _stand(uiterlijk: date | None, klaar_op: date | None, vandaag: date) -> str:
    """The Dutch stand of a step from its stored deadline ('' when the step does not run)."""
    if uiterlijk is None:
        return ""
    return stand_op(uiterlijk, klaar_op, vandaag).label


def _ja_nee(waarde: bool) -> str:
    return "ja" if waarde else "nee"


MELDING_EXTRA = ("school", "schooljaar", "normversie", "terugmelden_uiterlijk",
                 "terugmelden_werkdagen", "terugmelden_stand", "aanvullen_uiterlijk",
                 "aanvullen_werkdagen", "aanvullen_stand", "reactie_uiterlijk",
                 "reactie_werkdagen", "reactie_stand", "niet_verzonden")


def _compleet(melding: Verzuimmelding, aantal: int) -> tuple[str, str]:
    """compleet and ontbrekende_elementen as the import reads them."""
    if melding.oordeel == Oordeel.OPEN:
        return "", ""
    if melding.oordeel == Oordeel.COMPLEET:
        return "ja", ""
    ontbreekt = [str(i + 1) for i in range(aantal) if not melding.elementen >> i & 1]
    return "nee", ", ".join(ontbreekt)


def _query(register: str, school_id: int | None, schooljaar: Schooljaar | None):
    """Rows of a register with their school code and name, ordered."""
    model, begin = REGISTERS[register]
    query = select(model, School.code, School.naam).join(School, School.id == model.school_id)
    if school_id is not None:
        query = query.where(model.school_id == school_id)
    if schooljaar is not None:
        query = query.where(model.schooljaar_id == schooljaar.id)
    return db.session.execute(query.order_by(School.code, begin, model.id)).all()


def exporteer(register: str, school_id: int | None = None, schooljaar: Schooljaar | None = None,
              vandaag: date | None = None) -> Tabel:
    """The rows of a register (meldingen, vragen, ontwikkelingen) for a school or all schools,
    in one schooljaar (None: every schooljaar), with Dutch column headers."""
    vandaag = vandaag or date.today()
    jaren = {jaar.id: jaar.naam for jaar in alle_schooljaren()}
    if register == "meldingen":
        return _meldingen(school_id, schooljaar, jaren, vandaag)
    if register == "vragen":
        kolommen = ("schoolcode", "school", "schooljaar", "gesteld_door", "onderwerp",
                    "gesteld_op", "beantwoord_op", "antwoord", "uiterlijk", "werkdagen", "stand",
                    "normversie")
        rijen = [(code, naam, jaren.get(v.schooljaar_id, ""), v.gesteld_door, v.onderwerp,
                  v.gesteld_op, v.beantwoord_op, v.antwoord, v.uiterlijk, v.werkdagen,
                  _stand(v.uiterlijk, v.beantwoord_op, vandaag), v.normversie)
                 for v, code, naam in _query("vragen", school_id, schooljaar)]
        return Tabel(kolommen, rijen)
    if register == "ontwikkelingen":
        kolommen = ("schoolcode", "school", "schooljaar", "onderwerp", "bekend_op", "gemeld_op",
                    "uiterlijk", "werkdagen", "stand", "normversie")
        rijen = [(code, naam, jaren.get(o.schooljaar_id, ""), o.onderwerp, o.bekend_op,
                  o.gemeld_op, o.uiterlijk, o.werkdagen,
                  _stand(o.uiterlijk, o.gemeld_op, vandaag), o.normversie)
                 for o, code, naam in _query("ontwikkelingen", school_id, schooljaar)]
        return Tabel(kolommen, rijen)
    raise ValueError(f"Onbekend register {register}")


def _meldingen(school_id, schooljaar, jaren: dict, vandaag: date) -> Tabel:
    """The meldingen export: the import's columns, then the computed ones."""
    aantallen = {naam: len(normen_voor(naam).meldingselementen) for naam in set(jaren.values())}
    rijen = []
    for m, code, naam in _query("meldingen", school_id, schooljaar):
        jaar = jaren.get(m.schooljaar_id, "")
        compleet, ontbrekend = _compleet(m, aantallen.get(jaar, 9))
        rijen.append((
            code, m.referentie, m.ontvangen_op, m.status, compleet, ontbrekend, m.toelichting,
            m.teruggemeld_op, m.aangevuld_op, m.gereageerd_op,
            naam, jaar, m.normversie,
            m.terugmelden_uiterlijk, m.terugmelden_werkdagen,
            _stand(m.terugmelden_uiterlijk, m.teruggemeld_op, vandaag),
            m.aanvullen_uiterlijk, m.aanvullen_werkdagen,
            _stand(m.aanvullen_uiterlijk, m.aangevuld_op, vandaag),
            m.reactie_uiterlijk, m.reactie_werkdagen,
            _stand(m.reactie_uiterlijk, m.gereageerd_op, vandaag),
            _ja_nee(niet_verzonden(m, vandaag)),
        ))
    return Tabel(KOLOMMEN + MELDING_EXTRA, rijen)


def sjabloon() -> Tabel:
    """The import template: the columns and one example row."""
    return Tabel(KOLOMMEN, [("11AA00", "VM-2026-0001", "01-09-2026", "in_behandeling", "nee",
                             "3, 7", "", "03-09-2026", "", "")])


def _veilig(tekst: str) -> str:
    """Text a spreadsheet will not run as a formula (the import strips the apostrophe)."""
    return "'" + tekst if tekst.startswith(FORMULETEKENS) else tekst


def als_csv(tabel: Tabel) -> bytes:
    """The table as CSV for Excel-NL: ; separated, UTF-8 with BOM, dates dd-mm-jjjj."""
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    schrijver.writerow(tabel.kolommen)
    for rij in tabel.rijen:
        schrijver.writerow([
            f"{waarde:%d-%m-%Y}" if isinstance(waarde, date)
            else _veilig(waarde) if isinstance(waarde, str)
            else "" if waarde is None else waarde
            for waarde in rij])
    return ("\ufeff" + uit.getvalue()).encode("utf-8")


def als_xlsx(tabel: Tabel, titel: str = "Register") -> bytes:
    """The table as an XLSX workbook: dates as dates, numbers as numbers, text as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    boek = Workbook(write_only=True)
    blad = boek.create_sheet(titel[:31])
    vet = Font(bold=True)
    kop = []
    for naam in tabel.kolommen:
        cel = WriteOnlyCell(blad, value=naam)
        cel.font = vet
        kop.append(cel)
    blad.append(kop)
    for rij in tabel.rijen:
        cellen = []
        for waarde in rij:
            cel = WriteOnlyCell(blad, value=waarde)
            if isinstance(waarde, date):
                cel.number_format = XLSX_DATUMFORMAAT
            elif isinstance(waarde, str) and cel.data_type != "s":
                cel.data_type = "s"  # text starting with '=' stays text, not a formula
            cellen.append(cel)
        blad.append(cellen)
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def bestand(tabel: Tabel, formaat: str, titel: str = "Register") -> bytes:
    """The table in the given format (csv or xlsx)."""
    return als_xlsx(tabel, titel) if formaat == "xlsx" else als_csv(tabel)

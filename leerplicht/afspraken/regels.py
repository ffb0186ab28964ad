"""Rules of the afsprakenlijst: creating, versioning, akkoord, the 3-month deadline, rollover."""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from markupsafe import Markup
from sqlalchemy import select

from ..extensions import db
from ..models_base import utcnow
from ..normen import Normversie
from ..regelfout import Regelfout
from ..schooljaren import Schooljaar, plus_maanden
from ..text import markdown_naar_html
from ..woordverschil import woordverschil
from .models import Afspraak, Afsprakenlijst, Herkomst, Status
from .sjablonen import standaard_afspraken

BIJNA_DAGEN = 14  # a list not yet vastgesteld this close to its deadline is "bijna te laat"


def nieuwe_sleutel() -> str:
    """A stable identifier of an afspraak across versions."""
    return uuid.uuid4().hex


def zet_tekst(afspraak: Afspraak, tekst: str) -> None:
    """Store the Markdown and its sanitised HTML (rendered once, at save time)."""
    afspraak.tekst = tekst
    afspraak.tekst_html = markdown_naar_html(tekst)


def maak_lijst(school, schooljaar: Schooljaar, normen: Normversie) -> Afsprakenlijst:
    """Create the first version for a school and schooljaar from the sector template."""
    lijst = Afsprakenlijst(
        school_id=school.id,
        schooljaar_id=schooljaar.id,
        volgnummer=1,
        status=Status.CONCEPT,
        herkomst=Herkomst.NIEUW,
    )
    for positie, sjabloon in enumerate(standaard_afspraken(school.sector, normen)):
        afspraak = Afspraak(
            school_id=school.id,
            sleutel=nieuwe_sleutel(),
            sectie=sjabloon["sectie"],
            titel=sjabloon["titel"],
            wie=sjabloon["wie"],
            positie=positie,
        )
        zet_tekst(afspraak, sjabloon["tekst"])
        lijst.afspraken.append(afspraak)
    db.session.add(lijst)
    return lijst


def _kopie(bron: Afsprakenlijst, **velden) -> Afsprakenlijst:
    """A new version with copies of every afspraak (same sleutel)."""
    lijst = Afsprakenlijst(school_id=bron.school_id, **velden)
    for oud in bron.afspraken:
        lijst.afspraken.append(
            Afspraak(
                school_id=oud.school_id,
                sleutel=oud.sleutel,
                sectie=oud.sectie,
                titel=oud.titel,
                tekst=oud.tekst,
                tekst_html=oud.tekst_html,
                wie=oud.wie,
                deadline=oud.deadline,
                positie=oud.positie,
            )
        )
    db.session.add(lijst)
    return lijst


def nieuwe_versie(vastgesteld: Afsprakenlijst, volgnummer: int) -> Afsprakenlijst:
    """Start a concept from a vastgestelde version; the vastgestelde one stays in force."""
    if vastgesteld.status != Status.VASTGESTELD:
        raise Regelfout("Alleen van een vastgestelde versie kan een nieuwe versie worden gemaakt.")
    return _kopie(
        vastgesteld,
        schooljaar_id=vastgesteld.schooljaar_id,
        volgnummer=volgnummer,
        status=Status.CONCEPT,
        herkomst=Herkomst.WIJZIGING,
    )


def na_wijziging(lijst: Afsprakenlijst) -> None:
    """A concept changed: an akkoord given on the old text no longer counts."""
    if not lijst.is_concept:
        raise Regelfout("Deze versie is vastgesteld. Maak een nieuwe versie om te wijzigen.")
    lijst.akkoord_llz_door_id = lijst.akkoord_llz_op = None
    lijst.akkoord_school_door_id = lijst.akkoord_school_op = None
    lijst.akkoord_llz_naam = lijst.akkoord_school_naam = ""
    # Touch the list so its version goes up: an akkoord form loaded before is now stale.
    lijst.gewijzigd_op = utcnow()


# sjablonen.INVULPLEK, however it is spaced or capitalised (the template writes it in italics).
INVULPLEK_PATROON = re.compile(r"\(\s*vul\s+in\s*\)", re.IGNORECASE)


def nog_in_te_vullen(lijst: Afsprakenlijst) -> list[Afspraak]:
    """The afspraken (in list order) whose title or text still holds a "(vul in)" blank."""
    return [
        afspraak for afspraak in lijst.afspraken
        if INVULPLEK_PATROON.search(afspraak.titel or "")
        or INVULPLEK_PATROON.search(afspraak.tekst or "")
    ]


def geef_akkoord(
    lijst: Afsprakenlijst, kant: str, gebruiker_id: int, vorige: Afsprakenlijst | None,
    nu: datetime | None = None, naam: str = "",
) -> bool:
    """Record one side's akkoord; with both, the version is vastgesteld. True when vastgesteld."""
    if not lijst.is_concept:
        raise Regelfout("Deze versie is al vastgesteld.")
    # An akkoord on a text with blanks would fix a list that says nothing on those points.
    open_ = nog_in_te_vullen(lijst)
    if open_:
        raise Regelfout(
            "Vul eerst in wat nog open staat: " + ", ".join(a.titel for a in open_) + "."
        )
    nu = nu or utcnow()
    if kant == "llz":
        lijst.akkoord_llz_door_id, lijst.akkoord_llz_op = gebruiker_id, nu
        lijst.akkoord_llz_naam = naam
    elif kant == "school":
        lijst.akkoord_school_door_id, lijst.akkoord_school_op = gebruiker_id, nu
        lijst.akkoord_school_naam = naam
    else:
        raise Regelfout("Alleen Leerlingzaken en de school zelf kunnen akkoord geven.")
    if lijst.akkoord_llz_op and lijst.akkoord_school_op:
        lijst.status = Status.VASTGESTELD
        lijst.vastgesteld_op = nu
        if vorige is not None and vorige.status == Status.VASTGESTELD:
            vorige.status = Status.VERVANGEN
        return True
    return False


def vervangen_door(
    lijst: Afsprakenlijst, alle: list[Afsprakenlijst]
) -> Afsprakenlijst | None:
    """The version that replaced a vervangen one: the first later one that was vastgesteld."""
    if lijst.status != Status.VERVANGEN:
        return None
    latere = [
        v for v in alle if v.volgnummer > lijst.volgnummer and v.vastgesteld_op is not None
    ]
    return min(latere, key=lambda v: v.volgnummer, default=None)


def versies(school_id: int, schooljaar_id: int) -> list[Afsprakenlijst]:
    """Every version for a school and schooljaar, newest first."""
    return list(
        db.session.scalars(
            select(Afsprakenlijst)
            .where(
                Afsprakenlijst.school_id == school_id,
                Afsprakenlijst.schooljaar_id == schooljaar_id,
            )
            .order_by(Afsprakenlijst.volgnummer.desc())
        )
    )


@dataclass
class Stand:
    """The versions that matter for one school and schooljaar."""

    geldend: Afsprakenlijst | None  # the vastgestelde version in force
    concept: Afsprakenlijst | None  # a concept being worked on
    aantal: int

    @property
    def volgend_nummer(self) -> int:
        """Volgnummer for a new version."""
        return self.aantal + 1


def stand_uit(lijsten: list[Afsprakenlijst]) -> Stand:
    """Pick the version in force and the open concept from all versions (any order)."""
    geldend = concept = None
    for lijst in sorted(lijsten, key=lambda lijst: lijst.volgnummer):
        if lijst.status == Status.VASTGESTELD:
            geldend = lijst
        elif lijst.status == Status.CONCEPT:
            concept = lijst
    return Stand(geldend=geldend, concept=concept, aantal=len(lijsten))


# --- the deadline: vastgesteld within the first months of the schooljaar ---------------------


def deadline(schooljaar: Schooljaar, normen: Normversie) -> date:
    """Last day on which the afsprakenlijst should be vastgesteld (31 October by default)."""
    maanden = normen["afsprakenlijst_vaststellen"].waarde
    return plus_maanden(schooljaar.begin, maanden) - timedelta(days=1)


@dataclass(frozen=True)
class Termijnstand:
    """Where a school stands against the afsprakenlijst deadline."""

    code: str  # op_tijd | te_laat_vastgesteld | loopt | bijna | te_laat
    deadline: date
    dagen: int  # days left (negative: days late)

    @property
    def label(self) -> str:
        """Dutch description."""
        return {
            "op_tijd": "Op tijd vastgesteld",
            "te_laat_vastgesteld": "Vastgesteld, maar na de termijn",
            "loopt": "Nog niet vastgesteld; de termijn loopt",
            "bijna": "Nog niet vastgesteld; de termijn is bijna om",
            "te_laat": "Niet op tijd vastgesteld",
        }[self.code]

    @property
    def kort(self) -> str:
        """Short Dutch description, for a badge in a table cell."""
        return {
            "op_tijd": "Op tijd vastgesteld",
            "te_laat_vastgesteld": "Te laat vastgesteld",
            "loopt": "Termijn loopt",
            "bijna": "Termijn bijna om",
            "te_laat": "Te laat",
        }[self.code]

    @property
    def badge(self) -> str:
        """Status badge modifier (valid / warning / invalid / neutral)."""
        return {"op_tijd": "valid", "te_laat_vastgesteld": "warning", "loopt": "neutral",
                "bijna": "warning", "te_laat": "invalid"}[self.code]

    @property
    def afgerond(self) -> bool:
        """True when the list has been vastgesteld (on time or not)."""
        return self.code in ("op_tijd", "te_laat_vastgesteld")


def termijnstand(
    lijsten: list[Afsprakenlijst], schooljaar: Schooljaar, normen: Normversie, vandaag: date
) -> Termijnstand:
    """Judge the deadline from all versions of one school's list in one schooljaar."""
    einde = deadline(schooljaar, normen)
    vastgesteld = [
        lijst.vastgesteld_op.date() if lijst.herkomst != Herkomst.VERLENGD else schooljaar.begin
        for lijst in lijsten
        if lijst.vastgesteld_op is not None
    ]
    if vastgesteld:
        eerste = min(vastgesteld)
        code = "op_tijd" if eerste <= einde else "te_laat_vastgesteld"
        return Termijnstand(code, einde, (einde - eerste).days)
    dagen = (einde - vandaag).days
    if dagen < 0:
        return Termijnstand("te_laat", einde, dagen)
    return Termijnstand("bijna" if dagen <= BIJNA_DAGEN else "loopt", einde, dagen)


# --- stilzwijgende verlenging ----------------------------------------------------------------


def verleng_stilzwijgend(van: Schooljaar, naar: Schooljaar) -> int:
    """Carry every school's vastgestelde list of `van` into `naar`; schools done already skip."""
    al_in_naar = set(
        db.session.scalars(
            select(Afsprakenlijst.school_id).where(Afsprakenlijst.schooljaar_id == naar.id)
        )
    )
    bronnen = db.session.scalars(
        select(Afsprakenlijst).where(
            Afsprakenlijst.schooljaar_id == van.id,
            Afsprakenlijst.status == Status.VASTGESTELD,
        )
    ).all()
    aantal = 0
    for bron in bronnen:
        if bron.school_id in al_in_naar:
            continue
        _kopie(
            bron,
            schooljaar_id=naar.id,
            volgnummer=1,
            status=Status.VASTGESTELD,
            herkomst=Herkomst.VERLENGD,
            vastgesteld_op=datetime.combine(naar.begin, time(), tzinfo=UTC),
        )
        aantal += 1
    return aantal


# --- a readable diff between two versions ---------------------------------------------------


@dataclass
class Verschil:
    """How one afspraak differs between two versions."""

    soort: str  # toegevoegd | verwijderd | gewijzigd | gelijk
    titel: str
    velden: list[tuple[str, Markup]]  # (Dutch field name, HTML with <ins>/<del>)


VELDEN = (("titel", "Titel"), ("tekst", "Tekst"), ("wie", "Wie"), ("deadline", "Uiterlijk"))


def verschil(oud: Afsprakenlijst, nieuw: Afsprakenlijst) -> list[Verschil]:
    """Compare two versions afspraak by afspraak (matched on sleutel), in the new order."""
    oude = {a.sleutel: a for a in oud.afspraken}
    nieuwe = {a.sleutel: a for a in nieuw.afspraken}
    result = []
    for afspraak in nieuw.afspraken:
        vorige = oude.get(afspraak.sleutel)
        if vorige is None:
            result.append(Verschil("toegevoegd", afspraak.titel, []))
            continue
        velden = []
        for naam, label in VELDEN:
            was, is_ = _tekst(getattr(vorige, naam)), _tekst(getattr(afspraak, naam))
            if was != is_:
                velden.append((label, woordverschil(was, is_)))
        result.append(Verschil("gewijzigd" if velden else "gelijk", afspraak.titel, velden))
    for afspraak in oud.afspraken:
        if afspraak.sleutel not in nieuwe:
            result.append(Verschil("verwijderd", afspraak.titel, []))
    return result


def _tekst(value) -> str:
    """A field value as text for the diff."""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)

"""Norm versions in the app: draft from the version in force, check, compare, adopt."""

import json
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..normen import EENHEDEN, Norm, NormenFout, Normversie, met_versies, versie_uit_tabel
from ..normenbron import (
    Normstatus,
    NormversieRecord,
    bestandsregister,
    inhoud_van,
    register,
    vergeet,
)
from ..regelfout import Regelfout
from ..schooljaren import Schooljaar, grenzen, huidig_schooljaar, naam_voor_datum

MAX_WAARDE = 999
MAX_OMSCHRIJVING = 300
MAX_ELEMENT = 200
MAX_ELEMENTEN = 20
JAREN_VOORUIT = 3  # the select offers the current schooljaar and this many after it

# Short Dutch names of the norms, for labels and the side-by-side table.
NORMNAMEN = {
    "vragen_beantwoorden": "Vragen beantwoorden",
    "melding_onvolledig_terugmelden": "Onvolledige melding terugmelden",
    "melding_aanvullen": "Melding aanvullen",
    "melding_reactie": "Reactie op een complete melding",
    "ontwikkelingen_informeren": "Ontwikkelingen doorgeven",
    "afsprakenlijst_vaststellen": "Afsprakenlijst vaststellen",
    "po_bezoeken_minimum": "Aanwezigheid op een PO-school",
    "vo_bezoeken_minimum": "Aanwezigheid op een VO-school",
    "contactpersoon_wisselingen_maximum": "Wisselingen van contactpersoon",
    "contactpersoon_aankondiging": "Aankondiging van een wisseling",
    "evaluatie_per_jaar": "Evaluatie met de school",
    "klankbordgroep_evaluatie_na": "Evaluatie door de Klankbordgroepen",
    "kleine_aantallen": "Kleine aantallen in het jaarverslag",
}

AL_VASTGESTELD = ("Deze versie is vastgesteld en kan niet meer worden gewijzigd of verwijderd. "
                  "Stel zo nodig een nieuwe versie op.")


def normnaam(sleutel: str) -> str:
    """The Dutch name of a norm (its key, readable, when it has no name yet)."""
    return NORMNAMEN.get(sleutel) or sleutel.replace("_", " ").capitalize()


def eenheid_tekst(eenheid: str) -> str:
    """The plural of a unit, as the form shows it beside the number."""
    return EENHEDEN[eenheid][1]


# --- schooljaren ------------------------------------------------------------------------------

def huidige_naam() -> str:
    """The name of the current schooljaar (by today's date in an empty database)."""
    huidig = huidig_schooljaar()
    return huidig.naam if huidig else naam_voor_datum(date.today())


def schuif(naam: str, jaren: int) -> str:
    """The schooljaar `jaren` after `naam` (2026-2027, 1 -> 2027-2028)."""
    start = int(naam[:4]) + jaren
    return f"{start}-{start + 1}"


def kiesbare_jaren(huidig: str) -> list[str]:
    """The schooljaren a new version may start in: the current one and the next three."""
    return [schuif(huidig, stap) for stap in range(JAREN_VOORUIT + 1)]


# --- reading ----------------------------------------------------------------------------------

def is_vastgesteld(record: NormversieRecord) -> bool:
    """True once the version is adopted (it never changes again)."""
    return record.status == Normstatus.VASTGESTELD


def als_versie(record: NormversieRecord) -> Normversie:
    """A record (concept or adopted) as a Normversie; its label reads 'concept' until adopted."""
    if is_vastgesteld(record):
        return record.als_versie()
    inhoud = json.loads(record.inhoud)
    return versie_uit_tabel(f"concept {record.id}", {
        "versie": "concept", "geldig_vanaf": record.geldig_vanaf, "toelichting":
        record.toelichting, "normen": inhoud.get("normen"),
        "meldingselementen": {"lijst": inhoud.get("meldingselementen")},
    })


def _vastgestelde_records() -> list[NormversieRecord]:
    """Every adopted app version, oldest first."""
    return list(db.session.scalars(
        select(NormversieRecord).where(NormversieRecord.status == Normstatus.VASTGESTELD)
        .order_by(NormversieRecord.geldig_vanaf)))


def geldend_naast(record: NormversieRecord) -> Normversie:
    """The version this one is compared with: the one in force in its schooljaar without it
    (for a concept the version in force now, for an adopted one its predecessor)."""
    if not is_vastgesteld(record):
        return register().voor_schooljaar(record.geldig_vanaf)
    anderen = [r.als_versie() for r in _vastgestelde_records() if r.id != record.id]
    zonder = met_versies(bestandsregister(), anderen)
    eerder = [v for v in zonder.versies if v.geldig_vanaf <= record.geldig_vanaf]
    return eerder[-1] if eerder else zonder.versies[0]


@dataclass(frozen=True)
class Versieregel:
    """One version in force, for the overview."""

    versie: Normversie
    bron: str  # "bestand" or "app"
    record: NormversieRecord | None
    geldt_nu: bool

    @property
    def vastgesteld_tekst(self) -> str:
        """The adoption date as 19-04-2018 ('–' when unknown)."""
        try:
            return date.fromisoformat(self.versie.vastgesteld_op).strftime("%d-%m-%Y")
        except ValueError:
            return self.versie.vastgesteld_op or "–"


def versies_in_kracht() -> list[Versieregel]:
    """Every version in force (file and app, oldest first), the current one marked."""
    records = {r.geldig_vanaf: r for r in _vastgestelde_records()}
    alle = register()
    nu = alle.voor_schooljaar(huidige_naam())
    return [Versieregel(v, "app" if v.geldig_vanaf in records else "bestand",
                        records.get(v.geldig_vanaf), v is nu) for v in alle.versies]


def concepten() -> list[NormversieRecord]:
    """The drafts in progress, by the schooljaar they would start in."""
    return list(db.session.scalars(
        select(NormversieRecord).where(NormversieRecord.status == Normstatus.CONCEPT)
        .order_by(NormversieRecord.geldig_vanaf, NormversieRecord.id)))


# --- comparing --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verschilregel:
    """One norm in both versions; `gewijzigd` names what changed ('' when nothing did)."""

    sleutel: str
    oud: Norm | None
    nieuw: Norm | None

    @property
    def naam(self) -> str:
        """The norm's Dutch name."""
        return normnaam(self.sleutel)

    @property
    def gewijzigd(self) -> str:
        """'waarde', 'omschrijving', 'waarde en omschrijving', 'nieuw', 'vervallen' or ''."""
        if self.oud is None:
            return "nieuw"
        if self.nieuw is None:
            return "vervallen"
        delen = [deel for deel, anders in (
            ("waarde", (self.oud.waarde, self.oud.eenheid) != (self.nieuw.waarde,
                                                                 self.nieuw.eenheid)),
            ("omschrijving", self.oud.omschrijving != self.nieuw.omschrijving)) if anders]
        return " en ".join(delen)


@dataclass(frozen=True)
class Verschil:
    """Two versions side by side: every norm, and the meldingselementen added or removed."""

    oud: Normversie
    nieuw: Normversie
    regels: tuple[Verschilregel, ...]
    toegevoegd: tuple[str, ...]
    verwijderd: tuple[str, ...]

    @property
    def gewijzigd(self) -> tuple[Verschilregel, ...]:
        """The rows that changed."""
        return tuple(r for r in self.regels if r.gewijzigd)

    @property
    def leeg(self) -> bool:
        """True when both versions hold the same norms and elements."""
        return not (self.gewijzigd or self.toegevoegd or self.verwijderd)


def verschil(oud: Normversie, nieuw: Normversie) -> Verschil:
    """Compare two versions norm by norm (in the order of the old one, new norms last)."""
    sleutels = list(oud.normen) + [s for s in nieuw.normen if s not in oud.normen]
    regels = tuple(Verschilregel(s, oud.normen.get(s), nieuw.normen.get(s)) for s in sleutels)
    return Verschil(
        oud, nieuw, regels,
        toegevoegd=tuple(e for e in nieuw.meldingselementen if e not in oud.meldingselementen),
        verwijderd=tuple(e for e in oud.meldingselementen if e not in nieuw.meldingselementen),
    )


# --- changing ---------------------------------------------------------------------------------

def vastgesteld_vanaf(geldig_vanaf: str, behalve: int | None = None) -> bool:
    """True when an adopted app version already starts in this schooljaar."""
    query = select(NormversieRecord.id).where(
        NormversieRecord.status == Normstatus.VASTGESTELD,
        NormversieRecord.geldig_vanaf == geldig_vanaf)
    if behalve is not None:
        query = query.where(NormversieRecord.id != behalve)
    return db.session.scalar(query) is not None


def bezet_bericht(geldig_vanaf: str) -> str:
    """The refusal when a schooljaar already has an adopted app version."""
    return (f"Voor schooljaar {geldig_vanaf} is al een versie van de normen vastgesteld. "
            "Kies een ander schooljaar.")


def maak_concept(geldig_vanaf: str, besluit_id: int | None = None) -> NormversieRecord:
    """Add a draft copied from the version in force in `geldig_vanaf` (flushed, not committed)."""
    try:
        grenzen(geldig_vanaf)
    except ValueError as error:
        raise Regelfout(str(error), veld="geldig_vanaf") from None
    if vastgesteld_vanaf(geldig_vanaf):
        raise Regelfout(bezet_bericht(geldig_vanaf), veld="geldig_vanaf")
    basis = register().voor_schooljaar(geldig_vanaf)
    record = NormversieRecord(geldig_vanaf=geldig_vanaf, inhoud=inhoud_van(basis),
                              status=Normstatus.CONCEPT, toelichting="", besluit_id=besluit_id)
    db.session.add(record)
    db.session.flush()
    return record


def elementen_uit(tekst: str) -> list[str]:
    """The meldingselementen of a textarea: one a line, empty lines left out."""
    return [regel.strip() for regel in re.split(r"\r\n|\r|\n", tekst or "") if regel.strip()]


def bewaar_concept(record: NormversieRecord, geldig_vanaf: str, toelichting: str,
                   normen: dict[str, tuple[int, str]], elementen: list[str]) -> None:
    """Store a draft's new content; Regelfout (nothing changed) when it may not or is wrong.

    `normen` maps each key of the draft to (waarde, omschrijving); the units stay as they are.
    """
    if is_vastgesteld(record):
        raise Regelfout(AL_VASTGESTELD)
    if vastgesteld_vanaf(geldig_vanaf):
        raise Regelfout(bezet_bericht(geldig_vanaf), veld="geldig_vanaf")
    huidig = json.loads(record.inhoud)
    ruw = {"versie": "concept", "geldig_vanaf": geldig_vanaf, "toelichting": toelichting,
           "normen": {sleutel: {**waarden, "waarde": normen[sleutel][0],
                                "omschrijving": normen[sleutel][1]}
                      for sleutel, waarden in huidig["normen"].items()},
           "meldingselementen": {"lijst": elementen}}
    try:
        versie = versie_uit_tabel("concept", ruw)
    except (NormenFout, KeyError) as error:
        raise Regelfout(f"Deze normen kloppen niet: {error}") from None
    record.geldig_vanaf = geldig_vanaf
    record.toelichting = toelichting
    record.inhoud = inhoud_van(versie)


def volgend_label() -> str:
    """The next version number: one more than the highest of the file and the app."""
    labels = [v.versie for v in bestandsregister().versies]
    labels += db.session.scalars(select(NormversieRecord.nummer).where(
        NormversieRecord.status == Normstatus.VASTGESTELD)).all()
    nummers = [int(label) for label in labels if re.fullmatch(r"[0-9]{1,9}", label)]
    return str(max(nummers, default=0) + 1)


def stel_vast(record: NormversieRecord, door_naam: str, vandaag: date) -> str:
    """Adopt a draft: it gets the next number and is then never changed; returns the number.

    The caller commits (and a concurrent adoption for the same schooljaar then meets the
    unique index).
    """
    if is_vastgesteld(record):
        raise Regelfout(AL_VASTGESTELD)
    if vastgesteld_vanaf(record.geldig_vanaf, behalve=record.id):
        raise Regelfout(bezet_bericht(record.geldig_vanaf))
    try:
        als_versie(record)
    except NormenFout as error:
        raise Regelfout(f"Deze normen kloppen niet: {error}") from None
    label = volgend_label()
    record.nummer = label
    record.status = Normstatus.VASTGESTELD
    record.vastgesteld_op = vandaag
    record.vastgesteld_door_naam = door_naam[:120]
    return label


def herbereken_na_vaststelling(geldig_vanaf: str) -> int:
    """After an adoption: recompute the register rows of its schooljaar and later ones.

    Only when such a schooljaar exists in the app; flushes, the caller commits. Returns how
    many rows got new termijnen.
    """
    from ..termijnen.opslag import herbereken_rijen

    vergeet()
    bestaat = db.session.scalar(
        select(Schooljaar.id).where(Schooljaar.naam >= geldig_vanaf).limit(1))
    if bestaat is None:
        return 0
    return herbereken_rijen(vanaf=grenzen(geldig_vanaf)[0])


def verwijder_concept(record: NormversieRecord) -> None:
    """Delete a draft; an adopted version stays (Regelfout)."""
    if is_vastgesteld(record):
        raise Regelfout(AL_VASTGESTELD)
    db.session.delete(record)

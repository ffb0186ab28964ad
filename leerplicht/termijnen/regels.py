"""How late is a melding, a question, a development: every step timed against its norm.

Plain functions without a request. A step runs from its begin date; its deadline is the norm's
number of werkdagen after that (termijnen count from the day after, Algemene termijnenwet);
done on or before the deadline is on time. The stored columns (`*_uiterlijk`, `*_werkdagen`)
are set by the herbereken_* functions whenever a date, the calendar or the norms change, so
figures and overdue lists are plain SQL.
"""

import enum
from dataclasses import dataclass
from datetime import date

from ..normen import Normversie
from ..regelfout import Regelfout
from ..scholen.models import Kant
from ..werkdagen import Werkdagkalender
from .models import Meldingstatus, Ontwikkeling, Oordeel, Verzuimmelding, Vraag


class Stapnaam(enum.StrEnum):
    """The timed steps of the registers, with the norm that sets their termijn."""

    TERUGMELDEN = "terugmelden"  # LLZ tells the school what is missing
    AANVULLEN = "aanvullen"  # the school completes it, else it counts as not sent
    REACTIE = "reactie"  # LLZ responds to a complete melding
    ANTWOORD_LLZ = "antwoord_llz"  # LLZ answers a school's question
    ANTWOORD_SCHOOL = "antwoord_school"  # the school answers LLZ's question
    INFORMEREN = "informeren"  # LLZ reports a development to the school

    @property
    def norm(self) -> str:
        """Key of the norm in content/normen.toml."""
        return NORM_VAN_STAP[self]

    @property
    def kant(self) -> Kant:
        """The side that owes this step."""
        return Kant.SCHOOL if self in (Stapnaam.AANVULLEN, Stapnaam.ANTWOORD_SCHOOL) else Kant.LLZ

    @property
    def label(self) -> str:
        """Dutch name of the step."""
        return {
            "terugmelden": "Onvolledige melding terugmelden",
            "aanvullen": "Melding aanvullen (school)",
            "reactie": "Reageren op de melding",
            "antwoord_llz": "Vraag van de school beantwoorden",
            "antwoord_school": "Vraag van Leerlingzaken beantwoorden (school)",
            "informeren": "School informeren over een ontwikkeling",
        }[self.value]


NORM_VAN_STAP = {
    Stapnaam.TERUGMELDEN: "melding_onvolledig_terugmelden",
    Stapnaam.AANVULLEN: "melding_aanvullen",
    Stapnaam.REACTIE: "melding_reactie",
    Stapnaam.ANTWOORD_LLZ: "vragen_beantwoorden",
    Stapnaam.ANTWOORD_SCHOOL: "vragen_beantwoorden",
    Stapnaam.INFORMEREN: "ontwikkelingen_informeren",
}


class Stand(enum.StrEnum):
    """Where a step stands on a given day."""

    OP_TIJD = "op_tijd"  # done on or before the deadline
    TE_LAAT = "te_laat"  # done after the deadline
    LOOPT = "loopt"  # not done, deadline not passed
    VERLOPEN = "verlopen"  # not done, deadline passed

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"op_tijd": "Op tijd", "te_laat": "Te laat", "loopt": "Loopt",
                "verlopen": "Over de termijn"}[self.value]

    @property
    def badge(self) -> str:
        """Status badge modifier."""
        return {"op_tijd": "valid", "te_laat": "invalid", "loopt": "neutral",
                "verlopen": "invalid"}[self.value]


def stand_op(uiterlijk: date, klaar_op: date | None, vandaag: date) -> Stand:
    """Where a step with this deadline stands on `vandaag`: done on or before it is on time."""
    if klaar_op is not None:
        return Stand.OP_TIJD if klaar_op <= uiterlijk else Stand.TE_LAAT
    return Stand.VERLOPEN if vandaag > uiterlijk else Stand.LOOPT


@dataclass(frozen=True)
class Stap:
    """One timed step of a register row."""

    naam: Stapnaam
    begin: date
    uiterlijk: date
    klaar_op: date | None

    def stand(self, vandaag: date) -> Stand:
        """On time, late, running or overdue on `vandaag`."""
        return stand_op(self.uiterlijk, self.klaar_op, vandaag)

    def werkdagen(self, kalender: Werkdagkalender) -> int | None:
        """The handling time in werkdagen once done (None while open)."""
        if self.klaar_op is None:
            return None
        return kalender.werkdagen_tussen(self.begin, self.klaar_op)

    def over_termijn(self, vandaag: date, kalender: Werkdagkalender) -> int:
        """Werkdagen past the deadline: when done, or today while open (0 if not past)."""
        eind = self.klaar_op or vandaag
        return max(0, kalender.werkdagen_tussen(self.uiterlijk, eind))

    def resterend(self, vandaag: date, kalender: Werkdagkalender) -> int:
        """Werkdagen left until the deadline (0 on the deadline day or after it)."""
        return max(0, kalender.werkdagen_tussen(vandaag, self.uiterlijk))


def norm_werkdagen(normen: Normversie, stap: Stapnaam) -> int:
    """The termijn of a step in werkdagen, from a norms version."""
    norm = normen[stap.norm]
    if norm.eenheid != "werkdagen":
        raise ValueError(f"Norm {norm.sleutel} is geen termijn in werkdagen")
    return norm.waarde


def _stap(naam: Stapnaam, begin: date, klaar_op: date | None, normen: Normversie,
          kalender: Werkdagkalender) -> Stap:
    """A step from its begin date, with the deadline of its norm."""
    return Stap(naam, begin, kalender.plus_werkdagen(begin, norm_werkdagen(normen, naam)),
                klaar_op)


# --- verzuimmeldingen --------------------------------------------------------------------------

def alle_elementen(normen: Normversie) -> int:
    """The bitmask with every checklist element of the norms version present."""
    return (1 << len(normen.meldingselementen)) - 1


def elementen_masker(aanwezig: list[int], normen: Normversie) -> int:
    """The bitmask of the given element indexes (0-based); ValueError for an unknown index."""
    masker = 0
    for index in aanwezig:
        if not 0 <= index < len(normen.meldingselementen):
            raise ValueError(f"Onbekend element {index}")
        masker |= 1 << index
    return masker


def aanwezige_elementen(melding: Verzuimmelding, normen: Normversie) -> list[int]:
    """Indexes of the checklist elements ticked as present."""
    return [i for i in range(len(normen.meldingselementen)) if melding.elementen >> i & 1]


def ontbrekende_elementen(melding: Verzuimmelding, normen: Normversie) -> list[str]:
    """The checklist elements a judged melding lacks, in the words of the norms version."""
    if melding.oordeel == Oordeel.OPEN:
        return []
    return [tekst for i, tekst in enumerate(normen.meldingselementen)
            if not melding.elementen >> i & 1]


def oordeel_uit(elementen: int, normen: Normversie) -> Oordeel:
    """Complete when every element of the checklist is present, else incomplete."""
    volledig = alle_elementen(normen)
    return Oordeel.COMPLEET if elementen & volledig == volledig else Oordeel.ONVOLLEDIG


def melding_stappen(melding: Verzuimmelding, normen: Normversie,
                    kalender: Werkdagkalender) -> list[Stap]:
    """The steps that run (or ran) for a melding, from its dates and judgement.

    Not judged yet: LLZ owes a response within the reactie norm from receipt. Incomplete: LLZ
    tells the school (terugmelden), then the school completes it (aanvullen), then LLZ responds
    from the completion date. Complete at once: LLZ responds from receipt. Once withdrawn, open
    steps stop; steps already done stay as they were.
    """
    stappen = []
    reactie_begin: date | None = melding.ontvangen_op
    if melding.oordeel == Oordeel.ONVOLLEDIG:
        stappen.append(_stap(Stapnaam.TERUGMELDEN, melding.ontvangen_op, melding.teruggemeld_op,
                             normen, kalender))
        reactie_begin = None
        if melding.teruggemeld_op is not None:
            stappen.append(_stap(Stapnaam.AANVULLEN, melding.teruggemeld_op,
                                 melding.aangevuld_op, normen, kalender))
            reactie_begin = melding.aangevuld_op
    if reactie_begin is not None:
        stappen.append(_stap(Stapnaam.REACTIE, reactie_begin, melding.gereageerd_op,
                             normen, kalender))
    if melding.status == Meldingstatus.INGETROKKEN:
        stappen = [stap for stap in stappen if stap.klaar_op is not None]
    return stappen


def niet_verzonden(melding: Verzuimmelding, vandaag: date) -> bool:
    """An incomplete melding the school did not complete in time counts as not sent."""
    return (melding.aangevuld_op is None and melding.aanvullen_uiterlijk is not None
            and vandaag > melding.aanvullen_uiterlijk)


def herbereken_melding(melding: Verzuimmelding, normen: Normversie,
                       kalender: Werkdagkalender) -> None:
    """Store each step's deadline and duration on the melding (NULL where a step does not run)."""
    gezet = {stap.naam: stap for stap in melding_stappen(melding, normen, kalender)}
    for naam in (Stapnaam.TERUGMELDEN, Stapnaam.AANVULLEN, Stapnaam.REACTIE):
        stap = gezet.get(naam)
        waarden = (None, None) if stap is None else (stap.uiterlijk, stap.werkdagen(kalender))
        for veld, waarde in zip(("uiterlijk", "werkdagen"), waarden, strict=True):
            if getattr(melding, f"{naam}_{veld}") != waarde:  # untouched rows keep their version
                setattr(melding, f"{naam}_{veld}", waarde)
    if melding.normversie != normen.versie:
        melding.normversie = normen.versie


def controleer_melding(melding: Verzuimmelding, normen: Normversie, kalender: Werkdagkalender,
                       vandaag: date) -> None:
    """Refuse impossible dates and judgements with a Dutch Regelfout (the first one found)."""
    datums = (("ontvangen_op", "De ontvangstdatum"), ("teruggemeld_op", "De datum van terugmelden"),
              ("aangevuld_op", "De datum van aanvullen"), ("gereageerd_op", "De reactiedatum"))
    for veld, naam in datums:
        dag = getattr(melding, veld)
        if dag is not None and dag > vandaag:
            raise Regelfout(f"{naam} ligt in de toekomst.", veld)
    if melding.oordeel == Oordeel.OPEN and (melding.teruggemeld_op or melding.gereageerd_op):
        raise Regelfout("Beoordeel de melding eerst met de checklist.", "oordeel")
    if melding.oordeel == Oordeel.COMPLEET and melding.teruggemeld_op is not None:
        raise Regelfout("Een complete melding wordt niet teruggemeld.", "teruggemeld_op")
    if melding.oordeel != oordeel_uit(melding.elementen, normen) and melding.oordeel != "open":
        raise Regelfout("Het oordeel past niet bij de aangevinkte elementen.", "oordeel")
    if melding.teruggemeld_op is not None and melding.teruggemeld_op < melding.ontvangen_op:
        raise Regelfout("Terugmelden kan niet vóór de ontvangst.", "teruggemeld_op")
    if melding.aangevuld_op is not None:
        if melding.teruggemeld_op is None:
            raise Regelfout("Aanvullen kan pas nadat de melding is teruggemeld.", "aangevuld_op")
        if melding.aangevuld_op < melding.teruggemeld_op:
            raise Regelfout("Aanvullen kan niet vóór het terugmelden.", "aangevuld_op")
        uiterlijk = kalender.plus_werkdagen(
            melding.teruggemeld_op, norm_werkdagen(normen, Stapnaam.AANVULLEN))
        if melding.aangevuld_op > uiterlijk:
            raise Regelfout(
                f"De termijn om aan te vullen liep tot en met {uiterlijk:%d-%m-%Y}: de melding "
                "geldt als niet verzonden. De school doet een nieuwe melding.", "aangevuld_op")
    if melding.gereageerd_op is not None:
        if melding.oordeel == Oordeel.ONVOLLEDIG and melding.aangevuld_op is None:
            raise Regelfout("Reageren kan pas als de melding compleet is.", "gereageerd_op")
        begin = melding.aangevuld_op or melding.ontvangen_op
        if melding.gereageerd_op < begin:
            raise Regelfout("De reactie kan niet vóór de (aangevulde) melding liggen.",
                            "gereageerd_op")


# --- questions and developments ---------------------------------------------------------------

def vraag_stap(vraag: Vraag, normen: Normversie, kalender: Werkdagkalender) -> Stap:
    """The answer owed to a question, by the side that did not ask it."""
    naam = Stapnaam.ANTWOORD_SCHOOL if vraag.gesteld_door == Kant.LLZ else Stapnaam.ANTWOORD_LLZ
    return _stap(naam, vraag.gesteld_op, vraag.beantwoord_op, normen, kalender)


def herbereken_vraag(vraag: Vraag, normen: Normversie, kalender: Werkdagkalender) -> None:
    """Store the question's deadline and, once answered, its duration."""
    stap = vraag_stap(vraag, normen, kalender)
    _zet(vraag, stap.uiterlijk, stap.werkdagen(kalender), normen.versie)


def ontwikkeling_stap(ontwikkeling: Ontwikkeling, normen: Normversie,
                      kalender: Werkdagkalender) -> Stap:
    """LLZ's report of a development to the school."""
    return _stap(Stapnaam.INFORMEREN, ontwikkeling.bekend_op, ontwikkeling.gemeld_op, normen,
                 kalender)


def herbereken_ontwikkeling(ontwikkeling: Ontwikkeling, normen: Normversie,
                            kalender: Werkdagkalender) -> None:
    """Store the development's deadline and, once reported, its duration."""
    stap = ontwikkeling_stap(ontwikkeling, normen, kalender)
    _zet(ontwikkeling, stap.uiterlijk, stap.werkdagen(kalender), normen.versie)


def _zet(record, uiterlijk: date, werkdagen: int | None, versie: str) -> None:
    """Set the stored timing fields that changed (untouched rows keep their version)."""
    for veld, waarde in (("uiterlijk", uiterlijk), ("werkdagen", werkdagen),
                         ("normversie", versie)):
        if getattr(record, veld) != waarde:
            setattr(record, veld, waarde)


def controleer_afhandeling(begin: date, klaar_op: date | None, vandaag: date,
                           begin_naam: str, klaar_naam: str, klaar_veld: str) -> None:
    """A question's answer or a development's report: not in the future, not before its start."""
    if begin > vandaag:
        raise Regelfout(f"{begin_naam} ligt in de toekomst.", None)
    if klaar_op is not None:
        if klaar_op > vandaag:
            raise Regelfout(f"{klaar_naam} ligt in de toekomst.", klaar_veld)
        if klaar_op < begin:
            raise Regelfout(f"{klaar_naam} kan niet vóór {begin_naam.lower()} liggen.",
                            klaar_veld)

"""What is still open in the registers, per school and per side (start pages, dossier).

Three bulk queries (one per register) on the stored deadlines (`*_uiterlijk`), whatever the
number of schools. A melding has at most one open step at a time (terugmelden, then aanvullen,
then reactie); a question is owed by the side that did not ask it; a development by LLZ.
"""

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import and_, or_, select

from ..extensions import db
from ..scholen.models import Kant
from ..schooljaren import alle_schooljaren
from ..werkdagen import Werkdagkalender
from .models import Ontwikkeling, Verzuimmelding, Vraag
from .opslag import MELDINGSTAPPEN
from .regels import Stapnaam

M = Verzuimmelding


@dataclass(frozen=True)
class Openstaand:
    """One open step of a register row."""

    stap: Stapnaam
    school_id: int
    rij_id: int
    register: str  # meldingen | vragen | ontwikkelingen (the endpoint of the register page)
    omschrijving: str  # the melding's reference, or the subject
    uiterlijk: date
    schooljaar: str

    @property
    def kant(self) -> Kant:
        """The side that owes the step."""
        return self.stap.kant

    def verlopen(self, vandaag: date) -> bool:
        """True when the deadline has passed."""
        return vandaag > self.uiterlijk

    def werkdagen_over(self, vandaag: date, kalender: Werkdagkalender) -> int:
        """Werkdagen past the deadline today (0 when not past)."""
        return max(0, kalender.werkdagen_tussen(self.uiterlijk, vandaag))

    @property
    def anker(self) -> str:
        """The row's anchor on the register page."""
        soort = {"meldingen": "melding", "vragen": "vraag", "ontwikkelingen": "ontwikkeling"}
        return f"{soort[self.register]}-{self.rij_id}"

    def href(self, code: str) -> str:
        """The row on the register page of its schooljaar."""
        return url_for(f"termijnen.{self.register}", code=code, schooljaar=self.schooljaar,
                       _anchor=self.anker)

    @property
    def tekst(self) -> str:
        """Dutch description of what is owed."""
        return {
            Stapnaam.TERUGMELDEN: f"Melding {self.omschrijving}: terugmelden wat ontbreekt",
            Stapnaam.AANVULLEN: f"Melding {self.omschrijving} aanvullen",
            Stapnaam.REACTIE: f"Melding {self.omschrijving}: reageren",
            Stapnaam.ANTWOORD_LLZ: f"Vraag ‘{self.omschrijving}’ beantwoorden",
            Stapnaam.ANTWOORD_SCHOOL: f"Vraag ‘{self.omschrijving}’ beantwoorden",
            Stapnaam.INFORMEREN: f"School informeren over ‘{self.omschrijving}’",
        }[self.stap]


def open_stappen(school_ids, vandaag: date, kant: Kant | None = None,
                 alleen_verlopen: bool = False) -> dict[int, list[Openstaand]]:
    """Each school's open steps (of any schooljaar), soonest deadline first: 3 queries (+1
    for the schooljaren, cached per request).

    `kant` keeps the steps one side owes; `alleen_verlopen` only those past their deadline.
    """
    ids = list(school_ids)
    uitkomst: dict[int, list[Openstaand]] = {school_id: [] for school_id in ids}
    if not ids:
        return uitkomst
    jaren = {jaar.id: jaar.naam for jaar in alle_schooljaren()}

    def telt(stap: Stapnaam, uiterlijk) -> list:
        """The conditions on a step's deadline column (None when the side is excluded)."""
        if kant is not None and stap.kant != kant:
            return None
        return [uiterlijk < vandaag] if alleen_verlopen else [uiterlijk.isnot(None)]

    rijen: list[Openstaand] = []
    voorwaarden = []
    for stap, uiterlijk, klaar, _duur in MELDINGSTAPPEN:
        extra = telt(stap, uiterlijk)
        if extra is not None:
            voorwaarden.append(and_(klaar.is_(None), *extra))
    if voorwaarden:
        for m in db.session.execute(
            select(M.id, M.school_id, M.schooljaar_id, M.referentie,
                   *(kolom for _s, u, k, _d in MELDINGSTAPPEN for kolom in (u, k)))
            .where(M.school_id.in_(ids), or_(*voorwaarden))
        ):
            for i, (stap, *_kolommen) in enumerate(MELDINGSTAPPEN):
                uiterlijk, klaar = m[4 + 2 * i], m[5 + 2 * i]
                if uiterlijk is None or klaar is not None:
                    continue
                if (kant is not None and stap.kant != kant) or (
                        alleen_verlopen and not uiterlijk < vandaag):
                    continue
                rijen.append(Openstaand(stap, m.school_id, m.id, "meldingen", m.referentie,
                                        uiterlijk, jaren[m.schooljaar_id]))

    vraagkanten = [k for k in (Kant.LLZ, Kant.SCHOOL) if kant is None or k == kant]
    # The side that answers is the side that did not ask.
    gesteld_door = [Kant.SCHOOL.value if k == Kant.LLZ else Kant.LLZ.value for k in vraagkanten]
    query = select(Vraag.id, Vraag.school_id, Vraag.schooljaar_id, Vraag.onderwerp,
                   Vraag.gesteld_door, Vraag.uiterlijk).where(
        Vraag.school_id.in_(ids), Vraag.beantwoord_op.is_(None),
        Vraag.gesteld_door.in_(gesteld_door))
    if alleen_verlopen:
        query = query.where(Vraag.uiterlijk < vandaag)
    for v in db.session.execute(query):
        stap = Stapnaam.ANTWOORD_LLZ if v.gesteld_door == Kant.SCHOOL else Stapnaam.ANTWOORD_SCHOOL
        rijen.append(Openstaand(stap, v.school_id, v.id, "vragen", v.onderwerp, v.uiterlijk,
                                jaren[v.schooljaar_id]))

    if kant in (None, Kant.LLZ):
        query = select(Ontwikkeling.id, Ontwikkeling.school_id, Ontwikkeling.schooljaar_id,
                       Ontwikkeling.onderwerp, Ontwikkeling.uiterlijk).where(
            Ontwikkeling.school_id.in_(ids), Ontwikkeling.gemeld_op.is_(None))
        if alleen_verlopen:
            query = query.where(Ontwikkeling.uiterlijk < vandaag)
        for o in db.session.execute(query):
            rijen.append(Openstaand(Stapnaam.INFORMEREN, o.school_id, o.id, "ontwikkelingen",
                                    o.onderwerp, o.uiterlijk, jaren[o.schooljaar_id]))

    rijen.sort(key=lambda r: (r.uiterlijk, r.register, r.rij_id))
    for rij in rijen:
        uitkomst[rij.school_id].append(rij)
    return uitkomst

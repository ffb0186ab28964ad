"""Target `dossiers`: one page per school, an index per LLZ contact person, and an overall index.

Each school page is the app's dossier page body (scholen/_dossier.html) with the context of
scholen.dossier.pagina_context, built by bouw_dossiers: every registered dossier section shows
up here without this module knowing it. The tree is not public (noindex).
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from sqlalchemy import select

from ..extensions import db
from ..scholen.dossier import bouw_dossiers, pagina_context, secties
from ..scholen.models import Contactpersoon, Contactrol, School, Toewijzing
from ..scholen.queries import laad_scholen
from .doelen import Bouw, Doel, Pagina, opmaak
from .stempels import digest, rijstempels

TITEL = "Schooldossiers Leerlingzaken"
# Schools per bulk load: a few queries per batch, IN lists far below database limits, and
# the first batch renders while the next one loads.
PARTIJ = 1000


@dataclass(frozen=True)
class Schoolregel:
    """One school as the indexes list it."""

    id: int
    code: str
    naam: str
    sector: str
    plaats: str
    actief: bool
    llz_naam: str

    @cached_property
    def pad(self) -> str:
        """Where the school's dossier page goes in the tree (the code made safe as a name);
        worked out once: every index links to it."""
        return f"scholen/{quote(self.code, safe='')}.html"

    @cached_property
    def stempel(self) -> str:
        """What the indexes show of this school, as text for their fingerprints (once per
        school, not once per index it is on)."""
        return repr((self.id, self.code, self.naam, self.sector, self.plaats, self.actief,
                     self.llz_naam))


@dataclass
class Llzpersoon:
    """An LLZ contact person with the schools they are contact person or substitute for."""

    id: int
    naam: str
    functie: str
    contact: list[Schoolregel] = field(default_factory=list)
    vervanger: list[Schoolregel] = field(default_factory=list)

    @property
    def pad(self) -> str:
        """Where this person's index goes in the tree."""
        return f"llz/{self.id}.html"

    @property
    def scholen(self) -> list[Schoolregel]:
        """Every school of this person, as contact person or as substitute."""
        return self.contact + self.vervanger


def overzicht() -> tuple[list[Schoolregel], dict[int, list[tuple[str, int, str, str]]]]:
    """Every school for the indexes, and its current LLZ roles (two queries, no ORM objects)."""
    # Core, not the ORM: plain rows, without the ORM's compile and loading steps (this runs
    # for every export, also for one school).
    verbinding = db.session.connection()
    rollen: dict[int, list] = {}
    for school_id, rol, persoon_id, naam, functie in verbinding.execute(
        select(Toewijzing.school_id, Toewijzing.rol, Contactpersoon.id, Contactpersoon.naam,
               Contactpersoon.functie)
        .join(Contactpersoon, Toewijzing.contactpersoon_id == Contactpersoon.id)
        .where(Toewijzing.actueel(),
               Toewijzing.rol.in_([Contactrol.LLZ_CONTACT, Contactrol.LLZ_VERVANGER]))
        .order_by(Toewijzing.school_id, Toewijzing.rol, Contactpersoon.id)
    ).all():
        rollen.setdefault(school_id, []).append((rol, persoon_id, naam, functie))
    contact: dict[int, str] = {}  # school -> its (first) LLZ contact person's name
    for school_id, lijst in rollen.items():
        for rol, _, naam, _ in lijst:
            if rol == Contactrol.LLZ_CONTACT:
                contact[school_id] = naam
                break
    regels = [
        Schoolregel(id_, code, naam, sector, plaats, actief, contact.get(id_, ""))
        for id_, code, naam, sector, plaats, actief in verbinding.execute(
            select(School.id, School.code, School.naam, School.sector, School.plaats, School.actief)
        ).all()
    ]
    # Sorted here, not in SQL: collations differ between SQLite and PostgreSQL.
    regels.sort(key=lambda r: (r.naam.casefold(), r.code))
    return regels, rollen


def llz_personen(regels: list[Schoolregel], rollen: dict) -> list[Llzpersoon]:
    """The LLZ contact persons of the listed schools, by name, each with their schools."""
    personen: dict[int, Llzpersoon] = {}
    for regel in regels:
        for rol, persoon_id, naam, functie in rollen.get(regel.id, []):
            persoon = personen.setdefault(persoon_id, Llzpersoon(persoon_id, naam, functie))
            (persoon.contact if rol == Contactrol.LLZ_CONTACT else persoon.vervanger).append(regel)
    return sorted(personen.values(), key=lambda p: (p.naam.casefold(), p.id))


def _stempel(regels: list[Schoolregel]) -> str:
    """The schools of an index as text for its fingerprint, in their order."""
    return "\n".join(regel.stempel for regel in regels)


def _rijstempels(school_id: int | None = None):
    """Fingerprints of the database rows, read raw inside the export's transaction (with
    `school_id`: only that school's and the shared rows)."""
    verbinding = db.session.connection()
    cursor = verbinding.connection.dbapi_connection.cursor()
    try:
        return rijstempels(cursor, db.metadata, verbinding.dialect.identifier_preparer.quote,
                           school_id)
    finally:
        cursor.close()


def dossiers_doel(bouw: Bouw) -> Doel:
    """The pages of the dossiers tree; school pages are loaded in bulk only when rendered."""
    regels, rollen = overzicht()
    gedeeltelijk = bouw.school is not None
    if gedeeltelijk:
        # --school: only that school's page; the other pages of the live build stay as they are.
        vorige = bouw.vorige.get("dossiers", {}).get("bestanden", {})
        getoond = [r for r in regels if r.code == bouw.school or r.pad in vorige]
        te_maken = [r for r in regels if r.code == bouw.school]
    else:
        getoond = te_maken = regels
    # --school: only that school's rows are hashed (and the shared ones).
    stempels = _rijstempels(te_maken[0].id if gedeeltelijk and te_maken else None)
    # The registered sections are inputs too (normally code, so in bronnen already).
    basis = digest(bouw.bronnen, stempels.globaal, bouw.schooljaar_naam, bouw.vandaag,
                   [(s.naam, s.template, s.volgorde, s.intern) for s in secties()])
    contexten: dict[int, dict] = {}
    school_van = {regel.pad: regel.id for regel in te_maken}

    def partijen(paginas: list[Pagina]):
        """Yield the pages to render: indexes first, then schools batch by batch, each batch
        loaded in bulk (bouw_dossiers) just before it is yielded."""
        scholen = [p for p in paginas if p.pad in school_van]
        overige = [p for p in paginas if p.pad not in school_van]
        if overige:
            yield overige
        for start in range(0, len(scholen), PARTIJ):
            partij = scholen[start:start + PARTIJ]
            contexten.clear()  # the previous batch is rendered (or handed to a worker)
            geladen = laad_scholen([school_van[p.pad] for p in partij])
            for dossier in bouw_dossiers(geladen, bouw.schooljaar, export=True):
                contexten[dossier.school.id] = pagina_context(dossier, export=True)
            yield partij

    paginas = [
        Pagina(
            pad=regel.pad,
            template="export/dossier.html",
            invoer=digest(basis, stempels.per_school.get(regel.id, "")),
            context=lambda school_id=regel.id: contexten[school_id],
        )
        for regel in te_maken
    ]
    personen = llz_personen(getoond, rollen)
    lijstbasis = digest(bouw.bronnen, bouw.schooljaar_naam)
    paginas.append(Pagina(
        pad="index.html",
        template="export/dossiers_index.html",
        invoer=digest(lijstbasis, _stempel(getoond), [(p.id, p.naam, p.functie, len(p.scholen))
                                                      for p in personen]),
        context=lambda: {"scholen": getoond, "personen": personen,
                         "schooljaar": bouw.schooljaar_naam if bouw.schooljaar else ""},
    ))
    for persoon in personen:
        paginas.append(Pagina(
            pad=persoon.pad,
            template="export/llz_index.html",
            invoer=digest(lijstbasis, persoon.id, persoon.naam, persoon.functie,
                          _stempel(persoon.contact), _stempel(persoon.vervanger)),
            context=lambda persoon=persoon: {
                "persoon": persoon, "schooljaar": bouw.schooljaar_naam if bouw.schooljaar else "",
            },
        ))
    return Doel(
        naam="dossiers",
        publiek=False,
        titel=TITEL,
        paginas=paginas,
        assets=opmaak(bouw.app),
        partijen=partijen,
        gedeeltelijk=gedeeltelijk,
    )

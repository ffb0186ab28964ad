"""The schooldossier: one context builder shared by the dossier page and the static export.

Areas (afsprakenlijst, escalatie, ...) register a DossierSectie: a loader that fetches its data
for MANY schools at once (a fixed number of queries, whatever the number of schools) and the
partial template that shows it. The dossier page calls the loaders with one school, the
exporter with thousands; neither needs to know which sections exist.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from flask_login import current_user

from ..policy import mag_bewerken, mag_deelnemen, onthoud_bewerkrecht
from ..schooljaren import Schooljaar
from .contactregels import Contactwissels, contactwissels
from .models import Contactrol, School
from .queries import laad_contacten, teamleider

Loader = Callable[[list[School], Schooljaar | None], dict[int, object]]


@dataclass(frozen=True)
class DossierSectie:
    """One section of the dossier: a bulk loader and the partial that renders its data."""

    naam: str
    titel: str
    template: str
    laad: Loader
    volgorde: int = 100
    intern: bool = False  # True: only in the app, never in the exported dossier


SECTIES: dict[str, DossierSectie] = {}


def registreer_sectie(sectie: DossierSectie) -> None:
    """Add (or replace, on app re-creation) a dossier section."""
    SECTIES[sectie.naam] = sectie


def secties() -> list[DossierSectie]:
    """The registered sections in page order."""
    return sorted(SECTIES.values(), key=lambda s: (s.volgorde, s.naam))


# Data that several section loaders need (e.g. the escalation routes), made once per
# bouw_dossiers call: the loaders ask gedeeld() for it. Outside a build, nothing is kept.
_gedeeld: ContextVar[dict | None] = ContextVar("dossier_gedeeld", default=None)


def gedeeld(sleutel: tuple, maak: Callable[[], object]):
    """Within one bouw_dossiers call: `maak()` once per `sleutel`; outside it: just `maak()`."""
    geheugen = _gedeeld.get()
    if geheugen is None:
        return maak()
    if sleutel not in geheugen:
        geheugen[sleutel] = maak()
    return geheugen[sleutel]


@dataclass
class RodeKnop:
    """Who calls whom when an urgent case is stuck: LLZ team leader and school director."""

    teamleider: object | None
    directeur: object | None

    @property
    def ontbreekt(self) -> list[str]:
        """Dutch names of the missing contacts (empty when complete)."""
        missing = []
        if self.teamleider is None:
            missing.append("teamleider Leerlingzaken")
        if self.directeur is None:
            missing.append("(locatie)directeur van de school")
        return missing


@dataclass
class Dossier:
    """Everything the dossier templates show for one school."""

    school: School
    schooljaar: Schooljaar | None
    rode_knop: RodeKnop
    contacten: list = field(default_factory=list)
    secties: dict[str, object] = field(default_factory=dict)
    wissels: Contactwissels = field(default_factory=lambda: Contactwissels([], []))


def bouw_dossiers(
    scholen: list[School], schooljaar: Schooljaar | None, export: bool = False
) -> list[Dossier]:
    """Assemble the dossiers of eagerly loaded schools, loading every section in bulk.

    For the export, internal sections are not even loaded: they are never shown there.
    """
    leider = teamleider()
    wissels = contactwissels([school.id for school in scholen], date.today())
    token = _gedeeld.set({})
    try:
        data = {
            sectie.naam: sectie.laad(scholen, schooljaar)
            for sectie in secties()
            if not (export and sectie.intern)
        }
    finally:
        _gedeeld.reset(token)
    return [
        Dossier(
            school=school,
            schooljaar=schooljaar,
            rode_knop=RodeKnop(teamleider=leider, directeur=school.contact(Contactrol.DIRECTEUR)),
            contacten=[(rol, school.contact(rol)) for rol in Contactrol],
            secties={naam: loaded.get(school.id) for naam, loaded in data.items()},
            wissels=wissels.get(school.id, Contactwissels([], [])),
        )
        for school in scholen
    ]


def pagina_context(
    dossier: Dossier, mag_bewerken: bool = False, mag_deelnemen: bool = False, export: bool = False
) -> dict:
    """The template context of one dossier page: in the app, or exported (export=True)."""
    return {
        "dossier": dossier,
        "school": dossier.school,
        "secties": secties(),
        "mag_bewerken": mag_bewerken and not export,
        "mag_deelnemen": mag_deelnemen and not export,
        "export": export,
    }


def dossier_context(
    school: School, schooljaar: Schooljaar | None, jaren: list[Schooljaar] | None = None
) -> dict:
    """The template context of the dossier page for the current user, in one schooljaar.

    `schooljaar` is the one chosen (None in a new install without any); an earlier one is
    read-only: no edit or action links. `jaren` are the schooljaren the page offers.
    """
    laad_contacten(school)  # the school enforce() loaded; one query for its current contacts
    onthoud_bewerkrecht(current_user, school)  # mag_bewerken from those contacts: no query
    huidig = schooljaar is None or schooljaar.huidig
    (dossier,) = bouw_dossiers([school], schooljaar)
    context = pagina_context(
        dossier,
        mag_bewerken=huidig and mag_bewerken(current_user, school.id),
        mag_deelnemen=huidig and mag_deelnemen(current_user, school.id),
    )
    context["jaren"] = jaren or []
    return context

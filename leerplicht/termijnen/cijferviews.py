"""The figures of the registers: LLZ's overview, the dossier section, cockpit columns."""

from dataclasses import dataclass, field
from datetime import date

from flask import g, has_request_context, make_response, request, url_for
from sqlalchemy import select

from ..extensions import db
from ..policy import Regel, toegang
from ..rendering import VALIDATION_FAILED, is_htmx, render
from ..scholen.models import Kant, School, Sector
from ..schooljaren import Schooljaar, alle_schooljaren, gekozen_schooljaar
from ..verzoek import positive_int
from . import cijfers as cijfermodule
from .cijfers import (
    MAANDEN,
    STAPPEN,
    Cijfers,
    per_maand_rijen,
    per_school,
    per_sector,
    totaal,
)
from .grafiek import binnengrafiek, maandgrafiek
from .kalender import kalender
from .openstaand import Openstaand, open_stappen
from .views import bp

FOUT_SECTOR = "Deze sector bestaat niet. Kies een sector uit de lijst."
PER_PAGINA = 50  # schools per page of the overview's school table


def vandaag() -> date:
    """Today (read through the module, so a test can fix it)."""
    return date.today()


def overzicht_context(args) -> tuple[dict, list[str]]:
    """Context of the overview and of its htmx partial, plus messages on a bad filter."""
    fouten = []
    sector = args.get("sector", "")
    if sector and sector not in {s.value for s in Sector}:
        fouten.append(FOUT_SECTOR)
        sector = ""
    schooljaar = gekozen_schooljaar()
    dag = vandaag()
    # Months are only shown for the whole selection: one small query instead of one per school.
    per = per_school(schooljaar, dag, sector=sector, maanden=False)
    query = select(School)
    if sector:
        query = query.where(School.sector == sector)
    # Active schools, and any inactive one that has rows in this schooljaar.
    scholen = [s for s in db.session.scalars(query.order_by(School.naam, School.code))
               if s.actief or s.id in per]
    sectoren = per_sector(scholen, per)
    alles = totaal(sectoren.values())
    for maand, aantal in per_maand_rijen(schooljaar, sector=sector):
        alles.per_maand[MAANDEN.index(maand)] += aantal
    # The school table is paged like the school list: the page stays small at 250 schools.
    paginas = max(1, -(-len(scholen) // PER_PAGINA))
    pagina = min(positive_int(args.get("pagina", "")) or 1, paginas)
    return {
        "pagina": pagina,
        "paginas": paginas,
        "aantal_scholen": len(scholen),
        "getoonde_scholen": scholen[(pagina - 1) * PER_PAGINA: pagina * PER_PAGINA],
        "schooljaar": schooljaar,
        "jaren": alle_schooljaren(),
        "sector": sector,
        "sectoren": list(Sector),
        "fouten": fouten,
        "vandaag": dag,
        "scholen": scholen,
        "per_school": per,
        "leeg": Cijfers(scholen=0),
        "per_sector": sectoren,
        "totaal": alles,
        "stappen": STAPPEN,
        "kort": cijfermodule.KORT,
        "maandgrafiek": maandgrafiek(alles),
        "binnengrafiek": binnengrafiek(alles, STAPPEN),
        "aandeel": cijfermodule.aandeel,
        "register": "meldingen",
        "school": None,
    }, fouten


@bp.route("/termijnen")
@toegang(Regel.LLZ)
def cijfers():
    """LLZ's overview of the registers' termijnen: per sector and per school, one schooljaar."""
    context, fouten = overzicht_context(request.args)
    body, status = render("termijnen/cijfers.html", "termijnen/_cijfers.html",
                          status=VALIDATION_FAILED if fouten else 200, **context)
    response = make_response(body, status)
    if is_htmx():
        args = {"schooljaar": request.args.get("schooljaar") or None,
                "sector": context["sector"] or None}
        response.headers["HX-Push-Url"] = url_for("termijnen.cijfers", **args)
    return response


# --- the dossier section ------------------------------------------------------------------------


@dataclass
class Dossiercijfers:
    """One school's figures in the dossier, with its charts and what is overdue today."""

    schooljaar: Schooljaar
    cijfers: Cijfers
    vandaag: date
    school_verschuldigd: list[tuple[Openstaand, int]] = field(default_factory=list)
    llz_verschuldigd: list[tuple[Openstaand, int]] = field(default_factory=list)

    @property
    def maandgrafiek(self):
        """Meldingen per month."""
        return maandgrafiek(self.cijfers)

    @property
    def binnengrafiek(self):
        """Share within the termijn per step."""
        return binnengrafiek(self.cijfers, STAPPEN)

    @property
    def stappen(self):
        """The steps in page order."""
        return STAPPEN


def laad_dossier(scholen: list[School], schooljaar: Schooljaar | None) -> dict[int, object]:
    """Each school's figures in the schooljaar and its overdue steps today (bulk: 9 queries)."""
    if schooljaar is None or not scholen:
        return {}
    dag = vandaag()
    ids = [s.id for s in scholen]
    per = per_school(schooljaar, dag, school_ids=ids)
    open_ = open_stappen(ids, dag, alleen_verlopen=True)
    agenda = kalender()
    uitkomst = {}
    for school in scholen:
        data = Dossiercijfers(schooljaar, per.get(school.id) or Cijfers(), dag)
        for stap in open_[school.id]:
            paar = (stap, stap.werkdagen_over(dag, agenda))
            (data.school_verschuldigd if stap.kant == Kant.SCHOOL
             else data.llz_verschuldigd).append(paar)
        uitkomst[school.id] = data
    return uitkomst


# --- cockpit columns ------------------------------------------------------------------------


def _cockpitcijfers(scholen, peil) -> dict[int, Cijfers]:
    """The schools' counts in the cockpit's schooljaar (shared by both columns in a request)."""
    if peil.schooljaar is None:
        return {}
    ids = tuple(s.id for s in scholen)
    sleutel = ("termijnen_cockpit", peil.schooljaar.id, peil.vandaag, ids)
    cache = g.setdefault("termijnen_cijfers", {}) if has_request_context() else {}
    if sleutel not in cache:
        per = per_school(peil.schooljaar, peil.vandaag, school_ids=ids, histogrammen=False,
                         maanden=False)
        cache[sleutel] = {i: per.get(i) or Cijfers() for i in ids}
    return cache[sleutel]


@dataclass(frozen=True)
class Meldingcel:
    """A cockpit cell of the meldingen: LLZ's steps together, and what is overdue."""

    llz: object  # cijfers.Telling of terugmelden + reactie
    meldingen: int
    niet_verzonden: int

    @property
    def binnen(self) -> str:
        """LLZ's share within the termijn."""
        return cijfermodule.aandeel(self.llz.binnen)


@dataclass(frozen=True)
class Vraagcel:
    """A cockpit cell of questions and developments: overdue per side."""

    vragen: int
    ontwikkelingen: int
    verlopen_llz: int
    verlopen_school: int


def laad_cockpit_meldingen(scholen, peil) -> dict[int, Meldingcel]:
    """Each school's meldingen: LLZ's share within the termijn and overdue steps."""
    return {i: Meldingcel(c.llz_meldingen, c.meldingen, c.niet_verzonden)
            for i, c in _cockpitcijfers(scholen, peil).items()}


def laad_cockpit_vragen(scholen, peil) -> dict[int, Vraagcel]:
    """Each school's questions and developments overdue, per side."""
    uit = {}
    for i, c in _cockpitcijfers(scholen, peil).items():
        llz = (c.stappen[cijfermodule.Stapnaam.ANTWOORD_LLZ].verlopen
               + c.stappen[cijfermodule.Stapnaam.INFORMEREN].verlopen)
        uit[i] = Vraagcel(c.vragen, c.ontwikkelingen, llz,
                          c.stappen[cijfermodule.Stapnaam.ANTWOORD_SCHOOL].verlopen)
    return uit


def init_app(app) -> None:
    """Register the dossier section and the two cockpit columns."""
    from ..home.cockpit import Kolom, registreer_kolom
    from ..scholen.dossier import DossierSectie, registreer_sectie

    app.jinja_env.filters["aandeel"] = cijfermodule.aandeel
    registreer_sectie(DossierSectie(
        naam="termijnen", titel="Termijnen", template="termijnen/_dossier_termijnen.html",
        laad=laad_dossier, volgorde=25, intern=True))
    registreer_kolom(Kolom(
        naam="termijnen_meldingen", kop="Termijnen meldingen",
        cel="termijnen/_cockpit_meldingen.html", laad=laad_cockpit_meldingen, volgorde=60,
        aandacht=lambda d: d.llz.verlopen > 0, kaart="Meldingen over de termijn",
        lijst=("termijnen.cijfers", "Termijnen van de registers")))
    registreer_kolom(Kolom(
        naam="termijnen_vragen", kop="Vragen en ontwikkelingen",
        cel="termijnen/_cockpit_vragen.html", laad=laad_cockpit_vragen, volgorde=70))


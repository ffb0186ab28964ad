"""Editing escalatieroutes: a school's own route this schooljaar, and the sector defaults.

Both owners share the work (plain functions taking an Eigenaar); every URL has its own view
below, named as its endpoint: `escalatie.route_*` for schools, `escalatie.sector_*` for sectors.
"""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import delete, select

from ..database import CONFLICT_TEKST, Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..formulieren import VersieForm
from ..models_base import verplaats
from ..policy import Regel, mag_bewerken, school_van_verzoek, toegang
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..scholen.models import School, Sector
from ..scholen.queries import laad_scholen, teamleider
from ..schooljaren import Schooljaar, huidig_of_404
from .forms import StapForm
from .models import Routestap, Spoor
from .queries import Routeregel, weergave
from .regels import Route, neem_over, persoon_voor, routes_voor, sectorroutes
from .views import bp


@dataclass
class Eigenaar:
    """Whose route is shown or edited: a school in the current schooljaar, or a sector."""

    soort: str  # school | sector
    sector: str
    school: School | None = None
    schooljaar: Schooljaar | None = None

    @property
    def prefix(self) -> str:
        """Endpoint prefix of this owner's views."""
        return "escalatie.route" if self.soort == "school" else "escalatie.sector"

    def url(self, naam: str, **args) -> str:
        """URL of one of this owner's views."""
        if self.soort == "school":
            key = {"code": self.school.code}
        else:
            key = {"sector": self.sector}
            if "stap_id" in args:
                args["standaardstap_id"] = args.pop("stap_id")
        return url_for(f"{self.prefix}_{naam}", **key, **args)

    def velden(self) -> dict:
        """The owner columns of a Routestap."""
        if self.soort == "school":
            return {"school_id": self.school.id, "schooljaar_id": self.schooljaar.id}
        return {"sector": self.sector}

    def filter(self):
        """SQL conditions selecting this owner's own steps."""
        if self.soort == "school":
            return (Routestap.school_id == self.school.id,
                    Routestap.schooljaar_id == self.schooljaar.id)
        return (Routestap.sector == self.sector, Routestap.school_id.is_(None))

    def route(self) -> Route:
        """The route that applies to this owner now."""
        if self.soort == "school":
            return routes_voor([self.school], self.schooljaar)[self.school.id]
        return sectorroutes({self.sector})[self.sector]

    @property
    def titel(self) -> str:
        """Heading of the route page."""
        if self.soort == "school":
            return f"Escalatieroute {self.school.naam}"
        return f"Standaardroute {self.sector} – {Sector(self.sector).label.lower()}"


def _school_eigenaar() -> Eigenaar:
    """The school of the URL (authorised by the policy hook) in the current schooljaar."""
    schooljaar = huidig_of_404()
    (school,) = laad_scholen([school_van_verzoek().id])  # with its contacts, for the people
    return Eigenaar("school", school.sector, school, schooljaar)


def _sector_eigenaar(sector: str) -> Eigenaar:
    """The sector of the URL, or 404 for a name that is no sector."""
    if sector not in {s.value for s in Sector}:
        abort(404)
    return Eigenaar("sector", sector)


def route_context(eigenaar: Eigenaar) -> dict:
    """Context of the route page and of its htmx partial."""
    route = eigenaar.route()
    # The beheerder is the only one who reaches a sector's page at all.
    mag = mag_bewerken(current_user, eigenaar.school.id) if eigenaar.school else True
    if eigenaar.school:
        regels = weergave(route, eigenaar.school, teamleider()).sporen
    else:
        regels = {spoor.value: [Routeregel(niveau, stap, None, None)
                                for niveau, stap in enumerate(route.spoor(spoor.value), 1)]
                  for spoor in Spoor}
    return {
        "eigenaar": eigenaar,
        "school": eigenaar.school,
        "route": route,
        "regels": regels,
        "sporen": list(Spoor),
        "mag_bewerken": mag,
        "bewerkbaar": mag and route.bron == eigenaar.soort,
        "leeg_form": VersieForm(),
        "nieuw_form": StapForm(formdata=None, termijn_werkdagen=5),
    }


def _fragment(eigenaar: Eigenaar, status: int = 200):
    """htmx answer to structural changes: both tracks re-rendered."""
    return render_template("escalatie/_route_bewerken.html", **route_context(eigenaar)), status


def _terug(eigenaar: Eigenaar, anker: str = ""):
    """Redirect to the route page (the no-JS answer)."""
    return redirect(eigenaar.url("tonen") + anker)


def toon_route(eigenaar: Eigenaar):
    """The route with its steps per track, and (for editors) the controls to adapt it."""
    return render("escalatie/route.html", "escalatie/_route_bewerken.html",
                  **route_context(eigenaar))


def pas_aan(eigenaar: Eigenaar):
    """Start an own route from the one that applies now (school: the sector's)."""
    if VersieForm().validate_on_submit():
        route = eigenaar.route()
        if route.bron == eigenaar.soort:
            flash("Deze route is al aangepast.", "waarschuwing")
        else:
            neem_over(route, **eigenaar.velden())
            db.session.commit()
            flash("U kunt de route nu aanpassen.", "succes")
    return _terug(eigenaar)


def herstel(eigenaar: Eigenaar):
    """Drop the own steps: the school follows its sector's route again (sector: the file's)."""
    # The explicit confirmation keeps a stray POST (or a crawler) from dropping a route.
    if request.form.get("bevestigd") != "ja":
        abort(400)
    if VersieForm().validate_on_submit():
        db.session.execute(delete(Routestap).where(*eigenaar.filter()))
        db.session.commit()
        flash("De standaardroute geldt weer." if eigenaar.soort == "school" else
              "De standaardroute uit de werkafspraken geldt weer voor deze sector.", "succes")
    return _terug(eigenaar)


def _eigen_stap(eigenaar: Eigenaar, stap_id: int) -> Routestap:
    """A step of this owner's own route, or 404."""
    stap = get_or_404(Routestap, id=stap_id)
    if (eigenaar.soort == "school" and (stap.school_id, stap.schooljaar_id) != (
            eigenaar.school.id, eigenaar.schooljaar.id)) or (
            eigenaar.soort == "sector" and (stap.sector != eigenaar.sector or stap.school_id)):
        abort(404)
    return stap


def _stappen(eigenaar: Eigenaar, spoor: str) -> list[Routestap]:
    """The owner's steps of one track, in order."""
    return list(db.session.scalars(
        select(Routestap).where(*eigenaar.filter(), Routestap.spoor == spoor)
        .order_by(Routestap.positie, Routestap.id)
    ))


def voeg_stap_toe(eigenaar: Eigenaar):
    """Add a step at the end of a track."""
    if eigenaar.route().bron != eigenaar.soort:
        flash("Kies eerst 'Route aanpassen'.", "waarschuwing")
        return _terug(eigenaar)
    form = StapForm()
    if form.validate_on_submit():
        bestaand = _stappen(eigenaar, form.spoor.data)
        stap = Routestap(
            spoor=form.spoor.data, positie=(bestaand[-1].positie + 1) if bestaand else 0,
            **eigenaar.velden(),
        )
        _kopieer(form, stap)
        db.session.add(stap)
        db.session.commit()
        if is_htmx():
            return _fragment(eigenaar)
        flash("De stap is toegevoegd.", "succes")
        return _terug(eigenaar, f"#stap-{stap.id}")
    context = route_context(eigenaar)
    context["nieuw_form"] = form
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("escalatie/stap_nieuw.html", "escalatie/_stap_nieuw_form.html", status=status,
                  **context)


def _kopieer(form: StapForm, stap: Routestap) -> None:
    """Copy the edited fields into the step."""
    stap.llz_rol, stap.school_rol = form.llz_rol.data, form.school_rol.data
    stap.wijze, stap.termijn_werkdagen = form.wijze.data, form.termijn_werkdagen.data
    stap.toelichting = form.toelichting.data or ""


def _stap_context(eigenaar: Eigenaar, stap: Routestap, **extra) -> dict:
    """Context of one step's partials (the same Routeregel the route page gives each step)."""
    stappen = _stappen(eigenaar, stap.spoor)
    niveau = stappen.index(stap) + 1
    if eigenaar.school:
        leider = teamleider()
        regel = Routeregel(niveau, stap, persoon_voor(stap.llz_rol, eigenaar.school, leider),
                           persoon_voor(stap.school_rol, eigenaar.school, leider))
    else:
        regel = Routeregel(niveau, stap, None, None)
    return {"eigenaar": eigenaar, "stap": stap, "regel": regel, "bewerkbaar": True,
            "laatste": niveau == len(stappen), "leeg_form": VersieForm(), **extra}


def bewerk_stap(eigenaar: Eigenaar, stap_id: int):
    """Edit one step inline; a stale form gets 409 with the saved step shown."""
    stap = _eigen_stap(eigenaar, stap_id)
    form = StapForm(obj=stap, formdata=None) if request.method == "GET" else StapForm()
    if request.method == "GET":
        form.versie.data = str(stap.versie)
    form.spoor.data = stap.spoor  # the track of a step does not change
    status, conflict = 200, None
    if form.validate_on_submit():
        try:
            check_version(stap, form.versie.data)
            _kopieer(form, stap)
            commit_or_conflict()
        except Conflict:
            db.session.rollback()
            stap = _eigen_stap(eigenaar, stap_id)
            form.versie.data = str(stap.versie)
            status, conflict = CONFLICT, CONFLICT_TEKST
        else:
            if is_htmx():
                return render_template("escalatie/_stap.html",
                                       **_stap_context(eigenaar, stap, focus=True))
            flash("De stap is opgeslagen.", "succes")
            return _terug(eigenaar, f"#stap-{stap.id}")
    elif request.method == "POST":
        status = VALIDATION_FAILED
    return render("escalatie/stap_bewerken.html", "escalatie/_stap_form.html", status=status,
                  **_stap_context(eigenaar, stap, form=form, conflict=conflict))


def toon_stap(eigenaar: Eigenaar, stap_id: int):
    """One step, read-only ('Annuleren' in the inline form swaps this back)."""
    stap = _eigen_stap(eigenaar, stap_id)
    if not is_htmx():
        return _terug(eigenaar, f"#stap-{stap.id}")
    return render_template("escalatie/_stap.html", **_stap_context(eigenaar, stap, focus=True))


def verwijder_stap(eigenaar: Eigenaar, stap_id: int):
    """Remove a step; the steps after it move up one level."""
    stap = _eigen_stap(eigenaar, stap_id)
    form = VersieForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        check_version(stap, form.versie.data)
    except Conflict:
        flash("De stap is intussen gewijzigd; bekijk haar opnieuw voor u verwijdert.", "fout")
        return _fragment(eigenaar, CONFLICT) if is_htmx() else _terug(eigenaar)
    if len(_stappen(eigenaar, stap.spoor)) == 1:
        flash("Een spoor houdt minstens één stap.", "fout")
        return _fragment(eigenaar, VALIDATION_FAILED) if is_htmx() else _terug(eigenaar)
    db.session.delete(stap)
    db.session.commit()
    if is_htmx():
        return _fragment(eigenaar)
    flash("De stap is verwijderd.", "succes")
    return _terug(eigenaar)


def verplaats_stap(eigenaar: Eigenaar, stap_id: int):
    """Move a step one level up or down within its track."""
    stap = _eigen_stap(eigenaar, stap_id)
    richting = request.form.get("richting")
    if not VersieForm().validate_on_submit() or richting not in ("omhoog", "omlaag"):
        abort(400)
    if verplaats(_stappen(eigenaar, stap.spoor), stap, richting):
        db.session.commit()
    if is_htmx():
        return _fragment(eigenaar)
    return _terug(eigenaar, f"#stap-{stap.id}")


# The views: each URL is one explicit function, named as its endpoint. School routes are for
# the school's LLZ editors (this schooljaar); sector routes (/beheer) for the beheerder. Sector
# steps are `standaardstap_id` in URLs, so a school step's URL never names a sector's step.
SCHOOLROUTE = "/scholen/<code>/escalatieroute"
SECTORROUTE = "/beheer/escalatieroutes/<sector>"


@bp.route(SCHOOLROUTE)
@toegang(Regel.SCHOOL_INZIEN)
def route_tonen(code: str):
    """The school's route this schooljaar."""
    return toon_route(_school_eigenaar())


@bp.route(SCHOOLROUTE + "/aanpassen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def route_aanpassen(code: str):
    """Give the school a route of its own, starting from its sector's."""
    return pas_aan(_school_eigenaar())


@bp.route(SCHOOLROUTE + "/herstellen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def route_herstellen(code: str):
    """Let the school follow its sector's route again."""
    return herstel(_school_eigenaar())


@bp.route(SCHOOLROUTE + "/stappen/nieuw", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def route_stap_nieuw(code: str):
    """Add a step to the school's own route."""
    return voeg_stap_toe(_school_eigenaar())


@bp.route(SCHOOLROUTE + "/stappen/<int:stap_id>", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def route_stap_bewerken(code: str, stap_id: int):
    """Edit a step of the school's own route."""
    return bewerk_stap(_school_eigenaar(), stap_id)


@bp.route(SCHOOLROUTE + "/stappen/<int:stap_id>/weergave")
@toegang(Regel.SCHOOL_BEWERKEN)
def route_stap_weergave(code: str, stap_id: int):
    """A step of the school's own route, read-only."""
    return toon_stap(_school_eigenaar(), stap_id)


@bp.route(SCHOOLROUTE + "/stappen/<int:stap_id>/verwijderen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def route_stap_verwijderen(code: str, stap_id: int):
    """Remove a step from the school's own route."""
    return verwijder_stap(_school_eigenaar(), stap_id)


@bp.route(SCHOOLROUTE + "/stappen/<int:stap_id>/verplaatsen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def route_stap_verplaatsen(code: str, stap_id: int):
    """Move a step of the school's own route up or down."""
    return verplaats_stap(_school_eigenaar(), stap_id)


@bp.route(SECTORROUTE)
@toegang(Regel.BEHEERDER)
def sector_tonen(sector: str):
    """The standard route of a sector."""
    return toon_route(_sector_eigenaar(sector))


@bp.route(SECTORROUTE + "/aanpassen", methods=["POST"])
@toegang(Regel.BEHEERDER)
def sector_aanpassen(sector: str):
    """Give the sector a standard route of its own, starting from the werkafspraken."""
    return pas_aan(_sector_eigenaar(sector))


@bp.route(SECTORROUTE + "/herstellen", methods=["POST"])
@toegang(Regel.BEHEERDER)
def sector_herstellen(sector: str):
    """Let the sector follow the route of the werkafspraken again."""
    return herstel(_sector_eigenaar(sector))


@bp.route(SECTORROUTE + "/stappen/nieuw", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def sector_stap_nieuw(sector: str):
    """Add a step to the sector's standard route."""
    return voeg_stap_toe(_sector_eigenaar(sector))


@bp.route(SECTORROUTE + "/stappen/<int:standaardstap_id>", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def sector_stap_bewerken(sector: str, standaardstap_id: int):
    """Edit a step of the sector's standard route."""
    return bewerk_stap(_sector_eigenaar(sector), standaardstap_id)


@bp.route(SECTORROUTE + "/stappen/<int:standaardstap_id>/weergave")
@toegang(Regel.BEHEERDER)
def sector_stap_weergave(sector: str, standaardstap_id: int):
    """A step of the sector's standard route, read-only."""
    return toon_stap(_sector_eigenaar(sector), standaardstap_id)


@bp.route(SECTORROUTE + "/stappen/<int:standaardstap_id>/verwijderen", methods=["POST"])
@toegang(Regel.BEHEERDER)
def sector_stap_verwijderen(sector: str, standaardstap_id: int):
    """Remove a step from the sector's standard route."""
    return verwijder_stap(_sector_eigenaar(sector), standaardstap_id)


@bp.route(SECTORROUTE + "/stappen/<int:standaardstap_id>/verplaatsen", methods=["POST"])
@toegang(Regel.BEHEERDER)
def sector_stap_verplaatsen(sector: str, standaardstap_id: int):
    """Move a step of the sector's standard route up or down."""
    return verplaats_stap(_sector_eigenaar(sector), standaardstap_id)

"""Editing escalatieroutes: a school's own route this schooljaar, and the sector defaults.

Both owners share one set of view functions; each is registered twice (school URLs for LLZ
editors, /beheer URLs for the beheerder) with its own access rule.
"""

from dataclasses import dataclass

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import delete, select

from ..database import Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..models_base import verplaats
from ..policy import Regel, mag_bewerken, toegang
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..scholen.models import School, Sector
from ..scholen.queries import laad_scholen, teamleider
from ..schooljaren import Schooljaar, huidig_schooljaar
from .forms import StapForm, VersieForm
from .models import Routestap, Spoor
from .queries import Routeregel, weergave
from .regels import Route, neem_over, persoon_voor, routes_voor, sectorroutes

CONFLICT_TEKST = (
    "Iemand anders heeft deze stap intussen gewijzigd. Uw invoer staat nog in het formulier; "
    "de opgeslagen stap ziet u erboven. Controleer en sla opnieuw op."
)


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


def _eigenaar() -> Eigenaar:
    """The owner named by the URL (already authorised by the policy hook)."""
    args = request.view_args or {}
    if "code" in args:
        schooljaar = huidig_schooljaar()
        if schooljaar is None:
            abort(404)
        (school,) = laad_scholen([g.school_id])
        return Eigenaar("school", school.sector, school, schooljaar)
    sector = args.get("sector", "")
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


def tonen(**_):
    """The route with its steps per track, and (for editors) the controls to adapt it."""
    return render("escalatie/route.html", "escalatie/_route_bewerken.html",
                  **route_context(_eigenaar()))


def aanpassen(**_):
    """Start an own route from the one that applies now (school: the sector's)."""
    eigenaar = _eigenaar()
    if VersieForm().validate_on_submit():
        route = eigenaar.route()
        if route.bron == eigenaar.soort:
            flash("Deze route is al aangepast.", "waarschuwing")
        else:
            neem_over(route, **eigenaar.velden())
            db.session.commit()
            flash("U kunt de route nu aanpassen.", "succes")
    return _terug(eigenaar)


def herstellen(**_):
    """Drop the own steps: the school follows its sector's route again (sector: the file's)."""
    eigenaar = _eigenaar()
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


def stap_nieuw(**_):
    """Add a step at the end of a track."""
    eigenaar = _eigenaar()
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
    niveau = _stappen(eigenaar, stap.spoor).index(stap) + 1
    if eigenaar.school:
        leider = teamleider()
        regel = Routeregel(niveau, stap, persoon_voor(stap.llz_rol, eigenaar.school, leider),
                           persoon_voor(stap.school_rol, eigenaar.school, leider))
    else:
        regel = Routeregel(niveau, stap, None, None)
    return {"eigenaar": eigenaar, "stap": stap, "regel": regel, "bewerkbaar": True,
            "leeg_form": VersieForm(), **extra}


def stap_bewerken(stap_id: int, **_):
    """Edit one step inline; a stale form gets 409 with the saved step shown."""
    eigenaar = _eigenaar()
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


def stap_weergave(stap_id: int, **_):
    """One step, read-only ('Annuleren' in the inline form swaps this back)."""
    eigenaar = _eigenaar()
    stap = _eigen_stap(eigenaar, stap_id)
    if not is_htmx():
        return _terug(eigenaar, f"#stap-{stap.id}")
    return render_template("escalatie/_stap.html", **_stap_context(eigenaar, stap, focus=True))


def stap_verwijderen(stap_id: int, **_):
    """Remove a step; the steps after it move up one level."""
    eigenaar = _eigenaar()
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


def stap_verplaatsen(stap_id: int, **_):
    """Move a step one level up or down within its track."""
    eigenaar = _eigenaar()
    stap = _eigen_stap(eigenaar, stap_id)
    richting = request.form.get("richting")
    if not VersieForm().validate_on_submit() or richting not in ("omhoog", "omlaag"):
        abort(400)
    if verplaats(_stappen(eigenaar, stap.spoor), stap, richting):
        db.session.commit()
    if is_htmx():
        return _fragment(eigenaar)
    return _terug(eigenaar, f"#stap-{stap.id}")


VIEWS = (
    ("tonen", "", ("GET",), tonen),
    ("aanpassen", "/aanpassen", ("POST",), aanpassen),
    ("herstellen", "/herstellen", ("POST",), herstellen),
    ("stap_nieuw", "/stappen/nieuw", ("GET", "POST"), stap_nieuw),
    ("stap_bewerken", "/stappen/<int:stap_id>", ("GET", "POST"), stap_bewerken),
    ("stap_weergave", "/stappen/<int:stap_id>/weergave", ("GET",), stap_weergave),
    ("stap_verwijderen", "/stappen/<int:stap_id>/verwijderen", ("POST",), stap_verwijderen),
    ("stap_verplaatsen", "/stappen/<int:stap_id>/verplaatsen", ("POST",), stap_verplaatsen),
)


def registreer(bp) -> None:
    """Register every route view for schools (LLZ editors) and sectors (beheerder)."""
    for prefix, basis, lezen, schrijven in (
        ("route", "/scholen/<code>/escalatieroute", Regel.SCHOOL_INZIEN, Regel.SCHOOL_BEWERKEN),
        ("sector", "/beheer/escalatieroutes/<sector>", Regel.BEHEERDER, Regel.BEHEERDER),
    ):
        for naam, pad, methods, view in VIEWS:
            regel = lezen if naam == "tonen" else schrijven
            endpoint = f"{prefix}_{naam}"
            if prefix == "sector":
                # A distinct variable name keeps sector steps and school steps apart in URLs.
                pad = pad.replace("<int:stap_id>", "<int:standaardstap_id>")

            def wrapped(_view=view, **kwargs):
                if "standaardstap_id" in kwargs:
                    kwargs["stap_id"] = kwargs.pop("standaardstap_id")
                return _view(**kwargs)

            wrapped.__name__ = endpoint
            wrapped.__doc__ = view.__doc__
            bp.add_url_rule(basis + pad, endpoint, toegang(regel)(wrapped), methods=methods)

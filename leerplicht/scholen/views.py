"""School list (with active search) and the schooldossier page."""

from datetime import date

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from .. import paginacache
from ..database import CONFLICT_TEKST, Conflict, check_version, commit_or_conflict
from ..extensions import db
from ..policy import Regel, school_van_verzoek, toegang
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..schooljaren import alle_schooljaren, gekozen_schooljaar
from .dossier import dossier_context
from .forms import NieuweSchoolForm, SchoolForm
from .models import Contactrol, School, Sector, Toewijzing
from .queries import PAGINA_GROOTTE, Zoekopdracht, llz_contactpersonen, zoek_scholen

bp = Blueprint("scholen", __name__, url_prefix="/scholen")

CODE_BEZET = "Er is al een school met dit BRIN- en vestigingsnummer."


def lijst_context() -> dict:
    """Context of the school list page and of its results partial."""
    zoek = Zoekopdracht.uit_args(request.args)
    scholen, totaal = zoek_scholen(current_user, zoek)
    paginas = max(1, -(-totaal // PAGINA_GROOTTE))
    return {
        "zoek": zoek,
        "scholen": scholen,
        "totaal": totaal,
        "paginas": paginas,
        "sectoren": list(Sector),
        "llz_contacten": llz_contactpersonen() if current_user.rol != "school" else [],
    }


@bp.route("/")
@toegang(Regel.INGELOGD)
def lijst():
    """The schools the user may see, with search and filters (plain GET form, htmx-enhanced)."""
    context = lijst_context()
    body, status = render("scholen/lijst.html", "scholen/_resultaten.html", **context)
    response = make_response(body, status)
    if is_htmx():
        # The address bar shows the clean search URL (no empty filters), as the GET form would.
        response.headers["HX-Push-Url"] = url_for("scholen.lijst", **context["zoek"].args())
    return response


@bp.route("/<code>")
@toegang(Regel.SCHOOL_INZIEN)
def dossier(code: str):
    """The schooldossier of one school in the chosen schooljaar (?schooljaar=, else current)."""
    school = school_van_verzoek()  # enforce() checked the access: always, cache or not

    def maak() -> str:
        jaren = alle_schooljaren()
        schooljaar = gekozen_schooljaar() if jaren else None  # a new install has none yet
        return render_template("scholen/_dossier_pagina.html",
                               **dossier_context(school, schooljaar, jaren))

    # The body follows from the data (the cache's token), the school, the schooljaar asked for
    # and the user (what they may do there): a repeat view reads none of it again.
    sleutel = (school.id, request.args.get("schooljaar", ""), current_user.id)
    inhoud = paginacache.deel("dossier", sleutel, maak)
    return render("scholen/dossier.html", school=school, inhoud=inhoud)


@bp.route("/<code>/bewerken", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def bewerken(code: str):
    """Edit the basic data of a school; a stale form gets 409 with the saved data shown."""
    school = school_van_verzoek()
    form = SchoolForm(obj=school, versie=str(school.versie)) if request.method == "GET" else (
        SchoolForm()
    )
    if form.validate_on_submit():
        try:
            check_version(school, form.versie.data)
            if _code_bezet(form.code.data, behalve=school.id):
                form.code.errors.append(CODE_BEZET)
            else:
                kopieer_naar_school(form, school)
                commit_or_conflict()
                flash("De gegevens van de school zijn opgeslagen.", "succes")
                return redirect(url_for("scholen.dossier", code=school.code))
        except Conflict:
            db.session.rollback()  # the school is read again, as saved by the other user
            if _code_bezet(form.code.data, behalve=school.id):
                # Another school took this code at the same moment (the unique index said so).
                form.code.errors.append(CODE_BEZET)
                return render("scholen/school_form.html", form=form, school=school,
                              status=CONFLICT)
            form.versie.data = str(school.versie)
            return render(
                "scholen/school_form.html",
                form=form,
                school=school,
                conflict=CONFLICT_TEKST,
                status=CONFLICT,
            )
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("scholen/school_form.html", form=form, school=school, status=status)


def kopieer_naar_school(form: SchoolForm, school: School) -> None:
    """Copy the edited fields into the school (never the version: SQLAlchemy owns that)."""
    for name in ("naam", "code", "sector", "straat", "postcode", "plaats", "bestuur", "actief"):
        setattr(school, name, getattr(form, name).data)


def _code_bezet(code: str, behalve: int | None = None) -> bool:
    """True when another school already has this code."""
    query = select(School.id).where(School.code == code)
    if behalve is not None:
        query = query.where(School.id != behalve)
    return db.session.scalar(query) is not None


@bp.route("/nieuw", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def nieuw():
    """Add a school with its LLZ contact person and substitute."""
    form = NieuweSchoolForm()
    keuzes = [SelectChoice(0, "— nog niet bekend —")] + [
        SelectChoice(c.id, c.naam) for c in llz_contactpersonen()
    ]
    form.llz_contact.choices = keuzes
    form.llz_vervanger.choices = keuzes
    if form.validate_on_submit():
        if _code_bezet(form.code.data):
            form.code.errors.append(CODE_BEZET)
        else:
            school = School()
            kopieer_naar_school(form, school)
            db.session.add(school)
            for rol, persoon_id in (
                (Contactrol.LLZ_CONTACT, form.llz_contact.data),
                (Contactrol.LLZ_VERVANGER, form.llz_vervanger.data),
            ):
                if persoon_id:
                    db.session.add(
                        Toewijzing(
                            school=school,
                            contactpersoon_id=persoon_id,
                            rol=rol,
                            vanaf=date.today(),
                        )
                    )
            try:
                commit_or_conflict()
            except Conflict:
                # Two people added the same code at once: the unique index let one through.
                form.code.errors.append(CODE_BEZET)
                return render("scholen/school_form.html", form=form, school=None,
                              status=CONFLICT)
            flash(f"{school.naam} is toegevoegd.", "succes")
            return redirect(url_for("scholen.dossier", code=school.code))
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("scholen/school_form.html", form=form, school=None, status=status)

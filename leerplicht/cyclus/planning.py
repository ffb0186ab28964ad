"""The jaarplanning pages: per school, per LLZ contact person and for all schools together."""

from datetime import date

from flask import request
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import Rol
from ..extensions import db
from ..policy import Regel, is_llz_editor_clause, school_van_verzoek, toegang
from ..rendering import render
from ..scholen.models import School, Sector
from ..schooljaren import Schooljaar, alle_schooljaren, gekozen_schooljaar, jaar_args
from .jaarplanning import Stand, jaarplanning, per_maand
from .views import bp

PERSONEN = {"mijn": "Mijn scholen", "alle": "Alle scholen"}


def init_app(app) -> None:
    """The routes are attached to the blueprint at import; nothing else to register."""


def vandaag() -> date:
    """Today (read through the module, so a test can fix it)."""
    return date.today()


def eigen_scholen(user):
    """The active schools the LLZ user is contact person or vervanger for (plain rows)."""
    if user.contactpersoon_id is None:
        return []
    return db.session.execute(
        select(School.id, School.code, School.naam, School.sector)
        .where(School.actief.is_(True), is_llz_editor_clause(user, School.id))
        .order_by(School.naam, School.code)
    ).all()


def alle_scholen():
    """Every active school (plain rows)."""
    return db.session.execute(
        select(School.id, School.code, School.naam, School.sector)
        .where(School.actief.is_(True)).order_by(School.naam, School.code)
    ).all()


def gekozen_persoon(user) -> str:
    """?persoon=mijn|alle; by default an LLZ user sees their own schools, a beheerder all."""
    keuze = request.args.get("persoon", "")
    if keuze in PERSONEN:
        return keuze
    return "mijn" if user.rol == Rol.LLZ else "alle"


def overzicht_context(user, schooljaar: Schooljaar, persoon: str) -> dict:
    """Context of the jaarplanning of one LLZ person's schools, or of all schools together."""
    dag = vandaag()
    if persoon == "mijn":
        scholen = eigen_scholen(user)
        items = jaarplanning(scholen, schooljaar, dag, samen=True, namen_tonen=True)
    else:
        scholen = alle_scholen()
        items = jaarplanning(scholen, schooljaar, dag, samen=True, namen_tonen=False,
                             sectoren={s.value for s in Sector})
    return {
        "schooljaar": schooljaar,
        "jaren": alle_schooljaren(),
        "jaar_args": jaar_args(schooljaar),
        "persoon": persoon,
        "personen": PERSONEN,
        "aantal_scholen": len(scholen),
        "maanden": per_maand(items),
        "vandaag": dag,
        "toon_scholen": True,
        "standen": list(Stand),
    }


@bp.route("/jaarplanning")
@toegang(Regel.LLZ)
def planning_overzicht():
    """The jaarplanning of the user's own schools (?persoon=mijn) or of all (?persoon=alle)."""
    user = current_user._get_current_object()
    context = overzicht_context(user, gekozen_schooljaar(), gekozen_persoon(user))
    return render("cyclus/jaarplanning.html", "cyclus/_jaarplanning_lijst.html", **context)


@bp.route("/scholen/<code>/jaarplanning")
@toegang(Regel.SCHOOL_INZIEN)
def planning_school(code: str):
    """The jaarplanning of one school: its milestones, meetings and programme dates."""
    school = school_van_verzoek()
    schooljaar = gekozen_schooljaar()
    dag = vandaag()
    items = jaarplanning([school], schooljaar, dag)
    return render(
        "cyclus/jaarplanning_school.html", "cyclus/_jaarplanning_lijst.html",
        school=school, schooljaar=schooljaar, jaren=alle_schooljaren(),
        jaar_args=jaar_args(schooljaar), maanden=per_maand(items), vandaag=dag,
        toon_scholen=False, standen=list(Stand),
    )

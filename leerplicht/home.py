"""Home page per role, and the patterns page that shows every UI component once."""

from datetime import date

from flask import Blueprint, redirect, url_for
from flask_login import current_user
from sqlalchemy import func, select

from .accounts.models import Gebruiker, Rol
from .afspraken.queries import overzichten as afspraken_overzichten
from .escalatie.models import Escalatie
from .escalatie.queries import Escalatiestand, Routeregel
from .escalatie.queries import overzichten as escalatie_overzichten
from .escalatie.regels import Bewaking, content_routes
from .extensions import db
from .normenbron import register as normen_register
from .policy import Regel, is_llz_editor_clause, toegang
from .rendering import render
from .scholen.dossier import RodeKnop
from .scholen.forms import SchoolForm
from .scholen.models import Contactrol, School
from .scholen.queries import (
    heeft_contact,
    heeft_llz_contact,
    laad_scholen,
    met_contacten,
    teamleider,
)
from .schooljaren import huidig_schooljaar

bp = Blueprint("home", __name__)


def init_app(app) -> None:
    """Register the home blueprint."""
    app.register_blueprint(bp)


@bp.route("/")
@toegang(Regel.INGELOGD)
def index():
    """Land each role where its work is: a school user with one school on that dossier."""
    user = current_user
    if user.rol == Rol.SCHOOL and len(user.scholen) == 1:
        return redirect(url_for("scholen.dossier", code=user.scholen[0].code))
    schooljaar = huidig_schooljaar()
    if user.rol == Rol.SCHOOL:
        scholen = laad_scholen([s.id for s in user.scholen])
        return render("home/school.html", scholen=scholen,
                      escalaties=escalatie_overzichten(scholen, schooljaar))
    mijn_scholen = []
    if user.contactpersoon_id:
        mijn_scholen = db.session.scalars(
            met_contacten(select(School))
            .where(is_llz_editor_clause(user, School.id))
            .order_by(School.naam)
        ).all()
    aantallen = {}
    if user.rol == Rol.BEHEERDER:
        aantallen = {
            "scholen": db.session.scalar(select(func.count(School.id))),
            "gebruikers": db.session.scalar(select(func.count(Gebruiker.id))),
            "zonder_llz": db.session.scalar(
                select(func.count(School.id)).where(~heeft_llz_contact(School.id))
            ),
        }
    return render(
        "home/index.html",
        mijn_scholen=mijn_scholen,
        lijsten=afspraken_overzichten(mijn_scholen, schooljaar, met_afspraken=False)
        if mijn_scholen else {},
        escalaties=escalatie_overzichten(mijn_scholen, schooljaar) if mijn_scholen else {},
        aantallen=aantallen,
        schooljaar=schooljaar,
    )


BEHEERTAKEN = (
    ("accounts.gebruikers", {}, "Gebruikers",
     "Accounts, rollen en de scholen van schoolgebruikers."),
    ("schooljaren.beheer", {}, "Schooljaren",
     "Het nieuwe schooljaar openen; afsprakenlijsten en routes lopen stilzwijgend door."),
    ("escalatie.sector_tonen", {"sector": "PO"}, "Standaard-escalatieroutes",
     "De route per sector waarmee elke school begint."),
    ("termijnen.sluitingsdagen", {}, "Sluitingsdagen",
     "Dagen waarop termijnen niet doorlopen, zoals Goede vrijdag."),
    ("home.patronen", {}, "Patronen", "Alle onderdelen van de gebruikersinterface op één pagina."),
)


@bp.route("/beheer")
@toegang(Regel.BEHEERDER)
def beheer():
    """The beheerder's tasks, and schools whose rode knop is incomplete."""
    zonder_directeur = db.session.execute(
        select(School.naam, School.code)
        .where(School.actief.is_(True), ~heeft_contact(School.id, Contactrol.DIRECTEUR))
        .order_by(School.naam)
    ).all()
    return render("home/beheer.html", taken=BEHEERTAKEN, teamleider=teamleider(),
                  zonder_directeur=zonder_directeur)


@bp.route("/beheer/patronen")
@toegang(Regel.BEHEERDER)
def patronen():
    """Every UI component once, so looks and accessibility can be checked in one place."""
    form = SchoolForm(formdata=None, data={"code": "1234", "sector": "PO"})
    form.naam.errors = ["Vul de naam van de school in."]
    form.code.errors = ["Schrijf het nummer als 12AB00: twee cijfers, twee letters, twee cijfers."]
    leider = teamleider()
    return render(
        "home/patronen.html",
        form=form,
        rode_knop=RodeKnop(teamleider=leider, directeur=None),
        normen=normen_register().nieuwste,
        **voorbeeld_escalatie(leider),
    )


def voorbeeld_escalatie(leider) -> dict:
    """A made-up school, route step and escalation past its termijn (never stored)."""
    vandaag = date.today()
    school = School(id=0, code="00XX00", naam="Voorbeeldschool", sector="VO")
    stap = content_routes()["standaard"]["inhoud"][0]
    escalatie = Escalatie(id=0, versie=1, spoor="inhoud", onderwerp="Reactie blijft uit",
                          geopend_op=vandaag, geopend_door_naam="Voorbeeld",
                          geopend_door_kant="school", niveau=1, stap_sinds=vandaag,
                          stap_termijn=5, stap_llz_rol="llz_contact",
                          stap_school_rol="school_contact")
    stand = Escalatiestand(escalatie, Bewaking(vandaag, -2), leider, None, 3)
    return {"voorbeeld_school": school, "voorbeeld_regel": Routeregel(1, stap, leider, None),
            "voorbeeld_stand": stand, "vandaag": vandaag}

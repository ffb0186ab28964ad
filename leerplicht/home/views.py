"""Routes of the start pages, the beheerder's tasks and the patterns page."""

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import paginacache
from ..accounts.models import Rol
from ..extensions import db
from ..normenbron import register as normen_register
from ..policy import Regel, toegang
from ..rendering import VALIDATION_FAILED, is_htmx, render
from ..scholen.dossier import RodeKnop
from ..scholen.forms import SchoolForm
from ..scholen.models import Contactrol, School
from ..scholen.queries import heeft_contact, teamleider
from .cockpit import cockpit_context
from .patronen import voorbeeld_escalatie
from .taken import llz_context, school_context

bp = Blueprint("home", __name__)


@bp.route("/")
@toegang(Regel.INGELOGD)
def index():
    """Each role's start page: the school's and LLZ's work first, the beheerder's cockpit."""
    # The school's and LLZ's pages show the user's own schools and tasks: the part is kept per
    # user (their name, role and schools are data: any change gives a new data version).
    if current_user.rol == Rol.SCHOOL:
        inhoud = paginacache.deel("start-school", (current_user.id,), lambda: render_template(
            "home/_school_inhoud.html", **school_context(current_user)))
        return render("home/school.html", inhoud=inhoud)
    if current_user.rol == Rol.LLZ:
        inhoud = paginacache.deel("start-llz", (current_user.id,), lambda: render_template(
            "home/_llz_inhoud.html", **llz_context(current_user)))
        return render("home/llz.html", inhoud=inhoud)
    context, fouten = cockpit_context(request.args)
    body, status = render("home/cockpit.html", "home/_cockpit.html",
                          status=VALIDATION_FAILED if fouten else 200, **context)
    response = make_response(body, status)
    if is_htmx():
        # The address bar shows the clean filter URL (no empty filters), as the GET form would.
        response.headers["HX-Push-Url"] = url_for("home.index", **context["filter"].args())
    return response


BEHEERTAKEN = (
    ("accounts.gebruikers", {}, "Gebruikers",
     "Accounts, rollen en de scholen van schoolgebruikers."),
    ("schooljaren.beheer", {}, "Schooljaren",
     "Het nieuwe schooljaar openen; afsprakenlijsten en routes lopen stilzwijgend door."),
    ("escalatie.sector_tonen", {"sector": "PO"}, "Standaard-escalatieroutes",
     "De route per sector waarmee elke school begint."),
    ("termijnen.sluitingsdagen", {}, "Sluitingsdagen",
     "Dagen waarop termijnen niet doorlopen, zoals Goede vrijdag."),
    ("termijnen.bewaartermijn", {}, "Bewaartermijn",
     "Hoelang meldingen, vragen en ontwikkelingen bewaard blijven."),
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

"""Access control, in one place: every view declares a rule; one hook enforces it."""

import enum

from flask import (
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    make_response,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import exists, or_, select

from .accounts.models import Rol, gebruiker_school
from .database import lock_for_write
from .extensions import db
from .scholen.models import (
    Contactpersoon,
    Contactrol,
    Kant,
    School,
    Toewijzing,
    contactpersoon_school,
)

LLZ_ROLLEN = (Contactrol.LLZ_CONTACT.value, Contactrol.LLZ_VERVANGER.value)


class Regel(enum.Enum):
    """What a view requires of the user."""

    PUBLIEK = "publiek"  # no login (login page, static files)
    INGELOGD = "ingelogd"  # any logged-in user; the view itself scopes data to the user
    LLZ = "llz"  # beheerder or LLZ staff
    BEHEERDER = "beheerder"
    SCHOOL_INZIEN = "school_inzien"  # may see the school in the URL (`code`)
    SCHOOL_BEWERKEN = "school_bewerken"  # beheerder or LLZ contact/vervanger of that school
    SCHOOL_DEELNEMEN = "school_deelnemen"  # editors plus the school's own users


def toegang(regel: Regel):
    """Declare the access rule of a view; the hook in enforce() applies it."""

    def decorate(view):
        view.toegangsregel = regel
        return view

    return decorate


def regel_van(app: Flask, endpoint: str) -> Regel | None:
    """Return the declared rule of an endpoint (static files are public)."""
    if endpoint == "static" or endpoint.endswith(".static"):
        return Regel.PUBLIEK
    view = app.view_functions.get(endpoint)
    return getattr(view, "toegangsregel", None)


def check_all_routes_declared(app: Flask) -> None:
    """Refuse to start when a route has no access rule: forgetting one must not open it."""
    missing = sorted(ep for ep in app.view_functions if regel_van(app, ep) is None)
    if missing:
        raise RuntimeError(f"Routes zonder toegangsregel: {', '.join(missing)}")


def is_llz_contact_clause(contactpersoon_id, school_id_column):
    """SQL condition: the person is the current LLZ contact or vervanger of the school."""
    return exists().where(
        Toewijzing.school_id == school_id_column,
        Toewijzing.actueel(),
        Toewijzing.rol.in_(LLZ_ROLLEN),
        Toewijzing.contactpersoon_id == contactpersoon_id,
    )


def is_llz_editor_clause(user, school_id_column):
    """SQL condition: the user is the current LLZ contact or vervanger of the school."""
    return is_llz_contact_clause(user.contactpersoon_id, school_id_column)


def zichtbare_scholen(user):
    """SQL condition on School limiting rows to what the user may see."""
    if user.rol in (Rol.BEHEERDER, Rol.LLZ):
        return School.id.is_not(None)
    return exists().where(
        gebruiker_school.c.school_id == School.id, gebruiker_school.c.gebruiker_id == user.id
    )


def kiesbare_personen(user, school: School):
    """SQL condition on Contactpersoon: whom the user may pick or see as a choice at this school.

    LLZ people are shared by all schools. School-side people belong to the schools they work
    for: a school user picks among the people of its own schools; LLZ picks among the people of
    this school and of the other schools of its bestuur (a person may work for several).
    """
    if user.rol == Rol.SCHOOL:
        scholen = select(gebruiker_school.c.school_id).where(
            gebruiker_school.c.gebruiker_id == user.id
        )
    elif school.bestuur:
        scholen = select(School.id).where(
            or_(School.id == school.id, School.bestuur == school.bestuur)
        )
    else:
        scholen = select(School.id).where(School.id == school.id)
    return or_(
        Contactpersoon.kant == Kant.LLZ,
        exists().where(
            contactpersoon_school.c.contactpersoon_id == Contactpersoon.id,
            contactpersoon_school.c.school_id.in_(scholen),
        ),
    )


def mag_inzien(user, school_id: int) -> bool:
    """True when the user may see the school."""
    if not user.is_authenticated:
        return False
    if user.rol in (Rol.BEHEERDER, Rol.LLZ):
        return True
    return any(school.id == school_id for school in user.scholen)


def mag_bewerken(user, school_id: int) -> bool:
    """True when the user may edit the school's dossier (LLZ side)."""
    if not user.is_authenticated:
        return False
    if user.rol == Rol.BEHEERDER:
        return True
    if user.rol != Rol.LLZ or user.contactpersoon_id is None:
        return False
    # Asked several times per page (buttons, sections): one query per school and request.
    cache = g.setdefault("mag_bewerken", {}) if has_request_context() else {}
    if school_id not in cache:
        cache[school_id] = bool(db.session.scalar(select(is_llz_editor_clause(user, school_id))))
    return cache[school_id]


def onthoud_bewerkrecht(user, school: School) -> None:
    """Answer mag_bewerken for this request from the school's loaded current contacts.

    The same rule as is_llz_editor_clause (current LLZ contact or vervanger), without its
    query; call only when `school.toewijzingen` is loaded (the dossier loads it anyway).
    """
    if not (has_request_context() and user.is_authenticated and user.rol == Rol.LLZ
            and user.contactpersoon_id is not None):
        return
    g.setdefault("mag_bewerken", {})[school.id] = any(
        t.rol in LLZ_ROLLEN and t.contactpersoon_id == user.contactpersoon_id
        for t in school.toewijzingen
    )


def mag_deelnemen(user, school_id: int) -> bool:
    """True when the user may act for either side of the school (akkoord, evaluation, comments)."""
    if user.is_authenticated and user.rol == Rol.SCHOOL:
        return mag_inzien(user, school_id)
    return mag_bewerken(user, school_id)


def mag_rol_wijzigen(user, school_id: int, rol: Contactrol) -> bool:
    """LLZ editors may change every contact role of the school; its own users the school side."""
    if mag_bewerken(user, school_id):
        return True
    return rol.kant == "school" and user.rol == Rol.SCHOOL and mag_inzien(user, school_id)


def _school_for_request() -> School:
    """Load the school of the URL (`code`), or answer 404."""
    code = (request.view_args or {}).get("code")
    # A write locks the school's row until it commits (PostgreSQL): concurrent actions on one
    # school take turns, so a check-then-insert (a new list, a new version) sees the other's row.
    school = db.session.scalar(
        lock_for_write(select(School).where(School.code == code))
    ) if code else None
    if school is None:
        abort(404)
    return school


def school_van_verzoek() -> School:
    """The school of the URL, as enforce() loaded (on writes: locked) and authorised it."""
    return g.school


def _deny_anonymous():
    """Send an anonymous visitor to the login page (htmx: a full-page redirect)."""
    login = url_for("accounts.login", next=request.full_path.rstrip("?"))
    if getattr(request, "htmx", False):
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login
        return response
    response = make_response("", 302)
    response.headers["Location"] = login
    return response


def enforce():
    """before_request hook: apply the rule of the requested endpoint."""
    if request.endpoint is None:
        return None  # 404/405 are answered by Flask itself
    regel = regel_van(current_app, request.endpoint)
    if regel is Regel.PUBLIEK:
        return None
    if not current_user.is_authenticated:
        return _deny_anonymous()
    if regel is Regel.INGELOGD:
        return None
    if regel in (Regel.LLZ, Regel.BEHEERDER):
        if not _voldoet(current_user, regel):
            abort(403)
        return None
    school = _school_for_request()
    school_id = school.id
    # A school the user may not see is a 404: its existence is not revealed.
    if not mag_inzien(current_user, school_id):
        abort(404)
    g.school = school
    if regel is Regel.SCHOOL_BEWERKEN and not mag_bewerken(current_user, school_id):
        abort(403)
    if regel is Regel.SCHOOL_DEELNEMEN and not mag_deelnemen(current_user, school_id):
        abort(403)
    return None


# The main menu: (endpoint, label) in display order. Wachtwoord lives under the user's name.
HOOFDMENU = (
    ("home.index", "Start"),
    ("scholen.lijst", "Scholen"),
    ("afspraken.termijnen", "Afsprakenlijsten"),
    ("escalatie.overzicht", "Escalaties"),
    ("termijnen.cijfers", "Termijnen"),
    ("cyclus.planning_overzicht", "Jaarplanning"),
    ("cyclus.klankbord_overzicht", "Klankbordgroep"),
    ("rapportage.jaarverslag", "Jaarverslag"),
    ("brochure.werkafspraken", "Werkafspraken"),
    ("home.beheer", "Beheer"),
)


def _voldoet(user, regel: Regel | None) -> bool:
    """True when the user passes a rule that needs no school from the URL (enforce and menu)."""
    if regel is Regel.PUBLIEK:
        return True
    if regel is Regel.INGELOGD:
        return user.is_authenticated
    if regel is Regel.LLZ:
        return user.is_authenticated and user.rol in (Rol.BEHEERDER, Rol.LLZ)
    if regel is Regel.BEHEERDER:
        return user.is_authenticated and user.rol == Rol.BEHEERDER
    return False  # school rules (and undeclared endpoints) never make a main-menu item


def hoofdmenu(user) -> list[tuple[str, str]]:
    """The main-menu items whose endpoint's declared rule this user passes."""
    if not getattr(user, "is_authenticated", False):
        return []  # also outside a request (the static export renders without a user)
    return [(endpoint, label) for endpoint, label in HOOFDMENU
            if _voldoet(user, regel_van(current_app, endpoint))]

"""Logging in and out: throttling kept in the database, server-side session invalidation."""

import time
from datetime import datetime

from flask import current_app, flash, request, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, func, select
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db, login_manager
from ..models_base import utcnow
from .models import Gebruiker, Inlogpoging
from .passwords import controleer_wachtwoord


@login_manager.user_loader
def load_user(session_id: str) -> Gebruiker | None:
    """Load the user of a session cookie; a cookie from before logout no longer matches."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(Gebruiker, user_id)
    if user is None or not user.actief or user.sessie_versie != version:
        return None
    return user


TE_VEEL_POGINGEN = (
    "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw, "
    "of vraag de beheerder om hulp."
)


def client_ip() -> str:
    """The caller's address (the forwarded one when TRUSTED_PROXIES puts ProxyFix in front)."""
    # Cut to the column's length: a forwarded header can hold anything (PostgreSQL refuses more).
    return (request.remote_addr or "onbekend")[:64]


def geblokkeerd(email: str, ip: str, now: datetime | None = None) -> bool:
    """True when too many failed attempts were made for this e-mail or from this IP."""
    now = now or utcnow()
    since = now - current_app.config["LOGIN_WINDOW"]
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    failed = select(func.count(Inlogpoging.id)).where(
        Inlogpoging.gelukt.is_(False), Inlogpoging.tijdstip >= since
    )
    by_email = db.session.scalar(failed.where(Inlogpoging.email == _sleutel(email)))
    by_ip = db.session.scalar(failed.where(Inlogpoging.ip == ip))
    return by_email >= limit or by_ip >= limit * 4


def _sleutel(email: str) -> str:
    """The form in which attempts are counted per account."""
    return email.strip().lower()


def wachtwoord_klopt(user: Gebruiker | None, wachtwoord: str) -> bool:
    """True for an active user's right password; every failure costs the same hash work."""
    # Verify first, then look at `actief`: skipping the hash for a deactivated account would
    # answer in milliseconds and reveal it (see PITFALLS).
    klopt = controleer_wachtwoord(user.wachtwoord_hash if user else None, wachtwoord)
    return klopt and user is not None and user.actief


def _registreer_poging(email: str, ip: str, gelukt: bool) -> None:
    """Record an attempt; a success clears this account's failures, as a login does."""
    db.session.add(Inlogpoging(email=_sleutel(email), ip=ip, gelukt=gelukt))
    if gelukt:
        db.session.execute(
            delete(Inlogpoging).where(
                Inlogpoging.email == _sleutel(email), Inlogpoging.gelukt.is_(False)
            )
        )


def probeer_in_te_loggen(email: str, wachtwoord: str, ip: str) -> Gebruiker | None:
    """Check the credentials, record the attempt and return the user on success."""
    email = _sleutel(email)
    user = db.session.scalars(select(Gebruiker).where(Gebruiker.email == email)).first()
    ok = wachtwoord_klopt(user, wachtwoord)
    _registreer_poging(email, ip, ok)
    if ok:
        _boekhouding(user, laatst_ingelogd_op=utcnow())
    db.session.commit()
    return user if ok else None


def controleer_huidig_wachtwoord(user: Gebruiker, wachtwoord: str, ip: str) -> bool:
    """Check the current password on the password page, counted like a login attempt."""
    ok = wachtwoord_klopt(user, wachtwoord)
    _registreer_poging(user.email, ip, ok)
    db.session.commit()
    return ok


# Session keys (epoch seconds): when the user logged in, and when the last request came.
INGELOGD_OP = "ingelogd_op"
ACTIEF_OP = "actief_op"
SESSIE_VERLOPEN = (
    "Uw sessie is verlopen omdat u een tijd niets hebt gedaan, of omdat u al lang bent "
    "ingelogd. Log opnieuw in."
)


def start_sessie(user: Gebruiker) -> None:
    """Begin a fresh session for the user (nothing of the anonymous session carries over)."""
    session.clear()
    session.permanent = True
    login_user(user)
    nu = int(time.time())
    session[INGELOGD_OP] = nu
    session[ACTIEF_OP] = nu


def bewaak_sessie():
    """before_request: end a logged-in session past its lifetime or idle timeout.

    The policy then treats the request as anonymous: a page sends to the login form
    (htmx: HX-Redirect), where the flash says why. Static files and /health skip this.
    """
    if "_user_id" not in session or request.endpoint in (None, "static", "health.health"):
        return None
    nu = int(time.time())
    ingelogd = _tijd(session.get(INGELOGD_OP), nu)
    actief = _tijd(session.get(ACTIEF_OP), nu)
    config = current_app.config
    if (nu - ingelogd > config["PERMANENT_SESSION_LIFETIME"].total_seconds()
            or nu - actief > config["SESSIE_INACTIEF"].total_seconds()):
        logout_user()
        session.clear()
        flash(SESSIE_VERLOPEN, "info")
        return None
    session.setdefault(INGELOGD_OP, ingelogd)
    if nu - actief >= 30 or ACTIEF_OP not in session:  # at most one cookie change per 30 s
        session[ACTIEF_OP] = nu
    return None


def _tijd(waarde, nu: int) -> int:
    """A stored epoch second; a missing or odd value (an older cookie) counts as now."""
    return waarde if isinstance(waarde, int) and 0 < waarde <= nu else nu


def _boekhouding(user: Gebruiker, **values) -> None:
    """Update login bookkeeping without bumping the row version an editor's form relies on."""
    db.session.execute(
        Gebruiker.__table__.update().where(Gebruiker.id == user.id).values(**values)
    )
    for name, value in values.items():
        set_committed_value(user, name, value)


def beeindig_sessies(user: Gebruiker) -> None:
    """Invalidate every session of the user, this one included (logout, password change)."""
    _boekhouding(user, sessie_versie=(user.sessie_versie or 0) + 1)
    db.session.commit()


def log_uit(user: Gebruiker) -> None:
    """Log out here and invalidate copies of the session cookie everywhere."""
    beeindig_sessies(user)
    logout_user()
    session.clear()

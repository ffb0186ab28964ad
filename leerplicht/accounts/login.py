"""Logging in and out: throttling kept in the database, server-side session invalidation."""

from datetime import datetime

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, func, select
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db, login_manager
from ..models_base import utcnow
from .models import Gebruiker, Inlogpoging
from .passwords import controleer_wachtwoord, dummy_hash


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


def geblokkeerd(email: str, ip: str, now: datetime | None = None) -> bool:
    """True when too many failed attempts were made for this e-mail or from this IP."""
    now = now or utcnow()
    since = now - current_app.config["LOGIN_WINDOW"]
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    failed = select(func.count(Inlogpoging.id)).where(
        Inlogpoging.gelukt.is_(False), Inlogpoging.tijdstip >= since
    )
    by_email = db.session.scalar(failed.where(Inlogpoging.email == email))
    by_ip = db.session.scalar(failed.where(Inlogpoging.ip == ip))
    return by_email >= limit or by_ip >= limit * 4


def probeer_in_te_loggen(email: str, wachtwoord: str, ip: str) -> Gebruiker | None:
    """Check the credentials, record the attempt and return the user on success."""
    email = email.strip().lower()
    user = db.session.scalars(select(Gebruiker).where(Gebruiker.email == email)).first()
    if user is None:
        controleer_wachtwoord(dummy_hash(), wachtwoord)  # same work as for a real account
        ok = False
    else:
        ok = user.actief and controleer_wachtwoord(user.wachtwoord_hash, wachtwoord)
    db.session.add(Inlogpoging(email=email, ip=ip, gelukt=ok))
    if ok:
        _boekhouding(user, laatst_ingelogd_op=utcnow())
        # Successful login clears this account's failures; old rows are pruned.
        db.session.execute(
            delete(Inlogpoging).where(
                Inlogpoging.email == email, Inlogpoging.gelukt.is_(False)
            )
        )
    db.session.commit()
    return user if ok else None


def start_sessie(user: Gebruiker) -> None:
    """Begin a fresh session for the user (nothing of the anonymous session carries over)."""
    session.clear()
    session.permanent = True
    login_user(user)


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

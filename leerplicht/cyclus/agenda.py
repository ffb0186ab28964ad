"""The iCalendar feed of the jaarplanning (a secret URL per user) and the account page that
creates, renews and stops it and holds the reminders choice."""

import hashlib
import re
import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, make_response, redirect, session, url_for
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import Gebruiker, Rol
from ..database import commit_or_conflict
from ..extensions import db
from ..models_base import utcnow
from ..policy import Regel, toegang
from ..rendering import render
from ..scholen.models import Sector
from ..schooljaren import Schooljaar, huidig_schooljaar
from .agendaforms import AgendaForm, HerinneringForm
from .jaarplanning import Mijlpaal, jaarplanning
from .models import Agendatoken, Herinneringsinstelling
from .planning import alle_scholen, eigen_scholen
from .views import bp

TIJDZONE = "Europe/Amsterdam"
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_PATROON = re.compile(r"[A-Za-z0-9_-]{43}")
NIEUWE_LINK = "agenda_nieuwe_link"  # session key: the new feed URL, shown once on /account


def init_app(app) -> None:
    """The routes are attached to the blueprint at import; nothing else to register."""


# --- tokens -----------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored: a leaked database reveals no working feed URL."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def agendatoken_van(user) -> Agendatoken | None:
    """The user's active calendar token record, if any."""
    return db.session.scalar(select(Agendatoken).where(Agendatoken.gebruiker_id == user.id))


def nieuw_token(user) -> str:
    """Create the user's token, or replace it (the old URL stops working); return it in clear."""
    token = secrets.token_urlsafe(32)
    record = agendatoken_van(user)
    if record is None:
        db.session.add(Agendatoken(gebruiker_id=user.id, token_hash=token_hash(token)))
    else:
        record.token_hash = token_hash(token)
        record.aangemaakt_op = utcnow()
    return token


def stop_token(user) -> bool:
    """Remove the user's token (its URL stops working); False when there was none."""
    record = agendatoken_van(user)
    if record is None:
        return False
    db.session.delete(record)
    return True


def gebruiker_van_token(token: str) -> Gebruiker | None:
    """The active user whose token this is; None for a malformed, unknown or reset token."""
    if not TOKEN_PATROON.fullmatch(token):
        return None
    return db.session.scalar(
        select(Gebruiker).join(Agendatoken, Agendatoken.gebruiker_id == Gebruiker.id)
        .where(Agendatoken.token_hash == token_hash(token), Gebruiker.actief.is_(True)))


def herinneringen_aan(user) -> bool:
    """True when the user wants the e-mail digest (no row: on)."""
    aan = db.session.scalar(select(Herinneringsinstelling.aan).where(
        Herinneringsinstelling.gebruiker_id == user.id))
    return True if aan is None else aan


# --- the feed ---------------------------------------------------------------------------------

def feed_items(user, schooljaar: Schooljaar, vandaag: date) -> list[Mijlpaal]:
    """What a user's calendar holds: a school user their schools' items and programmes and
    Klankbordgroep meetings of their sectors; an LLZ user those of the schools they are
    contact or vervanger for; a beheerder everything, summed up per date."""
    if user.rol == Rol.SCHOOL:
        return jaarplanning(list(user.scholen), schooljaar, vandaag, samen=True)
    if user.rol == Rol.LLZ:
        return jaarplanning(eigen_scholen(user), schooljaar, vandaag, samen=True)
    return jaarplanning(alle_scholen(), schooljaar, vandaag, samen=True, namen_tonen=False,
                        sectoren={s.value for s in Sector})


def _samenvatting(item: Mijlpaal) -> str:
    """The SUMMARY of an event: the title with the school, or the number of schools."""
    if item.namen_tonen and len(item.scholen) == 1:
        return f"{item.titel} – {item.scholen[0].naam}"
    if item.namen_tonen and item.scholen:
        return f"{item.titel} ({len(item.scholen)} scholen)"
    return item.volledige_titel


def _beschrijving(item: Mijlpaal) -> str:
    """The DESCRIPTION of an event: what it is, for which schools, and where it stood."""
    regels = [item.omschrijving] if item.omschrijving else []
    if item.namen_tonen and len(item.scholen) > 1:
        regels.append("Scholen: " + ", ".join(s.naam for s in item.scholen))
    if item.badge:
        regels.append(f"Stand bij het ophalen: {item.badge_tekst}")
    return "\n".join(regels)


def _url(user, item: Mijlpaal) -> str:
    """The app page of an item (external URL): where it is done, else the user's jaarplanning."""
    if item.link:
        return url_for(item.link[0], _external=True, **item.link[1])
    if len(item.scholen) == 1:
        return url_for("cyclus.planning_school", code=item.scholen[0].code, _external=True)
    if user.rol == Rol.SCHOOL and user.scholen:
        return url_for("cyclus.planning_school", code=user.scholen[0].code, _external=True)
    if user.rol == Rol.SCHOOL:
        return url_for("home.index", _external=True)
    return url_for("cyclus.planning_overzicht", _external=True)


def kalender(user, schooljaar: Schooljaar | None, items: list[Mijlpaal]) -> bytes:
    """The VCALENDAR of the items: all-day events with stable UIDs, and the Amsterdam zone."""
    import icalendar  # here, not at the top: only the feed needs it (~50 ms of every start)

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Leerplicht samenwerking//Jaarplanning//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname",
            f"Jaarplanning leerplicht {current_app.config['MUNICIPALITY']}".strip())
    cal.add("x-wr-timezone", TIJDZONE)
    cal.add("x-published-ttl", "PT15M")
    jaar = schooljaar.begin.year if schooljaar else date.today().year
    cal.add_component(icalendar.Timezone.from_tzinfo(
        ZoneInfo(TIJDZONE), TIJDZONE, first_date=date(jaar, 1, 1),
        last_date=date(jaar + 1, 12, 31)))
    stempel = datetime.now(UTC).replace(microsecond=0)
    for item in items:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stempel)
        event.add("dtstart", item.datum)
        event.add("dtend", item.einde + timedelta(days=1))
        event.add("summary", _samenvatting(item))
        beschrijving = _beschrijving(item)
        if beschrijving:
            event.add("description", beschrijving)
        event.add("url", _url(user, item))
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
        cal.add_component(event)
    return cal.to_ical()


@bp.route("/agenda/<token>.ics")
@toegang(Regel.PUBLIEK)  # the secret token in the URL is the credential
def agenda_feed(token: str):
    """The user's jaarplanning of the current schooljaar as an iCalendar feed; 404 when the
    token is malformed, unknown, reset or stopped."""
    user = gebruiker_van_token(token)
    if user is None:
        abort(404)
    schooljaar = huidig_schooljaar()
    items = feed_items(user, schooljaar, date.today()) if schooljaar else []
    response = make_response(kalender(user, schooljaar, items))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="jaarplanning.ics"'
    response.headers["Cache-Control"] = "private, max-age=900"
    return response


# --- the account page -------------------------------------------------------------------------

def account_context(user) -> dict:
    """Context of the account page; the new feed URL is taken from the session (shown once)."""
    token = agendatoken_van(user)
    return {
        "account": user,
        "agendatoken": token,
        "nieuwe_link": session.pop(NIEUWE_LINK, None),
        "agenda_form": AgendaForm(),
        "herinnering_form": HerinneringForm(aan=herinneringen_aan(user)),
    }


@bp.route("/account")
@toegang(Regel.INGELOGD)
def agenda_account():
    """Mijn account: name, e-mail, role, the calendar link and the reminders choice."""
    return render("cyclus/account.html", **account_context(current_user._get_current_object()))


@bp.route("/account/agenda", methods=["POST"])
@toegang(Regel.INGELOGD)
def agenda_aanmaken():
    """Create the calendar link, or make a new one (the old one stops working)."""
    form = AgendaForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    vervangen = agendatoken_van(user) is not None
    token = nieuw_token(user)
    commit_or_conflict()
    # Only the hash is stored: the URL is shown once, on the account page right after this.
    session[NIEUWE_LINK] = url_for("cyclus.agenda_feed", token=token, _external=True)
    flash("Er is een nieuwe agendalink gemaakt; de oude werkt niet meer." if vervangen
          else "De agendakoppeling is aangemaakt.", "succes")
    return redirect(url_for("cyclus.agenda_account", _anchor="agenda"))


@bp.route("/account/agenda/stoppen", methods=["POST"])
@toegang(Regel.INGELOGD)
def agenda_stoppen():
    """Stop the calendar link: its URL answers 404 from now on."""
    form = AgendaForm()
    if not form.validate_on_submit():
        abort(400)
    if stop_token(current_user._get_current_object()):
        commit_or_conflict()
        flash("De agendakoppeling is gestopt.", "succes")
    else:
        flash("Er was geen agendakoppeling actief.", "info")
    session.pop(NIEUWE_LINK, None)
    return redirect(url_for("cyclus.agenda_account", _anchor="agenda"))


@bp.route("/account/herinneringen", methods=["POST"])
@toegang(Regel.INGELOGD)
def agenda_herinneringen():
    """Store whether the user wants the e-mail digest."""
    form = HerinneringForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    instelling = db.session.scalar(select(Herinneringsinstelling).where(
        Herinneringsinstelling.gebruiker_id == user.id))
    if instelling is None:
        instelling = Herinneringsinstelling(gebruiker_id=user.id)
        db.session.add(instelling)
    instelling.aan = bool(form.aan.data)
    commit_or_conflict()
    flash("U krijgt een e-mail als er iets voor u klaarstaat." if instelling.aan
          else "U krijgt geen e-mail meer over wat er voor u klaarstaat.", "succes")
    return redirect(url_for("cyclus.agenda_account", _anchor="herinneringen"))

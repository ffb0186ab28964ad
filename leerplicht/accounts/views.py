"""Login, logout, own password, and user management for the beheerder."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..database import Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..policy import Regel, toegang
from ..rendering import CONFLICT, VALIDATION_FAILED, render
from ..scholen.models import Contactpersoon, Kant, School
from .forms import GebruikerForm, LoginForm, NieuweGebruikerForm, WachtwoordForm
from .login import (
    TE_VEEL_POGINGEN,
    beeindig_sessies,
    client_ip,
    controleer_huidig_wachtwoord,
    geblokkeerd,
    log_uit,
    probeer_in_te_loggen,
    start_sessie,
)
from .models import Gebruiker, Rol
from .passwords import hash_wachtwoord

bp = Blueprint("accounts", __name__)


def veilige_volgende(target: str | None) -> str:
    """Return target when it is a local path on this site, else the home page."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for("home.index")


@bp.route("/inloggen", methods=["GET", "POST"])
@toegang(Regel.PUBLIEK)
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    melding = None
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        ip = client_ip()
        if geblokkeerd(email, ip):
            melding = TE_VEEL_POGINGEN
        else:
            user = probeer_in_te_loggen(email, form.wachtwoord.data, ip)
            if user is not None:
                start_sessie(user)
                return redirect(veilige_volgende(form.next.data))
            melding = "Het e-mailadres of het wachtwoord klopt niet."
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("accounts/login.html", form=form, melding=melding, status=status)


@bp.route("/uitloggen", methods=["POST"])
@toegang(Regel.INGELOGD)
def logout():
    """Log out and invalidate every copy of this session."""
    log_uit(current_user._get_current_object())
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@toegang(Regel.INGELOGD)
def wachtwoord():
    """Let the user change their own password; other sessions stop working."""
    form = WachtwoordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        # Throttled like the login: a stolen session must not be a way to guess the password.
        ip = client_ip()
        if geblokkeerd(user.email, ip):
            form.huidig.errors.append(TE_VEEL_POGINGEN)
        elif not controleer_huidig_wachtwoord(user, form.huidig.data, ip):
            form.huidig.errors.append("Het huidige wachtwoord klopt niet.")
        else:
            user.wachtwoord_hash = hash_wachtwoord(form.nieuw.data)
            beeindig_sessies(user)
            start_sessie(user)
            flash("Uw wachtwoord is gewijzigd. Andere sessies zijn uitgelogd.", "succes")
            return redirect(url_for("home.index"))
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("accounts/wachtwoord.html", form=form, status=status)


@bp.route("/beheer/gebruikers")
@toegang(Regel.BEHEERDER)
def gebruikers():
    """List all users."""
    rows = db.session.scalars(select(Gebruiker).order_by(Gebruiker.rol, Gebruiker.naam)).all()
    return render("accounts/gebruikers.html", gebruikers=rows)


def _vul_keuzes(form: GebruikerForm) -> None:
    """Fill the select choices of the user form."""
    contacten = db.session.scalars(
        select(Contactpersoon)
        .where(Contactpersoon.kant == Kant.LLZ, Contactpersoon.actief.is_(True))
        .order_by(Contactpersoon.naam)
    ).all()
    form.contactpersoon_id.choices = [SelectChoice(0, "— geen —")] + [
        SelectChoice(c.id, c.naam) for c in contacten
    ]
    scholen = db.session.execute(
        select(School.id, School.naam, School.code).order_by(School.naam)
    ).all()
    form.scholen.choices = [SelectChoice(s.id, f"{s.naam} ({s.code})") for s in scholen]


def _bewaar(form: GebruikerForm, user: Gebruiker) -> None:
    """Copy the form into the user."""
    user.naam = form.naam.data.strip()
    user.email = form.email.data.strip().lower()
    user.rol = form.rol.data
    user.actief = form.actief.data
    user.contactpersoon_id = form.contactpersoon_id.data or None
    wanted = set(form.scholen.data or []) if form.rol.data == Rol.SCHOOL else set()
    user.scholen = list(db.session.scalars(select(School).where(School.id.in_(wanted))))
    if form.wachtwoord.data:
        user.wachtwoord_hash = hash_wachtwoord(form.wachtwoord.data)
        user.sessie_versie = (user.sessie_versie or 0) + 1


@bp.route("/beheer/gebruikers/nieuw", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def gebruiker_nieuw():
    """Create a user."""
    form = NieuweGebruikerForm()
    _vul_keuzes(form)
    if form.validate_on_submit():
        if _email_bezet(form.email.data):
            form.email.errors.append("Er is al een gebruiker met dit e-mailadres.")
        else:
            user = Gebruiker()
            _bewaar(form, user)
            db.session.add(user)
            db.session.commit()
            flash(f"Gebruiker {user.naam} is aangemaakt.", "succes")
            return redirect(url_for("accounts.gebruikers"))
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("accounts/gebruiker_form.html", form=form, gebruiker=None, status=status)


def _email_bezet(email: str, behalve: int | None = None) -> bool:
    """True when another user already has this e-mail address."""
    query = select(Gebruiker.id).where(Gebruiker.email == email.strip().lower())
    if behalve is not None:
        query = query.where(Gebruiker.id != behalve)
    return db.session.scalar(query) is not None


CONFLICT_TEKST = (
    "Iemand anders heeft dit intussen gewijzigd. Uw invoer staat nog in het formulier; "
    "controleer de huidige gegevens hieronder en sla opnieuw op."
)


@bp.route("/beheer/gebruikers/<int:gebruiker_id>", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def gebruiker_bewerken(gebruiker_id: int):
    """Edit a user; a stale form (someone else saved in between) is refused with 409."""
    user = get_or_404(Gebruiker, id=gebruiker_id)
    if request.method == "GET":
        form = GebruikerForm(obj=user, versie=str(user.versie))
        form.contactpersoon_id.data = user.contactpersoon_id or 0
        form.scholen.data = [s.id for s in user.scholen]
    else:
        form = GebruikerForm()
    _vul_keuzes(form)
    if form.validate_on_submit():
        try:
            check_version(user, form.versie.data)
            if _email_bezet(form.email.data, behalve=user.id):
                form.email.errors.append("Er is al een gebruiker met dit e-mailadres.")
            elif user.id == current_user.id and (
                form.rol.data != Rol.BEHEERDER or not form.actief.data
            ):
                form.rol.errors.append("U kunt uw eigen beheerdersrol niet intrekken.")
            else:
                _bewaar(form, user)
                commit_or_conflict()
                flash(f"Gebruiker {user.naam} is opgeslagen.", "succes")
                return redirect(url_for("accounts.gebruikers"))
        except Conflict:
            db.session.rollback()
            user = get_or_404(Gebruiker, id=gebruiker_id)
            form.versie.data = str(user.versie)
            return render(
                "accounts/gebruiker_form.html",
                form=form,
                gebruiker=user,
                conflict=CONFLICT_TEKST,
                status=CONFLICT,
            )
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("accounts/gebruiker_form.html", form=form, gebruiker=user, status=status)

"""The e-mail digest: `leerplicht herinneringen` mails each user what is due for them this week.

Meant for a daily cron. The items are the start pages' tasks (home/taken.py) that are overdue or
due by Sunday, plus the user's side of an evaluation still to fill in. Every item mailed is
recorded (Herinnering), so a second run on the same day sends nothing new; the next day the
still-open items come again. Exit codes: 0 done (also when there was nothing to send), 1 no or a
wrong mail setting or a mail server error (cron should notice), 2 a bad option value.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urljoin, urlsplit

import click
from flask import current_app, render_template, request, url_for
from flask.cli import with_appcontext
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Gebruiker, Rol
from ..afspraken.schooljaar import lange_datum
from ..extensions import db
from ..home.cockpit import Peil
from ..home.taken import (
    Taak,
    einde_week,
    evaluatie_taken,
    llz_scholen,
    llz_taken,
    school_context,
    termijnen_groep,
)
from ..models_base import utcnow
from ..scholen.models import Kant
from ..schooljaren import huidig_schooljaar
from .models import Herinnering, Herinneringsinstelling
from .post import Postfout, Postkantoor, lees_smtp_url

DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

# The LLZ start page's groups that hold things due: not "aanwezigheid" (a standing state, not a
# deadline), and "termijnen" is taken again with the steps due this week as well.
LLZ_GROEPEN = ("te_laat", "akkoord", "deze_week", "overdracht")


@dataclass(frozen=True)
class Punt:
    """One item of a digest: the task, its absolute link and the key it is recorded under."""

    taak: Taak
    link: str
    sleutel: str


@dataclass
class Overzicht:
    """One user's digest: the new items, ready to mail."""

    gebruiker_id: int
    naam: str
    email: str
    punten: list[Punt]

    @property
    def regel(self) -> str:
        """The output line of this digest: '3 punten aan naam <email>'."""
        aantal = len(self.punten)
        return f"{aantal} {'punt' if aantal == 1 else 'punten'} aan {self.naam} <{self.email}>"


def sleutel(taak: Taak) -> str:
    """The item's key: SHA-256 of its link and text, the same in every run."""
    return hashlib.sha256(f"{taak.href}\n{taak.tekst}".encode()).hexdigest()


def is_aan_de_beurt(taak: Taak, peil: Peil) -> bool:
    """Overdue or due by Sunday; a task without a date (an akkoord asked) is always due."""
    return taak.uiterlijk is None or taak.uiterlijk <= einde_week(peil.vandaag)


def taken_voor(gebruiker: Gebruiker, peil: Peil) -> list[Taak]:
    """Everything the user's start page asks of them, plus their side of an evaluation."""
    if gebruiker.rol == Rol.SCHOOL:
        starts = school_context(gebruiker, peil)["scholen"]
        taken = [taak for start in starts for taak in start.taken]
        eigen = evaluatie_taken([start.school for start in starts], peil, Kant.SCHOOL,
                                einde_week(peil.vandaag))
    else:
        # LLZ contact persons, and a beheerder who is one: the LLZ start page's groups, with the
        # register steps due this week besides those already late.
        scholen = llz_scholen(gebruiker)
        if not scholen:
            return []
        groepen = llz_taken(scholen, peil)
        termijnen = termijnen_groep(scholen, peil, tot=einde_week(peil.vandaag))
        taken = [taak for groep in groepen if groep.naam in LLZ_GROEPEN for taak in groep.taken]
        taken += termijnen.taken
        eigen = evaluatie_taken(scholen, peil, Kant.LLZ, einde_week(peil.vandaag))
    # The start page may already ask for the evaluation (its own wording): keep that one.
    paginas = {urlsplit(taak.href).path for taak in taken}
    taken += [taak for taak in eigen if urlsplit(taak.href).path not in paginas]
    return taken


def overzicht_voor(gebruiker: Gebruiker, peil: Peil, al_verstuurd: set[str]) -> Overzicht:
    """The user's digest: due items not yet mailed today, one per key, by school and date."""
    punten, gezien = [], set(al_verstuurd)
    for taak in taken_voor(gebruiker, peil):
        code = sleutel(taak)
        if code in gezien or not is_aan_de_beurt(taak, peil):
            continue
        gezien.add(code)
        punten.append(Punt(taak, urljoin(request.host_url, taak.href), code))
    punten.sort(key=lambda p: (p.taak.school.naam, p.taak.uiterlijk or peil.vandaag))
    return Overzicht(gebruiker.id, gebruiker.naam, gebruiker.email, punten)


def ontvangers() -> list[Gebruiker]:
    """Active users who have not switched the digest off (no setting: on)."""
    uit = exists().where(Herinneringsinstelling.gebruiker_id == Gebruiker.id,
                         Herinneringsinstelling.aan.is_(False))
    return db.session.scalars(
        select(Gebruiker).where(Gebruiker.actief.is_(True), ~uit)
        .order_by(Gebruiker.naam, Gebruiker.id)
    ).unique().all()


def verzamel(peil: Peil) -> list[Overzicht]:
    """Every recipient's digest with new items (inside a request context for the links)."""
    verstuurd: dict[int, set[str]] = {}
    for gebruiker_id, code in db.session.execute(
        select(Herinnering.gebruiker_id, Herinnering.sleutel)
        .where(Herinnering.datum == peil.vandaag)
    ):
        verstuurd.setdefault(gebruiker_id, set()).add(code)
    overzichten = [overzicht_voor(g, peil, verstuurd.get(g.id, set())) for g in ontvangers()]
    return [o for o in overzichten if o.punten]


def per_school(overzicht: Overzicht) -> list[tuple[str, list[Punt]]]:
    """The digest's items grouped by school name, in order."""
    groepen: dict[str, list[Punt]] = {}
    for punt in overzicht.punten:
        groepen.setdefault(punt.taak.school.naam, []).append(punt)
    return list(groepen.items())


def maak_bericht(overzicht: Overzicht, peil: Peil, afzender: str) -> EmailMessage:
    """The digest as a Dutch multipart/alternative e-mail: plain text and simple HTML."""
    zondag = einde_week(peil.vandaag)
    context = {
        "overzicht": overzicht,
        "scholen": per_school(overzicht),
        "tot": f"{DAGEN[zondag.weekday()]} {lange_datum(zondag)}",
        "gemeente": current_app.config.get("MUNICIPALITY", ""),
        "startpagina": url_for("home.index", _external=True),
        "account": url_for("cyclus.agenda_account", _external=True),
    }
    bericht = EmailMessage()
    aantal = len(overzicht.punten)
    bericht["Subject"] = (f"Leerplicht: {aantal} {'punt' if aantal == 1 else 'punten'} voor "
                          f"deze week")
    bericht["From"] = afzender
    bericht["To"] = Address(display_name=overzicht.naam, addr_spec=overzicht.email)
    bericht["Date"] = format_datetime(utcnow())
    domein = afzender.rpartition("@")[2].strip("> ") or "localhost"
    bericht["Message-ID"] = make_msgid("herinnering", domain=domein)
    bericht.set_content(render_template("cyclus/herinnering.txt", **context))
    bericht.add_alternative(render_template("cyclus/herinnering.html", **context), subtype="html")
    return bericht


def lees_datum(waarde: str | None) -> date:
    """The --datum option: JJJJ-MM-DD (default today); ValueError with a Dutch message."""
    if waarde is None:
        return date.today()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", waarde.strip()):
            raise ValueError
        return date.fromisoformat(waarde.strip())
    except ValueError:
        raise ValueError(f"‘{waarde}’ is geen geldige datum. Schrijf de datum als JJJJ-MM-DD, "
                         f"bijvoorbeeld 2026-11-30.") from None


def lees_basis_url(waarde: str) -> str:
    """LEERPLICHT_BASIS_URL: the app's public http(s) address; ValueError in Dutch."""
    delen = urlsplit(waarde.strip())
    if delen.scheme not in ("http", "https") or not delen.netloc or delen.query:
        raise ValueError(f"LEERPLICHT_BASIS_URL moet het adres van de app zijn, zoals "
                         f"https://leerplicht.example.nl, niet {waarde!r}.")
    return waarde.strip().rstrip("/")


def stop(bericht: str, code: int) -> None:
    """Print a Dutch message on stderr and end the command with an exit code."""
    click.echo(bericht, err=True)
    raise click.exceptions.Exit(code)


def verstuur(overzichten: list[Overzicht], berichten: list[EmailMessage], post: Postkantoor,
             peil: Peil):
    """Record each digest's items, send it, commit, and yield it; a mail server error undoes
    the items of the mail that failed and ends the run (Postfout)."""
    for overzicht, bericht in zip(overzichten, berichten, strict=True):
        nu = utcnow()
        db.session.add_all([
            Herinnering(gebruiker_id=overzicht.gebruiker_id, datum=peil.vandaag,
                        sleutel=punt.sleutel, verzonden_op=nu)
            for punt in overzicht.punten
        ])
        try:
            # Written before sending: a run at the same time meets the unique key and skips.
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            click.echo(f"Overgeslagen (tegelijk al verstuurd): {overzicht.naam} "
                       f"<{overzicht.email}>")
            continue
        try:
            post.verstuur(bericht)
        except Postfout:
            db.session.rollback()
            raise
        db.session.commit()
        yield overzicht


@click.command("herinneringen")
@click.option("--datum", metavar="JJJJ-MM-DD",
              help="De dag waarvoor de herinneringen gelden (standaard vandaag).")
@click.option("--proef", is_flag=True,
              help="Toon wie wat zou krijgen; verstuur en bewaar niets.")
@with_appcontext
def herinneringen_command(datum: str | None, proef: bool):
    """Mail elke gebruiker één overzicht van wat deze week van hem of haar verwacht wordt."""
    try:
        dag = lees_datum(datum)
    except ValueError as fout:
        stop(str(fout), 2)
    config = current_app.config
    try:
        basis = lees_basis_url(config.get("LEERPLICHT_BASIS_URL") or "http://127.0.0.1:5000")
        server = None
        if not proef:
            url = (config.get("LEERPLICHT_SMTP_URL") or "").strip()
            if not url:
                stop("Er is geen mailserver ingesteld: zet LEERPLICHT_SMTP_URL, bijvoorbeeld "
                     "smtp://127.0.0.1:8025. Er is niets verstuurd.", 1)
            server = lees_smtp_url(url)
    except ValueError as fout:
        stop(f"{fout} Er is niets verstuurd.", 1)

    peil = Peil(huidig_schooljaar(), dag)
    with current_app.test_request_context(base_url=basis):
        overzichten = verzamel(peil)
        berichten = [maak_bericht(o, peil, config["LEERPLICHT_AFZENDER"]) for o in overzichten]
    # End the reading transaction: the writes below begin their own (with SQLite's write lock).
    db.session.rollback()

    if proef:
        for overzicht in overzichten:
            click.echo(f"{overzicht.regel}:")
            for punt in overzicht.punten:
                click.echo(f"  - {punt.taak.school.naam}: {punt.taak.tekst} ({punt.link})")
        click.echo(f"Proef voor {dag:%d-%m-%Y}: {len(overzichten)} e-mail(s) zouden worden "
                   f"verstuurd. Er is niets verstuurd of vastgelegd.")
        return
    if not overzichten:
        click.echo(f"Niets nieuws te versturen voor {dag:%d-%m-%Y}.")
        return
    verstuurd = punten = 0
    try:
        with Postkantoor(server) as post:
            for overzicht in verstuur(overzichten, berichten, post, peil):
                click.echo(overzicht.regel)
                verstuurd, punten = verstuurd + 1, punten + len(overzicht.punten)
    except Postfout as fout:
        stop(f"{fout}\n{verstuurd} e-mail(s) verstuurd; de rest is niet verstuurd en niet "
             f"vastgelegd, zodat een volgende run ze alsnog stuurt.", 1)
    click.echo(f"Klaar voor {dag:%d-%m-%Y}: {verstuurd} e-mail(s) verstuurd met samen "
               f"{punten} punt(en).")


def init_app(app) -> None:
    """Register the `herinneringen` command on the app's CLI group."""
    app.cli.add_command(herinneringen_command)

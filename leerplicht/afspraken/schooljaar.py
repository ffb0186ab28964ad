"""Opening the next schooljaar: `leerplicht schooljaar start`, and the beheerder's page.

Both first show what opening will do (Samenvatting) and open only after a confirmation; both
apply the same rules (controleer_opening): the schooljaar directly after the current one, and
not earlier than three months before it starts.
"""

from dataclasses import dataclass
from datetime import date

import click
from flask import Blueprint, flash, redirect, request, url_for
from flask.cli import with_appcontext
from sqlalchemy import func, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, ValidationError

from ..escalatie.queries import aantal_open_escalaties
from ..escalatie.regels import te_verlengen_routes
from ..extensions import db
from ..formulieren import Formulier, strip
from ..policy import Regel, toegang
from ..regelfout import Regelfout
from ..rendering import VALIDATION_FAILED, render
from ..scholen.models import School
from ..schooljaren import (
    JAAROVERGANG,
    Schooljaar,
    grenzen,
    huidig_schooljaar,
    maak_schooljaar,
    plus_maanden,
)
from .models import Afsprakenlijst, Status
from .regels import verleng_stilzwijgend

bp = Blueprint("schooljaren", __name__)

VOORUIT_MAANDEN = 3  # a schooljaar can be opened from this many months before it starts

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


def lange_datum(dag: date) -> str:
    """A date written out in Dutch: 1 mei 2027."""
    return f"{dag.day} {MAANDEN[dag.month - 1]} {dag.year}"


def volgend(naam: str) -> str:
    """The name of the schooljaar after `naam`."""
    start = int(naam[:4]) + 1
    return f"{start}-{start + 1}"


def eerste_openingsdag(naam: str) -> date:
    """The first day on which schooljaar `naam` may be opened: three months before it starts."""
    return plus_maanden(grenzen(naam)[0], -VOORUIT_MAANDEN)


def controleer_opening(naam: str, huidig: Schooljaar | None, vandaag: date) -> bool:
    """May `naam` be opened on `vandaag`? False when it is the current one already (no-op).

    Raises Regelfout (a ValueError, with a Dutch message) for a malformed name, a schooljaar
    before the current one, one that skips a schooljaar, or one that starts more than
    VOORUIT_MAANDEN months after `vandaag`.
    """
    begin, _ = grenzen(naam)  # ValueError with a Dutch message for a malformed name
    if huidig is not None:
        if naam == huidig.naam:
            return False
        if begin < huidig.begin:
            raise Regelfout(
                f"{naam} ligt vóór het huidige schooljaar {huidig.naam}. Een eerder schooljaar "
                "kan niet opnieuw worden geopend."
            )
        if naam != volgend(huidig.naam):
            raise Regelfout(
                f"Na {huidig.naam} komt {volgend(huidig.naam)}. Open de schooljaren op "
                "volgorde: een schooljaar overslaan kan niet."
            )
    vanaf = eerste_openingsdag(naam)
    if vandaag < vanaf:
        raise Regelfout(
            f"{naam} begint op {lange_datum(begin)}. U kunt het openen vanaf "
            f"{lange_datum(vanaf)}, drie maanden voor het begint."
        )
    return True


# --- what opening will do, counted beforehand ---------------------------------------------------


def te_verlengen_lijsten(van: Schooljaar, naar_id: int | None) -> int:
    """How many vastgestelde lists of `van` verleng_stilzwijgend would carry into `naar_id`."""
    query = select(func.count(Afsprakenlijst.id)).where(
        Afsprakenlijst.schooljaar_id == van.id, Afsprakenlijst.status == Status.VASTGESTELD
    )
    if naar_id is not None:
        query = query.where(Afsprakenlijst.school_id.not_in(
            select(Afsprakenlijst.school_id).where(Afsprakenlijst.schooljaar_id == naar_id)
        ))
    return db.session.scalar(query)


def scholen_zonder_lijst(van: Schooljaar | None, naar_id: int | None) -> tuple[int, int]:
    """Active schools that start `naar_id` without a list: (with only a concept, with none).

    Without a vastgestelde list in `van` there is nothing to carry over; a concept stays in
    `van` and the school makes a new list in the new schooljaar.
    """
    def lijsten(status: Status):
        """School ids with a list of this status in `van`."""
        return select(Afsprakenlijst.school_id).where(
            Afsprakenlijst.schooljaar_id == (van.id if van else None),
            Afsprakenlijst.status == status,
        )

    query = select(func.count(School.id)).where(
        School.actief.is_(True), School.id.not_in(lijsten(Status.VASTGESTELD))
    )
    if naar_id is not None:
        query = query.where(School.id.not_in(
            select(Afsprakenlijst.school_id).where(Afsprakenlijst.schooljaar_id == naar_id)
        ))
    alleen_concept = db.session.scalar(query.where(School.id.in_(lijsten(Status.CONCEPT))))
    geen = db.session.scalar(query.where(School.id.not_in(lijsten(Status.CONCEPT))))
    return alleen_concept, geen


def _aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """'1 afsprakenlijst', '3 afsprakenlijsten'."""
    return f"{n} {enkelvoud if n == 1 else meervoud}"


@dataclass(frozen=True)
class Samenvatting:
    """What opening a schooljaar will do, shown before the beheerder confirms."""

    naam: str
    vorig: str | None  # the current schooljaar, that becomes an earlier one
    verlengd: int  # vastgestelde afsprakenlijsten stilzwijgend verlengd
    alleen_concept: int  # active schools with only a concept: they start without a list
    zonder_lijst: int  # active schools with no list at all: they start without one too
    open_escalaties: int  # stay open, and counted, until they are resolved
    eigen_routes: int  # schools' own escalatieroutes that carry over

    @property
    def zinnen(self) -> list[str]:
        """The summary in Dutch sentences (the page and the CLI show the same)."""
        begin, eind = grenzen(self.naam)
        zinnen = [f"{self.naam} wordt het huidige schooljaar (van {lange_datum(begin)} tot en "
                  f"met {lange_datum(eind)})"
                  + (f"; {self.vorig} wordt een eerder schooljaar." if self.vorig else ".")]
        if self.vorig is None:
            return zinnen
        return zinnen + [self._verlengd(), self._zonder(), self._escalaties(), self._routes()]

    def _verlengd(self) -> str:
        """The sentence about stilzwijgende verlenging."""
        if not self.verlengd:
            return "Er is geen vastgestelde afsprakenlijst om stilzwijgend te verlengen."
        een = self.verlengd == 1
        return (
            _aantal(self.verlengd, "vastgestelde afsprakenlijst", "vastgestelde afsprakenlijsten")
            + f" {'wordt' if een else 'worden'} stilzwijgend verlengd: "
            f"{'ze geldt' if een else 'ze gelden'} ook in {self.naam} en "
            f"{'blijft' if een else 'blijven'} te wijzigen."
        )

    def _zonder(self) -> str:
        """The sentence about schools that start without a list."""
        zonder = self.alleen_concept + self.zonder_lijst
        if not zonder:
            return "Elke actieve school heeft een vastgestelde afsprakenlijst die doorloopt."
        return (
            f"{_aantal(zonder, 'actieve school', 'actieve scholen')} "
            f"{'begint' if zonder == 1 else 'beginnen'} {self.naam} zonder vastgestelde "
            f"afsprakenlijst ({self.alleen_concept} met alleen een concept, "
            f"{self.zonder_lijst} zonder lijst)."
        )

    def _escalaties(self) -> str:
        """The sentence about open escalations."""
        if not self.open_escalaties:
            return "Er zijn geen open escalaties."
        een = self.open_escalaties == 1
        return (
            f"{_aantal(self.open_escalaties, 'open escalatie', 'open escalaties')} "
            f"{'blijft' if een else 'blijven'} open; ze {'staat' if een else 'staan'} bij "
            f"{'haar' if een else 'hun'} school en {'telt' if een else 'tellen'} mee tot ze "
            f"{'is' if een else 'zijn'} opgelost."
        )

    def _routes(self) -> str:
        """The sentence about the schools' own escalatieroutes."""
        if not self.eigen_routes:
            return "Geen school heeft een eigen escalatieroute: alle volgen de standaardroute."
        return (
            f"{_aantal(self.eigen_routes, 'school houdt haar', 'scholen houden hun')} eigen "
            "escalatieroute; de andere volgen de standaardroute van hun sector."
        )


def samenvatting(naam: str, huidig: Schooljaar | None) -> Samenvatting:
    """Count what opening `naam` after `huidig` will do (a fixed number of queries)."""
    naar_id = db.session.scalar(select(Schooljaar.id).where(Schooljaar.naam == naam))
    alleen_concept, zonder_lijst = scholen_zonder_lijst(huidig, naar_id)
    return Samenvatting(
        naam=naam,
        vorig=huidig.naam if huidig else None,
        verlengd=te_verlengen_lijsten(huidig, naar_id) if huidig else 0,
        alleen_concept=alleen_concept,
        zonder_lijst=zonder_lijst,
        open_escalaties=aantal_open_escalaties(),
        eigen_routes=te_verlengen_routes(huidig, naar_id) if huidig else 0,
    )


# --- opening ----------------------------------------------------------------------------------


def _huidig_vergrendeld() -> Schooljaar | None:
    """The current schooljaar, locked until commit, so two openings cannot run at once.

    On PostgreSQL a second opening waits here; the row it waited for is no longer current
    then, so it reads the schooljaar the first one opened (and finds nothing to do).
    """
    query = select(Schooljaar).where(Schooljaar.huidig.is_(True))
    return (db.session.scalars(query.with_for_update()).first()
            or db.session.scalars(query).first())


def start_schooljaar(naam: str, vandaag: date) -> tuple[Schooljaar, int]:
    """Open `naam` if the rules allow it on `vandaag`; return it and the lists verlengd.

    Makes it the current schooljaar and carries the vastgestelde lists and every area's data
    over (JAAROVERGANG). Opening the current schooljaar again changes nothing. Raises
    Regelfout (a ValueError) when the rules refuse; the caller rolls back.
    """
    vorig = _huidig_vergrendeld()
    if not controleer_opening(naam, vorig, vandaag):
        db.session.commit()  # nothing changed; ends the transaction and its lock
        return vorig, 0
    nieuw = db.session.scalars(select(Schooljaar).where(Schooljaar.naam == naam)).first()
    if nieuw is None:
        nieuw = maak_schooljaar(naam)
        db.session.add(nieuw)
    verlengd = 0
    if vorig is not None:
        vorig.huidig = False
        db.session.flush()  # one current schooljaar at a time (unique index)
    nieuw.huidig = True
    db.session.flush()
    if vorig is not None:
        verlengd = verleng_stilzwijgend(vorig, nieuw)
        for overgang in JAAROVERGANG.values():
            overgang(vorig, nieuw)
    db.session.commit()
    return nieuw, verlengd


schooljaar_cli = click.Group("schooljaar", help="Schooljaren beheren.")


def _bevestigd(naam: str) -> bool:
    """Ask on the terminal; only j/ja (or y/yes) confirms."""
    antwoord = click.prompt(f"Schooljaar {naam} openen? [j/N]", default="n",
                            show_default=False)
    return antwoord.strip().lower() in ("j", "ja", "y", "yes")


@schooljaar_cli.command("start")
@click.argument("naam")
@click.option("--ja", "ja", is_flag=True, help="Niet om bevestiging vragen.")
@with_appcontext
def start_command(naam: str, ja: bool):
    """Open schooljaar NAAM (zoals 2027-2028) en verleng de vastgestelde afsprakenlijsten.

    Toont eerst wat er gebeurt en vraagt om bevestiging (tenzij --ja). Alleen het schooljaar
    na het huidige, en niet eerder dan drie maanden voor het begint.
    """
    vandaag = date.today()
    huidig = huidig_schooljaar()
    try:
        if not controleer_opening(naam, huidig, vandaag):
            click.echo(f"Schooljaar {naam} is al het huidige schooljaar; er is niets veranderd.")
            return
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Als u schooljaar {naam} opent:")
    for zin in samenvatting(naam, huidig).zinnen:
        click.echo(f"- {zin}")
    # End the read transaction: on SQLite it holds the write lock while we wait for an answer.
    db.session.rollback()
    if not ja and not _bevestigd(naam):
        raise click.ClickException("Niet bevestigd; er is niets veranderd.")
    try:
        nieuw, verlengd = start_schooljaar(naam, vandaag)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Schooljaar {nieuw.naam} is het huidige schooljaar. "
               f"Stilzwijgend verlengd: {verlengd} afsprakenlijsten.")


class StartForm(Formulier):
    """The schooljaar to open; `bevestigd` is set by the confirmation step's button."""

    naam = StringField("Nieuw schooljaar", filters=[strip],
                       validators=[DataRequired("Vul het schooljaar in.")])
    bevestigd = HiddenField()

    def validate_naam(self, field):
        """Only a well-formed schooljaar."""
        try:
            grenzen(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from error


@bp.route("/beheer/schooljaren", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def beheer():
    """List the schooljaren and open the next one: first a summary, then the confirmation."""
    huidig = huidig_schooljaar()
    form = StartForm()
    if request.method == "GET" and huidig is not None:
        form.naam.data = volgend(huidig.naam)
    overzicht = None
    if form.validate_on_submit():
        naam, vandaag = form.naam.data, date.today()
        try:
            if not controleer_opening(naam, huidig, vandaag):
                raise Regelfout(f"{naam} is al het huidige schooljaar.")
            if form.bevestigd.data == "ja":
                nieuw, verlengd = start_schooljaar(naam, vandaag)
                flash(f"Schooljaar {nieuw.naam} is geopend; "
                      f"{_aantal(verlengd, 'afsprakenlijst is', 'afsprakenlijsten zijn')} "
                      "stilzwijgend verlengd.", "succes")
                return redirect(url_for("schooljaren.beheer"))
            overzicht = samenvatting(naam, huidig)
        except ValueError as error:
            db.session.rollback()
            form.naam.errors = [str(error)]
    jaren = db.session.scalars(select(Schooljaar).order_by(Schooljaar.begin.desc())).all()
    status = VALIDATION_FAILED if request.method == "POST" and overzicht is None else 200
    return render("afspraken/schooljaren.html", form=form, jaren=jaren, huidig=huidig,
                  samenvatting=overzicht, status=status)

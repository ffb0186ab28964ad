"""Opening the next schooljaar: `leerplicht schooljaar start`, and the beheerder's page."""

import click
from flask import Blueprint, flash, redirect, request, url_for
from flask.cli import with_appcontext
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, ValidationError

from ..extensions import db
from ..formulieren import Formulier
from ..policy import Regel, toegang
from ..rendering import VALIDATION_FAILED, render
from ..schooljaren import JAAROVERGANG, Schooljaar, grenzen, huidig_schooljaar, maak_schooljaar
from .regels import verleng_stilzwijgend

bp = Blueprint("schooljaren", __name__)


def start_schooljaar(naam: str) -> tuple[Schooljaar, int]:
    """Make `naam` the current schooljaar and carry the vastgestelde lists over (idempotent)."""
    grenzen(naam)  # raises ValueError with a Dutch message for a malformed name
    vorig = huidig_schooljaar()
    nieuw = db.session.scalars(select(Schooljaar).where(Schooljaar.naam == naam)).first()
    if nieuw is None:
        nieuw = maak_schooljaar(naam)
        db.session.add(nieuw)
    if vorig is not None and vorig.id != nieuw.id:
        if vorig.begin > nieuw.begin:
            raise ValueError(f"{naam} ligt vóór het huidige schooljaar {vorig.naam}.")
        vorig.huidig = False
        db.session.flush()  # one current schooljaar at a time (unique index)
    nieuw.huidig = True
    db.session.flush()
    verlengd = 0
    if vorig and vorig.id != nieuw.id:
        verlengd = verleng_stilzwijgend(vorig, nieuw)
        for overgang in JAAROVERGANG.values():
            overgang(vorig, nieuw)
    db.session.commit()
    return nieuw, verlengd


def volgend(naam: str) -> str:
    """The name of the schooljaar after `naam`."""
    start = int(naam[:4]) + 1
    return f"{start}-{start + 1}"


schooljaar_cli = click.Group("schooljaar", help="Schooljaren beheren.")


@schooljaar_cli.command("start")
@click.argument("naam")
@with_appcontext
def start_command(naam: str):
    """Open schooljaar NAAM (zoals 2027-2028) en verleng de vastgestelde afsprakenlijsten."""
    try:
        nieuw, verlengd = start_schooljaar(naam)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Schooljaar {nieuw.naam} is het huidige schooljaar. "
               f"Stilzwijgend verlengd: {verlengd} afsprakenlijsten.")


class StartForm(Formulier):
    """The schooljaar to open."""

    naam = StringField("Nieuw schooljaar", validators=[DataRequired("Vul het schooljaar in.")])

    def validate_naam(self, field):
        """Only a well-formed schooljaar."""
        try:
            grenzen(field.data.strip())
        except ValueError as error:
            raise ValidationError(str(error)) from error


@bp.route("/beheer/schooljaren", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def beheer():
    """List the schooljaren and open the next one (with stilzwijgende verlenging)."""
    huidig = huidig_schooljaar()
    form = StartForm()
    if request.method == "GET" and huidig is not None:
        form.naam.data = volgend(huidig.naam)
    if form.validate_on_submit():
        try:
            nieuw, verlengd = start_schooljaar(form.naam.data.strip())
        except ValueError as error:
            db.session.rollback()
            form.naam.errors = [str(error)]
        else:
            flash(f"Schooljaar {nieuw.naam} is geopend; {verlengd} afsprakenlijsten zijn "
                  "stilzwijgend verlengd.", "succes")
            return redirect(url_for("schooljaren.beheer"))
    jaren = db.session.scalars(select(Schooljaar).order_by(Schooljaar.begin.desc())).all()
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("afspraken/schooljaren.html", form=form, jaren=jaren, status=status)

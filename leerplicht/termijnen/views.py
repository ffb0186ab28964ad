"""The beheerder's page for sluitingsdagen (days on which termijnen do not run)."""


from flask import Blueprint, flash, redirect, request, url_for
from sqlalchemy import select
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..database import get_or_404
from ..extensions import db
from ..formulieren import Formulier, redelijke_datum, strip
from ..policy import Regel, toegang
from ..rendering import VALIDATION_FAILED, render
from ..text import geen_bsn
from .kalender import kalender
from .models import Sluitingsdag
from .opslag import herbereken_rond

bp = Blueprint("termijnen", __name__)


class SluitingsdagForm(Formulier):
    """A new sluitingsdag."""

    datum = DateField("Datum", validators=[DataRequired("Vul een geldige datum in."),
                                           redelijke_datum])
    omschrijving = StringField(
        "Omschrijving",
        description="Bijvoorbeeld: Goede vrijdag, vrijdag na Hemelvaartsdag, teamdag.",
        filters=[strip],
        validators=[DataRequired("Vul een omschrijving in."), Length(max=120), geen_bsn],
    )

    def validate_datum(self, field):
        """A date that is not already a day off."""
        if field.errors:  # outside 2000-2100 the holiday calendar has nothing to say
            return
        if db.session.scalar(select(Sluitingsdag.id).where(Sluitingsdag.datum == field.data)):
            raise ValidationError("Deze datum staat al in de lijst.")
        reden = kalender().reden_vrij(field.data)
        if reden:
            raise ValidationError(f"Deze dag telt al niet mee: {reden}.")


def _herberekend(aantal: int) -> str:
    """The tail of the flash message: how many register rows got new termijnen."""
    if not aantal:
        return ""
    return f"; de termijnen van {aantal} {'rij' if aantal == 1 else 'rijen'} zijn herberekend"


class VerwijderForm(Formulier):
    """CSRF-protected delete button."""


@bp.route("/beheer/sluitingsdagen", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def sluitingsdagen():
    """List and add sluitingsdagen; weekends and public holidays already never count."""
    form = SluitingsdagForm()
    if form.validate_on_submit():
        db.session.add(Sluitingsdag(datum=form.datum.data, omschrijving=form.omschrijving.data))
        db.session.flush()
        herberekend = herbereken_rond(form.datum.data)
        db.session.commit()
        flash(f"{form.datum.data:%d-%m-%Y} is toegevoegd als sluitingsdag"
              f"{_herberekend(herberekend)}.", "succes")
        return redirect(url_for("termijnen.sluitingsdagen"))
    dagen = db.session.scalars(select(Sluitingsdag).order_by(Sluitingsdag.datum.desc())).all()
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("termijnen/sluitingsdagen.html", form=form, dagen=dagen,
                  verwijder_form=VerwijderForm(), status=status)


@bp.route("/beheer/sluitingsdagen/<int:dag_id>/verwijderen", methods=["POST"])
@toegang(Regel.BEHEERDER)
def verwijderen(dag_id: int):
    """Remove a sluitingsdag: termijnen count that day again."""
    dag = get_or_404(Sluitingsdag, id=dag_id)
    if VerwijderForm().validate_on_submit():
        db.session.delete(dag)
        db.session.flush()
        herberekend = herbereken_rond(dag.datum)
        db.session.commit()
        flash(f"{dag.datum:%d-%m-%Y} is geen sluitingsdag meer{_herberekend(herberekend)}.",
              "succes")
    return redirect(url_for("termijnen.sluitingsdagen"))

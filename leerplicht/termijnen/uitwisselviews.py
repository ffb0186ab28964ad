"""Import (upload) and export (CSV, XLSX) of the registers, and the retention setting."""

from datetime import date

from flask import current_app, flash, make_response, redirect, request, url_for
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from ..extensions import db
from ..formulieren import Formulier
from ..policy import Regel, school_van_verzoek, toegang
from ..rendering import VALIDATION_FAILED, render
from ..schooljaren import gekozen_schooljaar
from ..security import error_page
from . import bewaren, uitwisseling
from .bewaren import MAXIMUM_MAANDEN, MINIMUM_MAANDEN
from .uitwisseling import KOLOMMEN, bestand, exporteer, importeer_meldingen
from .views import bp

REGISTER = "<any(meldingen,vragen,ontwikkelingen):register>"
FORMAAT = "<any(csv,xlsx):formaat>"
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TITELS = {"meldingen": "Verzuimmeldingen", "vragen": "Vragen", "ontwikkelingen": "Ontwikkelingen"}


def _download(inhoud: bytes, formaat: str, naam: str):
    """A file download response."""
    response = make_response(inhoud)
    response.headers["Content-Type"] = MIMETYPES[formaat]
    response.headers["Content-Disposition"] = f'attachment; filename="{naam}.{formaat}"'
    return response


@bp.route(f"/scholen/<code>/{REGISTER}.{FORMAAT}")
@toegang(Regel.SCHOOL_INZIEN)
def export_school(code: str, register: str, formaat: str):
    """A school's register in a schooljaar (?schooljaar=, else the current one) as a file."""
    school = school_van_verzoek()
    schooljaar = gekozen_schooljaar()
    inhoud = bestand(exporteer(register, school.id, schooljaar), formaat, TITELS[register])
    return _download(inhoud, formaat, f"{register}-{school.code}-{schooljaar.naam}")


@bp.route(f"/termijnen/{REGISTER}.{FORMAAT}")
@toegang(Regel.LLZ)
def export_alle(register: str, formaat: str):
    """A register of every school in a schooljaar as a file."""
    schooljaar = gekozen_schooljaar()
    inhoud = bestand(exporteer(register, None, schooljaar), formaat, TITELS[register])
    return _download(inhoud, formaat, f"{register}-alle-scholen-{schooljaar.naam}")


@bp.route(f"/termijnen/import/sjabloon.{FORMAAT}")
@toegang(Regel.LLZ)
def sjabloon(formaat: str):
    """The import template: the columns and one example row."""
    inhoud = bestand(uitwisseling.sjabloon(), formaat, "Meldingen")
    return _download(inhoud, formaat, "meldingen-sjabloon")


class ImportForm(Formulier):
    """An uploaded file of verzuimmeldingen."""

    bestand = FileField(
        "Bestand",
        description="Een CSV-bestand (met ; of , gescheiden, UTF-8) of een Excel-bestand (.xlsx).",
        validators=[
            FileRequired("Kies een bestand."),
            FileAllowed(["csv", "xlsx"], "Kies een CSV- of Excel-bestand (.csv of .xlsx)."),
        ],
    )


def _max_mb() -> str:
    """The upload limit in MB, as text."""
    grootte = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return f"{grootte / 1024 / 1024:.0f}"


def _importpagina(form, verslag=None, status=200):
    """The upload page, with the report of an import when there is one."""
    return render("termijnen/importeren.html", form=form, verslag=verslag, kolommen=KOLOMMEN,
                  max_mb=_max_mb(), status=status)


@bp.route("/termijnen/import", methods=["GET", "POST"])
@toegang(Regel.LLZ)
def importeren():
    """Upload a CSV or XLSX file of verzuimmeldingen; show what was added and refused."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _importpagina(form, status=VALIDATION_FAILED if request.method == "POST" else 200)
    upload = form.bestand.data
    verslag = importeer_meldingen(upload.read(), upload.filename or "", current_user)
    if verslag.bestandsfout:
        form.bestand.errors = [verslag.bestandsfout]
        return _importpagina(form, status=VALIDATION_FAILED)
    if verslag.fouten:
        # The good rows are in; the refused lines are shown beside the form to fix the file.
        return _importpagina(ImportForm(formdata=None), verslag, status=VALIDATION_FAILED)
    flash(f"{verslag.bestandsnaam}: {_aantal(verslag.toegevoegd)} toegevoegd, "
          f"{verslag.al_aanwezig} al aanwezig (overgeslagen), geen regels geweigerd.", "succes")
    return redirect(url_for("termijnen.importeren"))


def _aantal(aantal: int) -> str:
    """'1 melding', '3 meldingen'."""
    return f"{aantal} {'melding' if aantal == 1 else 'meldingen'}"


def te_groot(error):
    """413 on the import page: its own page with a Dutch explanation; elsewhere the error page."""
    if request.endpoint != "termijnen.importeren":
        return error_page(413)
    form = ImportForm(formdata=None)
    form.bestand.errors = [
        f"Het bestand is groter dan {_max_mb()} MB. Splits het in kleinere bestanden, of laat "
        "de beheerder het importeren met de opdracht leerplicht meldingen import."]
    return _importpagina(form, status=VALIDATION_FAILED)


bp.register_error_handler(413, te_groot)


class BewaartermijnForm(Formulier):
    """The retention in months."""

    maanden = IntegerField(
        "Bewaartermijn in maanden",
        description=f"Tussen {MINIMUM_MAANDEN} en {MAXIMUM_MAANDEN} maanden.",
        validators=[InputRequired("Vul een aantal maanden in."),
                    NumberRange(MINIMUM_MAANDEN, MAXIMUM_MAANDEN,
                                f"Kies een aantal tussen {MINIMUM_MAANDEN} en "
                                f"{MAXIMUM_MAANDEN} maanden.")],
    )


@bp.route("/beheer/bewaartermijn", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def bewaartermijn():
    """How long register rows are kept, and how many rows are older than that."""
    maanden = bewaren.bewaartermijn()
    form = BewaartermijnForm(data={"maanden": maanden})
    if form.validate_on_submit():
        bewaren.zet_bewaartermijn(form.maanden.data)
        db.session.commit()
        flash(f"De bewaartermijn is {form.maanden.data} maanden.", "succes")
        return redirect(url_for("termijnen.bewaartermijn"))
    grens = bewaren.uiterste_datum(date.today(), maanden)
    return render("termijnen/bewaartermijn.html", form=form, maanden=maanden, grens=grens,
                  ouder=bewaren.aantal_ouder_dan(grens),
                  status=VALIDATION_FAILED if request.method == "POST" else 200)


def init_app(app) -> None:
    """Nothing to add: the routes and the 413 handler are on the blueprint."""

"""The beheerder's pages of the norm versions: overview, draft, side by side, adopt.

Every action is a plain POST form; a success redirects, bad input shows the page again (422),
a stale form or a concurrent adoption 409. An adopted version never changes again.
"""

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..database import CONFLICT_TEKST, Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..formulieren import FORMULIER_VERLOPEN
from ..normenbron import NormversieRecord
from ..policy import Regel, toegang
from ..regelfout import Regelfout
from ..rendering import CONFLICT, VALIDATION_FAILED, render
from ..verzoek import positive_int
from . import normregels as regels
from .models import Besluit
from .normforms import (
    NieuweVersieForm,
    NormactieForm,
    conceptformulier,
    omschrijvingveld,
    startwaarden,
    waardeveld,
)
from .views import bp


def init_app(app) -> None:
    """The routes are attached to the blueprint at import; nothing else to register."""


# --- overview ---------------------------------------------------------------------------------

@bp.route("/beheer/normen")
@toegang(Regel.BEHEERDER)
def normen_overzicht():
    """Every version in force (file and app), the drafts in progress, a button for a new one."""
    return render("cyclus/normen.html", versies=regels.versies_in_kracht(),
                  concepten=regels.concepten(), huidig=regels.huidige_naam())


# --- a new draft ------------------------------------------------------------------------------

def _besluit() -> Besluit | None:
    """The Klankbordgroep decision of ?besluit=, None without one; 404 when unknown."""
    waarde = request.args.get("besluit")
    if waarde is None or waarde == "":
        return None
    besluit_id = positive_int(waarde)
    if besluit_id is None:
        abort(404)
    return get_or_404(Besluit, id=besluit_id)


@bp.route("/beheer/normen/nieuw", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def normen_nieuw():
    """Start a draft copied from the version in force in the chosen schooljaar."""
    besluit = _besluit()
    huidig = regels.huidige_naam()
    form = NieuweVersieForm()
    form.kies_uit(regels.kiesbare_jaren(huidig))
    if request.method == "GET":
        form.geldig_vanaf.data = regels.schuif(huidig, 1)
    elif form.validate_on_submit():
        try:
            record = regels.maak_concept(form.geldig_vanaf.data,
                                         besluit.id if besluit else None)
        except Regelfout as fout:
            form.geldig_vanaf.errors.append(str(fout))
        else:
            db.session.commit()
            flash(f"Er is een concept opgesteld voor {record.geldig_vanaf}, met de normen die "
                  "nu gelden. Pas aan wat verandert.", "succes")
            return redirect(url_for("cyclus.normen_bewerken", normversie_id=record.id))
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("cyclus/normen_nieuw.html", form=form, besluit=besluit, status=status,
                  besluit_args={"besluit": besluit.id} if besluit else {})


# --- editing a draft --------------------------------------------------------------------------

def _record(normversie_id: int) -> NormversieRecord:
    """The version record of the URL, or 404."""
    return get_or_404(NormversieRecord, id=normversie_id)


def _jaren(record: NormversieRecord) -> list[str]:
    """The schooljaren a draft may start in (its own as well, should it lie further away)."""
    jaren = regels.kiesbare_jaren(regels.huidige_naam())
    return jaren if record.geldig_vanaf in jaren else sorted([*jaren, record.geldig_vanaf])


def _bewerk_context(record: NormversieRecord, form, **extra) -> dict:
    """Context of a draft's page: the form, per norm its fields and the value in force."""
    concept = regels.als_versie(record)
    geldend = regels.geldend_naast(record)
    rijen = [{
        "norm": norm,
        "naam": regels.normnaam(norm.sleutel),
        "waarde": form[waardeveld(norm.sleutel)],
        "omschrijving": form[omschrijvingveld(norm.sleutel)],
        "nu": geldend.normen.get(norm.sleutel),
    } for norm in concept]
    return {
        "record": record,
        "concept": concept,
        "geldend": geldend,
        "form": form,
        "rijen": rijen,
        "verschil": regels.verschil(geldend, concept),
        "actie_form": NormactieForm(formdata=None, versie=record.versie),
        "besluit": db.session.get(Besluit, record.besluit_id) if record.besluit_id else None,
        **extra,
    }


def _bewerkpagina(record: NormversieRecord, status: int = 200):
    """A draft's page with its form as stored."""
    concept = regels.als_versie(record)
    form = conceptformulier(concept, regels.geldend_naast(record), _jaren(record),
                            data=startwaarden(concept, record.versie, record.toelichting))
    return render("cyclus/normen_bewerken.html", status=status, **_bewerk_context(record, form))


def _weiger_vastgesteld(record: NormversieRecord):
    """An adopted version: show it side by side with the refusal (409)."""
    flash(regels.AL_VASTGESTELD, "fout")
    return render("cyclus/normen_verschil.html", status=CONFLICT, **_verschil_context(record))


@bp.route("/beheer/normen/<int:normversie_id>", methods=["GET", "POST"])
@toegang(Regel.BEHEERDER)
def normen_bewerken(normversie_id: int):
    """Edit a draft: a number and a description per norm, the elements, the schooljaar."""
    record = _record(normversie_id)
    if regels.is_vastgesteld(record):
        if request.method == "GET":
            return redirect(url_for("cyclus.normen_verschil", normversie_id=record.id))
        return _weiger_vastgesteld(record)
    concept = regels.als_versie(record)
    jaren = _jaren(record)
    geldend = regels.geldend_naast(record)
    if request.method == "GET":
        return _bewerkpagina(record)
    form = conceptformulier(concept, geldend, jaren)
    status = VALIDATION_FAILED
    if form.validate_on_submit():
        try:
            check_version(record, form.versie.data)
            regels.bewaar_concept(
                record, form.geldig_vanaf.data, form.toelichting.data,
                {n.sleutel: (int(form[waardeveld(n.sleutel)].data),
                             form[omschrijvingveld(n.sleutel)].data) for n in concept},
                regels.elementen_uit(form.meldingselementen.data))
            commit_or_conflict()
        except Conflict:
            db.session.rollback()
            db.session.refresh(record)
            form.versie.data = record.versie
            flash(CONFLICT_TEKST, "fout")
            return render("cyclus/normen_bewerken.html", status=CONFLICT,
                          **_bewerk_context(record, form))
        except Regelfout as fout:
            db.session.rollback()
            veld = form[fout.veld] if fout.veld and fout.veld in form else None
            if veld is not None:
                veld.errors.append(str(fout))
            else:
                flash(str(fout), "fout")
        else:
            flash("Het concept is opgeslagen.", "succes")
            return redirect(url_for("cyclus.normen_bewerken", normversie_id=record.id))
    return render("cyclus/normen_bewerken.html", status=status, **_bewerk_context(record, form))


# --- side by side -----------------------------------------------------------------------------

def _verschil_context(record: NormversieRecord) -> dict:
    """Context of the side-by-side page of a version (draft or adopted)."""
    versie = regels.als_versie(record)
    return {"record": record, "verschil": regels.verschil(regels.geldend_naast(record), versie)}


@bp.route("/beheer/normen/<int:normversie_id>/verschil")
@toegang(Regel.BEHEERDER)
def normen_verschil(normversie_id: int):
    """A version beside the one it replaces: every norm, the changed ones marked."""
    return render("cyclus/normen_verschil.html", **_verschil_context(_record(normversie_id)))


# --- adopting and deleting --------------------------------------------------------------------

def _herberekend(aantal: int) -> str:
    """'1 registerregel' / 'M registerregels'."""
    return f"{aantal} registerregel{'' if aantal == 1 else 's'}"


@bp.route("/beheer/normen/<int:normversie_id>/vaststellen", methods=["POST"])
@toegang(Regel.BEHEERDER)
def normen_vaststellen(normversie_id: int):
    """Adopt a draft; the register rows of its schooljaar and later get new termijnen."""
    record = _record(normversie_id)
    if regels.is_vastgesteld(record):
        return _weiger_vastgesteld(record)
    form = NormactieForm()
    terug = url_for("cyclus.normen_bewerken", normversie_id=record.id)
    if not form.validate_on_submit():
        flash(FORMULIER_VERLOPEN, "fout")
        return redirect(terug)
    geldig_vanaf = record.geldig_vanaf
    try:
        check_version(record, form.versie.data)
        label = regels.stel_vast(record, current_user.naam, date.today())
        commit_or_conflict()
    except Conflict:
        db.session.rollback()
        if regels.is_vastgesteld(record):
            return _weiger_vastgesteld(record)
        bezet = regels.vastgesteld_vanaf(geldig_vanaf)
        flash(regels.bezet_bericht(geldig_vanaf) if bezet else CONFLICT_TEKST, "fout")
        return _bewerkpagina(record, CONFLICT)
    except Regelfout as fout:
        db.session.rollback()
        flash(str(fout), "fout")
        return redirect(terug)
    aantal = regels.herbereken_na_vaststelling(geldig_vanaf)
    db.session.commit()
    flash(f"Versie {label} vastgesteld; {_herberekend(aantal)} opnieuw berekend.", "succes")
    return redirect(url_for("cyclus.normen_overzicht"))


@bp.route("/beheer/normen/<int:normversie_id>/verwijderen", methods=["POST"])
@toegang(Regel.BEHEERDER)
def normen_verwijderen(normversie_id: int):
    """Delete a draft (an adopted version stays)."""
    record = _record(normversie_id)
    if regels.is_vastgesteld(record):
        return _weiger_vastgesteld(record)
    form = NormactieForm()
    if not form.validate_on_submit():
        flash(FORMULIER_VERLOPEN, "fout")
        return redirect(url_for("cyclus.normen_bewerken", normversie_id=record.id))
    vanaf = record.geldig_vanaf
    try:
        check_version(record, form.versie.data)
        regels.verwijder_concept(record)
        commit_or_conflict()
    except Conflict:
        db.session.rollback()
        flash(CONFLICT_TEKST, "fout")
        return redirect(url_for("cyclus.normen_overzicht"))
    flash(f"Het concept voor {vanaf} is verwijderd.", "succes")
    return redirect(url_for("cyclus.normen_overzicht"))


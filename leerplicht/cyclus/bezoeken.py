"""LLZ visits register: the visits of a school in a schooljaar, judged against the sector norm.

The page shows one schooljaar (?schooljaar=, else the current one; earlier years are
read-only). LLZ editors add, change, mark as held and delete visits with plain POST forms;
with htmx the answer is the register section (progress, warning, forms and table), swapped in
place. Without JavaScript a success redirects back to the page, a refusal shows it again
(422, or 409 for a stale version). The dossier section and the cockpit column load in bulk.
"""

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..database import CONFLICT_TEKST, Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..formulieren import eerste_fout
from ..normenbron import normen_voor
from ..policy import Regel, mag_bewerken, school_van_verzoek, toegang
from ..regelfout import Regelfout
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..scholen.models import School
from ..schooljaren import (
    Schooljaar,
    alle_schooljaren,
    gekozen_schooljaar,
    huidig_of_404,
    jaar_args,
    schooljaar_met_id,
)
from .bezoekforms import BezoekActieForm, BezoekBewerkenForm, BezoekForm
from .models import Bezoek, Bezoeksoort, Bezoekstatus
from .queries import voortgang_per_school
from .regels import Voortgang, peildatum, tel, voortgang
from .views import bp

PAGINA = "cyclus/bezoeken.html"
REGISTER = "cyclus/_bezoeken_register.html"

TOEKOMST_GEHOUDEN = ("Een gehouden bezoek kan niet in de toekomst liggen. Kies ‘Gepland’ of "
                     "een datum tot en met vandaag.")
AL_GEHOUDEN = "Dit bezoek staat al als gehouden."
NOG_NIET = ("Dit bezoek ligt nog in de toekomst. Markeer het als gehouden op of na de dag "
            "van het bezoek.")


# --- rules ------------------------------------------------------------------------------------

def controleer_bezoek(datum: date, status: str, schooljaar: Schooljaar, vandaag: date) -> None:
    """Refuse a visit dated outside its schooljaar, or held on a date still to come."""
    if not schooljaar.begin <= datum <= schooljaar.eind:
        raise Regelfout(
            f"Kies een datum in schooljaar {schooljaar.naam}: van {schooljaar.begin:%d-%m-%Y} "
            f"tot en met {schooljaar.eind:%d-%m-%Y}.", "datum")
    if status == Bezoekstatus.GEHOUDEN and datum > vandaag:
        raise Regelfout(TOEKOMST_GEHOUDEN, "datum")


# --- page context -----------------------------------------------------------------------------


def bezoeken_van(school_id: int, schooljaar: Schooljaar) -> list[Bezoek]:
    """A school's visits in a schooljaar, newest first."""
    return list(db.session.scalars(
        select(Bezoek)
        .where(Bezoek.school_id == school_id, Bezoek.schooljaar_id == schooljaar.id)
        .order_by(Bezoek.datum.desc(), Bezoek.id.desc())
    ))


def bezoeken_context(school: School, schooljaar: Schooljaar, **extra) -> dict:
    """Context of the visits page and of its register section.

    `extra` may hold `nieuw_form` (the add form as submitted), `bewerk` (the id of the visit
    shown as an edit form) with `bewerk_form` and `conflict`, and `bericht`: the result of an
    action on one visit, {"id", "actie", "melding" or "fout", "bevestigen"}.
    """
    vandaag = date.today()
    bezoeken = bezoeken_van(school.id, schooljaar)
    stand = voortgang(school.sector, schooljaar, normen_voor(schooljaar), tel(bezoeken),
                      peildatum(schooljaar, vandaag))
    return {
        "school": school,
        "schooljaar": schooljaar,
        "jaren": alle_schooljaren(),
        "jaar_args": jaar_args(schooljaar),
        "alleen_lezen": not schooljaar.huidig,
        "mag_bewerken": schooljaar.huidig and mag_bewerken(current_user, school.id),
        "bezoeken": bezoeken,
        "voortgang": stand,
        "vandaag": vandaag,
        "nieuw_form": extra.get("nieuw_form") or BezoekForm(formdata=None, datum=vandaag),
        "focus": extra.get("focus", False),
        "bewerk": extra.get("bewerk"),
        "bewerk_form": extra.get("bewerk_form"),
        "conflict": extra.get("conflict"),
        "bericht": extra.get("bericht"),
        "GEHOUDEN": Bezoekstatus.GEHOUDEN.value,
        "GEPLAND": Bezoekstatus.GEPLAND.value,
        "CONFLICT_TEKST": CONFLICT_TEKST,
    }


def _terug(school: School, schooljaar: Schooljaar, anker: str = "register"):
    """Redirect back to the visits page of the schooljaar, at an anchor."""
    return redirect(url_for("cyclus.bezoek_overzicht", code=school.code,
                            **jaar_args(schooljaar), _anchor=anker))


def _bezoek(school: School, bezoek_id: int) -> Bezoek:
    """The school's visit (another school's id: 404); one of an earlier schooljaar: 403."""
    bezoek = get_or_404(Bezoek, id=bezoek_id, school_id=school.id)
    if not schooljaar_met_id(bezoek.schooljaar_id).huidig:
        abort(403)
    return bezoek


def _regels_ok(form, schooljaar: Schooljaar) -> bool:
    """Apply the visit rules to a validated form; a refusal goes beside its field."""
    try:
        controleer_bezoek(form.datum.data, form.status.data, schooljaar, date.today())
    except Regelfout as fout:
        getattr(form, fout.veld or "datum").errors.append(str(fout))
        return False
    return True


# --- routes -----------------------------------------------------------------------------------

@bp.route("/scholen/<code>/bezoeken")
@toegang(Regel.SCHOOL_INZIEN)
def bezoek_overzicht(code: str):
    """The visits of LLZ to a school in a schooljaar, with the progress against the norm."""
    context = bezoeken_context(school_van_verzoek(), gekozen_schooljaar())
    return render(PAGINA, REGISTER, **context)


@bp.route("/scholen/<code>/bezoeken/nieuw", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def bezoek_nieuw(code: str):
    """Record a planned or held visit in the current schooljaar."""
    school = school_van_verzoek()
    schooljaar = huidig_of_404()
    form = BezoekForm()
    if form.validate_on_submit() and _regels_ok(form, schooljaar):
        bezoek = Bezoek(school_id=school.id, schooljaar_id=schooljaar.id,
                        datum=form.datum.data, soort=form.soort.data, status=form.status.data,
                        notitie=form.notitie.data or "")
        db.session.add(bezoek)
        commit_or_conflict()
        tekst = f"Het bezoek van {bezoek.datum:%d-%m-%Y} is vastgelegd."
        if not is_htmx():
            flash(tekst, "succes")
            return _terug(school, schooljaar, f"bezoek-{bezoek.id}")
        context = bezoeken_context(school, schooljaar, focus=True,
                                   bericht={"id": bezoek.id, "melding": tekst})
        return render(PAGINA, REGISTER, **context)
    context = bezoeken_context(school, schooljaar, nieuw_form=form, focus=True)
    return render(PAGINA, REGISTER, status=VALIDATION_FAILED, **context)


def _actie(school: School, bezoek: Bezoek, actie: str, form, toepassen, gelukt: str):
    """Shared flow of an action on one visit: form, version, rule, commit, answer."""
    schooljaar = schooljaar_met_id(bezoek.schooljaar_id)
    bezoek_id = bezoek.id
    bericht = {"id": bezoek_id, "actie": actie}
    status = 200
    if not form.validate_on_submit():
        bericht["fout"] = eerste_fout(form)[0]
        status = VALIDATION_FAILED
    else:
        try:
            check_version(bezoek, form.versie.data)
            toepassen(bezoek)
            commit_or_conflict()
        except Conflict:
            db.session.rollback()
            bericht["fout"] = CONFLICT_TEKST
            status = CONFLICT
        except Regelfout as fout:
            db.session.rollback()
            bericht["fout"] = str(fout)
            status = VALIDATION_FAILED
        else:
            bericht["melding"] = gelukt
    if status == 200 and not is_htmx():
        flash(gelukt, "succes")
        anker = "register" if actie == "verwijderen" else f"bezoek-{bezoek_id}"
        return _terug(school, schooljaar, anker)
    if status == 200 and actie == "verwijderen":
        flash(gelukt, "succes")  # the row is gone: the message goes to the page's flash area
        bericht = None
    context = bezoeken_context(school, schooljaar, bericht=bericht)
    return render(PAGINA, REGISTER, status=status, **context)


@bp.route("/scholen/<code>/bezoeken/<int:bezoek_id>/gehouden", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def bezoek_gehouden(code: str, bezoek_id: int):
    """Mark a planned visit as held (not before its date)."""
    school = school_van_verzoek()
    bezoek = _bezoek(school, bezoek_id)

    def toepassen(record: Bezoek) -> None:
        if record.status == Bezoekstatus.GEHOUDEN:
            raise Regelfout(AL_GEHOUDEN)
        if record.datum > date.today():
            raise Regelfout(NOG_NIET, "datum")
        record.status = Bezoekstatus.GEHOUDEN

    return _actie(school, bezoek, "gehouden", BezoekActieForm(), toepassen,
                  "Het bezoek staat nu als gehouden.")


@bp.route("/scholen/<code>/bezoeken/<int:bezoek_id>/verwijderen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def bezoek_verwijderen(code: str, bezoek_id: int):
    """Delete a visit (a visit called off); without `bevestigen=ja` first ask to confirm."""
    school = school_van_verzoek()
    bezoek = _bezoek(school, bezoek_id)
    form = BezoekActieForm()
    if form.validate_on_submit() and form.bevestigen.data != "ja":
        context = bezoeken_context(school, schooljaar_met_id(bezoek.schooljaar_id),
                                   bericht={"id": bezoek.id, "actie": "verwijderen",
                                            "bevestigen": True})
        return render(PAGINA, REGISTER, **context)
    tekst = f"Het bezoek van {bezoek.datum:%d-%m-%Y} is verwijderd."
    return _actie(school, bezoek, "verwijderen", form, db.session.delete, tekst)


@bp.route("/scholen/<code>/bezoeken/<int:bezoek_id>/bewerken", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def bezoek_bewerken(code: str, bezoek_id: int):
    """Change a visit: its row on the page becomes a form."""
    school = school_van_verzoek()
    bezoek = _bezoek(school, bezoek_id)
    schooljaar = schooljaar_met_id(bezoek.schooljaar_id)
    if request.method == "GET":
        form = BezoekBewerkenForm(formdata=None, obj=bezoek)
        context = bezoeken_context(school, schooljaar, bewerk=bezoek.id, bewerk_form=form)
        return render(PAGINA, REGISTER, **context)
    form = BezoekBewerkenForm()
    status, conflict = VALIDATION_FAILED, None
    if form.validate_on_submit() and _regels_ok(form, schooljaar):
        try:
            check_version(bezoek, form.versie.data)
            bezoek.datum, bezoek.soort = form.datum.data, form.soort.data
            bezoek.status, bezoek.notitie = form.status.data, form.notitie.data or ""
            commit_or_conflict()
        except Conflict:
            db.session.rollback()
            # Keep the user's text; show what is stored now and take its version, so saving
            # again is a deliberate choice over the other person's change.
            status, conflict = CONFLICT, db.session.get(Bezoek, bezoek_id)
            if conflict is None:
                abort(404)
            form.versie.data = str(conflict.versie)
        else:
            tekst = f"Het bezoek van {bezoek.datum:%d-%m-%Y} is gewijzigd."
            if not is_htmx():
                flash(tekst, "succes")
                return _terug(school, schooljaar, f"bezoek-{bezoek_id}")
            context = bezoeken_context(school, schooljaar,
                                       bericht={"id": bezoek_id, "melding": tekst})
            return render(PAGINA, REGISTER, **context)
    context = bezoeken_context(school, schooljaar, bewerk=bezoek_id, bewerk_form=form,
                               conflict=conflict)
    return render(PAGINA, REGISTER, status=status, **context)


# --- dossier section and cockpit column -------------------------------------------------------

@dataclass(frozen=True)
class Aanwezigheid:
    """A school's presence in a schooljaar for the dossier: progress and next planned visit."""

    schooljaar: Schooljaar
    voortgang: Voortgang
    volgende: date | None = None
    volgende_soort: str = ""

    @property
    def volgende_label(self) -> str:
        """Dutch label of the next planned visit's kind."""
        return Bezoeksoort(self.volgende_soort).label if self.volgende_soort else ""


def volgende_bezoeken(school_ids, schooljaar: Schooljaar, vandaag: date) -> dict[int, tuple]:
    """Each school's first planned visit from today on, as (datum, soort) (one query)."""
    volgende: dict[int, tuple] = {}
    for school_id, datum, soort in db.session.execute(
        select(Bezoek.school_id, Bezoek.datum, Bezoek.soort)
        .where(Bezoek.schooljaar_id == schooljaar.id, Bezoek.school_id.in_(list(school_ids)),
               Bezoek.status == Bezoekstatus.GEPLAND, Bezoek.datum >= vandaag)
        .order_by(Bezoek.school_id, Bezoek.datum, Bezoek.id)
    ):
        volgende.setdefault(school_id, (datum, soort))
    return volgende


def laad_dossier(scholen: list[School], schooljaar: Schooljaar | None) -> dict[int, Aanwezigheid]:
    """Each school's presence in the schooljaar (two queries, whatever the number of schools)."""
    if schooljaar is None:
        return {}
    vandaag = date.today()
    standen = voortgang_per_school(scholen, schooljaar, peildatum(schooljaar, vandaag))
    volgende = volgende_bezoeken([s.id for s in scholen], schooljaar, vandaag)
    return {
        s.id: Aanwezigheid(schooljaar, standen[s.id], *volgende.get(s.id, (None, "")))
        for s in scholen
    }


def laad_cockpit(scholen: list[School], peil) -> dict[int, Voortgang]:
    """Each school's presence against the norm in the cockpit's schooljaar (one query)."""
    if peil.schooljaar is None:
        return {}
    return voortgang_per_school(scholen, peil.schooljaar, peildatum(peil.schooljaar, peil.vandaag))


def init_app(app) -> None:
    """Register the dossier section and the cockpit column (the routes attach at import)."""
    from ..home.cockpit import Kolom, registreer_kolom
    from ..scholen.dossier import DossierSectie, registreer_sectie

    registreer_sectie(DossierSectie(
        naam="aanwezigheid", titel="Aanwezigheid van Leerlingzaken",
        template="cyclus/_dossier_aanwezigheid.html", laad=laad_dossier, volgorde=27,
        intern=True))
    registreer_kolom(Kolom(
        naam="aanwezigheid", kop="Aanwezigheid", cel="cyclus/_cockpit_aanwezigheid.html",
        laad=laad_cockpit, volgorde=55, aandacht=lambda v: v.achter,
        kaart="Aanwezigheid achter op de norm"))

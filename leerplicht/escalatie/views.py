"""The escalation log: a school's escalations (open, step up, resolve) and LLZ's overview."""

from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.models import Rol
from ..database import Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..policy import Regel, is_llz_editor_clause, mag_deelnemen, toegang
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..scholen.dossier import RodeKnop
from ..scholen.models import Contactrol, School
from ..scholen.queries import laad_scholen, teamleider
from ..schooljaren import huidig_schooljaar
from ..termijnen.kalender import kalender
from . import routes
from .forms import EscalatieForm, OplossenForm, OpschalenForm
from .models import Escalatie, Spoor
from .queries import Escalatiestand, open_escalaties, overzichten, stand, weergave
from .regels import Regelfout, los_op, open_escalatie, routes_voor, schaal_op

bp = Blueprint("escalatie", __name__)
routes.registreer(bp)

CONFLICT_TEKST = (
    "Iemand anders heeft deze escalatie intussen bijgewerkt. Bekijk de nieuwe stand en probeer "
    "het zo nodig opnieuw."
)


def _schooljaar():
    """The current schooljaar, or 404 when none is set."""
    schooljaar = huidig_schooljaar()
    if schooljaar is None:
        abort(404)
    return schooljaar


def _door() -> tuple[str, str]:
    """Name and side of the user acting ('llz' or 'school')."""
    return current_user.naam, "school" if current_user.rol == Rol.SCHOOL else "llz"


def log_context(school_id: int, **forms) -> dict:
    """Context of a school's escalation page and of its partials."""
    (school,) = laad_scholen([school_id])
    schooljaar = _schooljaar()
    route = routes_voor([school], schooljaar)[school.id]
    leider = teamleider()
    return {
        "school": school,
        "schooljaar": schooljaar,
        "overzicht": overzichten([school], schooljaar)[school.id],
        "weergave": weergave(route, school, leider),
        "rode_knop": RodeKnop(teamleider=leider, directeur=school.contact(Contactrol.DIRECTEUR)),
        "mag_deelnemen": mag_deelnemen(current_user, school.id),
        "nieuw_form": forms.get("nieuw_form") or EscalatieForm(formdata=None, datum=date.today()),
        "vandaag": date.today(),
    }


@bp.route("/scholen/<code>/escalaties")
@toegang(Regel.SCHOOL_INZIEN)
def log(code: str):
    """A school's escalations this schooljaar, with the form to open one."""
    return render("escalatie/log.html", **log_context(g.school_id))


@bp.route("/scholen/<code>/escalaties/nieuw", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def openen(code: str):
    """Open an escalation at step 1 of the route (either side may)."""
    form = EscalatieForm()
    if form.validate_on_submit():
        schooljaar = _schooljaar()
        (school,) = laad_scholen([g.school_id])
        try:
            if form.datum.data > date.today():
                raise Regelfout("De datum ligt in de toekomst.")
            escalatie = open_escalatie(
                school, schooljaar, routes_voor([school], schooljaar)[school.id],
                form.spoor.data, form.onderwerp.data, form.datum.data, *_door(),
            )
        except Regelfout as fout:
            form.datum.errors.append(str(fout))
        else:
            db.session.commit()
            flash("De escalatie is geopend bij stap 1 van de route.", "succes")
            return redirect(url_for("escalatie.log", code=code) + f"#escalatie-{escalatie.id}")
    return render("escalatie/log.html", status=VALIDATION_FAILED,
                  **log_context(g.school_id, nieuw_form=form))


def _escalatie(escalatie_id: int) -> Escalatie:
    """An escalation of the school in the URL, or 404."""
    return get_or_404(Escalatie, id=escalatie_id, school_id=g.school_id)


def _stand(escalatie: Escalatie) -> Escalatiestand:
    """The escalation with its termijn and people, for its card."""
    (school,) = laad_scholen([escalatie.school_id])
    route = routes_voor([school], _schooljaar())[school.id]
    return stand(escalatie, school, teamleider(), kalender(), date.today(), route)


def _kaart(escalatie: Escalatie, status: int = 200, **extra):
    """htmx answer: the escalation's card re-rendered."""
    school = db.session.get(School, escalatie.school_id)
    return render_template(
        "escalatie/_escalatie.html", stand=_stand(escalatie), school=school,
        mag_deelnemen=True, vandaag=date.today(), **extra,
    ), status


def _actie(code: str, escalatie_id: int, form, uitvoeren, gelukt: str):
    """Shared flow of stepping up and resolving: version check, rule check, answer."""
    escalatie = _escalatie(escalatie_id)
    if not form.validate_on_submit():
        if is_htmx():
            return _kaart(escalatie, VALIDATION_FAILED, fout="Vul een geldige datum in; "
                          + " ".join(e for f in form for e in f.errors))
        return None
    try:
        check_version(escalatie, form.versie.data)
        uitvoeren(escalatie)
        commit_or_conflict()
    except Conflict:
        db.session.rollback()
        escalatie = _escalatie(escalatie_id)
        if is_htmx():
            return _kaart(escalatie, CONFLICT, fout=CONFLICT_TEKST)
        flash(CONFLICT_TEKST, "fout")
    except Regelfout as fout:
        db.session.rollback()
        escalatie = _escalatie(escalatie_id)
        if is_htmx():
            return _kaart(escalatie, VALIDATION_FAILED, fout=str(fout))
        flash(str(fout), "fout")
    else:
        if is_htmx():
            return _kaart(escalatie, melding=gelukt)
        flash(gelukt, "succes")
    return redirect(url_for("escalatie.log", code=code) + f"#escalatie-{escalatie_id}")


@bp.route("/scholen/<code>/escalaties/<int:escalatie_id>/opschalen", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def opschalen(code: str, escalatie_id: int):
    """Step the escalation up to the next step of the school's route."""
    form = OpschalenForm()

    def uitvoeren(escalatie):
        (school,) = laad_scholen([g.school_id])
        route = routes_voor([school], _schooljaar())[school.id]
        schaal_op(escalatie, route, form.datum.data, current_user.naam,
                  form.toelichting.data or "", date.today())

    answer = _actie(code, escalatie_id, form, uitvoeren, "De escalatie is opgeschaald.")
    if answer is None:
        flash("Vul een geldige datum in om op te schalen.", "fout")
        return redirect(url_for("escalatie.log", code=code) + f"#escalatie-{escalatie_id}")
    return answer


@bp.route("/scholen/<code>/escalaties/<int:escalatie_id>/oplossen", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def oplossen(code: str, escalatie_id: int):
    """Resolve the escalation with its outcome (a page of its own without JavaScript)."""
    escalatie = _escalatie(escalatie_id)
    form = OplossenForm() if request.method == "POST" else OplossenForm(
        formdata=None, datum=date.today(), versie=str(escalatie.versie))
    if request.method == "POST":

        def uitvoeren(escalatie):
            los_op(escalatie, form.datum.data, form.uitkomst.data, current_user.naam,
                   date.today())

        if form.validate():
            return _actie(code, escalatie_id, form, uitvoeren, "De escalatie is opgelost.")
    school = db.session.get(School, g.school_id)
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("escalatie/oplossen.html", "escalatie/_oplossen_form.html", status=status,
                  stand=_stand(escalatie), school=school, form=form)


@bp.route("/escalaties")
@toegang(Regel.LLZ)
def overzicht():
    """Every open escalation, overdue ones first; LLZ can narrow it to their own schools."""
    mijn = request.args.get("mijn") == "1" and current_user.contactpersoon_id is not None
    school_ids = None
    if mijn:
        school_ids = db.session.scalars(
            db.select(School.id).where(is_llz_editor_clause(current_user, School.id))
        ).all()
    rijen = open_escalaties(school_ids)
    return render("escalatie/overzicht.html", rijen=rijen, mijn=mijn,
                  te_laat=sum(1 for _, s in rijen if s.bewaking.te_laat), sporen=list(Spoor))

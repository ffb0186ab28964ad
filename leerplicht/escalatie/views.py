"""The escalation log: a school's escalations (open, step up, resolve) and LLZ's overview."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.models import Rol
from ..database import CONFLICT_TEKST, Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..policy import Regel, is_llz_editor_clause, mag_deelnemen, school_van_verzoek, toegang
from ..regelfout import Regelfout
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..scholen.dossier import RodeKnop
from ..scholen.models import Contactrol, School
from ..scholen.queries import laad_scholen, teamleider
from ..schooljaren import Schooljaar, alle_schooljaren, gekozen_schooljaar, huidig_of_404
from ..termijnen.kalender import kalender
from .forms import EscalatieForm, OplossenForm, OpschalenForm
from .models import Escalatie, Spoor
from .queries import open_escalaties, overzichten, route_secties, stand
from .regels import Route, los_op, open_escalatie, routes_voor, schaal_op

bp = Blueprint("escalatie", __name__)

def _door() -> tuple[str, str]:
    """Name and side of the user acting ('llz' or 'school')."""
    return current_user.naam, "school" if current_user.rol == Rol.SCHOOL else "llz"


def log_context(school: School, schooljaar: Schooljaar, **extra) -> dict:
    """Context of a school's escalation page for one schooljaar, and of its partials.

    An earlier schooljaar is read-only: nobody opens, steps up or resolves from its page.
    `extra` may hold `nieuw_form` (the form to open one, as submitted) and `bericht`: a
    message for one escalation's card, {"id": ..., "melding" or "fout": ...}.
    """
    (school,) = laad_scholen([school.id])  # the same object, its contacts loaded eagerly
    return {
        "school": school,
        "schooljaar": schooljaar,
        "jaren": alle_schooljaren(),
        "alleen_lezen": not schooljaar.huidig,
        "overzicht": overzichten([school], schooljaar)[school.id],
        "weergave": route_secties([school], schooljaar)[school.id],
        "rode_knop": RodeKnop(teamleider=teamleider(),
                              directeur=school.contact(Contactrol.DIRECTEUR)),
        "mag_deelnemen": schooljaar.huidig and mag_deelnemen(current_user, school.id),
        "nieuw_form": extra.get("nieuw_form") or EscalatieForm(formdata=None, datum=date.today()),
        "bericht": extra.get("bericht"),
        "vandaag": date.today(),
    }


@bp.route("/scholen/<code>/escalaties")
@toegang(Regel.SCHOOL_INZIEN)
def log(code: str):
    """A school's escalations in a schooljaar (?schooljaar=, else the current one)."""
    return render("escalatie/log.html", **log_context(school_van_verzoek(), gekozen_schooljaar()))


@bp.route("/scholen/<code>/escalaties/nieuw", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def openen(code: str):
    """Open an escalation at step 1 of the route (either side may), in the current schooljaar."""
    schooljaar = huidig_of_404()
    form = EscalatieForm()
    if form.validate_on_submit():
        (school,) = laad_scholen([school_van_verzoek().id])  # with contacts, for the route
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
                  **log_context(school_van_verzoek(), schooljaar, nieuw_form=form))


def _escalatie(escalatie_id: int) -> Escalatie:
    """An escalation of the school in the URL, or 404."""
    return get_or_404(Escalatie, id=escalatie_id, school_id=school_van_verzoek().id)


def _school_en_route() -> tuple[School, Route]:
    """The school of the URL with its contacts, and the route it follows this schooljaar."""
    (school,) = laad_scholen([school_van_verzoek().id])  # with contacts, for the route
    return school, routes_voor([school], huidig_of_404())[school.id]


def _bijwerken(escalatie_id: int, status: int = 200, **bericht):
    """htmx answer to an action: every count and list of the page that it may have changed.

    They are rendered from log_context, like the page, and swapped out of band; nothing is
    swapped into the target itself (HX-Reswap: none). `bericht` (melding or fout) is shown on
    the card of the escalation, wherever it now stands.
    """
    context = log_context(school_van_verzoek(), huidig_of_404(),
                          bericht={"id": escalatie_id, **bericht})
    return (render_template("escalatie/_log_bijwerken.html", **context), status,
            {"HX-Reswap": "none"})


def _terug(code: str, escalatie_id: int):
    """The no-JS answer: back to the school's escalations, at this one."""
    return redirect(url_for("escalatie.log", code=code) + f"#escalatie-{escalatie_id}")


def _actie(code: str, escalatie_id: int, uitvoeren, gelukt: str, versie: str | None,
           form=None):
    """Shared flow of stepping up and resolving a validated form: version and rule checks.

    With `form` (a form of its own, like oplossen's), a rule's refusal goes to its date field
    and None is returned: the caller shows the form again with what the user typed.
    """
    escalatie = _escalatie(escalatie_id)
    _, route = _school_en_route()
    try:
        check_version(escalatie, versie)
        uitvoeren(escalatie, route)
        commit_or_conflict()
    except (Conflict, Regelfout) as fout:
        db.session.rollback()
        if form is not None and isinstance(fout, Regelfout):
            form.datum.errors.append(str(fout))
            return None
        tekst, status = ((CONFLICT_TEKST, CONFLICT) if isinstance(fout, Conflict)
                         else (str(fout), VALIDATION_FAILED))
        if is_htmx():
            return _bijwerken(escalatie_id, status, fout=tekst)
        flash(tekst, "fout")
    else:
        if is_htmx():
            return _bijwerken(escalatie_id, melding=gelukt)
        flash(gelukt, "succes")
    return _terug(code, escalatie_id)


@bp.route("/scholen/<code>/escalaties/<int:escalatie_id>/opschalen", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def opschalen(code: str, escalatie_id: int):
    """Step the escalation up to the next step of the school's route."""
    form = OpschalenForm()
    if not form.validate_on_submit():
        _escalatie(escalatie_id)  # 404 for an escalation of another school
        fouten = " ".join(e for veld in form for e in veld.errors)
        if is_htmx():
            return _bijwerken(escalatie_id, VALIDATION_FAILED,
                              fout=f"Vul een geldige datum in; {fouten}")
        flash("Vul een geldige datum in om op te schalen.", "fout")
        return _terug(code, escalatie_id)

    def uitvoeren(escalatie, route):
        schaal_op(escalatie, route, form.datum.data, current_user.naam,
                  form.toelichting.data or "", date.today())

    return _actie(code, escalatie_id, uitvoeren, "De escalatie is opgeschaald.",
                  form.versie.data)


@bp.route("/scholen/<code>/escalaties/<int:escalatie_id>/oplossen", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def oplossen(code: str, escalatie_id: int):
    """Resolve the escalation with its outcome (a page of its own without JavaScript)."""
    escalatie = _escalatie(escalatie_id)
    form = OplossenForm() if request.method == "POST" else OplossenForm(
        formdata=None, datum=date.today(), versie=str(escalatie.versie))
    if form.validate_on_submit():

        def uitvoeren(escalatie, _route):
            los_op(escalatie, form.datum.data, form.uitkomst.data, current_user.naam,
                   date.today())

        antwoord = _actie(code, escalatie_id, uitvoeren, "De escalatie is opgelost.",
                          form.versie.data, form=form)
        if antwoord is not None:
            return antwoord
    school, route = _school_en_route()
    status = VALIDATION_FAILED if request.method == "POST" else 200
    kaart = stand(escalatie, school, teamleider(), kalender(), date.today(), route)
    # Inside a card (htmx) the form swaps itself; on its own page it is a plain form.
    return render("escalatie/oplossen.html", "escalatie/_oplossen_form.html", status=status,
                  stand=kaart, school=school, form=form, in_kaart=is_htmx())


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

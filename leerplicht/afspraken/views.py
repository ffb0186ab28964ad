"""The afsprakenlijst pages: view, inline editing (htmx, with no-JS fallback), akkoord,
versions and diff, print view, history, contact-person changes, deadlines, rollover."""

from collections import defaultdict
from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from ..accounts.models import Rol
from ..audit import Auditregel
from ..database import Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..models_base import verplaats
from ..normenbron import normen_voor
from ..policy import Regel, mag_bewerken, mag_rol_wijzigen, toegang
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..scholen.contactregels import Wijziging, geschiedenis, redenen_nodig, voer_uit
from ..scholen.models import Contactpersoon, Contactrol, Kant, School
from ..scholen.queries import PAGINA_GROOTTE, Zoekopdracht, laad_scholen
from ..schooljaren import Schooljaar, huidig_schooljaar
from .forms import AfspraakForm, ContactWijzigingForm, VersieForm, rol_keuzes
from .models import Afspraak, Afsprakenlijst, Status
from .queries import overzichten
from .regels import (
    geef_akkoord,
    maak_lijst,
    na_wijziging,
    nieuwe_sleutel,
    nieuwe_versie,
    stand_uit,
    termijnstand,
    verschil,
    versies,
    zet_tekst,
)

bp = Blueprint("afspraken", __name__)

CONFLICT_TEKST = (
    "Iemand anders heeft deze afspraak intussen gewijzigd. Uw tekst staat nog in het "
    "formulier; de opgeslagen versie ziet u erboven. Neem over wat u wilt houden en sla "
    "opnieuw op."
)


def _schooljaar() -> Schooljaar:
    """The current schooljaar, or a clear 404 when none is set."""
    schooljaar = huidig_schooljaar()
    if schooljaar is None:
        abort(404)
    return schooljaar


def kant_van(school_id: int) -> str | None:
    """Which side the current user gives akkoord for at this school ('llz', 'school', None)."""
    if current_user.rol == Rol.SCHOOL:
        return "school"
    return "llz" if mag_bewerken(current_user, school_id) else None


def lijst_context(school_id: int) -> dict:
    """Context of the afsprakenlijst page and its partials."""
    (school,) = laad_scholen([school_id])
    schooljaar = _schooljaar()
    overzicht = overzichten([school], schooljaar)[school.id]
    return {
        "school": school,
        "schooljaar": schooljaar,
        "overzicht": overzicht,
        "stand": overzicht.stand,
        "mag_bewerken": mag_bewerken(current_user, school.id),
        "kant": kant_van(school.id),
        "leeg_form": VersieForm(),
        "nieuw_form": AfspraakForm(formdata=None, wie="beiden"),
        "normen": normen_voor(schooljaar),
    }


def _terug(school_code: str, anker: str = ""):
    """Redirect to the list page (the no-JS answer to every action)."""
    return redirect(url_for("afspraken.lijst", code=school_code) + anker)


def _lijst_fragment(school_id: int, status: int = 200):
    """htmx answer to structural changes: the concept's afspraken, re-rendered."""
    return render_template("afspraken/_concept.html", **lijst_context(school_id)), status


@bp.route("/scholen/<code>/afsprakenlijst")
@toegang(Regel.SCHOOL_INZIEN)
def lijst(code: str):
    """The afsprakenlijst of the current schooljaar: version in force, concept, versions."""
    return render("afspraken/lijst.html", **lijst_context(g.school_id))


@bp.route("/scholen/<code>/afsprakenlijst/aanmaken", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def aanmaken(code: str):
    """Create this schooljaar's list from the sector template (once)."""
    form = VersieForm()
    if form.validate_on_submit():
        schooljaar = _schooljaar()
        school = get_or_404(School, id=g.school_id)
        bestaand = db.session.scalar(
            select(func.count(Afsprakenlijst.id)).where(
                Afsprakenlijst.school_id == school.id,
                Afsprakenlijst.schooljaar_id == schooljaar.id,
            )
        )
        if bestaand:
            flash("Er is al een afsprakenlijst voor dit schooljaar.", "waarschuwing")
        else:
            maak_lijst(school, schooljaar, normen_voor(schooljaar))
            db.session.commit()
            flash("De afsprakenlijst is aangemaakt. Vul de afspraken aan.", "succes")
    return _terug(code)


@bp.route("/scholen/<code>/afsprakenlijst/nieuwe-versie", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def nieuwe_versie_maken(code: str):
    """Start a concept from the vastgestelde version (which stays in force meanwhile)."""
    if VersieForm().validate_on_submit():
        schooljaar = _schooljaar()
        stand = stand_uit(versies(g.school_id, schooljaar.id))
        if stand.concept is not None:
            flash("Er is al een nieuwe versie in concept.", "waarschuwing")
        elif stand.geldend is None:
            flash("Er is nog geen vastgestelde versie.", "waarschuwing")
        else:
            nieuwe_versie(stand.geldend, stand.volgend_nummer)
            db.session.commit()
            flash("Er is een nieuwe versie in concept gemaakt. De vastgestelde versie blijft "
                  "gelden tot de nieuwe is vastgesteld.", "succes")
    return _terug(code)


@bp.route("/scholen/<code>/afsprakenlijst/akkoord", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def akkoord(code: str):
    """Give this side's akkoord on the concept the user saw (its version travels along)."""
    form = VersieForm()
    kant = kant_van(g.school_id)
    if not form.validate_on_submit() or kant is None:
        abort(400)
    schooljaar = _schooljaar()
    alle = versies(g.school_id, schooljaar.id)
    stand = stand_uit(alle)
    concept = stand.concept
    if concept is None:
        flash("Er is geen concept om akkoord op te geven.", "waarschuwing")
        return _terug(code)
    try:
        check_version(concept, form.versie.data)
    except Conflict:
        flash("De afsprakenlijst is gewijzigd nadat u haar opende. Lees de nieuwe tekst en geef "
              "dan opnieuw akkoord.", "fout")
        if is_htmx():
            return _lijst_fragment(g.school_id, CONFLICT)
        return redirect(url_for("afspraken.lijst", code=code), 303)
    vastgesteld = geef_akkoord(concept, kant, current_user.id, stand.geldend,
                               naam=current_user.naam)
    try:
        commit_or_conflict()
    except Conflict:
        flash("Tegelijk met u heeft iemand de lijst gewijzigd. Probeer het opnieuw.", "fout")
        return _terug(code)
    flash("De afsprakenlijst is vastgesteld." if vastgesteld else
          "Uw akkoord is vastgelegd. De lijst is vastgesteld zodra ook de andere kant akkoord "
          "geeft.", "succes")
    return _terug(code)


def _afspraak_in_concept(afspraak_id: int) -> Afspraak:
    """An afspraak of this school; 404 otherwise."""
    return get_or_404(Afspraak, id=afspraak_id, school_id=g.school_id)


def _concept_van(afspraak: Afspraak) -> Afsprakenlijst:
    """The list of the afspraak, which must be an editable concept (else 409 page)."""
    lijst = afspraak.lijst
    if not lijst.is_concept:
        abort(409)
    return lijst


@bp.route("/scholen/<code>/afspraken/nieuw", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def afspraak_nieuw(code: str):
    """Add a free agreement to the concept (htmx: re-render the list; no-JS: redirect)."""
    schooljaar = _schooljaar()
    concept = stand_uit(versies(g.school_id, schooljaar.id)).concept
    if concept is None:
        flash("Er is geen concept om aan te vullen.", "waarschuwing")
        return _terug(code)
    form = AfspraakForm()
    if form.validate_on_submit():
        afspraak = Afspraak(
            school_id=g.school_id, sleutel=nieuwe_sleutel(), sectie="vrij",
            titel=form.titel.data, wie=form.wie.data, deadline=form.deadline.data,
            positie=max((a.positie for a in concept.afspraken), default=-1) + 1,
        )
        zet_tekst(afspraak, form.tekst.data or "")
        concept.afspraken.append(afspraak)
        na_wijziging(concept)
        db.session.commit()
        if is_htmx():
            return _lijst_fragment(g.school_id)
        flash("De afspraak is toegevoegd.", "succes")
        return _terug(code, f"#afspraak-{afspraak.id}")
    status = VALIDATION_FAILED if request.method == "POST" else 200
    context = lijst_context(g.school_id)
    context["nieuw_form"] = form
    return render("afspraken/afspraak_nieuw.html", "afspraken/_nieuw_form.html", status=status,
                  **context)


@bp.route("/scholen/<code>/afspraken/<int:afspraak_id>", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def afspraak_bewerken(code: str, afspraak_id: int):
    """Edit one agreement inline; a stale form gets 409 with both texts."""
    afspraak = _afspraak_in_concept(afspraak_id)
    lijst = _concept_van(afspraak)
    if request.method == "GET":
        form = AfspraakForm(obj=afspraak, formdata=None)
        form.versie.data = str(afspraak.versie)
    else:
        form = AfspraakForm()
    status, conflict = 200, None
    if form.validate_on_submit():
        try:
            check_version(afspraak, form.versie.data)
            afspraak.titel, afspraak.wie = form.titel.data, form.wie.data
            afspraak.deadline = form.deadline.data
            zet_tekst(afspraak, form.tekst.data or "")
            na_wijziging(lijst)
            commit_or_conflict()
        except Conflict:
            db.session.rollback()
            afspraak = _afspraak_in_concept(afspraak_id)
            form.versie.data = str(afspraak.versie)
            status, conflict = CONFLICT, CONFLICT_TEKST
        else:
            if is_htmx():
                return render_template("afspraken/_afspraak.html", afspraak=afspraak,
                                       school=afspraak_school(), bewerkbaar=True,
                                       leeg_form=VersieForm(), focus=True)
            flash("De afspraak is opgeslagen.", "succes")
            return _terug(code, f"#afspraak-{afspraak.id}")
    elif request.method == "POST":
        status = VALIDATION_FAILED
    return render(
        "afspraken/afspraak_bewerken.html", "afspraken/_afspraak_form.html", status=status,
        afspraak=afspraak, form=form, conflict=conflict, school=afspraak_school(),
    )


def afspraak_school() -> School:
    """The school of the current URL (already authorised)."""
    return db.session.get(School, g.school_id)


@bp.route("/scholen/<code>/afspraken/<int:afspraak_id>/weergave")
@toegang(Regel.SCHOOL_INZIEN)
def afspraak_weergave(code: str, afspraak_id: int):
    """One agreement, read-only (htmx: 'Annuleren' in the inline form swaps this back)."""
    afspraak = _afspraak_in_concept(afspraak_id)
    if not is_htmx():
        return _terug(code, f"#afspraak-{afspraak.id}")
    return render_template(
        "afspraken/_afspraak.html", afspraak=afspraak, school=afspraak_school(),
        bewerkbaar=afspraak.lijst.is_concept and mag_bewerken(current_user, g.school_id),
        leeg_form=VersieForm(), focus=True,
    )


@bp.route("/scholen/<code>/afspraken/<int:afspraak_id>/verwijderen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def afspraak_verwijderen(code: str, afspraak_id: int):
    """Delete a free agreement from the concept."""
    afspraak = _afspraak_in_concept(afspraak_id)
    lijst = _concept_van(afspraak)
    form = VersieForm()
    if not form.validate_on_submit():
        abort(400)
    if not afspraak.is_vrij:
        flash("Een vaste afspraak kan niet worden verwijderd; pas de tekst aan.", "fout")
        return _terug(code)
    try:
        check_version(afspraak, form.versie.data)
    except Conflict:
        flash("De afspraak is intussen gewijzigd; bekijk haar opnieuw voor u verwijdert.", "fout")
        if is_htmx():
            return _lijst_fragment(g.school_id, CONFLICT)
        return _terug(code)
    db.session.delete(afspraak)
    na_wijziging(lijst)
    db.session.commit()
    if is_htmx():
        return _lijst_fragment(g.school_id)
    flash("De afspraak is verwijderd.", "succes")
    return _terug(code)


@bp.route("/scholen/<code>/afspraken/<int:afspraak_id>/verplaatsen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def afspraak_verplaatsen(code: str, afspraak_id: int):
    """Move an agreement one place up or down."""
    afspraak = _afspraak_in_concept(afspraak_id)
    lijst = _concept_van(afspraak)
    richting = request.form.get("richting")
    if not VersieForm().validate_on_submit() or richting not in ("omhoog", "omlaag"):
        abort(400)
    if verplaats(list(lijst.afspraken), afspraak, richting):
        na_wijziging(lijst)
        db.session.commit()
    if is_htmx():
        return _lijst_fragment(g.school_id)
    return _terug(code, f"#afspraak-{afspraak.id}")


def _versie(school_id: int, volgnummer: int) -> Afsprakenlijst:
    """One version of this schooljaar's list, or 404."""
    schooljaar = _schooljaar()
    return get_or_404(
        Afsprakenlijst, school_id=school_id, schooljaar_id=schooljaar.id, volgnummer=volgnummer
    )


def _volgnummer(arg: str, standaard: int) -> int:
    """A version number from the query string (default when absent), or 404 when malformed."""
    value = request.args.get(arg, "")
    if not value:
        return standaard
    if not value.isdigit():
        abort(404)
    return int(value)


@bp.route("/scholen/<code>/afsprakenlijst/versie/<int:volgnummer>")
@toegang(Regel.SCHOOL_INZIEN)
def versie(code: str, volgnummer: int):
    """One version, read-only; with ?afdrukken=1 the clean A4 print layout."""
    lijst = _versie(g.school_id, volgnummer)
    template = "afspraken/afdrukken.html" if request.args.get("afdrukken") else (
        "afspraken/versie.html")
    return render(template, lijst=lijst, school=afspraak_school(), schooljaar=lijst.schooljaar)


@bp.route("/scholen/<code>/afsprakenlijst/verschil")
@toegang(Regel.SCHOOL_INZIEN)
def verschil_tonen(code: str):
    """A readable diff between two versions (?van=1&naar=2; default: the newest two)."""
    alle = versies(g.school_id, _schooljaar().id)
    laatste = max((v.volgnummer for v in alle), default=0)
    naar = _volgnummer("naar", laatste)
    oud = _versie(g.school_id, _volgnummer("van", max(1, naar - 1)))
    nieuw = _versie(g.school_id, naar)
    return render("afspraken/verschil.html", oud=oud, nieuw=nieuw, school=afspraak_school(),
                  verschillen=verschil(oud, nieuw), alle=sorted(v.volgnummer for v in alle))


VELDNAMEN = {
    "titel": "titel", "tekst": "tekst", "wie": "wie", "deadline": "uiterlijk",
    "positie": "volgorde", "status": "status", "naam": "naam", "code": "BRIN",
    "sector": "sector", "straat": "straat", "postcode": "postcode", "plaats": "plaats",
    "bestuur": "bestuur", "actief": "actief", "contactpersoon_id": "contactpersoon",
    "akkoord_llz_naam": "akkoord Leerlingzaken", "akkoord_school_naam": "akkoord school",
    "tot": "einddatum", "vanaf": "ingangsdatum", "reden": "reden",
    "warme_overdracht_op": "warme overdracht",
    "onderwerp": "onderwerp", "niveau": "stap", "stap_sinds": "stap sinds",
    "opgelost_op": "opgelost op", "uitkomst": "uitkomst", "llz_rol": "wie van Leerlingzaken",
    "school_rol": "wie van de school", "wijze": "hoe", "termijn_werkdagen": "termijn (werkdagen)",
    "toelichting": "toelichting",
}
TABELNAMEN = {"school": "School", "afspraak": "Afspraak", "afsprakenlijst": "Afsprakenlijst",
              "toewijzing": "Contactpersoon", "escalatie": "Escalatie",
              "routestap": "Escalatieroute"}


@bp.route("/scholen/<code>/geschiedenis")
@toegang(Regel.SCHOOL_INZIEN)
def geschiedenis_tonen(code: str):
    """The audit trail of everything changed in this school's dossier, newest first."""
    regels = db.session.scalars(
        select(Auditregel)
        .where(Auditregel.school_id == g.school_id)
        .order_by(Auditregel.tijdstip.desc(), Auditregel.id.desc())
        .limit(500)
    ).all()
    return render("afspraken/geschiedenis.html", regels=regels, school=afspraak_school(),
                  veldnamen=VELDNAMEN, tabelnamen=TABELNAMEN)


def _contact_keuzes(form: ContactWijzigingForm, rollen: list[Contactrol], school_id: int):
    """Fill the selects: allowed roles and the people of the matching side."""
    form.rol.choices = rol_keuzes(rollen)
    kanten = {r.kant.value for r in rollen}
    personen = db.session.scalars(
        select(Contactpersoon)
        .where(Contactpersoon.actief.is_(True), Contactpersoon.kant.in_(kanten))
        .order_by(Contactpersoon.kant, Contactpersoon.naam)
    ).all()
    form.contactpersoon_id.choices = [SelectChoice(0, "— Nieuwe persoon —")] + [
        SelectChoice(p.id, f"{p.naam} ({'Leerlingzaken' if p.kant == Kant.LLZ else p.functie})")
        for p in personen
    ]


@bp.route("/scholen/<code>/contactpersonen/wijzigen", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def contact_wijzigen(code: str):
    """Change a contact role, applying the werkafspraken rules; the old assignment stays."""
    rollen = [r for r in Contactrol if mag_rol_wijzigen(current_user, g.school_id, r)]
    form = ContactWijzigingForm()
    if request.method == "GET":
        form.aangekondigd.data = date.today()
    _contact_keuzes(form, rollen, g.school_id)
    schooljaar = _schooljaar()
    nodig: list[str] = []
    if form.validate_on_submit():
        rol = Contactrol(form.rol.data)
        if not mag_rol_wijzigen(current_user, g.school_id, rol):
            abort(403)
        persoon_id = form.contactpersoon_id.data
        if not persoon_id:
            persoon = Contactpersoon(naam=form.naam.data, kant=rol.kant, functie=form.functie.data,
                                     email=form.email.data, telefoon=form.telefoon.data)
            db.session.add(persoon)
            db.session.flush()
            persoon_id = persoon.id
        elif db.session.get(Contactpersoon, persoon_id).kant != rol.kant:
            form.contactpersoon_id.errors = ["Deze persoon hoort bij de andere kant."]
        wijziging = Wijziging(
            school_id=g.school_id, rol=rol, contactpersoon_id=persoon_id,
            ingang=form.ingang.data, aangekondigd=form.aangekondigd.data,
            reden=form.reden.data or "", warme_overdracht=form.warme_overdracht.data,
        )
        nodig = redenen_nodig(wijziging, schooljaar, normen_voor(schooljaar))
        if nodig and not wijziging.reden:
            form.reden.errors = nodig
        if not form.errors:
            try:
                voer_uit(wijziging)
            except ValueError as error:
                form.contactpersoon_id.errors = [str(error)]
            else:
                db.session.commit()
                flash(f"{rol.label} is gewijzigd per {wijziging.ingang:%d-%m-%Y}.", "succes")
                return redirect(url_for("afspraken.contacthistorie", code=code))
        db.session.rollback()
    status = VALIDATION_FAILED if request.method == "POST" else 200
    return render("afspraken/contact_wijzigen.html", form=form, school=afspraak_school(),
                  status=status)


@bp.route("/scholen/<code>/contactpersonen")
@toegang(Regel.SCHOOL_INZIEN)
def contacthistorie(code: str):
    """Who held which contact role when: current, planned and earlier assignments."""
    return render("afspraken/contacthistorie.html", school=afspraak_school(),
                  toewijzingen=geschiedenis(g.school_id), vandaag=date.today())


@bp.route("/afsprakenlijsten/termijnen")
@toegang(Regel.LLZ)
def termijnen():
    """Schools whose afsprakenlijst is late or due soon (the 3-month deadline)."""
    schooljaar = _schooljaar()
    normen, vandaag = normen_voor(schooljaar), date.today()
    # Plain rows, not ORM objects: this page judges every school of the municipality.
    scholen = db.session.execute(
        select(School.id, School.naam).where(School.actief.is_(True))
    ).all()
    per_school = defaultdict(list)
    for versie in db.session.execute(
        select(Afsprakenlijst.school_id, Afsprakenlijst.status, Afsprakenlijst.herkomst,
               Afsprakenlijst.vastgesteld_op)
        .where(Afsprakenlijst.schooljaar_id == schooljaar.id)
    ):
        per_school[versie.school_id].append(versie)
    open_ = []
    for school in scholen:
        stand = termijnstand(per_school[school.id], schooljaar, normen, vandaag)
        if not stand.afgerond:
            concept = any(v.status == Status.CONCEPT for v in per_school[school.id])
            open_.append((school.id, school.naam, stand, concept))
    open_.sort(key=lambda rij: (rij[2].dagen, rij[1]))
    zoek = Zoekopdracht.uit_args(request.args)
    paginas = max(1, -(-len(open_) // PAGINA_GROOTTE))
    begin = (min(zoek.pagina, paginas) - 1) * PAGINA_GROOTTE
    pagina = open_[begin:begin + PAGINA_GROOTTE]
    geladen = {s.id: s for s in laad_scholen([rij[0] for rij in pagina])}
    rijen = [(geladen[school_id], stand, concept) for school_id, _, stand, concept in pagina]
    return render("afspraken/termijnen.html", rijen=rijen, schooljaar=schooljaar,
                  totaal=len(scholen), aantal=len(open_), pagina=min(zoek.pagina, paginas),
                  paginas=paginas)


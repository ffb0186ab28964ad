"""The afsprakenlijst pages: view, inline editing (htmx, with no-JS fallback), akkoord,
versions and diff, print view, the overview of deadlines."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select

from .. import paginacache
from ..accounts.models import Rol
from ..database import CONFLICT_TEKST, Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..formulieren import VersieForm
from ..models_base import verplaats
from ..normenbron import normen_voor
from ..policy import Regel, mag_bewerken, school_van_verzoek, toegang
from ..regelfout import Regelfout
from ..rendering import CONFLICT, VALIDATION_FAILED, herladen, is_htmx, render
from ..scholen.models import School
from ..scholen.queries import PAGINA_GROOTTE, Zoekopdracht, laad_scholen
from ..schooljaren import (
    Schooljaar,
    alle_schooljaren,
    gekozen_schooljaar,
    huidig_of_404,
    jaar_args,
)
from ..verzoek import positive_int
from .forms import AfspraakForm
from .models import Afspraak, Afsprakenlijst
from .queries import open_termijnen, overzichten
from .regels import (
    geef_akkoord,
    maak_lijst,
    na_wijziging,
    nieuwe_sleutel,
    nieuwe_versie,
    nog_in_te_vullen,
    stand_uit,
    verschil,
    versies,
    vervangen_door,
    zet_tekst,
)

bp = Blueprint("afspraken", __name__)

def kant_van(school_id: int) -> str | None:
    """Which side the current user gives akkoord for at this school ('llz', 'school', None)."""
    if current_user.rol == Rol.SCHOOL:
        return "school"
    return "llz" if mag_bewerken(current_user, school_id) else None


def lijst_context(school: School, schooljaar: Schooljaar | None = None) -> dict:
    """Context of the afsprakenlijst page and of every partial and htmx answer on it.

    `schooljaar` defaults to the current one; an earlier schooljaar is shown read-only
    (no edit buttons, no akkoord), with its links keeping ?schooljaar=.
    """
    schooljaar = schooljaar or huidig_of_404()
    overzicht = overzichten([school], schooljaar)[school.id]
    stand = overzicht.stand
    huidig = bool(schooljaar.huidig)
    return {
        "school": school,
        "schooljaar": schooljaar,
        "jaren": alle_schooljaren(),
        "jaar_args": jaar_args(schooljaar),
        "alleen_lezen": not huidig,
        "overzicht": overzicht,
        "stand": stand,
        "mag_bewerken": huidig and mag_bewerken(current_user, school.id),
        "kant": kant_van(school.id) if huidig else None,
        "in_te_vullen": nog_in_te_vullen(stand.concept) if huidig and stand.concept else [],
        "akkoord_geweigerd": False,
        "leeg_form": VersieForm(),
        "nieuw_form": AfspraakForm(formdata=None, wie="beiden"),
        "normen": normen_voor(schooljaar),
        # Blocks other areas add below the list (e.g. the evaluation's improvement points).
        "lijstblokken": [template for _context, template in LIJSTBLOKKEN.values()],
        **{naam: waarde for context, _template in LIJSTBLOKKEN.values()
           for naam, waarde in context(school, schooljaar).items()},
    }


# name -> (context(school, schooljaar) -> dict, partial template): blocks a later area shows on
# the afsprakenlijst page, registered from its init_app (afspraken imports nothing of them).
LIJSTBLOKKEN: dict[str, tuple] = {}


def registreer_lijstblok(naam: str, context, template: str) -> None:
    """Add (or replace, on app re-creation) a block below the afsprakenlijst."""
    LIJSTBLOKKEN[naam] = (context, template)


def _terug(school_code: str, anker: str = ""):
    """Redirect to the list page (the no-JS answer to every action)."""
    return redirect(url_for("afspraken.lijst", code=school_code) + anker)


def _lijst_fragment(status: int = 200, **extra):
    """htmx answer to structural changes: the concept's afspraken, re-rendered."""
    context = {**lijst_context(school_van_verzoek()), **extra}
    return render_template("afspraken/_concept.html", **context), status


def _met_akkoordblok(inhoud: str, afspraak: Afspraak, status: int = 200, **extra):
    """htmx answer about one afspraak: its partial plus the akkoord block, out of band.

    Every change to an afspraak voids the akkoord and raises the list's version, so the
    akkoord form on the page is redrawn with the answer, from the page's own context.
    """
    context = {**lijst_context(school_van_verzoek()), "afspraak": afspraak, **extra}
    concept = context["stand"].concept
    if concept is None or concept.id != afspraak.lijst_id:
        # The concept was vastgesteld (or replaced) meanwhile: the whole page is out of date.
        return herladen(status)
    return render_template("afspraken/_met_akkoordblok.html", inhoud=inhoud, **context), status


@bp.route("/scholen/<code>/afsprakenlijst")
@toegang(Regel.SCHOOL_INZIEN)
def lijst(code: str):
    """The afsprakenlijst of a schooljaar (?schooljaar=, default the current one)."""
    school = school_van_verzoek()
    schooljaar = gekozen_schooljaar() or huidig_of_404()
    # Kept per user: the page shows what this user may do and on which side they sign.
    inhoud = paginacache.deel(
        "afsprakenlijst", (school.id, schooljaar.id, current_user.id),
        lambda: render_template("afspraken/_lijst_inhoud.html",
                                **lijst_context(school, schooljaar)))
    return render("afspraken/lijst.html", school=school, schooljaar=schooljaar, inhoud=inhoud)


@bp.route("/scholen/<code>/afsprakenlijst/aanmaken", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def aanmaken(code: str):
    """Create this schooljaar's list from the sector template (once)."""
    form = VersieForm()
    if form.validate_on_submit():
        schooljaar = huidig_of_404()
        school = school_van_verzoek()
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
        schooljaar = huidig_of_404()
        stand = stand_uit(versies(school_van_verzoek().id, schooljaar.id))
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
    """Give this side's akkoord on the concept the user saw (its version travels along).

    Refused with 422 and the list of what still has to be filled in while a "(vul in)"
    blank is left; nothing is written then.
    """
    form = VersieForm()
    school = school_van_verzoek()
    kant = kant_van(school.id)
    if not form.validate_on_submit() or kant is None:
        abort(400)
    schooljaar = huidig_of_404()
    alle = versies(school.id, schooljaar.id)
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
            return _lijst_fragment(CONFLICT)
        return redirect(url_for("afspraken.lijst", code=code), 303)
    if nog_in_te_vullen(concept):
        return render("afspraken/lijst.html", "afspraken/_concept.html",
                      status=VALIDATION_FAILED,
                      **{**lijst_context(school_van_verzoek()), "akkoord_geweigerd": True})
    try:
        vastgesteld = geef_akkoord(concept, kant, current_user.id, stand.geldend,
                                   naam=current_user.naam)
        commit_or_conflict()
    except Regelfout as fout:
        db.session.rollback()
        flash(str(fout), "fout")
        return _terug(code)
    except Conflict:
        flash("Tegelijk met u heeft iemand de lijst gewijzigd. Probeer het opnieuw.", "fout")
        return _terug(code)
    flash("De afsprakenlijst is vastgesteld." if vastgesteld else
          "Uw akkoord is vastgelegd. De lijst is vastgesteld zodra ook de andere kant akkoord "
          "geeft.", "succes")
    return _terug(code)


def _afspraak_in_concept(afspraak_id: int) -> Afspraak:
    """An afspraak of this school; 404 otherwise."""
    return get_or_404(Afspraak, id=afspraak_id, school_id=school_van_verzoek().id)


def _concept_van(afspraak: Afspraak) -> Afsprakenlijst:
    """The list of the afspraak, which must be a concept of the current schooljaar.

    Otherwise 409: htmx reloads the page (the flash explains), without JS the list page.
    """
    lijst = afspraak.lijst
    if lijst.is_concept and lijst.schooljaar_id == huidig_of_404().id:
        return lijst
    flash("Deze versie is vastgesteld of hoort bij een eerder schooljaar, en kan niet meer "
          "worden gewijzigd. Hieronder staat de actuele stand.", "fout")
    if is_htmx():
        antwoord = herladen(CONFLICT)
    else:
        antwoord = make_response(
            render_template("afspraken/lijst.html", **lijst_context(school_van_verzoek())), CONFLICT
        )
    abort(antwoord)


@bp.route("/scholen/<code>/afspraken/nieuw", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def afspraak_nieuw(code: str):
    """Add a free agreement to the concept (htmx: re-render the concept; no-JS: redirect)."""
    schooljaar = huidig_of_404()
    school = school_van_verzoek()
    concept = stand_uit(versies(school.id, schooljaar.id)).concept
    if concept is None:
        flash("Er is geen concept om aan te vullen.", "waarschuwing")
        return _terug(code)
    form = AfspraakForm()
    if form.validate_on_submit():
        afspraak = Afspraak(
            school_id=school.id, sleutel=nieuwe_sleutel(), sectie="vrij",
            titel=form.titel.data, wie=form.wie.data, deadline=form.deadline.data,
            positie=max((a.positie for a in concept.afspraken), default=-1) + 1,
        )
        zet_tekst(afspraak, form.tekst.data or "")
        concept.afspraken.append(afspraak)
        na_wijziging(concept)
        db.session.commit()
        if is_htmx():
            return _lijst_fragment()
        flash("De afspraak is toegevoegd.", "succes")
        return _terug(code, f"#afspraak-{afspraak.id}")
    status = VALIDATION_FAILED if request.method == "POST" else 200
    if is_htmx():
        # The form targets the whole concept: answer with it, the form's errors kept.
        return _lijst_fragment(status, nieuw_form=form)
    return render("afspraken/afspraak_nieuw.html", status=status,
                  **{**lijst_context(school_van_verzoek()), "nieuw_form": form})


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
                return _met_akkoordblok("afspraken/_afspraak.html", afspraak,
                                        bewerkbaar=True, focus=True)
            flash("De afspraak is opgeslagen.", "succes")
            return _terug(code, f"#afspraak-{afspraak.id}")
    elif request.method == "POST":
        status = VALIDATION_FAILED
    if is_htmx():
        return _met_akkoordblok("afspraken/_afspraak_form.html", afspraak, status,
                                form=form, conflict=conflict)
    return render("afspraken/afspraak_bewerken.html", status=status,
                  **{**lijst_context(school_van_verzoek()), "afspraak": afspraak, "form": form,
                     "conflict": conflict})


@bp.route("/scholen/<code>/afspraken/<int:afspraak_id>/weergave")
@toegang(Regel.SCHOOL_INZIEN)
def afspraak_weergave(code: str, afspraak_id: int):
    """One agreement, read-only (htmx: 'Annuleren' in the inline form swaps this back)."""
    afspraak = _afspraak_in_concept(afspraak_id)
    if not is_htmx():
        return _terug(code, f"#afspraak-{afspraak.id}")
    return _met_akkoordblok(
        "afspraken/_afspraak.html", afspraak, focus=True,
        bewerkbaar=afspraak.lijst.is_concept and mag_bewerken(current_user, afspraak.school_id),
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
        if is_htmx():
            return _lijst_fragment(VALIDATION_FAILED)
        return _terug(code)
    try:
        check_version(afspraak, form.versie.data)
    except Conflict:
        flash("De afspraak is intussen gewijzigd; bekijk haar opnieuw voor u verwijdert.", "fout")
        if is_htmx():
            return _lijst_fragment(CONFLICT)
        return _terug(code)
    db.session.delete(afspraak)
    na_wijziging(lijst)
    db.session.commit()
    if is_htmx():
        return _lijst_fragment()
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
        return _lijst_fragment()
    return _terug(code, f"#afspraak-{afspraak.id}")


def _versie(school_id: int, volgnummer: int, schooljaar: Schooljaar) -> Afsprakenlijst:
    """One version of the school's list in a schooljaar, or 404."""
    return get_or_404(
        Afsprakenlijst, school_id=school_id, schooljaar_id=schooljaar.id, volgnummer=volgnummer
    )


def _volgnummer(arg: str, standaard: int) -> int:
    """A version number from the query string (default when absent), or 404 when malformed."""
    value = request.args.get(arg, "")
    if not value:
        return standaard
    volgnummer = positive_int(value)
    if volgnummer is None:
        abort(404)
    return volgnummer


@bp.route("/scholen/<code>/afsprakenlijst/versie/<int:volgnummer>")
@toegang(Regel.SCHOOL_INZIEN)
def versie(code: str, volgnummer: int):
    """One version, read-only; with ?afdrukken=1 the clean A4 print layout."""
    schooljaar, school = gekozen_schooljaar(), school_van_verzoek()
    alle = versies(school.id, schooljaar.id)
    lijst = next((v for v in alle if v.volgnummer == volgnummer), None)
    if lijst is None:
        abort(404)
    template = "afspraken/afdrukken.html" if request.args.get("afdrukken") else (
        "afspraken/versie.html")
    return render(template, lijst=lijst, school=school, schooljaar=schooljaar,
                  vervanger=vervangen_door(lijst, alle), jaren=alle_schooljaren(),
                  jaar_args=jaar_args(schooljaar))


@bp.route("/scholen/<code>/afsprakenlijst/verschil")
@toegang(Regel.SCHOOL_INZIEN)
def verschil_tonen(code: str):
    """A readable diff between two versions (?van=1&naar=2; default: the newest two)."""
    schooljaar, school = gekozen_schooljaar(), school_van_verzoek()
    alle = versies(school.id, schooljaar.id)
    laatste = max((v.volgnummer for v in alle), default=0)
    naar = _volgnummer("naar", laatste)
    oud = _versie(school.id, _volgnummer("van", max(1, naar - 1)), schooljaar)
    nieuw = _versie(school.id, naar, schooljaar)
    return render("afspraken/verschil.html", oud=oud, nieuw=nieuw, school=school,
                  verschillen=verschil(oud, nieuw), alle=sorted(v.volgnummer for v in alle),
                  schooljaar=schooljaar, jaren=alle_schooljaren(),
                  jaar_args=jaar_args(schooljaar))


@bp.route("/afsprakenlijsten/termijnen")
@toegang(Regel.LLZ)
def termijnen():
    """Schools whose afsprakenlijst is late or due soon (the 3-month deadline), per schooljaar."""
    schooljaar = gekozen_schooljaar()
    open_, totaal = open_termijnen(schooljaar)
    zoek = Zoekopdracht.uit_args(request.args)
    paginas = max(1, -(-len(open_) // PAGINA_GROOTTE))
    begin = (min(zoek.pagina, paginas) - 1) * PAGINA_GROOTTE
    pagina = open_[begin:begin + PAGINA_GROOTTE]
    geladen = {s.id: s for s in laad_scholen([rij.school_id for rij in pagina])}
    rijen = [(geladen[rij.school_id], rij.stand, rij.concept) for rij in pagina]
    return render("afspraken/termijnen.html", rijen=rijen, schooljaar=schooljaar,
                  totaal=totaal, aantal=len(open_), pagina=min(zoek.pagina, paginas),
                  paginas=paginas, jaren=alle_schooljaren(), jaar_args=jaar_args(schooljaar))

"""The registers of a school: verzuimmeldingen, questions and developments, with fast entry.

Each register page shows one schooljaar (?schooljaar=, else the current one; earlier years
are read-only). Actions are plain POST forms; with htmx the answer is the register section of
the page (counts, open steps, the add form and the table), swapped in place. Without
JavaScript a success redirects back to the row, a refusal shows the page again (422/409).
"""

import re
from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import Rol
from ..database import CONFLICT_TEKST, Conflict, check_version, commit_or_conflict, get_or_404
from ..extensions import db
from ..formulieren import eerste_fout
from ..normenbron import normen_voor
from ..policy import (
    Regel,
    is_llz_editor_clause,
    mag_bewerken,
    mag_deelnemen,
    school_van_verzoek,
    toegang,
)
from ..regelfout import Regelfout
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..scholen.models import Kant, School
from ..schooljaren import (
    Schooljaar,
    alle_schooljaren,
    gekozen_schooljaar,
    jaar_args,
    schooljaar_met_id,
)
from ..verzoek import positive_int
from . import queries
from .forms import (
    AntwoordForm,
    BeoordelenForm,
    DatumActieForm,
    InvoerForm,
    MeldingForm,
    OntwikkelingForm,
    StatusForm,
    VraagForm,
)
from .kalender import kalender
from .models import Meldingstatus, Ontwikkeling, Oordeel, Verzuimmelding, Vraag
from .opslag import herbereken, schooljaar_voor
from .regels import (
    alle_elementen,
    controleer_afhandeling,
    controleer_melding,
    elementen_masker,
    oordeel_uit,
)
from .views import bp

GEEN_SCHOOLJAAR = ("Voor deze datum is geen schooljaar in de app. Kies een datum in een "
                   "schooljaar dat de beheerder heeft geopend.")
DUBBELE_REFERENTIE = "Deze referentie staat al in het register van deze school."

# Which row form shows a rule's refusal, by the field the rule names.
VELD_ACTIE = {"teruggemeld_op": "terugmelden", "aangevuld_op": "aanvullen",
              "gereageerd_op": "gereageerd", "oordeel": "beoordelen", "status": "status"}


def init_app(app) -> None:
    """The routes are attached to the blueprint at import; nothing else to register."""


# --- shared -----------------------------------------------------------------------------------

def _pagina() -> int:
    """?pagina=, a bounded positive number (1 for anything else)."""
    return positive_int(request.args.get("pagina")) or 1


def _basis(school: School, schooljaar: Schooljaar, register: str) -> dict:
    """Context every register page shares."""
    return {
        "school": school,
        "schooljaar": schooljaar,
        "jaren": alle_schooljaren(),
        "jaar_args": jaar_args(schooljaar),
        "alleen_lezen": not schooljaar.huidig,
        "register": register,
        "vandaag": date.today(),
        "is_school": current_user.rol == Rol.SCHOOL,
    }


def _datum_fout(form_veld, dag: date | None) -> bool:
    """Refuse a date in the future or outside every schooljaar at the field; True when ok."""
    if dag is None:
        return False
    if dag > date.today():
        form_veld.errors.append("Deze datum ligt in de toekomst.")
        return False
    if schooljaar_voor(dag) is None:
        form_veld.errors.append(GEEN_SCHOOLJAAR)
        return False
    return True


def _ander_jaar(schooljaar_id: int, getoond: Schooljaar) -> None:
    """Tell the htmx user that a new row went to another schooljaar than the one shown."""
    if schooljaar_id != getoond.id:
        jaar = schooljaar_met_id(schooljaar_id)
        flash(f"Deze datum valt in schooljaar {jaar.naam}: daar staat de rij.", "succes")


def _redirect(endpoint: str, school: School, schooljaar_id: int, anker: str):
    """Back to the register page of the row's schooljaar, at the row."""
    jaar = schooljaar_met_id(schooljaar_id)
    return redirect(url_for(endpoint, code=school.code, **jaar_args(jaar)) + f"#{anker}")


# --- meldingen ---------------------------------------------------------------------------------

def meldingen_context(school: School, schooljaar: Schooljaar, pagina: int = 1, **extra) -> dict:
    """Context of the meldingen page and of its register section.

    `extra` may hold `nieuw_form` (the add form as submitted) and `bericht`: the result of an
    action on one row, {"id", "actie", "melding" or "fout"}.
    """
    vandaag = date.today()
    telling = queries.melding_telling(school.id, schooljaar, vandaag)
    paginas = queries.paginas(telling["totaal"])
    pagina = min(pagina, paginas)
    return {
        **_basis(school, schooljaar, "meldingen"),
        "mag_bewerken": schooljaar.huidig and mag_bewerken(current_user, school.id),
        "telling": telling,
        "rijen": queries.meldingen(school.id, schooljaar, vandaag, pagina),
        "llz_open": queries.llz_open(school.id, schooljaar, vandaag),
        "pagina": pagina,
        "paginas": paginas,
        "statussen": list(Meldingstatus),
        "nieuw_form": extra.get("nieuw_form") or MeldingForm(formdata=None, ontvangen_op=vandaag),
        "focus": extra.get("focus", False),
        "bericht": extra.get("bericht"),
    }


@bp.route("/scholen/<code>/meldingen")
@toegang(Regel.SCHOOL_INZIEN)
def meldingen(code: str):
    """A school's verzuimmeldingen in a schooljaar, every step with its termijn."""
    context = meldingen_context(school_van_verzoek(), gekozen_schooljaar(), _pagina())
    return render("termijnen/meldingen.html", **context)


def _register_antwoord(page: str, partial: str, context: dict, status: int):
    """The register section for htmx, else the whole page (after a refusal)."""
    return render(page, partial, status=status, **context)


def _huidig_schooljaar() -> Schooljaar:
    """The current schooljaar (actions only run in it), or 404."""
    jaar = next((j for j in alle_schooljaren() if j.huidig), None)
    if jaar is None:
        abort(404)
    return jaar


def _referentie_bestaat(school_id: int, referentie: str) -> bool:
    return db.session.scalar(select(Verzuimmelding.id).where(
        Verzuimmelding.school_id == school_id, Verzuimmelding.referentie == referentie)
    ) is not None


def _nieuwe_melding(form, school_id: int, compleet: bool = False) -> Verzuimmelding | None:
    """Add a melding from a validated form; None (errors on the form) when refused."""
    if not _datum_fout(form.ontvangen_op, form.ontvangen_op.data):
        return None
    if _referentie_bestaat(school_id, form.referentie.data):
        form.referentie.errors.append(DUBBELE_REFERENTIE)
        return None
    jaar = schooljaar_voor(form.ontvangen_op.data)
    melding = Verzuimmelding(school_id=school_id, schooljaar_id=jaar.id,
                             referentie=form.referentie.data,
                             ontvangen_op=form.ontvangen_op.data,
                             status=Meldingstatus.GEREGISTREERD, oordeel=Oordeel.OPEN,
                             elementen=0, toelichting="")
    if compleet:
        normen = normen_voor(jaar)
        melding.elementen = alle_elementen(normen)
        melding.oordeel = Oordeel.COMPLEET
    herbereken(melding, jaar)
    db.session.add(melding)
    try:
        commit_or_conflict()
    except Conflict:
        form.referentie.errors.append(DUBBELE_REFERENTIE)
        return None
    return melding


@bp.route("/scholen/<code>/meldingen/nieuw", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def melding_nieuw(code: str):
    """Record a new verzuimmelding of the school (LLZ side)."""
    school = school_van_verzoek()
    schooljaar = _huidig_schooljaar()
    form = MeldingForm()
    melding = _nieuwe_melding(form, school.id) if form.validate_on_submit() else None
    if melding is None:
        context = meldingen_context(school, schooljaar, nieuw_form=form, focus=True)
        return _register_antwoord("termijnen/meldingen.html", "termijnen/_meldingen_register.html",
                                  context, VALIDATION_FAILED)
    tekst = f"Melding {melding.referentie} is vastgelegd."
    if is_htmx():
        leeg = MeldingForm(formdata=None, ontvangen_op=form.ontvangen_op.data)
        _ander_jaar(melding.schooljaar_id, schooljaar)
        context = meldingen_context(school, schooljaar, nieuw_form=leeg,
                                    focus=True, bericht={"id": melding.id, "melding": tekst})
        return render("termijnen/meldingen.html", "termijnen/_meldingen_register.html",
                      **context)
    flash(tekst, "succes")
    return _redirect("termijnen.meldingen", school, melding.schooljaar_id, f"melding-{melding.id}")


def _melding_actie(melding_id: int, actie: str, form, toepassen, gelukt: str):
    """Shared flow of the row actions on a melding: form, version, rules, recompute, commit."""
    school = school_van_verzoek()
    melding = get_or_404(Verzuimmelding, id=melding_id, school_id=school.id)
    schooljaar_id = melding.schooljaar_id
    status = 200
    if not form.validate_on_submit():
        tekst, _ = eerste_fout(form)
        bericht = {"id": melding_id, "actie": actie, "fout": tekst}
        status = VALIDATION_FAILED
    else:
        # Calendar and norms first: a query after the change would flush a row the rules
        # have not checked yet (and the database's CHECK would answer instead of them).
        kal, normen = kalender(), normen_voor(schooljaar_met_id(schooljaar_id))
        try:
            check_version(melding, form.versie.data)
            with db.session.no_autoflush:
                toepassen(melding)
                controleer_melding(melding, normen, kal, date.today())
            herbereken(melding)
            commit_or_conflict()
        except Conflict:
            db.session.rollback()
            bericht = {"id": melding_id, "actie": actie, "fout": CONFLICT_TEKST}
            status = CONFLICT
        except Regelfout as fout:
            db.session.rollback()
            bericht = {"id": melding_id, "actie": VELD_ACTIE.get(fout.veld or "", actie),
                       "fout": str(fout)}
            status = VALIDATION_FAILED
        else:
            bericht = {"id": melding_id, "actie": actie, "melding": gelukt}
    if status == 200 and not is_htmx():
        flash(gelukt, "succes")
        return _redirect("termijnen.meldingen", school, schooljaar_id, f"melding-{melding_id}")
    context = meldingen_context(school, schooljaar_met_id(schooljaar_id), bericht=bericht)
    return render("termijnen/meldingen.html", "termijnen/_meldingen_register.html",
                  status=status, **context)


@bp.route("/scholen/<code>/meldingen/<int:melding_id>/beoordelen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def melding_beoordelen(code: str, melding_id: int):
    """Judge a melding with the checklist of its norms version (once)."""
    form = BeoordelenForm()

    def toepassen(melding):
        if melding.oordeel != Oordeel.OPEN:
            raise Regelfout("Deze melding is al beoordeeld.", "oordeel")
        normen = normen_voor(schooljaar_met_id(melding.schooljaar_id))
        try:
            indexen = [int(x) for x in form.elementen.data if re.fullmatch(r"[0-9]{1,2}", x)]
            if len(indexen) != len(form.elementen.data):
                raise ValueError
            masker = elementen_masker(indexen, normen)
        except ValueError:
            raise Regelfout("Kies alleen elementen van de checklist.", "oordeel") from None
        melding.elementen = masker
        melding.oordeel = oordeel_uit(masker, normen)
        melding.toelichting = form.toelichting.data or ""

    return _melding_actie(melding_id, "beoordelen", form, toepassen,
                          "De melding is beoordeeld.")


def _datum_actie(melding_id: int, actie: str, attribuut: str, gelukt: str):
    form = DatumActieForm()

    def toepassen(melding):
        setattr(melding, attribuut, form.datum.data)

    return _melding_actie(melding_id, actie, form, toepassen, gelukt)


@bp.route("/scholen/<code>/meldingen/<int:melding_id>/terugmelden", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def melding_terugmelden(code: str, melding_id: int):
    """Record the date LLZ told the school what the melding lacks."""
    return _datum_actie(melding_id, "terugmelden", "teruggemeld_op",
                        "Het terugmelden is vastgelegd.")


@bp.route("/scholen/<code>/meldingen/<int:melding_id>/aanvullen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def melding_aanvullen(code: str, melding_id: int):
    """Record the date the school completed the melding."""
    return _datum_actie(melding_id, "aanvullen", "aangevuld_op", "Het aanvullen is vastgelegd.")


@bp.route("/scholen/<code>/meldingen/<int:melding_id>/gereageerd", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def melding_gereageerd(code: str, melding_id: int):
    """Record the date LLZ responded to the (complete) melding."""
    return _datum_actie(melding_id, "gereageerd", "gereageerd_op", "De reactie is vastgelegd.")


@bp.route("/scholen/<code>/meldingen/<int:melding_id>/status", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def melding_status(code: str, melding_id: int):
    """Change the DUO status of a melding."""
    form = StatusForm()

    def toepassen(melding):
        melding.status = form.status.data

    return _melding_actie(melding_id, "status", form, toepassen, "De status is gewijzigd.")


# --- vragen ------------------------------------------------------------------------------------

def _mag_antwoorden(vraag: Vraag, school_id: int) -> bool:
    """A school user answers LLZ's questions; an LLZ editor any question."""
    if current_user.rol == Rol.SCHOOL:
        return vraag.gesteld_door == Kant.LLZ
    return mag_bewerken(current_user, school_id)


def vragen_context(school: School, schooljaar: Schooljaar, pagina: int = 1, **extra) -> dict:
    """Context of the questions page and of its register section."""
    vandaag = date.today()
    telling = queries.vraag_telling(school.id, schooljaar, vandaag)
    paginas = queries.paginas(telling["totaal"])
    pagina = min(pagina, paginas)
    deelnemen = schooljaar.huidig and mag_deelnemen(current_user, school.id)
    rijen = queries.vragen(school.id, schooljaar, vandaag, pagina)
    return {
        **_basis(school, schooljaar, "vragen"),
        "mag_deelnemen": deelnemen,
        "antwoordbaar": {r.id for r in rijen if deelnemen and r.vraag.beantwoord_op is None
                         and _mag_antwoorden(r.vraag, school.id)},
        "telling": telling,
        "rijen": rijen,
        "pagina": pagina,
        "paginas": paginas,
        "nieuw_form": extra.get("nieuw_form") or VraagForm(formdata=None, gesteld_op=vandaag),
        "focus": extra.get("focus", False),
        "bericht": extra.get("bericht"),
    }


@bp.route("/scholen/<code>/vragen")
@toegang(Regel.SCHOOL_INZIEN)
def vragen(code: str):
    """Questions between LLZ and the school in a schooljaar, with the answer termijn."""
    context = vragen_context(school_van_verzoek(), gekozen_schooljaar(), _pagina())
    return render("termijnen/vragen.html", **context)


def _kant() -> Kant:
    """The side of the user asking: a school user always asks as the school."""
    return Kant.SCHOOL if current_user.rol == Rol.SCHOOL else Kant.LLZ


@bp.route("/scholen/<code>/vragen/nieuw", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def vraag_nieuw(code: str):
    """Record a question; the other side answers it within the norm."""
    school = school_van_verzoek()
    schooljaar = _huidig_schooljaar()
    form = VraagForm()
    if form.validate_on_submit() and _datum_fout(form.gesteld_op, form.gesteld_op.data):
        jaar = schooljaar_voor(form.gesteld_op.data)
        vraag = Vraag(school_id=school.id, schooljaar_id=jaar.id, gesteld_door=_kant(),
                      onderwerp=form.onderwerp.data, gesteld_op=form.gesteld_op.data,
                      antwoord="")
        herbereken(vraag, jaar)
        db.session.add(vraag)
        commit_or_conflict()
        tekst = "De vraag is vastgelegd."
        if is_htmx():
            leeg = VraagForm(formdata=None, gesteld_op=form.gesteld_op.data)
            _ander_jaar(jaar.id, schooljaar)
            context = vragen_context(school, schooljaar, nieuw_form=leeg, focus=True,
                                     bericht={"id": vraag.id, "melding": tekst})
            return render("termijnen/vragen.html", "termijnen/_vragen_register.html", **context)
        flash(tekst, "succes")
        return _redirect("termijnen.vragen", school, jaar.id, f"vraag-{vraag.id}")
    context = vragen_context(school, schooljaar, nieuw_form=form, focus=True)
    return render("termijnen/vragen.html", "termijnen/_vragen_register.html",
                  status=VALIDATION_FAILED, **context)


@bp.route("/scholen/<code>/vragen/<int:vraag_id>/beantwoorden", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def vraag_beantwoorden(code: str, vraag_id: int):
    """Record the answer to a question (a school user: only to LLZ's questions)."""
    school = school_van_verzoek()
    vraag = get_or_404(Vraag, id=vraag_id, school_id=school.id)
    if not _mag_antwoorden(vraag, school.id):
        abort(403)
    form = AntwoordForm()
    status = 200
    if not form.validate_on_submit():
        bericht = {"id": vraag_id, "actie": "beantwoorden", "fout": eerste_fout(form)[0]}
        status = VALIDATION_FAILED
    else:
        try:
            check_version(vraag, form.versie.data)
            if vraag.beantwoord_op is not None:
                raise Regelfout("Deze vraag is al beantwoord.", "beantwoord_op")
            controleer_afhandeling(vraag.gesteld_op, form.beantwoord_op.data, date.today(),
                                   "De vraagdatum", "De antwoorddatum", "beantwoord_op")
            vraag.beantwoord_op = form.beantwoord_op.data
            vraag.antwoord = form.antwoord.data or ""
            herbereken(vraag)
            commit_or_conflict()
        except Conflict:
            db.session.rollback()
            bericht = {"id": vraag_id, "actie": "beantwoorden", "fout": CONFLICT_TEKST}
            status = CONFLICT
        except Regelfout as fout:
            db.session.rollback()
            bericht = {"id": vraag_id, "actie": "beantwoorden", "fout": str(fout)}
            status = VALIDATION_FAILED
        else:
            bericht = {"id": vraag_id, "actie": "beantwoorden",
                       "melding": "Het antwoord is vastgelegd."}
    schooljaar_id = vraag.schooljaar_id
    if status == 200 and not is_htmx():
        flash(bericht["melding"], "succes")
        return _redirect("termijnen.vragen", school, schooljaar_id, f"vraag-{vraag_id}")
    context = vragen_context(school, schooljaar_met_id(schooljaar_id), bericht=bericht)
    return render("termijnen/vragen.html", "termijnen/_vragen_register.html", status=status,
                  **context)


# --- ontwikkelingen ----------------------------------------------------------------------------

def ontwikkelingen_context(school: School, schooljaar: Schooljaar, pagina: int = 1,
                           **extra) -> dict:
    """Context of the developments page and of its register section."""
    vandaag = date.today()
    telling = queries.ontwikkeling_telling(school.id, schooljaar, vandaag)
    paginas = queries.paginas(telling["totaal"])
    pagina = min(pagina, paginas)
    return {
        **_basis(school, schooljaar, "ontwikkelingen"),
        "mag_bewerken": schooljaar.huidig and mag_bewerken(current_user, school.id),
        "telling": telling,
        "rijen": queries.ontwikkelingen(school.id, schooljaar, vandaag, pagina),
        "pagina": pagina,
        "paginas": paginas,
        "nieuw_form": extra.get("nieuw_form") or OntwikkelingForm(formdata=None, bekend_op=vandaag),
        "focus": extra.get("focus", False),
        "bericht": extra.get("bericht"),
    }


@bp.route("/scholen/<code>/ontwikkelingen")
@toegang(Regel.SCHOOL_INZIEN)
def ontwikkelingen(code: str):
    """Developments LLZ must report to the school, with the termijn."""
    context = ontwikkelingen_context(school_van_verzoek(), gekozen_schooljaar(), _pagina())
    return render("termijnen/ontwikkelingen.html", **context)


@bp.route("/scholen/<code>/ontwikkelingen/nieuw", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def ontwikkeling_nieuw(code: str):
    """Record a development that LLZ learned of."""
    school = school_van_verzoek()
    schooljaar = _huidig_schooljaar()
    form = OntwikkelingForm()
    if form.validate_on_submit() and _datum_fout(form.bekend_op, form.bekend_op.data):
        jaar = schooljaar_voor(form.bekend_op.data)
        ontwikkeling = Ontwikkeling(school_id=school.id, schooljaar_id=jaar.id,
                                    onderwerp=form.onderwerp.data, bekend_op=form.bekend_op.data)
        herbereken(ontwikkeling, jaar)
        db.session.add(ontwikkeling)
        commit_or_conflict()
        tekst = "De ontwikkeling is vastgelegd."
        if is_htmx():
            leeg = OntwikkelingForm(formdata=None, bekend_op=form.bekend_op.data)
            _ander_jaar(jaar.id, schooljaar)
            context = ontwikkelingen_context(school, schooljaar, nieuw_form=leeg, focus=True,
                                             bericht={"id": ontwikkeling.id, "melding": tekst})
            return render("termijnen/ontwikkelingen.html",
                          "termijnen/_ontwikkelingen_register.html", **context)
        flash(tekst, "succes")
        return _redirect("termijnen.ontwikkelingen", school, jaar.id,
                         f"ontwikkeling-{ontwikkeling.id}")
    context = ontwikkelingen_context(school, schooljaar, nieuw_form=form, focus=True)
    return render("termijnen/ontwikkelingen.html", "termijnen/_ontwikkelingen_register.html",
                  status=VALIDATION_FAILED, **context)


@bp.route("/scholen/<code>/ontwikkelingen/<int:ontwikkeling_id>/gemeld", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def ontwikkeling_gemeld(code: str, ontwikkeling_id: int):
    """Record the date LLZ reported the development to the school."""
    school = school_van_verzoek()
    ontwikkeling = get_or_404(Ontwikkeling, id=ontwikkeling_id, school_id=school.id)
    form = DatumActieForm()
    status = 200
    bericht = {"id": ontwikkeling_id, "actie": "gemeld"}
    if not form.validate_on_submit():
        bericht["fout"] = eerste_fout(form)[0]
        status = VALIDATION_FAILED
    else:
        try:
            check_version(ontwikkeling, form.versie.data)
            controleer_afhandeling(ontwikkeling.bekend_op, form.datum.data, date.today(),
                                   "De datum van bekend worden", "De meldingsdatum", "datum")
            ontwikkeling.gemeld_op = form.datum.data
            herbereken(ontwikkeling)
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
            bericht["melding"] = "Het melden aan de school is vastgelegd."
    schooljaar_id = ontwikkeling.schooljaar_id
    if status == 200 and not is_htmx():
        flash(bericht["melding"], "succes")
        return _redirect("termijnen.ontwikkelingen", school, schooljaar_id,
                         f"ontwikkeling-{ontwikkeling_id}")
    context = ontwikkelingen_context(school, schooljaar_met_id(schooljaar_id), bericht=bericht)
    return render("termijnen/ontwikkelingen.html", "termijnen/_ontwikkelingen_register.html",
                  status=status, **context)


# --- fast entry across schools -----------------------------------------------------------------

def bewerkbare_scholen() -> list[School]:
    """The active schools the user may edit: all for the beheerder, else as LLZ contact."""
    query = select(School).where(School.actief.is_(True)).order_by(School.naam)
    if current_user.rol != Rol.BEHEERDER:
        if current_user.contactpersoon_id is None:
            return []
        query = query.where(is_llz_editor_clause(current_user, School.id))
    return list(db.session.scalars(query))


def _invoer_form(scholen: list[School], formdata=..., **data) -> InvoerForm:
    form = InvoerForm(**data) if formdata is ... else InvoerForm(formdata=formdata, **data)
    form.school.choices = [("", "— kies —")] + [(str(s.id), f"{s.naam} ({s.code})")
                                                for s in scholen]
    return form


def _iso_datum(waarde: str | None) -> date | None:
    """?datum=2026-11-30, strictly (anything else: None)."""
    if not waarde or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", waarde):
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        return None


@bp.route("/termijnen/invoer", methods=["GET", "POST"])
@toegang(Regel.LLZ)
def invoer():
    """Enter verzuimmeldingen for several schools in a row, by keyboard."""
    scholen = bewerkbare_scholen()
    ids = [s.id for s in scholen]
    status = 200
    focus = "referentie"
    if request.method == "POST":
        form = _invoer_form(scholen)
        melding = None
        if form.validate_on_submit():
            melding = _nieuwe_melding(form, int(form.school.data), form.compleet.data)
        if melding is not None:
            tekst = f"Melding {melding.referentie} is vastgelegd."
            if not is_htmx():
                flash(tekst, "succes")
                return redirect(url_for("termijnen.invoer", school=form.school.data,
                                        datum=melding.ontvangen_op.isoformat()))
            flash(tekst, "succes")
            form = _invoer_form(scholen, None, school=form.school.data,
                                ontvangen_op=melding.ontvangen_op)
        else:
            status = VALIDATION_FAILED
            focus = next((veld.name for veld in form if veld.errors), "referentie")
    else:
        school = positive_int(request.args.get("school"))
        form = _invoer_form(scholen, None, school=str(school) if school in ids else "",
                            ontvangen_op=_iso_datum(request.args.get("datum")) or date.today())
        if not form.school.data:
            focus = "school"
    return render("termijnen/invoer.html", "termijnen/_invoer.html", status=status,
                  form=form, scholen=scholen, focus=focus,
                  recent=queries.recente_invoer(
                      None if current_user.rol == Rol.BEHEERDER else ids))

"""The yearly evaluation page of a school and its actions; its dossier section, cockpit column
and start-page tasks.

Every action is a plain POST form; with htmx the answer is the section it changed (planning and
status change the whole evaluation), without JavaScript a redirect back to the page. A refusal
answers 422 (a rule or bad input) or 409 (a stale version) with the form as it was sent.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from ..accounts.models import Rol
from ..database import (
    CONFLICT_TEKST,
    Conflict,
    check_version,
    commit_or_conflict,
    get_or_404,
    lock_for_write,
)
from ..extensions import db
from ..formulieren import FORMULIER_VERLOPEN
from ..policy import Regel, mag_bewerken, mag_deelnemen, school_van_verzoek, toegang
from ..regelfout import Regelfout
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..scholen.models import Kant, School
from ..schooljaren import (
    Schooljaar,
    alle_schooljaren,
    gekozen_schooljaar,
    huidig_of_404,
    jaar_args,
)
from ..termijnen.cijfers import aandeel
from . import evaluatie as regels
from .evaluatieforms import (
    AfrondenForm,
    GehoudenForm,
    PlanningForm,
    ScoresForm,
    VastleggenForm,
    VerbeterpuntForm,
)
from .harde import HardeGegevens, harde_gegevens
from .models import SCORES, Evaluatie, Evaluatiestatus, Thema, Verbeterpunt
from .regels import peildatum
from .views import bp

PAGINA = "cyclus/evaluatie.html"
INHOUD = "cyclus/_evaluatie_inhoud.html"
ZACHT = "cyclus/_evaluatie_zacht.html"
PUNTEN = "cyclus/_evaluatie_punten.html"
VERBETERPUNTEN = "cyclus/_verbeterpunten.html"

STATUSBADGE = {"gepland": "neutral", "gehouden": "warning", "vastgelegd": "valid"}


# --- presentation of the hard data -------------------------------------------------------------

def _ja_nee(waarde: bool | None) -> str:
    """Ja / nee / nog niet te beoordelen."""
    return "nog niet te beoordelen" if waarde is None else ("ja" if waarde else "nee")


def harde_rijen(h: HardeGegevens) -> list[tuple[str, str]]:
    """The hard data as (Dutch label, value) rows for the table."""
    norm = "geen norm" if h.bezoeken_norm is None else f"norm {h.bezoeken_norm}"
    return [
        ("Verzuimmeldingen", str(h.meldingen)),
        ("Onvolledig ontvangen", aandeel(h.aandeel_onvolledig)),
        ("Geldt als niet verzonden", str(h.niet_verzonden)),
        ("Stappen van Leerlingzaken binnen de termijn", aandeel(h.llz_binnen)),
        ("Mediane afhandeltijd Leerlingzaken",
         "—" if h.llz_mediaan is None else f"{h.llz_mediaan} werkdagen"),
        ("Aanvullingen van de school binnen de termijn", aandeel(h.aanvullen_binnen)),
        ("Vragen", str(h.vragen)),
        ("Vragen binnen de termijn beantwoord", aandeel(h.vragen_binnen)),
        ("Ontwikkelingen binnen de termijn gemeld", aandeel(h.ontwikkelingen_binnen)),
        ("Bezoeken van Leerlingzaken", f"{h.bezoeken_gehouden} gehouden ({norm})"),
        ("Aanwezigheid", h.aanwezigheid_tekst),
        ("Escalaties", f"{h.escalaties_geopend} geopend, {h.escalaties_opgelost} opgelost"),
        ("Afsprakenlijst", h.afsprakenlijst_termijn),
        ("Afsprakenlijst op tijd vastgesteld", _ja_nee(h.afsprakenlijst_op_tijd)),
    ]


# --- context ------------------------------------------------------------------------------------

def kant_van_gebruiker(school_id: int) -> str | None:
    """The side the user fills in: a school user the school's, an LLZ editor LLZ's, else none."""
    if current_user.rol == Rol.SCHOOL:
        return Kant.SCHOOL.value if mag_deelnemen(current_user, school_id) else None
    return Kant.LLZ.value if mag_bewerken(current_user, school_id) else None


def _planning_form(evaluatie: Evaluatie | None, schooljaar: Schooljaar) -> PlanningForm:
    """The planning form filled from the evaluation (or empty for a new one)."""
    if evaluatie is None:
        return PlanningForm(formdata=None, versie="")
    return PlanningForm(formdata=None, obj=evaluatie, versie=str(evaluatie.versie))


def _scores_form(evaluatie: Evaluatie | None, kant: str | None) -> ScoresForm:
    """The side's scores form filled with its current scores."""
    data = {"versie": regels.kant_versie(evaluatie, kant or "")}
    if evaluatie is not None and kant:
        for thema, rij in regels.scores_van(evaluatie, kant).items():
            data[f"score_{thema}"] = "" if rij.score is None else str(rij.score)
            data[f"toelichting_{thema}"] = rij.toelichting
    return ScoresForm(formdata=None, data=data)


def evaluatie_context(school: School, schooljaar: Schooljaar, **extra) -> dict:
    """Context of the evaluation page and of every partial it is built of.

    `extra` may hold a submitted form (`planning_form`, `gehouden_form`, `scores_form`,
    `punt_form`) to show again with its errors, and `bericht`: {"sectie", "melding" or "fout"}.
    """
    vandaag = date.today()
    evaluatie = regels.evaluaties_voor([school.id], schooljaar).get(school.id)
    kant = kant_van_gebruiker(school.id)
    bewerken = mag_bewerken(current_user, school.id)
    open_ = evaluatie is not None and not evaluatie.is_vastgelegd
    harde = regels.harde_gegevens_van(evaluatie, school, schooljaar, vandaag)
    scores = {k: regels.scores_van(evaluatie, k) if evaluatie else {} for k in ("school", "llz")}
    return {
        "school": school,
        "schooljaar": schooljaar,
        "jaren": alle_schooljaren(),
        "jaar_args": jaar_args(schooljaar),
        "evaluatie": evaluatie,
        "statusbadge": STATUSBADGE,
        "kant": kant,
        "mag_plannen": bewerken and (open_ or (evaluatie is None and schooljaar.eind >= vandaag)),
        "mag_status": bewerken and open_,
        "mag_scores": kant is not None and open_,
        "mag_punten": kant is not None and open_,
        "mag_afronden": kant is not None and evaluatie is not None,
        "harde": harde,
        "harde_rijen": harde_rijen(harde),
        "themas": list(Thema),
        "scores": scores,
        "score_labels": SCORES,
        "eigen_punten": [(p, None) for p in evaluatie.verbeterpunten] if evaluatie else [],
        "vandaag": vandaag,
        "planning_form": extra.get("planning_form") or _planning_form(evaluatie, schooljaar),
        "gehouden_form": extra.get("gehouden_form") or GehoudenForm(
            formdata=None, versie=str(evaluatie.versie) if evaluatie else "",
            gehouden_op=evaluatie.gehouden_op if evaluatie and evaluatie.gehouden_op
            else min(vandaag, evaluatie.gepland_op) if evaluatie else vandaag),
        "vastleggen_form": VastleggenForm(formdata=None,
                                          versie=str(evaluatie.versie) if evaluatie else ""),
        "scores_form": extra.get("scores_form") or _scores_form(evaluatie, kant),
        "punt_form": extra.get("punt_form") or VerbeterpuntForm(formdata=None),
        "bericht": extra.get("bericht") or {},
    }


def verbeterpunten_context(school: School, schooljaar: Schooljaar, **extra) -> dict:
    """What the afsprakenlijst page shows of earlier evaluations' improvement points."""
    return {
        "verbeterpunten": regels.overgedragen_punten(school.id, schooljaar),
        "verbeterpunten_afronden": bool(schooljaar.huidig)
        and mag_deelnemen(current_user, school.id),
        "verbeterpunt_bericht": extra.get("bericht") or {},
        "vandaag": date.today(),
    }


# --- the page -----------------------------------------------------------------------------------

@bp.route("/scholen/<code>/evaluatie")
@toegang(Regel.SCHOOL_INZIEN)
def evaluatie_pagina(code: str):
    """The school's yearly evaluation in a schooljaar (?schooljaar=, else the current one)."""
    return render(PAGINA, **evaluatie_context(school_van_verzoek(), gekozen_schooljaar()))


# --- actions ------------------------------------------------------------------------------------

def _evaluatie_van(school: School, schooljaar: Schooljaar) -> Evaluatie | None:
    """The school's evaluation in the schooljaar, locked for the write (PostgreSQL)."""
    # Without the joined school and schooljaar: PostgreSQL locks no outer join's nullable side.
    return db.session.scalar(lock_for_write(
        select(Evaluatie)
        .options(lazyload(Evaluatie.school), lazyload(Evaluatie.schooljaar))
        .where(Evaluatie.school_id == school.id, Evaluatie.schooljaar_id == schooljaar.id)))


def _bestaande(school: School, schooljaar: Schooljaar) -> Evaluatie:
    """The evaluation an action needs; a refusal when none is planned yet."""
    evaluatie = _evaluatie_van(school, schooljaar)
    if evaluatie is None:
        raise Regelfout("Er is in dit schooljaar nog geen evaluatie gepland.")
    return evaluatie


def _fout_bij_veld(form, fout: Regelfout) -> bool:
    """Put a rule's refusal beside the form field it names; False when the form has none."""
    if form is not None and fout.veld and fout.veld in form:
        form[fout.veld].errors = [*form[fout.veld].errors, str(fout)]
        return True
    return False


def _actie(form, formnaam: str, uitvoeren, gelukt: str, partial: str, sectie: str):
    """Shared flow of the evaluation's actions: validate, apply the rule, commit, answer."""
    school = school_van_verzoek()
    schooljaar = gekozen_schooljaar()
    status, bericht = 200, {"sectie": sectie, "melding": gelukt}
    if not form.validate_on_submit():
        status, bericht = VALIDATION_FAILED, {}
        if form.csrf_token.errors:
            bericht = {"sectie": sectie, "fout": FORMULIER_VERLOPEN}
    else:
        try:
            with db.session.no_autoflush:
                uitvoeren(school, schooljaar)
            commit_or_conflict()
        except Conflict:
            db.session.rollback()
            status, bericht = CONFLICT, {"sectie": sectie, "fout": CONFLICT_TEKST}
        except Regelfout as fout:
            db.session.rollback()
            status = VALIDATION_FAILED
            bericht = {} if _fout_bij_veld(form, fout) else {"sectie": sectie,
                                                               "fout": str(fout)}
    if status == 200:
        if not is_htmx():
            flash(gelukt, "succes")
            return redirect(url_for("cyclus.evaluatie_pagina", code=school.code,
                                    **jaar_args(schooljaar), _anchor=f"evaluatie-{sectie}"))
        extra = {"bericht": bericht}
    else:
        extra = {formnaam: form, "bericht": bericht}
    context = evaluatie_context(school, schooljaar, **extra)
    return render(PAGINA, partial, status=status, **context)


@bp.route("/scholen/<code>/evaluatie/plannen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def evaluatie_plannen(code: str):
    """Plan the evaluation of the schooljaar, or change its date and attendees (LLZ)."""
    form = PlanningForm()

    def uitvoeren(school, schooljaar):
        evaluatie = _evaluatie_van(school, schooljaar)
        if evaluatie is not None:
            check_version(evaluatie, form.versie.data)
        regels.plan(school.id, schooljaar, form.gepland_op.data, form.teamleider_aanwezig.data,
                    form.directeur_aanwezig.data, form.aanwezigen.data, date.today(), evaluatie)

    return _actie(form, "planning_form", uitvoeren, "De planning van de evaluatie is opgeslagen.",
                  INHOUD, "planning")


@bp.route("/scholen/<code>/evaluatie/gehouden", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def evaluatie_gehouden(code: str):
    """Record that the evaluation took place."""
    form = GehoudenForm()

    def uitvoeren(school, schooljaar):
        evaluatie = _bestaande(school, schooljaar)
        check_version(evaluatie, form.versie.data)
        regels.markeer_gehouden(evaluatie, schooljaar, form.gehouden_op.data, date.today())

    return _actie(form, "gehouden_form", uitvoeren, "De evaluatie staat op gehouden.",
                  INHOUD, "planning")


@bp.route("/scholen/<code>/evaluatie/vastleggen", methods=["POST"])
@toegang(Regel.SCHOOL_BEWERKEN)
def evaluatie_vastleggen(code: str):
    """Freeze the evaluation with today's hard data; afterwards nothing of it changes."""
    form = VastleggenForm()

    def uitvoeren(school, schooljaar):
        evaluatie = _bestaande(school, schooljaar)
        check_version(evaluatie, form.versie.data)
        regels.controleer_vastleggen(evaluatie)  # before the figures are computed
        peil = peildatum(schooljaar, date.today())
        gegevens = harde_gegevens([school], schooljaar, peil)[school.id]
        regels.leg_vast(evaluatie, gegevens, current_user.naam, datetime.now(UTC))

    return _actie(form, "vastleggen_form", uitvoeren,
                  "De evaluatie is vastgelegd, met de harde gegevens van vandaag.",
                  INHOUD, "planning")


@bp.route("/scholen/<code>/evaluatie/scores", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def evaluatie_scores(code: str):
    """Save the user's own side of the soft data; a posted `kant` is ignored."""
    form = ScoresForm()

    def uitvoeren(school, schooljaar):
        evaluatie = _bestaande(school, schooljaar)
        kant = kant_van_gebruiker(school.id)
        if regels.kant_versie(evaluatie, kant) != (form.versie.data or "").strip():
            raise Conflict()
        regels.bewaar_scores(evaluatie, kant, form.waarden(), current_user.naam)

    return _actie(form, "scores_form", uitvoeren, "Uw scores zijn opgeslagen.", ZACHT, "zacht")


@bp.route("/scholen/<code>/evaluatie/verbeterpunten", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def evaluatie_verbeterpunt_nieuw(code: str):
    """Add an improvement point to the evaluation (either side)."""
    form = VerbeterpuntForm()

    def uitvoeren(school, schooljaar):
        evaluatie = _bestaande(school, schooljaar)
        regels.voeg_verbeterpunt_toe(evaluatie, form.wat.data, form.wie.data,
                                     form.uiterlijk.data)

    return _actie(form, "punt_form", uitvoeren, "Het verbeterpunt is toegevoegd.", PUNTEN,
                  "punten")


@bp.route("/scholen/<code>/verbeterpunten/<int:verbeterpunt_id>/afronden", methods=["POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def evaluatie_verbeterpunt_afronden(code: str, verbeterpunt_id: int):
    """Mark an improvement point done, from the evaluation or from the afsprakenlijst page."""
    school = school_van_verzoek()
    punt = get_or_404(Verbeterpunt, id=verbeterpunt_id, school_id=school.id)
    schooljaar = next(j for j in alle_schooljaren() if j.id == punt.evaluatie.schooljaar_id)
    form = AfrondenForm()
    vanuit_lijst = form.vanuit.data == "afsprakenlijst"
    status, bericht = 200, {"id": verbeterpunt_id, "melding": "Het verbeterpunt is afgerond."}
    if not form.validate_on_submit():
        fouten = [e for veld in form for e in veld.errors]
        status, bericht = VALIDATION_FAILED, {"id": verbeterpunt_id,
                                              "fout": " ".join(fouten) or "Controleer de datum."}
    else:
        try:
            check_version(punt, form.versie.data)
            regels.rond_af(punt, form.afgerond_op.data, date.today())
            commit_or_conflict()
        except Conflict:
            db.session.rollback()
            status, bericht = CONFLICT, {"id": verbeterpunt_id, "fout": CONFLICT_TEKST}
        except Regelfout as fout:
            db.session.rollback()
            status, bericht = VALIDATION_FAILED, {"id": verbeterpunt_id, "fout": str(fout)}
    if vanuit_lijst:
        if status == 200 and not is_htmx():
            flash(bericht["melding"], "succes")
            return redirect(url_for("afspraken.lijst", code=school.code,
                                    _anchor="verbeterpunten"))
        if not is_htmx():
            flash(bericht["fout"], "fout")
            return redirect(url_for("afspraken.lijst", code=school.code,
                                    _anchor="verbeterpunten"))
        jaar = huidig_of_404()
        return render(VERBETERPUNTEN, VERBETERPUNTEN, status=status, school=school,
                      schooljaar=jaar, **verbeterpunten_context(school, jaar, bericht=bericht))
    if status == 200 and not is_htmx():
        flash(bericht["melding"], "succes")
        return redirect(url_for("cyclus.evaluatie_pagina", code=school.code,
                                **jaar_args(schooljaar), _anchor="evaluatie-punten"))
    context = evaluatie_context(school, schooljaar,
                                bericht={"sectie": "punten", **{k: v for k, v in bericht.items()
                                                                if k != "id"}})
    return render(PAGINA, PUNTEN, status=status, **context)


# --- dossier section, cockpit column, start-page tasks -----------------------------------------

@dataclass(frozen=True)
class Evaluatiestand:
    """A school's evaluation in a schooljaar, summed up for the dossier and the cockpit."""

    schooljaar: Schooljaar
    evaluatie: Evaluatie | None
    ingevuld: dict  # {"llz": n, "school": n} themes scored
    open_punten: int  # improvement points not done, of this and earlier evaluations

    @property
    def label(self) -> str:
        """Dutch status."""
        return self.evaluatie.status_enum.label if self.evaluatie else "Nog niet gepland"

    @property
    def badge(self) -> str:
        """Status badge modifier."""
        return STATUSBADGE[self.evaluatie.status] if self.evaluatie else "neutral"


def _open_punten(school_ids: list[int], schooljaar: Schooljaar) -> dict[int, int]:
    """Open improvement points per school from evaluations up to this schooljaar (one query)."""
    from ..schooljaren import Schooljaar as Jaar

    rijen = db.session.execute(
        select(Verbeterpunt.school_id, func.count())
        .join(Evaluatie, Evaluatie.id == Verbeterpunt.evaluatie_id)
        .join(Jaar, Jaar.id == Evaluatie.schooljaar_id)
        .where(Verbeterpunt.school_id.in_(school_ids), Verbeterpunt.afgerond_op.is_(None),
               Jaar.begin <= schooljaar.begin)
        .group_by(Verbeterpunt.school_id))
    return {school_id: int(aantal) for school_id, aantal in rijen}


def laad_dossier(scholen: list[School], schooljaar: Schooljaar | None) -> dict[int, object]:
    """Each school's evaluation stand in the schooljaar (a fixed number of queries)."""
    if schooljaar is None:
        return {}
    ids = [s.id for s in scholen]
    evaluaties = regels.evaluaties_voor(ids, schooljaar)
    punten = _open_punten(ids, schooljaar)
    uit = {}
    for school_id in ids:
        evaluatie = evaluaties.get(school_id)
        ingevuld = (regels.ingevulde_themas(evaluatie) if evaluatie
                    else {"llz": 0, "school": 0})
        uit[school_id] = Evaluatiestand(schooljaar, evaluatie, ingevuld,
                                        punten.get(school_id, 0))
    return uit


@dataclass(frozen=True)
class Evaluatiecel:
    """A school's evaluation in the cockpit: status, date and whether it needs attention."""

    status: str | None  # None: not planned
    gepland_op: date | None
    aandacht: bool

    @property
    def label(self) -> str:
        """Dutch status."""
        return Evaluatiestatus(self.status).label if self.status else "Niet gepland"

    @property
    def badge(self) -> str:
        """Status badge modifier."""
        if self.aandacht:
            return "invalid"
        return STATUSBADGE.get(self.status or "", "neutral")


def laad_cockpit(scholen: list[School], peil) -> dict[int, Evaluatiecel]:
    """Each school's evaluation in the peil's schooljaar (one query of plain rows)."""
    if peil.schooljaar is None:
        return {}
    rijen = {
        rij.school_id: rij for rij in db.session.execute(
            select(Evaluatie.school_id, Evaluatie.status, Evaluatie.gepland_op)
            .where(Evaluatie.schooljaar_id == peil.schooljaar.id,
                   Evaluatie.school_id.in_([s.id for s in scholen])))
    }
    maart = date(peil.schooljaar.eind.year, 3, 1)
    uit = {}
    for school in scholen:
        rij = rijen.get(school.id)
        if rij is None:
            uit[school.id] = Evaluatiecel(None, None, peil.vandaag > maart)
        else:
            late = rij.gepland_op < peil.vandaag and rij.status != Evaluatiestatus.VASTGELEGD
            uit[school.id] = Evaluatiecel(rij.status, rij.gepland_op, late)
    return uit


def isodatum(waarde: str | None) -> str:
    """Jinja filter: an ISO date text (as in the frozen hard data) as 23-11-2026."""
    return date.fromisoformat(waarde).strftime("%d-%m-%Y") if waarde else "–"


def init_app(app) -> None:
    """Register the dossier section, the cockpit column and a filter (routes attach at import)."""
    from ..afspraken.views import registreer_lijstblok
    from ..home.cockpit import Kolom, registreer_kolom
    from ..scholen.dossier import DossierSectie, registreer_sectie

    app.jinja_env.filters["isodatum"] = isodatum
    registreer_lijstblok("verbeterpunten", verbeterpunten_context, "cyclus/_verbeterpunten.html")

    registreer_sectie(DossierSectie(
        naam="evaluatie", titel="Jaarlijkse evaluatie", template="cyclus/_dossier_evaluatie.html",
        laad=laad_dossier, volgorde=28, intern=True))
    registreer_kolom(Kolom(
        naam="evaluatie", kop="Evaluatie", cel="cyclus/_cockpit_evaluatie.html",
        laad=laad_cockpit, volgorde=57, aandacht=lambda d: d.aandacht,
        kaart="Evaluatie niet gepland of niet vastgelegd"))

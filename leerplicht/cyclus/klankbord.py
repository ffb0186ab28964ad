"""The Klankbordgroep PO and VO: the sector overview, meetings with decisions, and measures.

Everyone logged in opens the overview; the view scopes it (a school user sees its own rows and
the sector totals over enough schools). Only the beheerder records meetings, decisions,
measures and results: plain POST forms that htmx enhances by swapping the meetings or the
measures section. Without JavaScript a success redirects back to the record, a refusal shows
the page again (422, or 409 for a stale version).
"""

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..accounts.models import Rol
from ..database import (
    CONFLICT_TEKST,
    RACE_ERRORS,
    Conflict,
    check_version,
    commit_or_conflict,
    get_or_404,
)
from ..extensions import db
from ..formulieren import eerste_fout
from ..policy import Regel, toegang
from ..regelfout import Regelfout
from ..rendering import CONFLICT, VALIDATION_FAILED, is_htmx, render
from ..schooljaren import (
    Schooljaar,
    alle_schooljaren,
    gekozen_schooljaar,
    schooljaar_met_id,
)
from ..verzoek import positive_int
from . import klankbordregels as regels
from .klankbordforms import (
    AfrondenForm,
    BesluitForm,
    MaatregelForm,
    OverlegForm,
    ResultaatForm,
    VerwijderForm,
)
from .models import (
    SCORES,
    Besluit,
    Klankbordoverleg,
    Klankbordsector,
    Maatregel,
    Maatregelresultaat,
    Thema,
)
from .views import bp

PER_PAGINA = 50  # schools per page of the overview's school table
PAGINA = "cyclus/klankbord.html"
OVERLEGGEN = "cyclus/_klankbord_overleggen.html"
MAATREGELEN = "cyclus/_klankbord_maatregelen.html"


def init_app(app) -> None:
    """The routes are attached to the blueprint at import; nothing else to register."""


def vandaag() -> date:
    """Today (read through the module, so a test can fix it)."""
    return date.today()


# --- what the page shows --------------------------------------------------------------------------

def _eigen_scholen() -> set[int] | None:
    """The school ids a school user may see; None for LLZ and beheerder (all schools)."""
    if current_user.rol == Rol.SCHOOL:
        return {s.id for s in current_user.scholen}
    return None


def gekozen_sector() -> Klankbordsector:
    """?sector=PO|VO; default: the sector of a school user's first school, else PO; 404 else."""
    waarde = request.args.get("sector", "")
    if waarde:
        if waarde not in {s.value for s in Klankbordsector}:
            abort(404)
        return Klankbordsector(waarde)
    if current_user.rol == Rol.SCHOOL and current_user.scholen:
        eerste = min(current_user.scholen, key=lambda s: (s.naam, s.code))
        return Klankbordsector.van(eerste.sector)
    return Klankbordsector.PO


def _paginering(args: dict, sector: Klankbordsector, schooljaar: Schooljaar) -> dict:
    """The URL values that keep the page's sector and schooljaar."""
    return {"sector": sector.value, "schooljaar": schooljaar.naam, **args}


def _ids(form, sleutel: str):
    """Give a form's fields ids unique on the page (several forms share field names)."""
    for veld in form:
        veld.id = f"{sleutel}-{veld.name}"
    return form


def _formulieren(overleggen, maatregelen, sector: Klankbordsector, fout: dict | None) -> dict:
    """Every beheer form of the page by key, prefilled; the refused one as submitted."""
    forms = {
        "overleg-nieuw": OverlegForm(formdata=None, sector=sector.value),
        "maatregel-nieuw": MaatregelForm(formdata=None, sector=sector.value),
    }
    for overleg in overleggen:
        forms[f"overleg-{overleg.id}"] = OverlegForm(formdata=None, obj=overleg)
        forms[f"besluit-{overleg.id}"] = BesluitForm(formdata=None)
    for maatregel in maatregelen:
        forms[f"maatregel-{maatregel.id}"] = MaatregelForm(formdata=None, obj=maatregel)
        forms[f"resultaat-nieuw-{maatregel.id}"] = ResultaatForm(formdata=None)
        for resultaat in maatregel.resultaten:
            forms[f"resultaat-{resultaat.id}"] = ResultaatForm(formdata=None, obj=resultaat)
    if fout and fout.get("form") is not None:
        forms[fout["sleutel"]] = fout["form"]
    return {sleutel: _ids(form, sleutel) for sleutel, form in forms.items()}


def lijsten_context(sector: Klankbordsector, schooljaar: Schooljaar, **extra) -> dict:
    """Context of the meetings and measures sections (the page includes them; htmx swaps them).

    `extra` may hold `fout`: {"sleutel", "form" (as submitted), "tekst"} of a refused form, or
    `gelukt`: {"sleutel", "tekst"} of an action that went through.
    """
    beheren = current_user.rol == Rol.BEHEERDER
    overleggen = regels.overleggen(sector, schooljaar)
    maatregelen = regels.maatregelen(sector, schooljaar)
    fout = extra.get("fout")
    return {
        "sector": sector,
        "schooljaar": schooljaar,
        "overleggen": overleggen,
        "maatregelen": maatregelen,
        "mag_beheren": beheren,
        "forms": _formulieren(overleggen, maatregelen, sector, fout) if beheren else {},
        "fout": fout or {},
        "gelukt": extra.get("gelukt") or {},
        "pagina_args": _paginering({}, sector, schooljaar),
    }


def overzicht_context(sector: Klankbordsector, schooljaar: Schooljaar, pagina: int = 1) -> dict:
    """Context of the overview part of the page: sector totals and the paged school table."""
    eigen = _eigen_scholen()
    beeld = regels.overzicht(sector, schooljaar, vandaag(), eigen)
    paginas = max(1, -(-len(beeld.rijen) // PER_PAGINA))
    pagina = min(pagina, paginas)
    return {
        "beeld": beeld,
        "is_school": eigen is not None,
        "minimum_scholen": regels.MINIMUM_SCHOLEN,
        "rijen": beeld.rijen[(pagina - 1) * PER_PAGINA: pagina * PER_PAGINA],
        "pagina": pagina,
        "paginas": paginas,
        "sectoren": list(Klankbordsector),
        "jaren": alle_schooljaren(),
        "themas": list(Thema),
        "scores": SCORES,
        "gemiddeld": regels.gemiddelde_tekst,
    }


def pagina_context(sector: Klankbordsector, schooljaar: Schooljaar, pagina: int = 1,
                   **extra) -> dict:
    """Context of the whole page."""
    return {**overzicht_context(sector, schooljaar, pagina),
            **lijsten_context(sector, schooljaar, **extra)}


@bp.route("/klankbordgroep")
@toegang(Regel.INGELOGD)
def klankbord_overzicht():
    """The Klankbordgroep of a sector in a schooljaar: all schools, meetings and measures."""
    pagina = positive_int(request.args.get("pagina")) or 1
    return render(PAGINA, **pagina_context(gekozen_sector(), gekozen_schooljaar(), pagina))


# --- beheer: shared flow --------------------------------------------------------------------------


def _actie(sleutel: str, form, uitvoeren, partial: str, plek=None):
    """Validate, apply, commit and answer an action of the beheerder.

    `plek` (sector, schooljaar) is where the record's form is shown: a refusal without
    JavaScript shows that page, so the refused form is on it.

    `uitvoeren(form)` applies the change (may raise Regelfout or Conflict) and returns
    (success text, the anchor of the changed record, sector and schooljaar to show after).
    """
    sector, schooljaar = gekozen_sector(), gekozen_schooljaar()
    status, fout = 200, None
    if not form.validate_on_submit():
        status, fout = VALIDATION_FAILED, {"sleutel": sleutel, "form": form,
                                           "tekst": eerste_fout(form)[0]}
    else:
        try:
            with db.session.no_autoflush:
                tekst, anker, doel_sector, doel_jaar = uitvoeren(form)
            commit_or_conflict()
        except (Conflict, *RACE_ERRORS):
            db.session.rollback()
            status, fout = CONFLICT, {"sleutel": sleutel, "form": form, "tekst": CONFLICT_TEKST}
        except Regelfout as regel:
            db.session.rollback()
            veld = getattr(form, regel.veld, None) if regel.veld else None
            if veld is not None and veld.name != "csrf_token":
                veld.errors = [*veld.errors, str(regel)]
            status, fout = VALIDATION_FAILED, {"sleutel": sleutel, "form": form,
                                               "tekst": str(regel)}
    if status == 200:
        if not is_htmx():
            flash(tekst, "succes")
            return redirect(url_for("cyclus.klankbord_overzicht", sector=doel_sector.value,
                                    schooljaar=doel_jaar.naam) + f"#{anker}")
        if (doel_sector, doel_jaar.id) != (sector, schooljaar.id):
            flash(f"{tekst} U vindt het bij {doel_sector.label}, {doel_jaar.naam}.", "succes")
        context = lijsten_context(sector, schooljaar, gelukt={"sleutel": sleutel, "tekst": tekst})
        return render(PAGINA, partial, **context)
    if is_htmx():
        if plek is not None and (plek[0], plek[1].id) != (sector, schooljaar.id):
            flash(fout["tekst"], "fout")  # the record's form is not in the swapped section
        return render(PAGINA, partial, status=status,
                      **lijsten_context(sector, schooljaar, fout=fout))
    sector, schooljaar = plek or (sector, schooljaar)
    return render(PAGINA, status=status, **pagina_context(sector, schooljaar, fout=fout))


def _plek(overleg: Klankbordoverleg) -> tuple[Klankbordsector, Schooljaar]:
    """The page a meeting is on: its sector and schooljaar."""
    return Klankbordsector(overleg.sector), schooljaar_met_id(overleg.schooljaar_id)


# --- meetings and decisions -----------------------------------------------------------------------

@bp.route("/klankbordgroep/overleggen/nieuw", methods=["POST"])
@toegang(Regel.BEHEERDER)
def klankbord_overleg_nieuw():
    """Record a meeting of a Klankbordgroep in the schooljaar shown."""
    schooljaar = gekozen_schooljaar()

    def uitvoeren(form):
        overleg = regels.nieuw_overleg(form.sector.data, schooljaar, form.datum.data,
                                       form.notities.data)
        db.session.flush()
        return ("Het overleg is vastgelegd.", f"overleg-{overleg.id}",
                Klankbordsector(overleg.sector), schooljaar)

    return _actie("overleg-nieuw", OverlegForm(), uitvoeren, OVERLEGGEN)


@bp.route("/klankbordgroep/overleggen/<int:overleg_id>", methods=["POST"])
@toegang(Regel.BEHEERDER)
def klankbord_overleg_bewerken(overleg_id: int):
    """Change the sector, date or notes of a meeting."""
    overleg = get_or_404(Klankbordoverleg, id=overleg_id)

    def uitvoeren(form):
        check_version(overleg, form.versie.data)
        jaar = schooljaar_met_id(overleg.schooljaar_id)
        regels.wijzig_overleg(overleg, jaar, form.sector.data, form.datum.data,
                              form.notities.data)
        return ("Het overleg is gewijzigd.", f"overleg-{overleg.id}",
                Klankbordsector(overleg.sector), jaar)

    return _actie(f"overleg-{overleg_id}", OverlegForm(), uitvoeren, OVERLEGGEN, _plek(overleg))


@bp.route("/klankbordgroep/overleggen/<int:overleg_id>/besluiten", methods=["POST"])
@toegang(Regel.BEHEERDER)
def klankbord_besluit_nieuw(overleg_id: int):
    """Add a decision to a meeting."""
    overleg = get_or_404(Klankbordoverleg, id=overleg_id)

    def uitvoeren(form):
        besluit = regels.nieuw_besluit(overleg, form.tekst.data)
        db.session.flush()
        return ("Het besluit is vastgelegd.", f"besluit-{besluit.id}",
                Klankbordsector(overleg.sector), schooljaar_met_id(overleg.schooljaar_id))

    return _actie(f"besluit-{overleg_id}", BesluitForm(), uitvoeren, OVERLEGGEN, _plek(overleg))


@bp.route("/klankbordgroep/besluiten/<int:besluit_id>/verwijderen", methods=["POST"])
@toegang(Regel.BEHEERDER)
def klankbord_besluit_verwijderen(besluit_id: int):
    """Delete a decision of a meeting."""
    besluit = get_or_404(Besluit, id=besluit_id)
    overleg = besluit.overleg

    def uitvoeren(form):
        check_version(besluit, form.versie.data)
        db.session.delete(besluit)
        return ("Het besluit is verwijderd.", f"overleg-{overleg.id}",
                Klankbordsector(overleg.sector), schooljaar_met_id(overleg.schooljaar_id))

    return _actie(f"besluit-weg-{besluit_id}", VerwijderForm(), uitvoeren, OVERLEGGEN,
                  _plek(overleg))


# --- measures and results -------------------------------------------------------------------------

@bp.route("/klankbordgroep/maatregelen/nieuw", methods=["POST"])
@toegang(Regel.BEHEERDER)
def klankbord_maatregel_nieuw():
    """Add a measure with its plan; it gets the next free number of its Klankbordgroep."""
    schooljaar = gekozen_schooljaar()

    def uitvoeren(form):
        maatregel = regels.nieuwe_maatregel(form.sector.data, form.titel.data, form.plan.data,
                                            schooljaar)
        db.session.flush()
        return (f"Maatregel {maatregel.nummer} is vastgelegd.", f"maatregel-{maatregel.id}",
                Klankbordsector(maatregel.sector), schooljaar)

    return _actie("maatregel-nieuw", MaatregelForm(), uitvoeren, MAATREGELEN)


def _maatregel_doel(maatregel: Maatregel) -> tuple[Klankbordsector, Schooljaar]:
    """Where a measure is shown after a change: its sector, in the schooljaar of the page."""
    return Klankbordsector(maatregel.sector), gekozen_schooljaar()


@bp.route("/klankbordgroep/maatregelen/<int:maatregel_id>", methods=["POST"])
@toegang(Regel.BEHEERDER)
def klankbord_maatregel_bewerken(maatregel_id: int):
    """Change the title, plan or Klankbordgroep of a measure."""
    maatregel = get_or_404(Maatregel, id=maatregel_id)

    def uitvoeren(form):
        check_version(maatregel, form.versie.data)
        regels.wijzig_maatregel(maatregel, form.sector.data, form.titel.data, form.plan.data)
        return ("De maatregel is gewijzigd.", f"maatregel-{maatregel.id}",
                *_maatregel_doel(maatregel))

    return _actie(f"maatregel-{maatregel_id}", MaatregelForm(), uitvoeren, MAATREGELEN,
                  _maatregel_doel(maatregel))


@bp.route("/klankbordgroep/maatregelen/<int:maatregel_id>/afgerond", methods=["POST"])
@toegang(Regel.BEHEERDER)
def klankbord_maatregel_afronden(maatregel_id: int):
    """Mark a measure afgerond (afgerond=ja), or open it again (afgerond=nee)."""
    maatregel = get_or_404(Maatregel, id=maatregel_id)

    def uitvoeren(form):
        check_version(maatregel, form.versie.data)
        afgerond = form.afgerond.data == "ja"
        regels.zet_afgerond(maatregel, afgerond)
        tekst = "De maatregel is afgerond." if afgerond else "De maatregel loopt weer."
        return tekst, f"maatregel-{maatregel.id}", *_maatregel_doel(maatregel)

    return _actie(f"afronden-{maatregel_id}", AfrondenForm(), uitvoeren, MAATREGELEN,
                  _maatregel_doel(maatregel))


@bp.route("/klankbordgroep/maatregelen/<int:maatregel_id>/resultaten", methods=["POST"])
@toegang(Regel.BEHEERDER)
def klankbord_resultaat_nieuw(maatregel_id: int):
    """Add the result of a measure in a period (one per period)."""
    maatregel = get_or_404(Maatregel, id=maatregel_id)

    def uitvoeren(form):
        resultaat = regels.zet_resultaat(maatregel, form.periode.data, form.resultaat.data)
        db.session.flush()
        return ("Het resultaat is vastgelegd.", f"resultaat-{resultaat.id}",
                *_maatregel_doel(maatregel))

    return _actie(f"resultaat-nieuw-{maatregel_id}", ResultaatForm(), uitvoeren, MAATREGELEN,
                  _maatregel_doel(maatregel))


@bp.route("/klankbordgroep/resultaten/<int:resultaat_id>", methods=["POST"])
@toegang(Regel.BEHEERDER)
def klankbord_resultaat_bewerken(resultaat_id: int):
    """Change the period or text of a result."""
    resultaat = get_or_404(Maatregelresultaat, id=resultaat_id)
    maatregel = resultaat.maatregel

    def uitvoeren(form):
        check_version(resultaat, form.versie.data)
        regels.zet_resultaat(maatregel, form.periode.data, form.resultaat.data, resultaat)
        return ("Het resultaat is gewijzigd.", f"resultaat-{resultaat.id}",
                *_maatregel_doel(maatregel))

    return _actie(f"resultaat-{resultaat_id}", ResultaatForm(), uitvoeren, MAATREGELEN,
                  _maatregel_doel(maatregel))

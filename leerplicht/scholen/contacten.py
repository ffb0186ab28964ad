"""Contact persons of a school: changing who holds a role, the history, the warm handover."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..database import CONFLICT_TEKST, Conflict, commit_or_conflict, get_or_404
from ..extensions import db
from ..normenbron import normen_voor
from ..policy import Regel, kiesbare_personen, mag_rol_wijzigen, school_van_verzoek, toegang
from ..rendering import CONFLICT, VALIDATION_FAILED, render
from ..schooljaren import huidig_of_404
from .contactregels import Wijziging, contactwissels, geschiedenis, redenen_nodig, voer_uit
from .forms import ContactWijzigingForm, WarmeOverdrachtForm
from .models import Contactpersoon, Contactrol, School, Toewijzing

bp = Blueprint("contacten", __name__, url_prefix="/scholen/<code>/contactpersonen")

def _vul_keuzes(form: ContactWijzigingForm, school: School) -> None:
    """The roles the user may change here, and the people the user may pick for them."""
    rollen = [r for r in Contactrol if mag_rol_wijzigen(current_user, school.id, r)]
    kanten = {r.kant.value for r in rollen}
    personen = db.session.scalars(
        select(Contactpersoon)
        .where(Contactpersoon.actief.is_(True), Contactpersoon.kant.in_(kanten),
               kiesbare_personen(current_user, school))
        .order_by(Contactpersoon.kant, Contactpersoon.naam)
    ).all()
    form.vul_keuzes(rollen, personen)


@bp.route("/wijzigen", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def wijzigen(code: str):
    """Change a contact role, applying the werkafspraken rules; the old assignment stays."""
    school = school_van_verzoek()
    form = ContactWijzigingForm()
    if request.method == "GET":
        form.aangekondigd.data = date.today()
        if request.args.get("rol") in {r.value for r in Contactrol}:
            form.rol.data = request.args["rol"]
    _vul_keuzes(form, school)
    schooljaar = huidig_of_404()
    status = VALIDATION_FAILED if request.method == "POST" else 200
    if form.validate_on_submit():
        rol = Contactrol(form.rol.data)
        persoon_id = form.contactpersoon_id.data
        if not persoon_id:
            persoon = Contactpersoon(naam=form.naam.data, kant=rol.kant, functie=form.functie.data,
                                     email=form.email.data, telefoon=form.telefoon.data)
            db.session.add(persoon)
            db.session.flush()
            persoon_id = persoon.id
        wijziging = Wijziging(
            school_id=school.id, rol=rol, contactpersoon_id=persoon_id,
            ingang=form.ingang.data, aangekondigd=form.aangekondigd.data,
            reden=form.reden.data or "", warme_overdracht=form.warme_overdracht.data,
        )
        nodig = redenen_nodig(wijziging, schooljaar, normen_voor(schooljaar))
        if nodig and not wijziging.reden:
            form.reden.errors = nodig
        else:
            try:
                voer_uit(wijziging)
                commit_or_conflict()
            except ValueError as error:
                form.contactpersoon_id.errors = [str(error)]
            except Conflict:
                form.contactpersoon_id.errors = [CONFLICT_TEKST]
                status = CONFLICT
            else:
                flash(f"{rol.label} is gewijzigd per {wijziging.ingang:%d-%m-%Y}.", "succes")
                return redirect(url_for("contacten.historie", code=code))
        db.session.rollback()
    return render("scholen/contact_wijzigen.html", form=form, school=school, status=status)


@bp.route("")
@toegang(Regel.SCHOOL_INZIEN)
def historie(code: str):
    """Who held which contact role when: current, planned and earlier assignments."""
    vandaag, school = date.today(), school_van_verzoek()
    wissels = contactwissels([school.id], vandaag)[school.id]
    return render("scholen/contacthistorie.html", school=school,
                  toewijzingen=geschiedenis(school.id), vandaag=vandaag,
                  zonder_overdracht={t.id for t in wissels.zonder_overdracht},
                  mag_wijzigen={r: mag_rol_wijzigen(current_user, school.id, r)
                                for r in Contactrol})


@bp.route("/<int:toewijzing_id>/warme-overdracht", methods=["GET", "POST"])
@toegang(Regel.SCHOOL_DEELNEMEN)
def overdracht(code: str, toewijzing_id: int):
    """Record the day of the personal introduction of a new contact person."""
    school = school_van_verzoek()
    toewijzing = get_or_404(Toewijzing, id=toewijzing_id, school_id=school.id)
    if not mag_rol_wijzigen(current_user, school.id, toewijzing.rol_enum):
        abort(403)
    form = WarmeOverdrachtForm(
        formdata=None, datum=toewijzing.warme_overdracht_op
    ) if request.method == "GET" else WarmeOverdrachtForm()
    status = VALIDATION_FAILED if request.method == "POST" else 200
    if form.validate_on_submit():
        # Recording it twice is harmless (a correction): the last date given counts.
        toewijzing.warme_overdracht_op = form.datum.data
        db.session.commit()
        flash(f"De warme overdracht van {toewijzing.contactpersoon.naam} is vastgelegd.",
              "succes")
        return redirect(url_for("contacten.historie", code=code))
    return render("scholen/warme_overdracht.html", form=form, school=school,
                  toewijzing=toewijzing, status=status)

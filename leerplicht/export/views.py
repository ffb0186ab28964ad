"""The werkafspraken brochure inside the app: the same text and templates as the export."""

from datetime import date

from flask import Blueprint, current_app

from ..policy import Regel, toegang
from ..rendering import render
from ..schooljaren import huidig_schooljaar, naam_voor_datum
from .brochure import brochure_voor

bp = Blueprint("brochure", __name__)


@bp.route("/brochure")
@toegang(Regel.INGELOGD)
def werkafspraken():
    """The brochure for the current schooljaar, with the norms valid then filled in."""
    schooljaar = huidig_schooljaar()
    naam = schooljaar.naam if schooljaar else naam_voor_datum(date.today())
    return render("brochure/werkafspraken.html", brochure=brochure_voor(current_app, naam))

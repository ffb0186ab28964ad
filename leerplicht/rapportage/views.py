"""The jaarverslag in the app: the page and its downloads (CSV per table, all CSVs, XLSX, PDF)."""

import re
from datetime import date

from flask import Blueprint, abort, make_response, render_template, request

from ..policy import Regel, toegang
from ..schooljaren import Schooljaar, alle_schooljaren, gekozen_schooljaar
from ..security import error_page
from . import bestanden, grafiek
from .jaarverslag import SECTOREN, bouw_jaarverslag
from .tabel import Jaarverslag

bp = Blueprint("rapportage", __name__)

GEEN_PDF = ("De pdf kan op deze server niet worden gemaakt: de bibliotheek Pango ontbreekt "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0). Het jaarverslag zelf, "
            "Excel en CSV werken wel.")

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def vandaag() -> date:
    """Today (read through the module, so a test can fix it)."""
    return date.today()


def sectoren() -> dict[str, str]:
    """The sectors a report can be made for ('' is every sector), from the report builder."""
    return SECTOREN


def bouw(schooljaar, sector: str, dag: date) -> Jaarverslag:
    """Build the report (through the module, so a test can build a sample instead)."""
    return bouw_jaarverslag(schooljaar, sector, dag)


def gekozen_sector() -> str:
    """The sector of ?sector= ('' for every sector); an unknown one is a 404."""
    sector = request.args.get("sector", "")
    if sector not in sectoren():
        abort(404)
    return sector


def gevraagd_verslag() -> tuple[Schooljaar, str, Jaarverslag]:
    """The report the URL asks for: ?schooljaar= (else the current one) and ?sector=, with
    that schooljaar and sector."""
    schooljaar = gekozen_schooljaar()
    sector = gekozen_sector()
    return schooljaar, sector, bouw(schooljaar, sector, vandaag())


def _download(inhoud: bytes | str, extensie: str, naam: str):
    """A file download: its type, an attachment name, and never kept in a cache."""
    if isinstance(inhoud, str):
        inhoud = inhoud.encode("utf-8")
    response = make_response(inhoud)
    response.headers["Content-Type"] = MIMETYPES[extensie]
    response.headers["Content-Disposition"] = f'attachment; filename="{naam}"'
    response.headers["Cache-Control"] = "no-store"  # internal figures stay out of caches
    return response


@bp.route("/jaarverslag")
@toegang(Regel.LLZ)
def jaarverslag():
    """The jaarverslag of a schooljaar and sector, with its downloads."""
    schooljaar, sector, verslag = gevraagd_verslag()
    response = make_response(render_template(
        "rapportage/jaarverslag.html", verslag=verslag, schooljaar=schooljaar,
        jaren=alle_schooljaren(), sector=sector, sectoren=sectoren(), downloads=True,
        peildatum=date.fromisoformat(verslag.peildatum)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/jaarverslag/jaarverslag.xlsx")
@toegang(Regel.LLZ)
def xlsx():
    """The report as a spreadsheet: a sheet per table, numbers as numbers."""
    verslag = gevraagd_verslag()[-1]
    return _download(bestanden.als_xlsx(verslag), "xlsx", bestanden.bestandsnaam(verslag, "xlsx"))


@bp.route("/jaarverslag/tabellen.zip")
@toegang(Regel.LLZ)
def csv_zip():
    """Every table of the report as a CSV file, in one zip."""
    verslag = gevraagd_verslag()[-1]
    return _download(bestanden.als_zip(verslag), "zip", bestanden.bestandsnaam(verslag, "zip"))


@bp.route("/jaarverslag/<sleutel>.csv")
@toegang(Regel.LLZ)
def csv(sleutel: str):
    """One table of the report as CSV; an unknown table is a 404."""
    verslag = gevraagd_verslag()[-1]
    try:
        tabel = verslag.tabel(sleutel)
    except KeyError:
        abort(404)
    naam = bestanden.bestandsnaam(verslag, "csv").removesuffix(".csv")
    return _download(bestanden.als_csv(tabel), "csv", f"{naam}-{_veilig(tabel.sleutel)}.csv")


def _veilig(tekst: str) -> str:
    """A table key as an ASCII file-name part."""
    return re.sub(r"[^a-z0-9]+", "-", tekst.lower()).strip("-") or "tabel"


@bp.route("/jaarverslag/jaarverslag.pdf", endpoint="pdf")
@toegang(Regel.LLZ)
def pdf_bestand():
    """The report as a PDF for the council.

    WeasyPrint is imported here, not with the app: it needs Pango from the operating system,
    and a server without it should still run everything else (and say why there is no PDF).
    """
    verslag = gevraagd_verslag()[-1]
    try:
        from . import pdf
    except (ImportError, OSError):  # WeasyPrint not installed, or Pango missing
        return error_page(503, GEEN_PDF)
    return _download(pdf.als_pdf(verslag), "pdf", bestanden.bestandsnaam(verslag, "pdf"))


def init_app(app) -> None:
    """Register the blueprint and the chart helper every report template uses."""
    app.jinja_env.globals["jaarverslaggrafiek"] = grafiek.teken
    app.register_blueprint(bp)

"""Target `jaarverslag`: the internal yearly report as static pages, with its tables as CSV.

index.html is the report over every sector, and each sector that has schools gets its own page
(vo.html); each page is the app's report body (rapportage/_verslag.html) with a small
navigation between them. The tree is internal (noindex) and links only inside itself.

The engine writes rendered text, not binary files, so the XLSX and the zip of CSVs (offered in
the app) are not part of the export; each table's CSV is text and is written as a file of the
tree instead (csv/<sector>/<sleutel>.csv), rendered through a template that outputs it as is.

A page's fingerprint is a digest of its whole report (every figure, sentence and list), so a
changed figure renders the page again and an unchanged report leaves it alone.
"""

from dataclasses import dataclass

from jinja2 import Template

from ..rapportage.bestanden import als_csv
from ..rapportage.jaarverslag import SECTOREN, bouw_jaarverslag, rapportscholen
from .doelen import Bouw, Doel, Pagina, opmaak
from .stempels import digest

TITEL = "Jaarverslag Leerlingzaken"
ALLE = "alle"


@dataclass(frozen=True)
class Sectorpagina:
    """One page of the tree: the report of one sector ('' for all) and where it goes."""

    sector: str
    naam: str

    @property
    def code(self) -> str:
        """The sector as a lowercase name part ('alle' for every sector)."""
        return self.sector.lower() or ALLE

    @property
    def pad(self) -> str:
        """The page's path in the tree: index.html for all sectors, else 'vo.html'."""
        return f"{self.code}.html" if self.sector else "index.html"

    def csv_pad(self, sleutel: str) -> str:
        """Where one table's CSV of this page's report goes."""
        return f"csv/{self.code}/{sleutel}.csv"


def _csv_template(bouw: Bouw) -> Template:
    """A template that writes its `inhoud` unchanged: how a CSV passes through the engine."""
    return bouw.app.jinja_env.from_string("{{ inhoud|safe }}")


def _zonder_schooljaar(bouw: Bouw) -> Doel:
    """No schooljaar is open yet (a fresh install): one page that says so, no report."""
    return Doel(
        naam="jaarverslag",
        publiek=False,
        titel=TITEL,
        paginas=[Pagina(
            pad="index.html",
            template="export/jaarverslag.html",
            invoer=digest(bouw.bronnen, bouw.schooljaar_naam),
            context=lambda: {"verslag": None, "schooljaar": bouw.schooljaar_naam},
        )],
        assets=opmaak(bouw.app),
    )


def jaarverslag_doel(bouw: Bouw) -> Doel:
    """The pages of the jaarverslag tree: the report for all sectors, one per sector with
    schools, and every table as CSV."""
    if bouw.schooljaar is None:
        return _zonder_schooljaar(bouw)
    met_scholen = {school.sector for school in rapportscholen()}
    verslagen = {
        Sectorpagina(sector, naam): bouw_jaarverslag(bouw.schooljaar, sector, vandaag=bouw.vandaag)
        for sector, naam in SECTOREN.items()
        if not sector or sector in met_scholen
    }
    nav = [(p.pad, p.naam) for p in verslagen]
    csv_template = _csv_template(bouw)
    paginas = []
    for sectorpagina, verslag in verslagen.items():
        inhoud = digest(repr(verslag))
        csvs = {t.sleutel: als_csv(t) for t in verslag.tabellen}
        bestanden = [(sectorpagina.csv_pad(t.sleutel), t.titel) for t in verslag.tabellen]
        paginas.append(Pagina(
            pad=sectorpagina.pad,
            template="export/jaarverslag.html",
            invoer=digest(bouw.bronnen, inhoud, nav),
            context=lambda verslag=verslag, huidig=sectorpagina.pad, bestanden=bestanden: {
                "verslag": verslag, "downloads": False, "sectoren": nav, "huidig": huidig,
                "bestanden": bestanden,
            },
        ))
        for sleutel, tekst in csvs.items():
            paginas.append(Pagina(
                pad=sectorpagina.csv_pad(sleutel),
                template=csv_template,
                invoer=digest(bouw.bronnen, tekst),
                context=lambda tekst=tekst: {"inhoud": tekst},
            ))
    return Doel(
        naam="jaarverslag",
        publiek=False,
        titel=TITEL,
        paginas=paginas,
        assets=opmaak(bouw.app),
    )

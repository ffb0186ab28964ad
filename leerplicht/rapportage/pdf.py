"""The jaarverslag as a PDF for the council: WeasyPrint, the municipal theme, no network."""

import mimetypes
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from string import Template
from urllib.parse import unquote, urlsplit

import jinja2
import weasyprint
from flask import current_app, has_app_context
from markupsafe import Markup
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..afspraken.schooljaar import lange_datum
from ..config import PROJECT_ROOT, THEMES
from .grafiek import teken
from .tabel import Jaarverslag, Tabel

STATIC = PROJECT_ROOT / "static"
SJABLOON = "rapportage/pdf.html"

# Our print CSS variable -> the theme tokens that may hold its value, first one found wins.
# Missing everywhere: the default in jaarverslag-pdf.css stays (the voorbeeld theme's values).
THEMATOKENS = {
    "--pdf-tekst": ("--utrecht-document-color", "--basis-color-default-color-document"),
    "--pdf-kop": ("--utrecht-heading-1-color", "--utrecht-heading-color", "--basis-heading-color",
                  "--utrecht-document-color"),
    "--pdf-accent": ("--utrecht-button-primary-action-background-color",),
    "--pdf-link": ("--utrecht-link-color",),
    "--pdf-rand": ("--utrecht-table-row-border-block-end-color",),
    "--pdf-vlak": ("--basis-color-default-bg-subtle", "--denhaag-color-grey-1"),
    "--pdf-letter": ("--utrecht-document-font-family", "--basis-text-font-family-default"),
    "--pdf-kopletter": ("--utrecht-heading-font-family", "--utrecht-heading-1-font-family",
                        "--basis-heading-font-family"),
}
# The theme's fonts are rarely installed on a server: fall back to metric-compatible ones.
LETTER_TERUGVAL = {"sans-serif": '"Liberation Sans", "DejaVu Sans", sans-serif',
                   "serif": '"Liberation Serif", "DejaVu Serif", serif'}
LETTERSOORT = {"--pdf-letter": "sans-serif", "--pdf-kopletter": "serif"}  # when a theme names none

# The chart partial's classes as app.css draws them, with plain values (no var() in SVG).
SVGSTIJL = Template("""<style>
text { font-family: $letter; font-size: 10px; fill: $tekst; }
.jv-grafiek__rij { font-size: 11px; font-weight: bold; }
.jv-grafiek__jaar, .jv-grafiek__as-label, .jv-grafiek__label { fill: #4b5563; }
.jv-grafiek__waarde--leeg { fill: #4b5563; }
.jv-grafiek__waarde--leeg { font-style: italic; }
.jv-grafiek__staaf--nu { fill: $accent; }
.jv-grafiek__staaf--eerder { fill: #7d8995; }
.jv-grafiek__raster { stroke: $rand; stroke-width: .5; }
.jv-grafiek__as { stroke: #4b5563; stroke-width: 1; }
.jv-grafiek__lijn { fill: none; stroke-width: 2; stroke: $accent; }
.jv-grafiek__punt { fill: $accent; }
.jv-grafiek__reeks--1 .jv-grafiek__lijn { stroke: #a4001d; stroke-dasharray: 6 3; }
.jv-grafiek__reeks--2 .jv-grafiek__lijn { stroke: #1e4620; stroke-dasharray: 2 3; }
.jv-grafiek__reeks--3 .jv-grafiek__lijn { stroke: #5c3a00; stroke-dasharray: 8 3 2 3; }
.jv-grafiek__reeks--4 .jv-grafiek__lijn { stroke: #4b2a7a; }
.jv-grafiek__reeks--5 .jv-grafiek__lijn { stroke: #595959; stroke-dasharray: 4 4; }
.jv-grafiek__reeks--1 .jv-grafiek__punt { fill: #a4001d; }
.jv-grafiek__reeks--2 .jv-grafiek__punt { fill: #1e4620; }
.jv-grafiek__reeks--3 .jv-grafiek__punt { fill: #5c3a00; }
.jv-grafiek__reeks--4 .jv-grafiek__punt { fill: #4b2a7a; }
.jv-grafiek__reeks--5 .jv-grafiek__punt { fill: #595959; }
</style>""")
_SVG = re.compile(r"<svg\b[^>]*>")
_DECLARATIE = re.compile(r"(--[\w-]+)\s*:\s*([^;{}]+);")
_VERWIJZING = re.compile(r"var\((--[\w-]+)\s*(?:,\s*([^()]*))?\)")
_VEILIG = re.compile(r"[\w\s#%,.()\"'+-]+")
_GENERIEK = re.compile(r",?\s*\b(sans-serif|serif)\s*$")


def als_pdf(verslag: Jaarverslag) -> bytes:
    """Render the report to an A4 PDF with cover, contents, page numbers and the theme's look."""
    html = _html(verslag)
    document = weasyprint.HTML(string=html, base_url=f"{STATIC.as_uri()}/",
                               url_fetcher=AlleenStatic())
    return document.write_pdf()


def _html(verslag: Jaarverslag) -> str:
    """The report as the HTML WeasyPrint lays out (the app's templates, or the folder's outside)."""
    if has_app_context():
        omgeving = current_app.jinja_env
        gemeente = current_app.config.get("MUNICIPALITY", "")
        thema = current_app.config.get("THEME", "voorbeeld")
    else:
        omgeving, gemeente, thema = _omgeving(), "", "voorbeeld"
    html = omgeving.get_template(SJABLOON).render(
        verslag=verslag,
        gemeente=gemeente,
        peildatum=_peildatum(verslag.peildatum),
        # Safe as CSS: every value passed _VEILIG (no <, >, ;, { or }); escaping would break quotes.
        themakleuren=Markup(themakleuren(thema)),
        ankers={zin.anker for zin in verslag.samenvatting},
        # Where a summary sentence links to: its row, or the school's row in the appendix.
        doelen={zin.anker: f"bijlage-{zin.rij}" if verslag.tabel(zin.tabel).per_school
                else zin.anker for zin in verslag.samenvatting},
        jaarverslaggrafiek=teken,  # the chart partial's helper, also without the app
        kolommen_van=kolommen,
        bijlage=bijlage(verslag),
    )
    stijl = svgstijl(thema)
    return _SVG.sub(lambda svg: svg.group(0) + stijl, html)


@dataclass(frozen=True)
class Bijlage:
    """The PDF's appendix: per school the report year's figure of every per-school table.

    In the PDF each per-school table would be 250 rows of three years and a change; nine of
    them cost WeasyPrint over 10 s and 45 pages a council does not read. The appendix gives the
    report year in one row per school; the app, the spreadsheets and the export keep the
    per-school tables with the years before and the change.
    """

    koppen: list[str]
    groepen: list[tuple[str, list[tuple[str, str, list[str]]]]]  # (sector, [(key, school, texts)])


def bijlage(verslag: Jaarverslag) -> Bijlage | None:
    """The appendix of a report, or None when it has no per-school tables."""
    tabellen = [t for t in verslag.tabellen if t.per_school]
    if not tabellen:
        return None
    per_tabel = [{rij.sleutel: rij.cellen[-1].tekst for rij in t.rijen} for t in tabellen]
    groepen = [
        (groep.label, [(rij.sleutel, rij.label,
                        [waarden.get(rij.sleutel, "") for waarden in per_tabel])
                       for rij in groep.rijen])
        for groep in tabellen[0].groepen
    ]
    return Bijlage([t.kort or t.titel for t in tabellen], groepen)


def kolommen(tabel: Tabel) -> list[int]:
    """The year columns the PDF shows: every year the app holds data for (all if it has none)."""
    getoond = [i for i, jaar in enumerate(tabel.jaren) if jaar not in tabel.jaren_zonder_gegevens]
    return getoond or list(range(len(tabel.jaren)))


@cache
def _omgeving() -> jinja2.Environment:
    """A Jinja environment over the templates folder, for rendering without a Flask app."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(PROJECT_ROOT / "templates"),
                              autoescape=True)


def _peildatum(iso: str) -> str:
    """'2026-07-31' as '31 juli 2026'; anything else as given."""
    try:
        return lange_datum(date.fromisoformat(iso))
    except ValueError:
        return iso


class AlleenStatic(URLFetcher):
    """WeasyPrint's fetcher limited to files under static/: no network, no other files."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        """The file's bytes, or ValueError for anything outside static/ (WeasyPrint skips it)."""
        deel = urlsplit(url)
        if deel.scheme != "file":
            raise ValueError(f"Geen netwerk in het jaarverslag: {url}")
        pad = Path(unquote(deel.path)).resolve()
        if not pad.is_relative_to(STATIC.resolve()) or not pad.is_file():
            raise ValueError(f"Alleen bestanden uit static/ in het jaarverslag: {url}")
        soort = mimetypes.guess_type(pad.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, pad.read_bytes(), {"Content-Type": soort})


@cache
def themawaarden(thema: str) -> dict[str, str]:
    """The print CSS's variables (THEMATOKENS) with the theme's resolved values, where known."""
    if thema not in THEMES:
        return {}
    tokens = dict(_DECLARATIE.findall((STATIC / THEMES[thema][0]).read_text(encoding="utf-8")))
    waarden = {}
    for naam, kandidaten in THEMATOKENS.items():
        waarde = next((w for k in kandidaten if (w := _los_op(tokens, k))), "")
        if not waarde or not _VEILIG.fullmatch(waarde):
            continue
        if naam in LETTERSOORT:
            generiek = _GENERIEK.search(waarde)
            soort = generiek.group(1) if generiek else LETTERSOORT[naam]
            waarde = f"{_GENERIEK.sub('', waarde)}, {LETTER_TERUGVAL[soort]}"
        waarden[naam] = waarde
    return waarden


def themakleuren(thema: str) -> str:
    """CSS declarations that give the print CSS's variables the theme's values."""
    return " ".join(f"{naam}: {waarde};" for naam, waarde in themawaarden(thema).items())


def svgstijl(thema: str) -> str:
    """A <style> for the charts: WeasyPrint does not apply the page's CSS inside inline SVG."""
    waarden = themawaarden(thema)
    return SVGSTIJL.substitute(
        letter=waarden.get("--pdf-letter", LETTER_TERUGVAL["sans-serif"]),
        tekst=waarden.get("--pdf-tekst", "#1a1a1a"),
        accent=waarden.get("--pdf-accent", "#154273"),
        rand=waarden.get("--pdf-rand", "#cfd6dd"),
    )


def _los_op(tokens: dict[str, str], naam: str) -> str:
    """A token's value with every var() reference replaced, '' when it cannot be resolved."""
    waarde = tokens.get(naam, "").strip()
    for _ in range(20):  # token chains are a few steps deep; this bounds a cycle
        verwijzing = _VERWIJZING.search(waarde)
        if not verwijzing:
            return waarde
        vervanging = tokens.get(verwijzing.group(1), verwijzing.group(2) or "").strip()
        if not vervanging:
            return ""
        waarde = waarde[:verwijzing.start()] + vervanging + waarde[verwijzing.end():]
    return ""

"""The exporter's building blocks: a page, a target (one output tree), and the target registry.

A target is one function `(Bouw) -> Doel` that lists its pages: the output path, the template,
a fingerprint of everything the page is made of, and how to build its context. The engine
(bouwen.py) decides which pages to render, renders them straight through Jinja, and writes the
tree atomically. Adding a target (the jaarverslag, later) is one function plus one line in
bouwen.DOELEN.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from flask import Flask
from jinja2 import Template

from ..config import THEMES
from ..normen import Normversie
from ..schooljaren import Schooljaar

# The targets' names, in build order (bouwen.DOELEN has their functions; kept equal there).
# Here so that the command's options need not import the engine.
DOELNAMEN = ("brochure", "dossiers", "jaarverslag")


class ExportFout(Exception):
    """The export cannot be made; the message says why, in Dutch, for the person running it."""


@dataclass
class Pagina:
    """One output file: where it goes, what renders it, and what it is made of."""

    pad: str  # inside the target's tree, '/'-separated: 'scholen/21XA00.html'
    template: str | Template  # a name, or a compiled template (the CSV pass-through)
    invoer: str  # fingerprint of every input: unchanged means the page is not rendered again
    context: Callable[[], dict]  # called only when the page is rendered
    meta: dict = field(default_factory=dict)  # kept in the manifest, e.g. publication dates


@dataclass
class Doel:
    """A target: one tree of the output (brochure/, dossiers/) with its pages and assets."""

    naam: str
    publiek: bool  # public trees are checked for personal data and never link elsewhere
    titel: str  # shown in the header of every page of the tree
    paginas: list[Pagina]
    assets: tuple[str, ...] = ()  # files under static/, copied with a content hash in the name
    # Given the pages to render, yield them in batches whose contexts are loaded in bulk (a few
    # queries per batch) just before the batch is yielded; rendering overlaps the next load.
    partijen: Callable[[list[Pagina]], Iterable[list[Pagina]]] = lambda paginas: [paginas]
    # True: files of the previous build that are not listed stay (a partial export, --school).
    gedeeltelijk: bool = False
    # Where the tree is published, ending in '/' (absolute links in sitemap.xml point there).
    basis_url: str = ""


@dataclass
class Bouw:
    """What every target may use: the app, the schooljaar and its norms, and the last build."""

    app: Flask
    schooljaar: Schooljaar | None
    schooljaar_naam: str
    normen: Normversie
    vandaag: date
    bronnen: str  # fingerprint of code, templates, content, static files and shown settings
    school: str | None = None  # --school CODE: only this school's dossier
    vorige: dict[str, dict] = field(default_factory=dict)  # target -> its last manifest

    def vorig_bestand(self, doel: str, pad: str) -> dict | None:
        """The manifest entry of a file in the target's live build, or None."""
        return self.vorige.get(doel, {}).get("bestanden", {}).get(pad)


def opmaak(app: Flask) -> tuple[str, ...]:
    """The static files of every exported page (under static/), with the vendors' licences."""
    theme_css = THEMES[app.config["THEME"]][0]
    thema_map = theme_css.split("/dist/")[0]
    return (
        "vendor/utrecht-component-library-css-9.0.4/dist/index.css",
        "vendor/utrecht-component-library-css-9.0.4/dist/html.css",
        "vendor/utrecht-component-library-css-9.0.4/LICENSE.md",
        theme_css,
        f"{thema_map}/LICENSE.md",
        "css/app.css",
        "css/export.css",
        "css/print.css",
        "css/export-print.css",
        "favicon.svg",
    )

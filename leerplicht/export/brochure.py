"""Target `brochure`: the public werkafspraken brochure; the app shows the same brochure.

"Gepubliceerd" and "gewijzigd" come from the export's own manifest, not from the clock of each
run: a page keeps its dates while its text (chapters, norms, schooljaar) stays the same, and
"gewijzigd" moves to the day of the export that changed the text. Layout changes do not count
as a change. So the same data and the same previous export give the same bytes; a first export
into an empty folder publishes with that day's date.
"""

from datetime import date
from pathlib import Path
from urllib.parse import urljoin

from flask import Flask

from ..config import PROJECT_ROOT
from ..normenbron import normen_voor
from .brochuretekst import Brochure, lees_brochure
from .doelen import Bouw, Doel, Pagina, opmaak
from .stempels import digest

TITEL = "Werkafspraken Leerlingzaken en scholen"


def brochure_map(app: Flask) -> Path:
    """The folder with the brochure's Markdown sources (BROCHURE_PAD may point elsewhere)."""
    return Path(app.config.get("BROCHURE_PAD") or PROJECT_ROOT / "content" / "brochure")


def brochure_voor(app: Flask, schooljaar: str) -> Brochure:
    """The brochure of a schooljaar with the norms valid then, read again only when changed."""
    map_ = brochure_map(app)
    normen = normen_voor(schooljaar)
    gemeente = app.config["MUNICIPALITY"]
    bronnen = sorted(map_.glob("*.md"))
    sleutel = digest(schooljaar, normen, gemeente, *(
        f"{pad.name}:{pad.stat().st_mtime_ns}:{pad.stat().st_size}" for pad in bronnen
    ))
    cache = app.extensions.setdefault("leerplicht_brochure", {})
    if sleutel not in cache:
        cache.clear()
        cache[sleutel] = lees_brochure(map_, normen, gemeente, schooljaar)
    return cache[sleutel]


def publicatie(vorig: dict | None, inhoud: str, vandaag: date) -> dict:
    """A page's publication record: kept while its text is the same, 'gewijzigd' moves if not."""
    meta = (vorig or {}).get("meta") or {}
    if meta.get("inhoud") == inhoud:
        return meta
    return {
        "inhoud": inhoud,
        "gepubliceerd": meta.get("gepubliceerd", vandaag.isoformat()),
        "gewijzigd": vandaag.isoformat(),
    }


def brochure_doel(bouw: Bouw) -> Doel:
    """The pages of the public tree: the brochure, the accessibility statement, the sitemap."""
    app = bouw.app
    brochure = brochure_voor(app, bouw.schooljaar_naam)
    basis_url = app.config.get("BROCHURE_URL") or ""
    if basis_url and not basis_url.endswith("/"):
        basis_url += "/"

    def pagina(pad: str, template: str, inhoud: str, **context) -> Pagina:
        """A brochure page whose publication dates follow its text."""
        meta = publicatie(bouw.vorig_bestand("brochure", pad), inhoud, bouw.vandaag)
        datums = {k: date.fromisoformat(meta[k]) for k in ("gepubliceerd", "gewijzigd")}
        return Pagina(
            pad=pad,
            template=template,
            invoer=digest(bouw.bronnen, inhoud, meta["gepubliceerd"], meta["gewijzigd"]),
            context=lambda: {**context, "publicatie": datums},
            meta=meta,
        )

    index = pagina("index.html", "export/brochure.html", brochure.inhoud, brochure=brochure)
    verklaring = pagina(
        "toegankelijkheid.html", "export/toegankelijkheid.html",
        digest(brochure.toegankelijkheid.html), verklaring=brochure.toegankelijkheid,
    )
    urls = [
        {"loc": urljoin(basis_url, p.pad) if basis_url else p.pad, "gewijzigd": p.meta["gewijzigd"]}
        for p in (index, verklaring)
    ]
    sitemap = Pagina(
        pad="sitemap.xml",
        template="export/sitemap.xml",
        invoer=digest(bouw.bronnen, *(f"{u['loc']} {u['gewijzigd']}" for u in urls)),
        context=lambda: {"urls": urls},
    )
    return Doel(
        naam="brochure",
        publiek=True,
        titel=TITEL,
        paginas=[index, verklaring, sitemap],
        assets=opmaak(app),
        basis_url=basis_url,
    )

"""Rendering and writing one target: only changed pages, into a new build, checked, switched.

A page whose fingerprint equals the one in the live build's manifest is not rendered; a
rendered page whose bytes equal the live file is not written. Both are carried over into the
new build as hard links. When nothing was written or removed, no new build is made at all.
Before the switch, every internal link and anchor of the new tree is checked, and a public tree
is checked for personal data; any failure leaves the live tree untouched.
"""

import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask import Flask
from sqlalchemy.orm.exc import DetachedInstanceError

from ..config import THEMES
from ..extensions import db
from . import privacy
from .doelen import Doel, ExportFout, Pagina
from .links import controleer_links, helpers, links_en_ankers
from .stempels import digest
from .uitvoer import Bouwmap, Uitvoermap
from .werkers import Werkpool, werkers_voor

# Below this many pages to render, forking workers costs more than it saves.
PARALLEL_VANAF = 400
# (target name, number of pages to render) -> a context manager giving a step(n) callback.
Voortgang = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


@dataclass
class Resultaat:
    """What one target's run did: files written, unchanged (carried over), removed."""

    doel: str
    pad: Path
    geschreven: int = 0
    ongewijzigd: int = 0
    verwijderd: int = 0
    paginas: int = 0
    nieuwe_bouw: bool = False
    geschreven_paden: list[str] = field(default_factory=list)
    opgeruimd: list[str] = field(default_factory=list)  # leftovers of interrupted runs


@dataclass
class Plan:
    """A target with the decision per page: render it, or carry it over unchanged."""

    doel: Doel
    vorige: dict  # the live manifest's files
    te_renderen: list[Pagina]
    ongewijzigd: list[Pagina]
    assets: dict[str, str]  # name under static/ -> path in the tree
    asset_bronnen: dict[str, tuple[Path, str]]  # path in the tree -> (source file, hash)


def _asset_pad(naam: str, inhoud: bytes) -> tuple[str, str]:
    """The tree path of a static file with (part of) its content hash in its name, and the hash.

    A changed stylesheet gets a new name, so a browser or proxy never serves a stale copy.
    """
    pad = PurePosixPath(naam)
    hash_ = digest(inhoud)
    return f"assets/{pad.parent / f'{pad.stem}.{hash_[:12]}{pad.suffix}'}", hash_


def plan(app: Flask, doel: Doel, manifest: dict, volledig: bool) -> Plan:
    """Decide per page whether it must be rendered: its fingerprint changed, or --volledig."""
    vorige = manifest.get("bestanden", {})
    te_renderen, ongewijzigd = [], []
    for pagina in doel.paginas:
        oud = vorige.get(pagina.pad)
        if not volledig and oud is not None and oud.get("invoer") == pagina.invoer:
            ongewijzigd.append(pagina)
        else:
            te_renderen.append(pagina)
    assets, bronnen = {}, {}
    for naam in doel.assets:
        bron = Path(app.static_folder) / naam
        pad, hash_ = _asset_pad(naam, bron.read_bytes())
        assets[naam] = pad
        bronnen[pad] = (bron, hash_)
    return Plan(doel, vorige, te_renderen, ongewijzigd, assets, bronnen)


class _Bouw:
    """The new build, started only at the first file that must really be written."""

    def __init__(self, map_: Uitvoermap, doel: str):
        """No build folder until one is needed."""
        self.map = map_
        self.doel = doel
        self.bouwmap: Bouwmap | None = None
        self._wachtend: list[str] = []

    def start(self) -> Bouwmap:
        """Create the build folder and carry over the files decided on so far."""
        if self.bouwmap is None:
            self.bouwmap = self.map.nieuwe_bouw(self.doel)
            for pad in self._wachtend:
                self.bouwmap.neem_over(pad)
            self._wachtend.clear()
        return self.bouwmap

    def neem_over(self, pad: str) -> None:
        """Carry a live file over unchanged (later, if no build has started yet)."""
        if self.bouwmap is None:
            self._wachtend.append(pad)
        else:
            self.bouwmap.neem_over(pad)

    def schrijf(self, pad: str, data: bytes) -> None:
        """Write a new or changed file."""
        self.start().schrijf(pad, data)

    def weg(self) -> None:
        """Remove an unfinished build (the live tree stays as it was)."""
        if self.bouwmap is not None:
            shutil.rmtree(self.bouwmap.map, ignore_errors=True)
            self.bouwmap = None


def _stil(_doel: str, _aantal: int):
    """No progress output (not on a terminal, or in tests)."""
    return nullcontext(lambda _stappen: None)


def _basis(app: Flask, doel: Doel) -> dict:
    """What every page of the target may use besides its own context."""
    theme_css, theme_class = THEMES[app.config["THEME"]]
    return {
        "gemeente": app.config["MUNICIPALITY"],
        "theme_css": theme_css,
        "theme_class": theme_class,
        "site_titel": doel.titel,
        "publiek": doel.publiek,
    }


def _render(app: Flask, pagina: Pagina, basis: dict, assets: dict[str, str]) -> str:
    """Render one page straight through the app's Jinja environment."""
    context = {**basis, **helpers(pagina.pad, assets), **pagina.context()}
    try:
        return app.jinja_env.get_template(pagina.template).render(context)
    except DetachedInstanceError as error:
        raise ExportFout(
            f"{pagina.pad}: {pagina.template} leest gegevens die niet vooraf zijn geladen "
            f"({error}). Laad ze in bulk in de loader van de dossiersectie."
        ) from error
    except ExportFout as error:
        raise ExportFout(f"{pagina.pad}: {error}") from error


@dataclass
class Uitkomst:
    """What rendering one page did (sent back by a worker process)."""

    pad: str
    info: dict  # the manifest entry
    geschreven: bool
    fouten: list[str]
    tekst: str | None  # kept for the privacy check of a public tree


class _Maker:
    """Renders one page and writes it, or carries the live file over when the bytes are equal."""

    def __init__(self, app: Flask, plan: Plan, bouw: _Bouw, basis_url: str):
        """Bind the renderer to one target's plan and build."""
        self.app, self.plan, self.bouw, self.basis_url = app, plan, bouw, basis_url
        self.basis = _basis(app, plan.doel)

    def __call__(self, pagina: Pagina) -> Uitkomst:
        """Render, hash, compare with the live file, and write or carry over."""
        tekst = _render(self.app, pagina, self.basis, self.plan.assets)
        # Only markup has links; a CSV cell that looks like href="..." is data, not a link.
        links, ankers, fouten = (links_en_ankers(pagina.pad, tekst, self.basis_url)
                                 if pagina.pad.endswith((".html", ".xml")) else ([], [], []))
        data = tekst.encode("utf-8")
        info = {"invoer": pagina.invoer, "hash": digest(data), "links": links,
                "ankers": ankers, "meta": pagina.meta}
        oud = self.plan.vorige.get(pagina.pad)
        gelijk = oud is not None and oud.get("hash") == info["hash"]
        if gelijk:
            self.bouw.neem_over(pagina.pad)
        else:
            self.bouw.schrijf(pagina.pad, data)
        return Uitkomst(
            pagina.pad, {k: v for k, v in info.items() if v}, not gelijk, fouten,
            tekst if self.plan.doel.publiek else None,
        )


def _maak_alles(plan: Plan, maker: _Maker, voortgang: Voortgang | None, werkers: int) -> list:
    """Render the pages that changed, batch by batch, here or in forked workers.

    Each batch is detached from the session before rendering: templates read only what the
    target loaded in bulk, and one that would lazy-load (a query per page) fails loudly.
    """
    te_renderen = plan.te_renderen
    aantal = werkers_voor(werkers, len(te_renderen), PARALLEL_VANAF)
    with (voortgang or _stil)(plan.doel.naam, len(te_renderen)) as stap:
        if aantal == 1:
            uitkomsten = []
            for partij in plan.doel.partijen(te_renderen):
                db.session.expunge_all()
                for pagina in partij:
                    uitkomsten.append(maker(pagina))
                    stap(1)
            return uitkomsten
        maker.bouw.start()  # before the fork: every worker writes into the same build
        with Werkpool(maker, aantal, stap) as pool:
            for partij in plan.doel.partijen(te_renderen):
                db.session.expunge_all()
                pool.geef(partij)
            return pool.klaar()


def schrijf(
    app: Flask, map_: Uitvoermap, plan: Plan, voortgang: Voortgang | None = None,
    werkers: int = 1,
) -> Resultaat:
    """Render what changed, write it into a new build, check it, and switch it live."""
    doel, vorige = plan.doel, plan.vorige
    resultaat = Resultaat(
        doel.naam, map_.root / doel.naam, paginas=len(doel.paginas),
        opgeruimd=[naam for naam in map_.opgeruimd if naam.startswith(f"{doel.naam}.")],
    )
    bouw = _Bouw(map_, doel.naam)
    bestanden: dict[str, dict] = {}
    teksten: dict[str, str] = {}
    fouten: list[str] = []

    def neem_over(pad: str, info: dict) -> None:
        """Carry a live file over unchanged."""
        bouw.neem_over(pad)
        bestanden[pad] = info
        resultaat.ongewijzigd += 1

    def geschreven(pad: str, info: dict) -> None:
        """Record a written file."""
        bestanden[pad] = info
        resultaat.geschreven += 1
        resultaat.geschreven_paden.append(pad)

    try:
        for pagina in plan.ongewijzigd:
            neem_over(pagina.pad, vorige[pagina.pad])
        maker = _Maker(app, plan, bouw, doel.basis_url)
        for uitkomst in _maak_alles(plan, maker, voortgang, werkers):
            fouten += uitkomst.fouten
            if uitkomst.tekst is not None:
                teksten[uitkomst.pad] = uitkomst.tekst
            if uitkomst.geschreven:
                geschreven(uitkomst.pad, uitkomst.info)
            else:
                bestanden[uitkomst.pad] = uitkomst.info
                resultaat.ongewijzigd += 1
        for pad, (bron, hash_) in sorted(plan.asset_bronnen.items()):
            oud = vorige.get(pad)
            if oud is not None and oud.get("hash") == hash_:
                neem_over(pad, oud)
            else:
                bouw.schrijf(pad, bron.read_bytes())
                geschreven(pad, {"invoer": hash_, "hash": hash_})
        if doel.gedeeltelijk:
            for pad in sorted(set(vorige) - set(bestanden)):
                neem_over(pad, vorige[pad])
        resultaat.verwijderd = len(set(vorige) - set(bestanden))
        fouten += controleer_links(bestanden, vorige)
        if doel.publiek:
            fouten += _privacy(map_, doel.naam, bestanden, teksten)
        if fouten:
            raise ExportFout(
                f"De export van {doel.naam} is afgebroken; de vorige versie blijft staan.\n"
                + "\n".join(f"  {fout}" for fout in fouten)
            )
        manifest = {"doel": doel.naam, "bestanden": bestanden}
        if resultaat.geschreven or resultaat.verwijderd or not vorige:
            map_.publiceer(doel.naam, bouw.start(), manifest, resultaat.geschreven_paden, vorige)
            resultaat.nieuwe_bouw = True
        else:
            bouw.weg()  # workers may have started an identical build: not needed
            if bestanden != vorige:
                map_.werk_manifest_bij(doel.naam, manifest)  # new fingerprints, same files
    except BaseException:
        bouw.weg()
        raise
    resultaat.geschreven_paden.sort()
    return resultaat


def _privacy(map_: Uitvoermap, doel: str, bestanden: dict, teksten: dict) -> list[str]:
    """Check every page of a public tree (rendered now or carried over) for personal data."""
    live = map_.live_bouw(doel)
    paginas = {}
    for pad in sorted(bestanden):
        if pad.endswith((".html", ".xml")):
            tekst = teksten.get(pad)
            if tekst is None and live is not None:
                tekst = (live / "site" / pad).read_text(encoding="utf-8")
            paginas[pad] = tekst or ""
    return privacy.controleer(paginas)

"""`leerplicht export`: list the pages of each target, load what changed, render, publish.

Everything happens inside one read transaction (a consistent snapshot): validate the options,
lock the output folder, let each target list its pages with their fingerprints, then load the
contexts of the pages that changed in bulk, batch by batch, render them straight through the
app's Jinja environment, write them into a new build and switch it live (schrijven.py). No
route is requested and nothing is crawled.
"""

import gc
import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from ..config import PROJECT_ROOT
from ..database import alleen_lezen
from ..extensions import db
from ..normen import NormenFout, standaard_normen_pad
from ..normenbron import normen_voor
from ..scholen.models import School
from ..schooljaren import Schooljaar, grenzen, huidig_schooljaar, naam_voor_datum
from .brochure import brochure_doel, brochure_map
from .doelen import DOELNAMEN, Bouw, Doel, ExportFout
from .dossiers import dossiers_doel
from .schrijven import Resultaat, Voortgang, plan, schrijf
from .stempels import bronnen_stempel, digest
from .uitvoer import Uitvoermap


def _jaarverslag_doel(bouw: Bouw) -> Doel:
    """Target `jaarverslag`, imported only when it is exported (its report code is large)."""
    from .jaarverslag import jaarverslag_doel

    return jaarverslag_doel(bouw)


# The targets, in build order. Adding one is a function, a line here and its name in
# doelen.DOELNAMEN.
DOELEN: dict[str, Callable[[Bouw], Doel]] = {
    "brochure": brochure_doel,
    "dossiers": dossiers_doel,
    "jaarverslag": _jaarverslag_doel,
}
assert tuple(DOELEN) == DOELNAMEN, "doelen.DOELNAMEN en bouwen.DOELEN lopen uiteen"


@dataclass(frozen=True)
class Opties:
    """What to export: the targets, the schooljaar, optionally one school; `volledig` ignores
    the fingerprints and renders every page (only changed bytes are still written)."""

    doelen: tuple[str, ...] = tuple(DOELEN)
    schooljaar: str | None = None
    school: str | None = None
    volledig: bool = False
    vandaag: date | None = None
    werkers: int | None = None  # render processes; None: EXPORT_WERKERS or the number of cores


@contextmanager
def momentopname():
    """One read transaction for every query of the export: a consistent snapshot.

    The engine's begin hook (database.py) takes SQLite's write lock for work outside a
    request, which would stall the app's saves for the whole export; alleen_lezen() makes it
    begin a plain read, as for a page view. PostgreSQL needs REPEATABLE READ to see one
    snapshot across statements.
    """
    db.session.close()
    with alleen_lezen():
        opties = {}
        if db.engine.dialect.name == "postgresql":
            opties = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        db.session.connection(execution_options=opties)
        try:
            yield
        finally:
            db.session.expunge_all()
            db.session.rollback()


@contextmanager
def geen_automatische_gc():
    """Switch the cyclic garbage collector off during the export.

    Bulk loading creates hundreds of thousands of ORM objects, and the collector would walk the
    heap again and again: measured 5 of 18 seconds for 8000 dossiers. Reference counting frees
    each batch once rendered (peak memory measured equal with and without collecting per
    batch); what cycles remain are collected when the collector is switched on again.
    """
    aan = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if aan:
            gc.enable()


def _schooljaar(opties: Opties, vandaag: date) -> tuple[Schooljaar | None, str]:
    """The schooljaar to export (its record, when the database has it) and its name."""
    if opties.schooljaar is None:
        huidig = huidig_schooljaar()
        return huidig, huidig.naam if huidig else naam_voor_datum(vandaag)
    try:
        grenzen(opties.schooljaar)
    except ValueError as error:
        raise ExportFout(str(error)) from None
    record = db.session.scalars(
        select(Schooljaar).where(Schooljaar.naam == opties.schooljaar)
    ).first()
    if record is None and {"dossiers", "jaarverslag"} & set(opties.doelen):
        raise ExportFout(
            f"Schooljaar {opties.schooljaar} bestaat nog niet. Open het eerst met "
            f"'leerplicht schooljaar start {opties.schooljaar}', of exporteer alleen de "
            "brochure (--only brochure)."
        )
    return record, opties.schooljaar


def _controleer(opties: Opties) -> None:
    """Refuse options that make no sense, before anything is touched."""
    for naam in opties.doelen:
        if naam not in DOELEN:
            raise ExportFout(f"Onbekend exportdoel: {naam}.")
    if opties.school is not None:
        if "dossiers" not in opties.doelen:
            raise ExportFout("--school geldt alleen voor de dossiers (--only dossiers).")
        if db.session.scalar(select(School.id).where(School.code == opties.school)) is None:
            raise ExportFout(f"Er is geen school met BRIN- en vestigingsnummer {opties.school}.")


def _bouw(app: Flask, opties: Opties) -> Bouw:
    """What the targets share: schooljaar, norms, today, the fingerprint of code and settings."""
    _controleer(opties)
    vandaag = opties.vandaag or date.today()
    schooljaar, naam = _schooljaar(opties, vandaag)
    try:
        normen = normen_voor(naam)
    except NormenFout as error:
        raise ExportFout(str(error)) from None
    bronnen = bronnen_stempel([
        PROJECT_ROOT / "leerplicht", Path(app.template_folder), Path(app.static_folder),
        PROJECT_ROOT / "content", brochure_map(app),
        Path(app.config.get("NORMEN_PAD") or standaard_normen_pad()),
    ])
    return Bouw(
        app=app,
        schooljaar=schooljaar,
        schooljaar_naam=naam,
        normen=normen,
        vandaag=vandaag,
        bronnen=digest(bronnen, *(app.config.get(k) for k in (
            "MUNICIPALITY", "THEME", "BROCHURE_URL"))),
        school=opties.school,
    )


def exporteer(
    app: Flask, uit: Path, opties: Opties = Opties(), voortgang: Voortgang | None = None
) -> list[Resultaat]:
    """Export the targets into folder `uit`; ExportFout (Dutch) when it cannot be done.

    Needs an app context. Bad options fail before the output folder is touched; a failure
    later leaves the live trees as they were.
    """
    if opties.school:
        opties = replace(opties, school=opties.school.strip().upper())
    map_ = Uitvoermap(uit)
    werkers = opties.werkers or app.config.get("EXPORT_WERKERS") or min(os.cpu_count() or 1, 4)
    try:
        with geen_automatische_gc(), momentopname():
            bouw = _bouw(app, opties)
            map_.open()
            bouw.vorige = {naam: map_.manifest(naam) for naam in opties.doelen}
            plannen = [
                plan(app, DOELEN[naam](bouw), bouw.vorige[naam], opties.volledig)
                for naam in opties.doelen
            ]
            return [schrijf(app, map_, p, voortgang, werkers) for p in plannen]
    finally:
        map_.close()

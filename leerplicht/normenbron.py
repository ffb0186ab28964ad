"""The norms of the running app: the versions of content/normen.toml plus the versions adopted
in the app (table `normversie`); an adopted version wins over a file version of the same year.

content/normen.toml is what a fresh install starts with. Once the beheerder adopts a version in
the app (after a Klankbordgroep decision), that decision is recorded with who and when, and no
later edit of the file overrides it: for its schooljaar and after, the database version is read.
"""

import enum
import json
from datetime import date

from flask import current_app, g, has_app_context
from sqlalchemy import Date, ForeignKey, Index, String, Text, select, text
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .models_base import Timestamped, Versioned, een_van
from .normen import (
    Normenregister,
    Normversie,
    laad_normen,
    met_versies,
    standaard_normen_pad,
    versie_uit_tabel,
)


class Normstatus(enum.StrEnum):
    """A norms version in the app is drafted, then adopted (and then never changes)."""

    CONCEPT = "concept"
    VASTGESTELD = "vastgesteld"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"concept": "Concept", "vastgesteld": "Vastgesteld"}[self.value]


class NormversieRecord(Versioned, Timestamped, db.Model):
    """A version of the norms drafted and adopted in the app (after a Klankbordgroep decision).

    `inhoud` is JSON: {"normen": {sleutel: {waarde, eenheid, omschrijving}},
    "meldingselementen": [...]}, the same shape as a [[versie]] of content/normen.toml.
    """

    __tablename__ = "normversie"
    __table_args__ = (
        een_van("status", Normstatus),
        # One adopted version per schooljaar, also when two beheerders press at once.
        Index("uq_normversie_vastgesteld_vanaf", "geldig_vanaf", unique=True,
              sqlite_where=text("status = 'vastgesteld'"),
              postgresql_where=text("status = 'vastgesteld'")),
    )
    __audit__ = ("nummer", "geldig_vanaf", "status", "toelichting", "inhoud")

    id: Mapped[int] = mapped_column(primary_key=True)
    # The version's label ("2", "3", ...), given on adoption; `versie` is the locking counter.
    nummer: Mapped[str] = mapped_column(String(20), default="")
    geldig_vanaf: Mapped[str] = mapped_column(String(9))
    status: Mapped[str] = mapped_column(String(12), default=Normstatus.CONCEPT)
    toelichting: Mapped[str] = mapped_column(String(600), default="")
    inhoud: Mapped[str] = mapped_column(Text)
    # The Klankbordgroep decision that led to it (cyclus.models.Besluit), when there was one.
    besluit_id: Mapped[int | None] = mapped_column(ForeignKey("besluit.id", ondelete="SET NULL"))
    vastgesteld_op: Mapped[date | None] = mapped_column(Date)
    vastgesteld_door_naam: Mapped[str] = mapped_column(String(120), default="")

    @property
    def status_enum(self) -> Normstatus:
        """Status as enum."""
        return Normstatus(self.status)

    def als_versie(self) -> Normversie:
        """The record as a validated Normversie (NormenFout when its content is broken).

        A norm added to content/normen.toml after this record was stored (such as
        kleine_aantallen) is taken from the file's version for the same schooljaar.
        """
        inhoud = json.loads(self.inhoud)
        normen = inhoud.get("normen")
        if isinstance(normen, dict):
            basis = bestandsregister().voor_schooljaar(self.geldig_vanaf)
            normen = {**{n.sleutel: {"waarde": n.waarde, "eenheid": n.eenheid,
                                     "omschrijving": n.omschrijving} for n in basis}, **normen}
        return versie_uit_tabel(f"normversie {self.nummer or 'concept'} (database)", {
            "versie": self.nummer or "concept",
            "geldig_vanaf": self.geldig_vanaf,
            "vastgesteld_op": self.vastgesteld_op.isoformat() if self.vastgesteld_op else "",
            "toelichting": self.toelichting,
            "normen": normen,
            "meldingselementen": {"lijst": inhoud.get("meldingselementen")},
        })


def inhoud_van(versie: Normversie) -> str:
    """The JSON `inhoud` of a record holding the same norms as `versie`."""
    return json.dumps({
        "normen": {n.sleutel: {"waarde": n.waarde, "eenheid": n.eenheid,
                               "omschrijving": n.omschrijving} for n in versie},
        "meldingselementen": list(versie.meldingselementen),
    }, ensure_ascii=False, sort_keys=True)


def bestandsregister() -> Normenregister:
    """The versions of content/normen.toml (NORMEN_PAD may point elsewhere), loaded once."""
    cached = current_app.extensions.get("leerplicht_normen")
    if cached is None:
        pad = current_app.config.get("NORMEN_PAD") or standaard_normen_pad()
        cached = current_app.extensions["leerplicht_normen"] = laad_normen(pad)
    return cached


def register() -> Normenregister:
    """Every version in force: the file's, with the adopted database versions over them.

    Read once per app context (a request, a CLI command): one small query.
    """
    if has_app_context() and "normenregister" in g:
        return g.normenregister
    vastgesteld = db.session.scalars(
        select(NormversieRecord).where(NormversieRecord.status == Normstatus.VASTGESTELD)
    ).all()
    combined = met_versies(bestandsregister(), [r.als_versie() for r in vastgesteld])
    g.normenregister = combined
    return combined


def vergeet() -> None:
    """Forget this context's register (after a version was adopted)."""
    g.pop("normenregister", None)


def normen_voor(schooljaar) -> Normversie:
    """The norms version valid in a schooljaar (a Schooljaar or its name)."""
    naam = schooljaar if isinstance(schooljaar, str) else schooljaar.naam
    return register().voor_schooljaar(naam)

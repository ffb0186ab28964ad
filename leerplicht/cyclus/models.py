"""The yearly cycle: LLZ visits, the yearly evaluation, the Klankbordgroep, norm versions,
calendar tokens and the reminders sent.

Visits and evaluations are per school and schooljaar; a visit's note and an evaluation's
comments are about the cooperation, never about a pupil. The evaluation's hard data is computed
live until it is vastgelegd, then frozen as JSON in `harde_gegevens`.
"""

import enum
import json
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Timestamped, Versioned, een_van
from ..scholen.models import Kant


class Bezoeksoort(enum.StrEnum):
    """What LLZ came to the school for."""

    JES = "jes"
    MDO = "mdo"
    SPREEKUUR = "spreekuur"
    OVERLEG = "overleg"
    KENNISMAKING = "kennismaking"
    EVALUATIE = "evaluatie"
    MEELOPEN = "meelopen"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {
            "jes": "JES (Jeugd en School overleg)",
            "mdo": "MDO (multidisciplinair overleg)",
            "spreekuur": "Spreekuur",
            "overleg": "Overleg met de school",
            "kennismaking": "Kennismaking",
            "evaluatie": "Evaluatie",
            "meelopen": "Meelopen",
        }[self.value]


class Bezoekstatus(enum.StrEnum):
    """A visit is planned until it has been held (or is called off by deleting it)."""

    GEPLAND = "gepland"
    GEHOUDEN = "gehouden"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"gepland": "Gepland", "gehouden": "Gehouden"}[self.value]


class Bezoek(Versioned, Timestamped, db.Model):
    """One moment LLZ is present at the school (or a school contact shadows LLZ: meelopen)."""

    __tablename__ = "bezoek"
    __table_args__ = (
        Index("ix_bezoek_jaar_school", "schooljaar_id", "school_id", "status"),
        een_van("soort", Bezoeksoort),
        een_van("status", Bezoekstatus),
    )
    __audit__ = ("datum", "soort", "status", "notitie")

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    schooljaar_id: Mapped[int] = mapped_column(ForeignKey("schooljaar.id"))
    datum: Mapped[date] = mapped_column(Date)
    soort: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(8), default=Bezoekstatus.GEPLAND)
    # Who shadows whom, what was agreed: about the cooperation, never a pupil.
    notitie: Mapped[str] = mapped_column(String(300), default="")

    @property
    def soort_enum(self) -> Bezoeksoort:
        """Soort as enum."""
        return Bezoeksoort(self.soort)

    @property
    def status_enum(self) -> Bezoekstatus:
        """Status as enum."""
        return Bezoekstatus(self.status)


class Evaluatiestatus(enum.StrEnum):
    """gepland -> gehouden -> vastgelegd (frozen)."""

    GEPLAND = "gepland"
    GEHOUDEN = "gehouden"
    VASTGELEGD = "vastgelegd"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"gepland": "Gepland", "gehouden": "Gehouden",
                "vastgelegd": "Vastgelegd"}[self.value]


class Thema(enum.StrEnum):
    """The fixed themes of the soft data, scored by each side."""

    BEREIKBAARHEID = "bereikbaarheid"
    BEJEGENING = "bejegening"
    SAMENWERKING = "samenwerking"
    KWALITEIT_MELDINGEN = "kwaliteit_meldingen"
    AFHANDELING_LLZ = "afhandeling_llz"
    AANWEZIGHEID = "aanwezigheid"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {
            "bereikbaarheid": "Bereikbaarheid",
            "bejegening": "Bejegening",
            "samenwerking": "Samenwerking",
            "kwaliteit_meldingen": "Kwaliteit van de meldingen",
            "afhandeling_llz": "Afhandeling door Leerlingzaken",
            "aanwezigheid": "Aanwezigheid van Leerlingzaken",
        }[self.value]


# A score is 1 (slecht) .. 5 (uitstekend).
SCORES = {1: "1 – slecht", 2: "2 – matig", 3: "3 – voldoende", 4: "4 – goed",
          5: "5 – uitstekend"}


class Evaluatie(Versioned, Timestamped, db.Model):
    """The yearly evaluation of the cooperation between LLZ and one school."""

    __tablename__ = "evaluatie"
    __table_args__ = (
        UniqueConstraint("school_id", "schooljaar_id", name="uq_evaluatie_school_jaar"),
        een_van("status", Evaluatiestatus),
        CheckConstraint("status <> 'vastgelegd' OR harde_gegevens IS NOT NULL",
                        name="vastgelegd_met_gegevens"),
    )
    __audit__ = ("gepland_op", "status", "teamleider_aanwezig", "directeur_aanwezig",
                 "aanwezigen")

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    schooljaar_id: Mapped[int] = mapped_column(ForeignKey("schooljaar.id"), index=True)
    gepland_op: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=Evaluatiestatus.GEPLAND)
    # Attendees besides the two contact persons: the two optional ones, then free text (roles).
    teamleider_aanwezig: Mapped[bool] = mapped_column(Boolean, default=False)
    directeur_aanwezig: Mapped[bool] = mapped_column(Boolean, default=False)
    aanwezigen: Mapped[str] = mapped_column(String(300), default="")
    gehouden_op: Mapped[date | None] = mapped_column(Date)
    vastgelegd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    vastgelegd_door_naam: Mapped[str] = mapped_column(String(120), default="")
    # JSON of cyclus.evaluatie.HardeGegevens, written once when vastgelegd.
    harde_gegevens: Mapped[str | None] = mapped_column(Text)

    school = relationship("School", lazy="joined")
    schooljaar = relationship("Schooljaar", lazy="joined")
    scores = relationship("Evaluatiescore", back_populates="evaluatie",
                          cascade="all, delete-orphan", order_by="Evaluatiescore.id")
    verbeterpunten = relationship("Verbeterpunt", back_populates="evaluatie",
                                  cascade="all, delete-orphan", order_by="Verbeterpunt.id")

    @property
    def status_enum(self) -> Evaluatiestatus:
        """Status as enum."""
        return Evaluatiestatus(self.status)

    @property
    def is_vastgelegd(self) -> bool:
        """True once frozen: nothing of it changes any more."""
        return self.status == Evaluatiestatus.VASTGELEGD

    @property
    def bevroren(self) -> dict | None:
        """The frozen hard data (None before vastleggen)."""
        return json.loads(self.harde_gegevens) if self.harde_gegevens else None


class Evaluatiescore(Versioned, Timestamped, db.Model):
    """One side's score and comment on one theme of an evaluation."""

    __tablename__ = "evaluatiescore"
    __table_args__ = (
        UniqueConstraint("evaluatie_id", "kant", "thema", name="uq_evaluatiescore"),
        een_van("kant", Kant),
        een_van("thema", Thema),
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score"),
    )
    __audit__ = ("score", "toelichting")

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluatie_id: Mapped[int] = mapped_column(
        ForeignKey("evaluatie.id", ondelete="CASCADE"), index=True)
    kant: Mapped[str] = mapped_column(String(6))
    thema: Mapped[str] = mapped_column(String(24))
    score: Mapped[int | None] = mapped_column(Integer)
    toelichting: Mapped[str] = mapped_column(String(600), default="")
    ingevuld_door_naam: Mapped[str] = mapped_column(String(120), default="")

    evaluatie = relationship("Evaluatie", back_populates="scores")

    @property
    def thema_enum(self) -> Thema:
        """Thema as enum."""
        return Thema(self.thema)


class Verbeterpunt(Versioned, Timestamped, db.Model):
    """An improvement point agreed in an evaluation: shown in the next afsprakenlijst until done."""

    __tablename__ = "verbeterpunt"
    __table_args__ = (
        Index("ix_verbeterpunt_school_open", "school_id", "afgerond_op"),
        een_van("wie", Kant),
    )
    __audit__ = ("wat", "wie", "uiterlijk", "afgerond_op")

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluatie_id: Mapped[int] = mapped_column(
        ForeignKey("evaluatie.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    wat: Mapped[str] = mapped_column(String(300))
    wie: Mapped[str] = mapped_column(String(6))  # llz | school
    uiterlijk: Mapped[date] = mapped_column(Date)
    afgerond_op: Mapped[date | None] = mapped_column(Date)

    evaluatie = relationship("Evaluatie", back_populates="verbeterpunten")

    @property
    def wie_enum(self) -> Kant:
        """The side that acts."""
        return Kant(self.wie)


class Klankbordsector(enum.StrEnum):
    """The two Klankbordgroepen; PO includes SO, VO includes VSO and MBO."""

    PO = "PO"
    VO = "VO"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"PO": "Klankbordgroep PO", "VO": "Klankbordgroep VO"}[self.value]

    @property
    def sectoren(self) -> tuple[str, ...]:
        """The school sectors this group speaks for."""
        return ("PO", "SO") if self is Klankbordsector.PO else ("VO", "VSO", "MBO")

    @classmethod
    def van(cls, sector: str) -> "Klankbordsector":
        """The Klankbordgroep of a school sector: PO and SO speak in PO, the rest in VO."""
        return cls.PO if sector in cls.PO.sectoren else cls.VO


class Klankbordoverleg(Versioned, Timestamped, db.Model):
    """A meeting of a Klankbordgroep with LLZ: date, notes and decisions."""

    __tablename__ = "klankbordoverleg"
    __table_args__ = (een_van("sector", Klankbordsector),)
    __audit__ = ("datum", "notities")

    id: Mapped[int] = mapped_column(primary_key=True)
    sector: Mapped[str] = mapped_column(String(2))
    schooljaar_id: Mapped[int] = mapped_column(ForeignKey("schooljaar.id"), index=True)
    datum: Mapped[date] = mapped_column(Date)
    notities: Mapped[str] = mapped_column(Text, default="")

    besluiten = relationship("Besluit", back_populates="overleg", cascade="all, delete-orphan",
                             order_by="Besluit.id")


class Besluit(Versioned, Timestamped, db.Model):
    """A decision of a Klankbordgroep meeting (may lead to a new norms version)."""

    __tablename__ = "besluit"
    __audit__ = ("tekst",)

    id: Mapped[int] = mapped_column(primary_key=True)
    overleg_id: Mapped[int] = mapped_column(
        ForeignKey("klankbordoverleg.id", ondelete="CASCADE"), index=True)
    tekst: Mapped[str] = mapped_column(String(600))

    overleg = relationship("Klankbordoverleg", back_populates="besluiten")


class Maatregel(Versioned, Timestamped, db.Model):
    """A measure of a Klankbordgroep: its plan, and its results per period (seed 003's shape)."""

    __tablename__ = "maatregel"
    __table_args__ = (
        een_van("sector", Klankbordsector),
        UniqueConstraint("sector", "nummer", name="uq_maatregel_nummer"),
    )
    __audit__ = ("titel", "plan", "afgerond")

    id: Mapped[int] = mapped_column(primary_key=True)
    sector: Mapped[str] = mapped_column(String(2))
    nummer: Mapped[int] = mapped_column(Integer)
    titel: Mapped[str] = mapped_column(String(160))
    plan: Mapped[str] = mapped_column(Text, default="")
    besluit_id: Mapped[int | None] = mapped_column(ForeignKey("besluit.id", ondelete="SET NULL"))
    sinds_schooljaar_id: Mapped[int] = mapped_column(ForeignKey("schooljaar.id"))
    afgerond: Mapped[bool] = mapped_column(Boolean, default=False)

    resultaten = relationship("Maatregelresultaat", back_populates="maatregel",
                              cascade="all, delete-orphan", order_by="Maatregelresultaat.id")


class Maatregelresultaat(Versioned, Timestamped, db.Model):
    """What a measure achieved in one period (e.g. '2026-2027' or 'augustus – januari')."""

    __tablename__ = "maatregelresultaat"
    __table_args__ = (UniqueConstraint("maatregel_id", "periode", name="uq_resultaat_periode"),)
    __audit__ = ("periode", "resultaat")

    id: Mapped[int] = mapped_column(primary_key=True)
    maatregel_id: Mapped[int] = mapped_column(
        ForeignKey("maatregel.id", ondelete="CASCADE"), index=True)
    periode: Mapped[str] = mapped_column(String(60))
    resultaat: Mapped[str] = mapped_column(Text)

    maatregel = relationship("Maatregel", back_populates="resultaten")


class Agendatoken(Timestamped, db.Model):
    """The secret of a user's calendar feed URL; resetting replaces it (the old URL is a 404)."""

    __tablename__ = "agendatoken"

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(
        ForeignKey("gebruiker.id", ondelete="CASCADE"), unique=True)
    # SHA-256 of the token: a leaked database does not reveal working feed URLs.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)


class Herinneringsinstelling(db.Model):
    """A user's choice about the e-mail digest (no row: digest on)."""

    __tablename__ = "herinneringsinstelling"

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(
        ForeignKey("gebruiker.id", ondelete="CASCADE"), unique=True)
    aan: Mapped[bool] = mapped_column(Boolean, default=True)


class Herinnering(db.Model):
    """One item mailed to a user on a day: the same item is never mailed twice that day."""

    __tablename__ = "herinnering"
    __table_args__ = (
        UniqueConstraint("gebruiker_id", "datum", "sleutel", name="uq_herinnering"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(
        ForeignKey("gebruiker.id", ondelete="CASCADE"), index=True)
    datum: Mapped[date] = mapped_column(Date)
    sleutel: Mapped[str] = mapped_column(String(64))
    verzonden_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))

"""Sluitingsdagen and the termijnen registers: verzuimmeldingen, questions, developments.

The registers hold metadata and dates only, never a pupil. Each timed step stores its deadline
(`*_uiterlijk`) and, once done, its duration in werkdagen (`*_werkdagen`), computed by
termijnen.regels when the step is recorded and recomputed when the calendar or the norms
change: the figures are then plain SQL over stored numbers. A step whose `*_uiterlijk` is NULL
does not run (not applicable, or withdrawn); `*_werkdagen` NULL with a deadline is open.
"""

import enum
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import Timestamped, Versioned, een_van
from ..scholen.models import Kant


class Sluitingsdag(Timestamped, db.Model):
    """A day on which termijnen do not run, on top of weekends and public holidays."""

    __tablename__ = "sluitingsdag"
    __audit__ = ("datum", "omschrijving")

    id: Mapped[int] = mapped_column(primary_key=True)
    datum: Mapped[date] = mapped_column(Date, unique=True)
    omschrijving: Mapped[str] = mapped_column(String(120), default="")


class Meldingstatus(enum.StrEnum):
    """The status of a verzuimmelding as DUO's verzuimloket names it."""

    GEREGISTREERD = "geregistreerd"
    IN_BEHANDELING = "in_behandeling"
    AFGESLOTEN = "afgesloten"
    TER_KENNISGEVING = "ter_kennisgeving"
    INGETROKKEN = "ingetrokken"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {
            "geregistreerd": "Geregistreerd",
            "in_behandeling": "In behandeling",
            "afgesloten": "Afgesloten",
            "ter_kennisgeving": "Ter kennisgeving aangenomen",
            "ingetrokken": "Ingetrokken",
        }[self.value]


class Oordeel(enum.StrEnum):
    """LLZ's judgement of a melding against the checklist of the norms version."""

    OPEN = "open"  # not judged yet
    COMPLEET = "compleet"
    ONVOLLEDIG = "onvolledig"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"open": "Nog niet beoordeeld", "compleet": "Compleet",
                "onvolledig": "Onvolledig"}[self.value]


class Verzuimmelding(Versioned, Timestamped, db.Model):
    """One verzuimmelding a school filed with DUO: its reference, dates and judgement."""

    __tablename__ = "verzuimmelding"
    __table_args__ = (
        # Idempotent import: a school's reference is recorded once.
        UniqueConstraint("school_id", "referentie", name="uq_verzuimmelding_referentie"),
        # Covers the figures' month and histogram queries: they never read the table itself.
        Index("ix_verzuimmelding_cijfers", "schooljaar_id", "school_id",
              "terugmelden_werkdagen", "aanvullen_werkdagen", "reactie_werkdagen",
              "ontvangen_op"),
        een_van("status", Meldingstatus),
        een_van("oordeel", Oordeel),
        CheckConstraint("elementen >= 0", name="elementen"),
        CheckConstraint("teruggemeld_op IS NULL OR teruggemeld_op >= ontvangen_op",
                        name="teruggemeld"),
        CheckConstraint("aangevuld_op IS NULL OR (teruggemeld_op IS NOT NULL "
                        "AND aangevuld_op >= teruggemeld_op)", name="aangevuld"),
        CheckConstraint("gereageerd_op IS NULL OR gereageerd_op >= ontvangen_op",
                        name="gereageerd"),
    )
    __audit__ = ("referentie", "ontvangen_op", "status", "oordeel", "elementen", "toelichting",
                 "teruggemeld_op", "aangevuld_op", "gereageerd_op")

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    schooljaar_id: Mapped[int] = mapped_column(ForeignKey("schooljaar.id"))
    # DUO's melding reference, or an internal number: never a pupil's name or BSN.
    referentie: Mapped[str] = mapped_column(String(40))
    ontvangen_op: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=Meldingstatus.GEREGISTREERD)
    # Bit i set: element i of the norms version's meldingselementen is present.
    elementen: Mapped[int] = mapped_column(Integer, default=0)
    oordeel: Mapped[str] = mapped_column(String(10), default=Oordeel.OPEN)
    toelichting: Mapped[str] = mapped_column(String(300), default="")
    teruggemeld_op: Mapped[date | None] = mapped_column(Date)
    aangevuld_op: Mapped[date | None] = mapped_column(Date)
    gereageerd_op: Mapped[date | None] = mapped_column(Date)
    # The norms version the stored deadlines were computed with.
    normversie: Mapped[str] = mapped_column(String(20), default="")
    terugmelden_uiterlijk: Mapped[date | None] = mapped_column(Date)
    terugmelden_werkdagen: Mapped[int | None] = mapped_column(Integer)
    aanvullen_uiterlijk: Mapped[date | None] = mapped_column(Date)
    aanvullen_werkdagen: Mapped[int | None] = mapped_column(Integer)
    reactie_uiterlijk: Mapped[date | None] = mapped_column(Date)
    reactie_werkdagen: Mapped[int | None] = mapped_column(Integer)

    @property
    def status_enum(self) -> Meldingstatus:
        """Status as enum."""
        return Meldingstatus(self.status)

    @property
    def oordeel_enum(self) -> Oordeel:
        """Oordeel as enum."""
        return Oordeel(self.oordeel)


class Vraag(Versioned, Timestamped, db.Model):
    """A question one side asked the other, to be answered within the norm."""

    __tablename__ = "vraag"
    __table_args__ = (
        Index("ix_vraag_jaar_school", "schooljaar_id", "school_id"),
        een_van("gesteld_door", Kant),
        CheckConstraint("beantwoord_op IS NULL OR beantwoord_op >= gesteld_op",
                        name="beantwoord"),
    )
    __audit__ = ("gesteld_door", "onderwerp", "gesteld_op", "beantwoord_op", "antwoord")

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    schooljaar_id: Mapped[int] = mapped_column(ForeignKey("schooljaar.id"))
    gesteld_door: Mapped[str] = mapped_column(String(6))  # llz | school; the other side answers
    onderwerp: Mapped[str] = mapped_column(String(160))
    gesteld_op: Mapped[date] = mapped_column(Date)
    beantwoord_op: Mapped[date | None] = mapped_column(Date)
    antwoord: Mapped[str] = mapped_column(String(300), default="")
    normversie: Mapped[str] = mapped_column(String(20), default="")
    uiterlijk: Mapped[date] = mapped_column(Date)
    werkdagen: Mapped[int | None] = mapped_column(Integer)

    @property
    def gesteld_door_enum(self) -> Kant:
        """The asking side."""
        return Kant(self.gesteld_door)

    @property
    def antwoordt(self) -> Kant:
        """The side that owes the answer."""
        return Kant.SCHOOL if self.gesteld_door == Kant.LLZ else Kant.LLZ


class Ontwikkeling(Versioned, Timestamped, db.Model):
    """A development affecting a pupil's schooling that LLZ must report to the school."""

    __tablename__ = "ontwikkeling"
    __table_args__ = (
        Index("ix_ontwikkeling_jaar_school", "schooljaar_id", "school_id"),
        CheckConstraint("gemeld_op IS NULL OR gemeld_op >= bekend_op", name="gemeld"),
    )
    __audit__ = ("onderwerp", "bekend_op", "gemeld_op")

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    schooljaar_id: Mapped[int] = mapped_column(ForeignKey("schooljaar.id"))
    onderwerp: Mapped[str] = mapped_column(String(160))
    bekend_op: Mapped[date] = mapped_column(Date)
    gemeld_op: Mapped[date | None] = mapped_column(Date)
    normversie: Mapped[str] = mapped_column(String(20), default="")
    uiterlijk: Mapped[date] = mapped_column(Date)
    werkdagen: Mapped[int | None] = mapped_column(Integer)


class Instelling(db.Model):
    """A setting the beheerder changes in the app (e.g. how long register rows are kept)."""

    __tablename__ = "instelling"
    __audit__ = ("waarde",)

    id: Mapped[int] = mapped_column(primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(40), unique=True)
    waarde: Mapped[str] = mapped_column(String(200), default="")

"""Afsprakenlijst (one per school per schooljaar, in versions) and its afspraken."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Timestamped, Versioned, een_van


class Status(enum.StrEnum):
    """Where a version of the afsprakenlijst stands."""

    CONCEPT = "concept"
    VASTGESTELD = "vastgesteld"
    VERVANGEN = "vervangen"  # an older vastgestelde version, replaced by a newer one

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"concept": "Concept", "vastgesteld": "Vastgesteld", "vervangen": "Vervangen"}[
            self.value
        ]


class Herkomst(enum.StrEnum):
    """How a version came about."""

    NIEUW = "nieuw"
    WIJZIGING = "wijziging"
    VERLENGD = "verlengd"  # stilzwijgend verlengd from the previous schooljaar

    @property
    def label(self) -> str:
        """Dutch label."""
        return {
            "nieuw": "Nieuw opgesteld",
            "wijziging": "Wijziging van een vastgestelde versie",
            "verlengd": "Stilzwijgend verlengd",
        }[self.value]


class Wie(enum.StrEnum):
    """Who acts on an afspraak."""

    LLZ = "llz"
    SCHOOL = "school"
    BEIDEN = "beiden"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"llz": "Leerlingzaken", "school": "School", "beiden": "Beiden"}[self.value]


class Afsprakenlijst(Versioned, Timestamped, db.Model):
    """One version of the agreements between LLZ and one school for one schooljaar."""

    __tablename__ = "afsprakenlijst"
    __table_args__ = (
        UniqueConstraint("school_id", "schooljaar_id", "volgnummer"),
        een_van("status", Status),
        een_van("herkomst", Herkomst),
        # At most one concept and one version in force per school and schooljaar, also when two
        # people press the same button at once.
        Index("uq_afsprakenlijst_een_concept", "school_id", "schooljaar_id", unique=True,
              sqlite_where=text("status = 'concept'"),
              postgresql_where=text("status = 'concept'")),
        Index("uq_afsprakenlijst_een_vastgesteld", "school_id", "schooljaar_id", unique=True,
              sqlite_where=text("status = 'vastgesteld'"),
              postgresql_where=text("status = 'vastgesteld'")),
    )
    __audit__ = ("status", "akkoord_llz_naam", "akkoord_school_naam")

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    schooljaar_id: Mapped[int] = mapped_column(ForeignKey("schooljaar.id"), index=True)
    volgnummer: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=Status.CONCEPT)
    herkomst: Mapped[str] = mapped_column(String(12), default=Herkomst.NIEUW)
    akkoord_llz_door_id: Mapped[int | None] = mapped_column(
        ForeignKey("gebruiker.id", ondelete="SET NULL")
    )
    akkoord_llz_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The name at the time of the akkoord: it stays readable when the account is removed.
    akkoord_llz_naam: Mapped[str] = mapped_column(String(120), default="")
    akkoord_school_door_id: Mapped[int | None] = mapped_column(
        ForeignKey("gebruiker.id", ondelete="SET NULL")
    )
    akkoord_school_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    akkoord_school_naam: Mapped[str] = mapped_column(String(120), default="")
    vastgesteld_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    schooljaar = relationship("Schooljaar", lazy="joined")
    akkoord_llz_door = relationship("Gebruiker", foreign_keys=[akkoord_llz_door_id])
    akkoord_school_door = relationship("Gebruiker", foreign_keys=[akkoord_school_door_id])
    afspraken = relationship(
        "Afspraak",
        back_populates="lijst",
        order_by="(Afspraak.positie, Afspraak.id)",
        cascade="all, delete-orphan",
    )

    @property
    def status_enum(self) -> Status:
        """Status as enum."""
        return Status(self.status)

    @property
    def herkomst_enum(self) -> Herkomst:
        """Herkomst as enum."""
        return Herkomst(self.herkomst)

    @property
    def is_concept(self) -> bool:
        """True while the version can still be edited."""
        return self.status == Status.CONCEPT


class Afspraak(Versioned, Timestamped, db.Model):
    """One agreement in a version of the afsprakenlijst (a standard section or a free one)."""

    __tablename__ = "afspraak"
    __table_args__ = (een_van("wie", Wie),)
    __audit__ = ("titel", "tekst", "wie", "deadline", "positie")

    id: Mapped[int] = mapped_column(primary_key=True)
    lijst_id: Mapped[int] = mapped_column(
        ForeignKey("afsprakenlijst.id", ondelete="CASCADE"), index=True
    )
    # Denormalised so the audit trail and access checks need no join.
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    # Stable across versions, so two versions can be compared afspraak by afspraak.
    sleutel: Mapped[str] = mapped_column(String(32))
    sectie: Mapped[str] = mapped_column(String(20), default="vrij")
    titel: Mapped[str] = mapped_column(String(160))
    tekst: Mapped[str] = mapped_column(Text, default="")
    tekst_html: Mapped[str] = mapped_column(Text, default="")
    wie: Mapped[str] = mapped_column(String(6), default=Wie.BEIDEN)
    deadline: Mapped[date | None] = mapped_column(Date)
    positie: Mapped[int] = mapped_column(Integer, default=0)

    lijst = relationship("Afsprakenlijst", back_populates="afspraken")

    @property
    def wie_enum(self) -> Wie:
        """Wie as enum."""
        return Wie(self.wie)

    @property
    def is_vrij(self) -> bool:
        """True for a free agreement (not one of the standard sections)."""
        return self.sectie == "vrij"

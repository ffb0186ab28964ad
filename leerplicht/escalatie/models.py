"""Escalatieroutes (ordered steps per track) and the escalation log with its timeline."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Timestamped, Versioned, een_van, utcnow
from ..scholen.models import Contactrol, Kant


class Spoor(enum.StrEnum):
    """The two tracks of a route: the content of a case, and the cooperation itself."""

    INHOUD = "inhoud"
    SAMENWERKING = "samenwerking"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"inhoud": "Inhoud (casuïstiek)", "samenwerking": "Samenwerking"}[self.value]


class Routerol(enum.StrEnum):
    """Who takes part in a step, resolved to today's contact person of the school."""

    LLZ_CONTACT = "llz_contact"
    LLZ_VERVANGER = "llz_vervanger"
    TEAMLEIDER = "teamleider"
    SCHOOL_CONTACT = "school_contact"
    SCHOOL_VERVANGER = "school_vervanger"
    DIRECTEUR = "directeur"

    @property
    def label(self) -> str:
        """Dutch label."""
        if self is Routerol.TEAMLEIDER:
            return "Teamleider Leerlingzaken"
        return Contactrol(self.value).label

    @property
    def kant(self) -> Kant:
        """The side this role is on."""
        return Kant.LLZ if self in LLZ_ROLLEN else Kant.SCHOOL


LLZ_ROLLEN = (Routerol.LLZ_CONTACT, Routerol.LLZ_VERVANGER, Routerol.TEAMLEIDER)
SCHOOL_ROLLEN = (Routerol.SCHOOL_CONTACT, Routerol.SCHOOL_VERVANGER, Routerol.DIRECTEUR)


class Wijze(enum.StrEnum):
    """How the people of a step get in touch."""

    TELEFOON = "telefoon"
    OVERLEG = "overleg"
    EMAIL = "email"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"telefoon": "Telefonisch", "overleg": "In een overleg", "email": "Per e-mail"}[
            self.value
        ]


class Stapweergave:
    """The enum views of a route step, for stored steps and for the content file's."""

    @property
    def spoor_enum(self) -> Spoor:
        """Spoor as enum."""
        return Spoor(self.spoor)

    @property
    def llz_rol_enum(self) -> Routerol:
        """LLZ role as enum."""
        return Routerol(self.llz_rol)

    @property
    def school_rol_enum(self) -> Routerol:
        """School role as enum."""
        return Routerol(self.school_rol)

    @property
    def wijze_enum(self) -> Wijze:
        """Wijze as enum."""
        return Wijze(self.wijze)


class Routestap(Stapweergave, Versioned, Timestamped, db.Model):
    """One step of a route: a school's own (per schooljaar) or a sector's default."""

    __tablename__ = "routestap"
    __table_args__ = (
        # Either a school's step in a schooljaar, or a sector default: never both, never neither.
        CheckConstraint(
            "(school_id IS NULL AND schooljaar_id IS NULL AND sector IS NOT NULL) OR "
            "(school_id IS NOT NULL AND schooljaar_id IS NOT NULL AND sector IS NULL)",
            name="eigenaar",
        ),
        een_van("spoor", Spoor),
        een_van("llz_rol", LLZ_ROLLEN),
        een_van("school_rol", SCHOOL_ROLLEN),
        een_van("wijze", Wijze),
        CheckConstraint("termijn_werkdagen BETWEEN 1 AND 60", name="termijn"),
    )
    __audit__ = ("llz_rol", "school_rol", "wijze", "termijn_werkdagen", "toelichting", "positie")

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), index=True
    )
    schooljaar_id: Mapped[int | None] = mapped_column(ForeignKey("schooljaar.id"), index=True)
    sector: Mapped[str | None] = mapped_column(String(3), index=True)
    spoor: Mapped[str] = mapped_column(String(14))
    positie: Mapped[int] = mapped_column(Integer, default=0)
    llz_rol: Mapped[str] = mapped_column(String(20))
    school_rol: Mapped[str] = mapped_column(String(20))
    wijze: Mapped[str] = mapped_column(String(10), default=Wijze.TELEFOON)
    termijn_werkdagen: Mapped[int] = mapped_column(Integer, default=5)
    toelichting: Mapped[str] = mapped_column(String(300), default="")


class Escalatie(Versioned, Timestamped, db.Model):
    """A case or a cooperation problem that got stuck, followed along the school's route."""

    __tablename__ = "escalatie"
    __table_args__ = (
        een_van("spoor", Spoor),
        CheckConstraint("geopend_door_kant IN ('llz', 'school', '')", name="kant"),
        CheckConstraint("niveau >= 1", name="niveau"),
        een_van("stap_llz_rol", LLZ_ROLLEN),
        een_van("stap_school_rol", SCHOOL_ROLLEN),
        CheckConstraint("opgelost_op IS NULL OR opgelost_op >= geopend_op", name="opgelost"),
    )
    __audit__ = ("onderwerp", "niveau", "stap_sinds", "opgelost_op", "uitkomst")

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    schooljaar_id: Mapped[int] = mapped_column(ForeignKey("schooljaar.id"), index=True)
    spoor: Mapped[str] = mapped_column(String(14))
    # Short and without pupil data: the case itself lives in LLZ's case system.
    onderwerp: Mapped[str] = mapped_column(String(160))
    geopend_op: Mapped[date] = mapped_column(Date)
    geopend_door_naam: Mapped[str] = mapped_column(String(120), default="")
    geopend_door_kant: Mapped[str] = mapped_column(String(6), default="")
    # The step the escalation is at now (1 = first), with its roles and termijn as they were
    # when the step began: a later change of the route does not move a running deadline.
    niveau: Mapped[int] = mapped_column(Integer, default=1)
    stap_sinds: Mapped[date] = mapped_column(Date)
    stap_termijn: Mapped[int] = mapped_column(Integer)
    stap_llz_rol: Mapped[str] = mapped_column(String(20))
    stap_school_rol: Mapped[str] = mapped_column(String(20))
    opgelost_op: Mapped[date | None] = mapped_column(Date, index=True)
    uitkomst: Mapped[str] = mapped_column(Text, default="")

    gebeurtenissen = relationship(
        "Escalatiegebeurtenis",
        order_by="(Escalatiegebeurtenis.datum, Escalatiegebeurtenis.id)",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def spoor_enum(self) -> Spoor:
        """Spoor as enum."""
        return Spoor(self.spoor)

    @property
    def is_open(self) -> bool:
        """True until the escalation is resolved."""
        return self.opgelost_op is None


class Escalatiegebeurtenis(db.Model):
    """One entry of an escalation's timeline: opened, stepped up, resolved."""

    __tablename__ = "escalatiegebeurtenis"
    __table_args__ = (
        CheckConstraint("soort IN ('geopend', 'opgeschaald', 'opgelost')", name="soort"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    escalatie_id: Mapped[int] = mapped_column(
        ForeignKey("escalatie.id", ondelete="CASCADE"), index=True
    )
    soort: Mapped[str] = mapped_column(String(12))  # geopend | opgeschaald | opgelost
    datum: Mapped[date] = mapped_column(Date)
    niveau: Mapped[int] = mapped_column(Integer)
    door_naam: Mapped[str] = mapped_column(String(120), default="")
    toelichting: Mapped[str] = mapped_column(Text, default="")
    vastgelegd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def label(self) -> str:
        """Dutch description of the event."""
        return {"geopend": "Geopend", "opgeschaald": f"Opgeschaald naar stap {self.niveau}",
                "opgelost": "Opgelost"}[self.soort]

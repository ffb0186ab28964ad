"""Users, roles and login attempts."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Timestamped, Versioned, een_van, utcnow


class Rol(enum.StrEnum):
    """What a user may do; see policy.py for the rules."""

    BEHEERDER = "beheerder"
    LLZ = "llz"
    SCHOOL = "school"

    @property
    def label(self) -> str:
        """Dutch label for the UI."""
        return {"beheerder": "Beheerder", "llz": "Leerlingzaken", "school": "School"}[self.value]


gebruiker_school = Table(
    "gebruiker_school",
    db.metadata,
    Column("gebruiker_id", ForeignKey("gebruiker.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", ForeignKey("school.id", ondelete="CASCADE"), primary_key=True),
)


class Gebruiker(UserMixin, Versioned, Timestamped, db.Model):
    """A person who logs in: beheerder, LLZ contact person or school contact person."""

    __tablename__ = "gebruiker"
    __table_args__ = (een_van("rol", Rol),)
    __audit__ = ("email", "naam", "rol", "actief", "contactpersoon_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    naam: Mapped[str] = mapped_column(String(120))
    rol: Mapped[str] = mapped_column(String(20))
    wachtwoord_hash: Mapped[str] = mapped_column(String(255))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped at logout and password change: every older session cookie stops working.
    sessie_versie: Mapped[int] = mapped_column(Integer, default=1)
    laatst_ingelogd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    contactpersoon_id: Mapped[int | None] = mapped_column(
        ForeignKey("contactpersoon.id", ondelete="SET NULL")
    )

    contactpersoon = relationship("Contactpersoon", lazy="joined")
    # Loaded when used (school users): LLZ staff never need it on a page.
    scholen = relationship("School", secondary=gebruiker_school, order_by="School.naam")

    @property
    def rol_enum(self) -> Rol:
        """The role as enum."""
        return Rol(self.rol)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return self.actief

    def get_id(self) -> str:
        """Session identifier: id and session version, so a bumped version logs the cookie out."""
        return f"{self.id}:{self.sessie_versie}"


class Inlogpoging(db.Model):
    """One login attempt; counted in the database so throttling works across workers."""

    __tablename__ = "inlogpoging"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    gelukt: Mapped[bool] = mapped_column(Boolean, default=False)

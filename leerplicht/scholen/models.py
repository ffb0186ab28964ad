"""Schools, contact persons and who holds which contact role at a school (with history)."""

import enum
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, and_, func, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Timestamped, Versioned


class Sector(enum.StrEnum):
    """Kind of school; the sector decides the presence norm and the default routes."""

    PO = "PO"
    SO = "SO"
    VO = "VO"
    VSO = "VSO"
    MBO = "MBO"

    @property
    def label(self) -> str:
        """Dutch description for the UI."""
        return {
            "PO": "Primair onderwijs",
            "SO": "Speciaal onderwijs",
            "VO": "Voortgezet onderwijs",
            "VSO": "Voortgezet speciaal onderwijs",
            "MBO": "Middelbaar beroepsonderwijs",
        }[self.value]


class Kant(enum.StrEnum):
    """Which side a contact person works for."""

    LLZ = "llz"
    SCHOOL = "school"


class Contactrol(enum.StrEnum):
    """The fixed roles a contact person can hold at one school."""

    LLZ_CONTACT = "llz_contact"
    LLZ_VERVANGER = "llz_vervanger"
    SCHOOL_CONTACT = "school_contact"
    SCHOOL_VERVANGER = "school_vervanger"
    DIRECTEUR = "directeur"

    @property
    def label(self) -> str:
        """Dutch label for the UI."""
        return CONTACTROL_LABELS[self]

    @property
    def kant(self) -> Kant:
        """The side this role belongs to."""
        return Kant.LLZ if self.value.startswith("llz") else Kant.SCHOOL


CONTACTROL_LABELS = {
    Contactrol.LLZ_CONTACT: "Contactpersoon Leerlingzaken",
    Contactrol.LLZ_VERVANGER: "Vervanger Leerlingzaken",
    Contactrol.SCHOOL_CONTACT: "Contactpersoon school",
    Contactrol.SCHOOL_VERVANGER: "Vervanger school",
    Contactrol.DIRECTEUR: "(Locatie)directeur",
}


class School(Versioned, Timestamped, db.Model):
    """One school location (vestiging)."""

    __tablename__ = "school"
    __audit__ = ("naam", "code", "sector", "straat", "postcode", "plaats", "bestuur", "actief")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    naam: Mapped[str] = mapped_column(String(160), index=True)
    sector: Mapped[str] = mapped_column(String(3), index=True)
    straat: Mapped[str] = mapped_column(String(160), default="")
    postcode: Mapped[str] = mapped_column(String(7), default="")
    plaats: Mapped[str] = mapped_column(String(80), default="")
    bestuur: Mapped[str] = mapped_column(String(160), default="")
    actief: Mapped[bool] = mapped_column(Boolean, default=True)

    # The contact roles in force today (planned changes and history are left out).
    toewijzingen = relationship(
        "Toewijzing",
        primaryjoin=lambda: and_(School.id == Toewijzing.school_id, Toewijzing.actueel()),
        viewonly=True,
        order_by="Toewijzing.rol",
    )

    @property
    def sector_enum(self) -> Sector:
        """The sector as enum."""
        return Sector(self.sector)

    def contact(self, rol: Contactrol):
        """The contact person currently holding rol here, or None (needs toewijzingen loaded)."""
        for toewijzing in self.toewijzingen:
            if toewijzing.rol == rol:
                return toewijzing.contactpersoon
        return None


class Contactpersoon(Timestamped, db.Model):
    """A named person on the LLZ or school side, reachable by e-mail and phone."""

    __tablename__ = "contactpersoon"
    __audit__ = ("naam", "kant", "functie", "email", "telefoon", "teamleider", "actief")

    id: Mapped[int] = mapped_column(primary_key=True)
    naam: Mapped[str] = mapped_column(String(120))
    kant: Mapped[str] = mapped_column(String(6))
    functie: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    telefoon: Mapped[str] = mapped_column(String(20), default="")
    # Exactly one LLZ contact person is the team leader: the LLZ side of the rode knop.
    teamleider: Mapped[bool] = mapped_column(Boolean, default=False)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)


class Toewijzing(Timestamped, db.Model):
    """A contact person holding a role at a school from `vanaf` up to (not including) `tot`."""

    __tablename__ = "toewijzing"
    __audit__ = ("contactpersoon_id", "rol", "vanaf", "tot", "reden", "warme_overdracht_op")

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    contactpersoon_id: Mapped[int] = mapped_column(ForeignKey("contactpersoon.id"), index=True)
    rol: Mapped[str] = mapped_column(String(20))
    vanaf: Mapped[date] = mapped_column(Date)
    tot: Mapped[date | None] = mapped_column(Date, index=True)
    aangekondigd_op: Mapped[date | None] = mapped_column(Date)
    warme_overdracht_op: Mapped[date | None] = mapped_column(Date)
    reden: Mapped[str] = mapped_column(Text, default="")

    school = relationship("School")
    contactpersoon = relationship("Contactpersoon", lazy="joined")

    @property
    def rol_enum(self) -> Contactrol:
        """The role as enum."""
        return Contactrol(self.rol)

    @classmethod
    def actueel(cls):
        """SQL condition: this assignment is in force today."""
        today = func.current_date()
        return and_(cls.vanaf <= today, or_(cls.tot.is_(None), cls.tot > today))

"""Schools, contact persons and who holds which contact role at a school (with history)."""

import enum
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    and_,
    func,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Timestamped, Versioned, een_van


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


# The schools a school-side contact person works for. A school sees and picks only its own
# people; LLZ can link one person to several schools of a bestuur. LLZ people have no rows here:
# they are shared by all schools.
contactpersoon_school = Table(
    "contactpersoon_school",
    db.metadata,
    Column("contactpersoon_id", ForeignKey("contactpersoon.id", ondelete="CASCADE"),
           primary_key=True),
    Column("school_id", ForeignKey("school.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class School(Versioned, Timestamped, db.Model):
    """One school location (vestiging)."""

    __tablename__ = "school"
    __table_args__ = (een_van("sector", Sector),)
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
    __table_args__ = (
        een_van("kant", Kant),
        CheckConstraint("kant = 'llz' OR NOT teamleider", name="teamleider_llz"),
        # At most one team leader: the rode knop must name one person, not pick among several.
        Index("uq_contactpersoon_een_teamleider", "teamleider", unique=True,
              sqlite_where=text("teamleider = 1"), postgresql_where=text("teamleider")),
    )
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

    scholen = relationship("School", secondary=contactpersoon_school, order_by="School.naam")


class Toewijzing(Timestamped, db.Model):
    """A contact person holding a role at a school from `vanaf` up to (not including) `tot`."""

    __tablename__ = "toewijzing"
    __table_args__ = (
        een_van("rol", Contactrol),
        CheckConstraint("tot IS NULL OR tot > vanaf", name="periode"),
        # One holder per school and role at a time: a change ends the previous assignment, so
        # only the newest one is open-ended.
        Index("uq_toewijzing_open_rol", "school_id", "rol", unique=True,
              sqlite_where=text("tot IS NULL"), postgresql_where=text("tot IS NULL")),
    )
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

"""Schooljaren: 1 August to 31 July, written 2026-2027; one of them is the current one."""

import calendar
import re
from datetime import date

from sqlalchemy import Boolean, Date, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

NAAM_PATROON = re.compile(r"^(\d{4})-(\d{4})$")


class Schooljaar(db.Model):
    """One schooljaar; `huidig` marks the one the app works in by default."""

    __tablename__ = "schooljaar"
    __table_args__ = (
        Index(
            "uq_schooljaar_een_huidig",
            "huidig",
            unique=True,
            sqlite_where=db.text("huidig = 1"),
            postgresql_where=db.text("huidig"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    naam: Mapped[str] = mapped_column(String(9), unique=True)
    begin: Mapped[date] = mapped_column(Date)
    eind: Mapped[date] = mapped_column(Date)
    huidig: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def startjaar(self) -> int:
        """The calendar year in which this schooljaar starts."""
        return self.begin.year


def grenzen(naam: str) -> tuple[date, date]:
    """Return (1 August, 31 July) of a schooljaar written as 2026-2027; ValueError otherwise."""
    match = NAAM_PATROON.match(naam or "")
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ValueError(f"'{naam}' is geen schooljaar; schrijf het als 2026-2027.")
    start = int(match[1])
    return date(start, 8, 1), date(start + 1, 7, 31)


def naam_voor_datum(dag: date) -> str:
    """Return the name of the schooljaar that contains dag."""
    start = dag.year if dag.month >= 8 else dag.year - 1
    return f"{start}-{start + 1}"


def maak_schooljaar(naam: str, huidig: bool = False) -> Schooljaar:
    """Build (not add) a Schooljaar from its name."""
    begin, eind = grenzen(naam)
    return Schooljaar(naam=naam, begin=begin, eind=eind, huidig=huidig)


def huidig_schooljaar() -> Schooljaar | None:
    """Return the schooljaar marked current, or None in an empty database."""
    return db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).first()


# Functions (van, naar) -> int that carry an area's data into a newly opened schooljaar.
JAAROVERGANG: dict[str, object] = {}


def registreer_jaarovergang(naam: str, functie) -> None:
    """Let an area carry its data over when the next schooljaar is opened (idempotently)."""
    JAAROVERGANG[naam] = functie


def plus_maanden(dag: date, maanden: int) -> date:
    """The same day `maanden` months later (clamped to the month's last day)."""
    month_index = dag.month - 1 + maanden
    year, month = dag.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(dag.day, calendar.monthrange(year, month)[1]))

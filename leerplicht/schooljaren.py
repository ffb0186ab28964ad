"""Schooljaren: 1 August to 31 July, written 2026-2027; one of them is the current one."""

import calendar
import re
from datetime import date

from flask import abort, g, has_request_context, request
from sqlalchemy import Boolean, Date, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

NAAM_PATROON = re.compile(r"([0-9]{4})-([0-9]{4})")


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


def grenzen(naam: str) -> tuple[date, date]:
    """Return (1 August, 31 July) of a schooljaar written as 2026-2027; ValueError otherwise."""
    match = NAAM_PATROON.fullmatch(naam or "")
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


def huidig_of_404() -> Schooljaar:
    """The current schooljaar, or 404 when none is set (an empty database)."""
    schooljaar = next((jaar for jaar in alle_schooljaren() if jaar.huidig), None)
    if schooljaar is None:
        abort(404)
    return schooljaar


def gekozen_schooljaar() -> Schooljaar:
    """The schooljaar a page shows: ?schooljaar=2025-2026, else the current one; 404 if unknown.

    Pages that show one schooljaar read it here, so every such page can show earlier years.
    """
    naam = request.args.get("schooljaar", "")
    if not naam:
        return huidig_of_404()
    schooljaar = next((jaar for jaar in alle_schooljaren() if jaar.naam == naam), None)
    if schooljaar is None:
        abort(404)
    return schooljaar


def alle_schooljaren() -> list[Schooljaar]:
    """Every schooljaar, newest first (read once per request: the page's schooljaar choice,
    the chosen and the current schooljaar all come from this list)."""
    if has_request_context() and "schooljaren" in g:
        return g.schooljaren
    jaren = list(db.session.scalars(select(Schooljaar).order_by(Schooljaar.begin.desc())))
    if has_request_context():
        g.schooljaren = jaren
    return jaren


def jaar_args(schooljaar: Schooljaar) -> dict:
    """URL arguments that keep a link on its schooljaar (none for the current one)."""
    return {} if schooljaar.huidig else {"schooljaar": schooljaar.naam}


def schooljaar_met_id(schooljaar_id: int) -> Schooljaar:
    """A schooljaar by id, from the list read once per request."""
    return next(jaar for jaar in alle_schooljaren() if jaar.id == schooljaar_id)


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

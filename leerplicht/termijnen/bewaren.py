"""Retention of the registers: how long rows are kept, and removing the older ones (purge)."""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select

from ..audit import Auditregel
from ..extensions import db
from ..schooljaren import Schooljaar, plus_maanden
from .models import Instelling
from .opslag import REGISTERS

SLEUTEL = "bewaartermijn_maanden"
STANDAARD_MAANDEN = 60
MINIMUM_MAANDEN, MAXIMUM_MAANDEN = 12, 240


class Bewaarfout(Exception):
    """A purge that would remove rows still inside the retention period."""


@dataclass(frozen=True)
class Telling:
    """How many rows of a register in a schooljaar begin before the date."""

    register: str
    schooljaar: str
    aantal: int


def bewaartermijn() -> int:
    """The retention in months (the beheerder's setting, else 60)."""
    waarde = db.session.scalar(select(Instelling.waarde).where(Instelling.sleutel == SLEUTEL))
    if waarde and re.fullmatch(r"[0-9]{1,3}", waarde):
        return max(MINIMUM_MAANDEN, min(MAXIMUM_MAANDEN, int(waarde)))
    return STANDAARD_MAANDEN


def zet_bewaartermijn(maanden: int) -> None:
    """Store the retention in months (flushes; the caller commits)."""
    instelling = db.session.scalars(
        select(Instelling).where(Instelling.sleutel == SLEUTEL)).one_or_none()
    if instelling is None:
        db.session.add(Instelling(sleutel=SLEUTEL, waarde=str(maanden)))
    elif instelling.waarde != str(maanden):
        instelling.waarde = str(maanden)
    db.session.flush()


def uiterste_datum(vandaag: date | None = None, maanden: int | None = None) -> date:
    """The latest date a purge may use: today minus the retention."""
    return plus_maanden(vandaag or date.today(), -(maanden or bewaartermijn()))


def tellingen(voor: date) -> list[Telling]:
    """Per register and schooljaar: how many rows begin before `voor` (only non-zero counts)."""
    result = []
    for register, (model, begin) in REGISTERS.items():
        rijen = db.session.execute(
            select(Schooljaar.naam, func.count(model.id))
            .join(Schooljaar, Schooljaar.id == model.schooljaar_id)
            .where(begin < voor)
            .group_by(Schooljaar.naam)
            .order_by(Schooljaar.naam))
        result += [Telling(register, naam, aantal) for naam, aantal in rijen]
    return result


def aantal_ouder_dan(voor: date) -> int:
    """How many register rows (all three registers) begin before `voor`."""
    return sum(telling.aantal for telling in tellingen(voor))


def controleer_datum(voor: date, vandaag: date | None = None) -> None:
    """Refuse a purge date inside the retention period."""
    maanden = bewaartermijn()
    grens = uiterste_datum(vandaag, maanden)
    if voor > grens:
        raise Bewaarfout(
            f"Deze rijen vallen nog binnen de bewaartermijn van {maanden} maanden. Kies een "
            f"datum op of vóór {grens:%d-%m-%Y}.")


def schoon_op(voor: date, gebruiker_id: int | None = None,
              vandaag: date | None = None) -> dict[str, int]:
    """Remove every register row that begins before `voor`, with one audit row per register.

    Commits. Returns the number of removed rows per register. Bewaarfout inside the retention.
    """
    controleer_datum(voor, vandaag)
    verwijderd = {}
    for register, (model, begin) in REGISTERS.items():
        aantal = db.session.execute(
            delete(model).where(begin < voor).execution_options(synchronize_session=False)
        ).rowcount
        verwijderd[register] = aantal
        db.session.add(Auditregel(
            gebruiker_id=gebruiker_id, tabel=model.__tablename__, record_id=0, school_id=None,
            actie="opgeschoond", veld="aantal", oud="",
            nieuw=f"{aantal} rijen met begindatum vóór {voor:%d-%m-%Y}"))
    db.session.commit()
    return verwijderd

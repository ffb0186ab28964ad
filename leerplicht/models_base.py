"""Shared model building blocks: timestamps, optimistic locking, ordered records."""

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    """Return the current time in UTC (stored naive-free, timezone-aware)."""
    return datetime.now(UTC)


class Versioned:
    """Optimistic locking: SQLAlchemy bumps `versie` on every UPDATE and refuses a stale one."""

    versie: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - SQLAlchemy passes the class
        return {"version_id_col": cls.versie}


class Timestamped:
    """Creation and modification times."""

    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    gewijzigd_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


def een_van(kolom: str, waarden) -> CheckConstraint:
    """A CHECK constraint keeping an enum-like text column to the values of an enum."""
    lijst = ", ".join(f"'{waarde.value}'" for waarde in waarden)
    return CheckConstraint(f"{kolom} IN ({lijst})", name=kolom)


def verplaats(volgorde: list, item, richting: str) -> bool:
    """Move item one place up ('omhoog') or down in an ordered list and renumber `positie`.

    Only records whose position changes are touched, so only they get a new version. Returns
    False when the item is already first or last.
    """
    index = volgorde.index(item)
    doel = index - 1 if richting == "omhoog" else index + 1
    if not 0 <= doel < len(volgorde):
        return False
    volgorde[index], volgorde[doel] = volgorde[doel], volgorde[index]
    for positie, record in enumerate(volgorde):
        if record.positie != positie:
            record.positie = positie
    return True

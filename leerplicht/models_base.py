"""Shared model building blocks: timestamps, optimistic locking, enum-like string columns."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer
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

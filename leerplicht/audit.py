"""Audit trail: every change to an audited model is recorded (who, when, what, old -> new)."""

from datetime import datetime

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .extensions import db
from .models_base import utcnow


class Auditregel(db.Model):
    """One changed field (or a created/deleted record) of an audited model."""

    __tablename__ = "auditregel"

    id: Mapped[int] = mapped_column(primary_key=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(
        ForeignKey("gebruiker.id", ondelete="SET NULL")
    )
    tabel: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    # The school a change belongs to, so the dossier history is one indexed query.
    school_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actie: Mapped[str] = mapped_column(String(12))
    veld: Mapped[str] = mapped_column(String(60), default="")
    oud: Mapped[str] = mapped_column(Text, default="")
    nieuw: Mapped[str] = mapped_column(Text, default="")

    gebruiker = relationship("Gebruiker", lazy="joined")


def _actor_id() -> int | None:
    """The logged-in user making the change, or None for CLI and system changes."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def _school_id(obj) -> int | None:
    """The school an audited record belongs to, if any."""
    if type(obj).__tablename__ == "school":
        return obj.id
    return getattr(obj, "school_id", None)


def _text(value) -> str:
    """Render a value for the audit trail."""
    return "" if value is None else str(value)


def _pending(session: Session):
    """Yield (obj, action) for audited objects about to be flushed."""
    for obj in session.new:
        if getattr(obj, "__audit__", None):
            yield obj, "aangemaakt"
    for obj in session.dirty:
        if getattr(obj, "__audit__", None) and session.is_modified(obj):
            yield obj, "gewijzigd"
    for obj in session.deleted:
        if getattr(obj, "__audit__", None):
            yield obj, "verwijderd"


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _context, _instances):
    """Remember the field changes before the flush; ids of new records exist only after it."""
    pending = session.info.setdefault("audit_pending", [])
    for obj, action in _pending(session):
        if action == "gewijzigd":
            state = inspect(obj)
            for field in obj.__audit__:
                history = state.attrs[field].history
                if history.has_changes():
                    old = history.deleted[0] if history.deleted else None
                    new = history.added[0] if history.added else None
                    if old != new:
                        pending.append((obj, action, field, _text(old), _text(new)))
        else:
            pending.append((obj, action, "", "", ""))


@event.listens_for(Session, "after_flush")
def _write(session: Session, _context):
    """Write the collected audit rows in the same transaction as the change."""
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    actor = _actor_id()
    rows = [
        {
            "tijdstip": utcnow(),
            "gebruiker_id": actor,
            "tabel": type(obj).__tablename__,
            "record_id": obj.id,
            "school_id": _school_id(obj),
            "actie": action,
            "veld": field,
            "oud": old,
            "nieuw": new,
        }
        for obj, action, field, old, new in pending
    ]
    session.connection().execute(Auditregel.__table__.insert(), rows)

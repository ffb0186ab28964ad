"""Rendering helpers: full page or htmx partial, decided in one place from the HX-Request header."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import render_template, request

VALIDATION_FAILED = 422  # htmx is configured (base.html) to swap 422 and 409 responses
CONFLICT = 409


def is_htmx() -> bool:
    """True for an htmx request that wants a fragment (not a boosted full-page navigation)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def render(page: str, partial: str | None = None, status: int = 200, **context):
    """Render `page`, or only `partial` (with the same context) when htmx asks for a fragment."""
    template = partial if partial and is_htmx() else page
    return render_template(template, **context), status


TIJDZONE = ZoneInfo("Europe/Amsterdam")


def lokale_tijd(moment: datetime) -> datetime:
    """A stored moment in Dutch local time (SQLite gives it back without zone: it is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TIJDZONE)


def datum(value: date | datetime | None) -> str:
    """Jinja filter: 23-11-2026 (a moment is first taken in Dutch local time)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = lokale_tijd(value)
    return value.strftime("%d-%m-%Y")


def tijdstip(value: datetime | None) -> str:
    """Jinja filter: 23-11-2026 14:05 in Dutch local time."""
    if value is None:
        return "–"
    return lokale_tijd(value).strftime("%d-%m-%Y %H:%M")

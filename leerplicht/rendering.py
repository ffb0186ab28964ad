"""Rendering helpers: full page or htmx partial, decided in one place from the HX-Request header."""

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

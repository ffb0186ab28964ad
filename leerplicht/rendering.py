"""Rendering helpers: full page or htmx partial, decided in one place from the HX-Request header."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import make_response, render_template, request
from markupsafe import Markup, escape

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


def herladen(status: int, tekst: str = ""):
    """htmx answer when the page itself is out of date: reload it whole (HX-Refresh)."""
    response = make_response(tekst, status)
    response.headers["HX-Refresh"] = "true"
    return response


# The flash area of base.html. Every htmx fragment also carries it out of band, so messages on
# the page are always the ones of the last action: a flash shown by an earlier full page does not
# stay above an htmx result, and a flash made during an htmx request is shown now, not later.
MELDINGEN_ID = "meldingen"  # the id in templates/_meldingen.html
GESWAPT = {200, CONFLICT, VALIDATION_FAILED}  # the statuses htmx swaps (base.html)


def meldingen_html(oob: bool = False) -> str:
    """The flash area with the flashed messages (consumed); out of band for an htmx answer."""
    return render_template("_meldingen.html", oob=oob)


def meldingen_bijwerken(response):
    """after_request: add the current flash area, out of band, to every htmx HTML fragment.

    Redirects and htmx navigation headers (HX-Redirect, HX-Refresh, HX-Location) are left
    alone: the page they lead to shows the messages. So is a fragment that already holds the
    flash area (a full page sent to htmx), which would otherwise get it twice.
    """
    if (
        not is_htmx()
        or response.status_code not in GESWAPT
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or response.is_streamed
        or any(h in response.headers for h in ("HX-Redirect", "HX-Refresh", "HX-Location"))
    ):
        return response
    body = response.get_data(as_text=True)
    if f'id="{MELDINGEN_ID}"' in body:
        return response
    response.set_data(body + meldingen_html(oob=True))
    return response


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


_SCHUINE_STREPEN = re.compile(r"/+")


def afbreekbaar(value: str | None) -> Markup:
    """Jinja filter: the text escaped, with <wbr> after @ and / and before . so addresses wrap.

    Escaping first is safe: an escaped entity (&lt; &#39; …) holds no @, . or /. Plain string
    replacement, because the export calls this ~17 times per dossier page.
    """
    tekst = str(escape(str(value or "")))
    tekst = tekst.replace("@", "@<wbr>").replace(".", "<wbr>.")
    if "/" in tekst:
        tekst = _SCHUINE_STREPEN.sub(lambda m: m.group(0) + "<wbr>", tekst)
    return Markup(tekst)

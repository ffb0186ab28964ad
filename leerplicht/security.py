"""HTTP security: Content-Security-Policy and friends, CSRF failures, Dutch error pages."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from .rendering import herladen, is_htmx

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HSTS = "max-age=31536000; includeSubDomains"

FOUTEN = {
    400: ("Verzoek niet begrepen", "Het verzoek kon niet worden verwerkt."),
    403: ("Geen toegang", "U hebt geen toegang tot deze pagina of actie."),
    404: ("Niet gevonden", "Deze pagina bestaat niet, of u hebt er geen toegang toe."),
    405: ("Niet toegestaan", "Deze actie kan niet op deze manier worden uitgevoerd."),
    409: ("Gelijktijdig gewijzigd", "Iemand anders heeft dit tegelijk met u gewijzigd."),
    413: ("Te groot", "Wat u verstuurde is te groot."),
    500: ("Er ging iets mis", "Er ging aan onze kant iets mis. Probeer het later opnieuw."),
}


def set_security_headers(response):
    """after_request: strict CSP, no sniffing, no framing, no referrer leaks, no caching."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        # Served over HTTPS (directly, or behind a trusted proxy that says so: ProxyFix):
        # browsers must not come back over plain HTTP for a year.
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint != "static":
        # Dossier pages must not stay in shared caches or the back-button cache after logout.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def error_page(status: int, message: str | None = None):
    """Render the Dutch error page for status."""
    title, text = FOUTEN.get(status, FOUTEN[500])
    return render_template("fout.html", titel=title, tekst=message or text, status=status), status


def handle_csrf_error(error: CSRFError):
    """A missing or expired CSRF token: reload the page for htmx, explain otherwise."""
    text = (
        "Uw sessie is verlopen of het formulier is te lang open geweest. "
        "Laad de pagina opnieuw en probeer het nog eens."
    )
    if is_htmx():
        return herladen(400, text)
    return error_page(400, text)


def _request_texts():
    """Every piece of text the client chose: the path, and each key and value of query and form."""
    yield request.path
    for multidict in (request.args, request.form):
        for key, values in multidict.lists():
            yield key
            yield from values
    for key, upload in request.files.items(multi=True):
        yield key
        yield upload.filename or ""


def refuse_nul_bytes():
    """before_request: refuse input with a NUL character (PostgreSQL cannot store it), and a
    form whose field names the multipart parser could not read (it gives None for a name
    with a line break or a trailing backslash; CSRF and the views would fail on it)."""
    texts = list(_request_texts())
    if any(text is None for text in texts):
        return error_page(
            400, "Het formulier kon niet worden gelezen: een veldnaam is ongeldig. Laad de "
            "pagina opnieuw en probeer het nog eens."
        )
    if any("\x00" in text for text in texts):
        return error_page(
            400, "Uw invoer bevat een ongeldig teken (NUL). Verwijder het en probeer het opnieuw."
        )
    return None


def register(app: Flask) -> None:
    """Bind the headers and error handlers to the app."""
    # First of all hooks (also before CSRF and the policy, which loads the user and the school
    # of the URL): a NUL in a path segment or a key must not reach PostgreSQL (DataError, a 500).
    # The session cookie needs no check: it is signed, so its content is our own.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul_bytes)
    app.after_request(set_security_headers)
    app.register_error_handler(CSRFError, handle_csrf_error)
    for status in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(status, lambda error, status=status: error_page(status))

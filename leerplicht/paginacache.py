"""Rendered page parts, kept in each worker process until the data or the day changes.

A page keeps the expensive part of its HTML (the dossier body, an afsprakenlijst, the task
list of the start page) under a key of everything that part shows: the school, the
schooljaar, what the user may do there. To that key come the date and the data version: a
random token in the one row of the table `dataversie`, replaced by every commit that wrote
anything (as the last statement of that transaction, so it never waits in the middle of one).
Reading the token is one query per request; a part is therefore never older than the last
committed write, in whichever worker process it was made, and a database restored from a
backup brings its own token with it. Nothing is shared between processes and nothing is
written: a restart starts empty.

CSRF tokens belong to a session, never to a cached part: while a part is rendered,
`csrf_token()` gives a placeholder that each answer replaces by the user's own token, and a
part that holds a real token anyway (a WTForms form built inside it) is not kept.

`LEERPLICHT_PAGINACACHE=0` turns it off; `PAGINACACHE_GROOTTE` parts are kept per process.
"""

import re
import secrets
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date
from threading import Lock

from flask import Flask, current_app, g, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import String, TextClause, event, select, update
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

# The pages with a cached part: their requests read the data version before anything else.
PAGINAS = frozenset({"scholen.dossier", "afspraken.lijst", "home.index"})

# While a part is being rendered for the cache, csrf_token() in a template gives this.
PLAATSHOUDER = f"csrf-{secrets.token_hex(16)}"
_in_deel: ContextVar[bool] = ContextVar("paginacache_in_deel", default=False)
_GEWIJZIGD = "leerplicht_gewijzigd"  # Session.info: this transaction wrote something
_LEZEN = re.compile(r"\s*SELECT\s", re.IGNORECASE)  # text() that only reads
# Tables no kept part shows: writing only these keeps the token (a failed login must not
# empty every cache; the fuzz suite checks that a refused login changes nothing else).
ONGEZIEN = frozenset({"inlogpoging"})


class Dataversie(db.Model):
    """One row: the token of the data as it stands; every writing commit gives a new one."""

    __tablename__ = "dataversie"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), nullable=False)


# A new database (db.create_all in tests and `leerplicht db upgrade`'s migration) has the row.
event.listen(
    Dataversie.__table__,
    "after_create",
    lambda target, connection, **_kw: connection.execute(
        target.insert().values(id=1, token=secrets.token_hex(16))
    ),
)


# --- marking writes and renewing the token -------------------------------------------------

def _markeer(session) -> None:
    session.info[_GEWIJZIGD] = True


def _voor_flush(session, _flush_context, _instances) -> None:
    if any(getattr(record, "__tablename__", None) not in ONGEZIEN
           for record in (*session.new, *session.dirty, *session.deleted)):
        _markeer(session)


def _bij_uitvoeren(state) -> None:
    # session.execute(insert/update/delete, or text that is not a plain SELECT) may write.
    if state.is_select:
        return
    if isinstance(state.statement, TextClause) and _LEZEN.match(state.statement.text):
        return
    if getattr(getattr(state.statement, "table", None), "name", None) in ONGEZIEN:
        return
    _markeer(state.session)


def _voor_commit(session) -> None:
    """Renew the token when this transaction wrote (flushing what is still pending first)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    if session.info.pop(_GEWIJZIGD, False):
        # Over the connection: not an ORM execute, so it does not mark the session again.
        session.connection().execute(
            update(Dataversie.__table__).values(token=secrets.token_hex(16))
        )


def _einde_transactie(session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: committed or rolled back
        session.info.pop(_GEWIJZIGD, None)


def _luister(session_class) -> None:
    event.listen(session_class, "before_flush", _voor_flush)
    event.listen(session_class, "do_orm_execute", _bij_uitvoeren)
    event.listen(session_class, "before_commit", _voor_commit)
    event.listen(session_class, "after_transaction_end", _einde_transactie)


# --- the cache ------------------------------------------------------------------------------

class _Cache:
    """A bounded least-recently-used mapping, safe for threaded workers."""

    def __init__(self, grootte: int):
        self.grootte = grootte
        self.delen: OrderedDict[tuple, str] = OrderedDict()
        self.lock = Lock()

    def get(self, sleutel: tuple) -> str | None:
        with self.lock:
            html = self.delen.get(sleutel)
            if html is not None:
                self.delen.move_to_end(sleutel)
            return html

    def put(self, sleutel: tuple, html: str) -> None:
        with self.lock:
            self.delen[sleutel] = html
            self.delen.move_to_end(sleutel)
            while len(self.delen) > self.grootte:
                self.delen.popitem(last=False)


_TOKEN = select(Dataversie.__table__.c.token).where(Dataversie.__table__.c.id == 1)


def dataversie() -> str | None:
    """The token of the data now (one query, once per request); None without the row."""
    if "leerplicht_dataversie" not in g:
        # Over the session's connection (its transaction), without the ORM's work per query.
        g.leerplicht_dataversie = db.session.connection().execute(_TOKEN).scalar()
    return g.leerplicht_dataversie


def deel(naam: str, sleutel: tuple, maak: Callable[[], str]) -> Markup:
    """The HTML of part `naam` for `sleutel` (everything it depends on but the data and the
    date): from the cache when the data has not changed since, else `maak()` (kept)."""
    cache: _Cache | None = current_app.extensions.get("paginacache")
    versie = dataversie() if cache is not None else None
    if versie is None:
        return Markup(maak())
    volledig = (naam, sleutel, versie, date.today())
    html = cache.get(volledig)
    if html is None:
        token = _in_deel.set(True)
        try:
            html = str(maak())
        finally:
            _in_deel.reset(token)
        if generate_csrf() not in html:  # a session's own token never goes into the cache
            cache.put(volledig, html)
    return Markup(html.replace(PLAATSHOUDER, generate_csrf()))


def _csrf_token() -> str:
    """csrf_token() in templates: the placeholder inside a cached part, else the real one."""
    return PLAATSHOUDER if _in_deel.get() else generate_csrf()


def _lees_versie_eerst() -> None:
    """before_request of a page in PAGINAS: the token is the transaction's first read.

    Whatever the page reads after it is then at least as new as the token (PostgreSQL's
    READ COMMITTED reads the newest committed data per statement; SQLite keeps the snapshot of
    the first read), so no part is kept with data older than the version it is filed under.
    """
    if request.endpoint in PAGINAS and "paginacache" in current_app.extensions:
        dataversie()


def init_app(app: Flask) -> None:
    """Turn the cache on (unless PAGINACACHE is false) and watch every session for writes.

    Call before the areas add their before_request hooks (the token is read first)."""
    from flask_sqlalchemy.session import Session

    if not getattr(Session, "_leerplicht_paginacache", False):
        _luister(Session)
        Session._leerplicht_paginacache = True
    if app.config.get("PAGINACACHE", True):
        app.extensions["paginacache"] = _Cache(app.config.get("PAGINACACHE_GROOTTE", 300))
    app.before_request(_lees_versie_eerst)
    # Flask-WTF offers csrf_token both as a global and from a context processor; this one is
    # added after it, so it wins in both places.
    app.jinja_env.globals["csrf_token"] = _csrf_token
    app.context_processor(lambda: {"csrf_token": _csrf_token})

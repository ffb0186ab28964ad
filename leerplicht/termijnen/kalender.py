"""The werkdagkalender of the running app: public holidays plus the configured sluitingsdagen."""

from flask import g, has_request_context
from sqlalchemy import select

from ..extensions import db
from ..werkdagen import Werkdagkalender
from .models import Sluitingsdag


def kalender() -> Werkdagkalender:
    """The calendar with today's sluitingsdagen (one query per request, cached in g)."""
    if has_request_context() and "werkdagkalender" in g:
        return g.werkdagkalender
    dagen = db.session.scalars(select(Sluitingsdag.datum)).all()
    result = Werkdagkalender(dagen)
    if has_request_context():
        g.werkdagkalender = result
    return result

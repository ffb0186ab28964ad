"""Keeping the stored termijnen current: on every save, and when the calendar or norms change."""

from datetime import date, timedelta

from flask import g, has_request_context
from sqlalchemy import select

from ..extensions import db
from ..normenbron import normen_voor
from ..schooljaren import Schooljaar, alle_schooljaren
from ..werkdagen import Werkdagkalender
from .kalender import kalender
from .models import Ontwikkeling, Verzuimmelding, Vraag
from .regels import Stapnaam, herbereken_melding, herbereken_ontwikkeling, herbereken_vraag

M = Verzuimmelding

# The registers by name (as in the URLs), with the date a row's termijnen start from.
REGISTERS = {
    "meldingen": (Verzuimmelding, Verzuimmelding.ontvangen_op),
    "vragen": (Vraag, Vraag.gesteld_op),
    "ontwikkelingen": (Ontwikkeling, Ontwikkeling.bekend_op),
}

# The steps of a melding with their stored columns: (stap, deadline, done date, duration).
MELDINGSTAPPEN = (
    (Stapnaam.TERUGMELDEN, M.terugmelden_uiterlijk, M.teruggemeld_op, M.terugmelden_werkdagen),
    (Stapnaam.AANVULLEN, M.aanvullen_uiterlijk, M.aangevuld_op, M.aanvullen_werkdagen),
    (Stapnaam.REACTIE, M.reactie_uiterlijk, M.gereageerd_op, M.reactie_werkdagen),
)

# A sluitingsdag can change the deadline or the duration of a step that began up to this long
# before it (a late step keeps counting); older rows are left alone.
BEREIK_SLUITINGSDAG = timedelta(days=366)


def schooljaar_voor(dag: date, jaren: list[Schooljaar] | None = None) -> Schooljaar | None:
    """The schooljaar of the app (or of `jaren`, preloaded) that contains dag; None if none."""
    jaren = alle_schooljaren() if jaren is None else jaren
    return next((jaar for jaar in jaren if jaar.begin <= dag <= jaar.eind), None)


def herbereken(record, schooljaar: Schooljaar | str | None = None,
               kal: Werkdagkalender | None = None) -> None:
    """Recompute one row's stored termijnen with the norms of its schooljaar and today's calendar.

    `schooljaar` (the row's, or its name) and `kal` save lookups when the caller has them.
    """
    if schooljaar is None:
        schooljaar = db.session.get(Schooljaar, record.schooljaar_id)
    normen = normen_voor(schooljaar)
    kal = kal or kalender()
    if isinstance(record, Verzuimmelding):
        herbereken_melding(record, normen, kal)
    elif isinstance(record, Vraag):
        herbereken_vraag(record, normen, kal)
    else:
        herbereken_ontwikkeling(record, normen, kal)


def herbereken_rijen(vanaf: date | None = None, tot: date | None = None) -> int:
    """Recompute every row whose begin date lies in [vanaf, tot] (None: open-ended).

    For a change of the calendar or of the norms; flushes, the caller commits. Returns how many
    rows changed.
    """
    jaren = {jaar.id: jaar.naam for jaar in alle_schooljaren()}
    kal = kalender()  # once: outside a request kalender() is not cached
    gewijzigd = 0
    for model, begin in REGISTERS.values():
        query = select(model)
        if vanaf is not None:
            query = query.where(begin >= vanaf)
        if tot is not None:
            query = query.where(begin <= tot)
        for record in db.session.scalars(query.execution_options(yield_per=2000)):
            herbereken(record, jaren[record.schooljaar_id], kal)
            # is_modified alone: `session.dirty` scans the whole identity map (quadratic).
            gewijzigd += db.session.is_modified(record)
        db.session.flush()
    return gewijzigd


def herbereken_rond(dag: date) -> int:
    """Recompute the rows a sluitingsdag on `dag` (added or removed) may affect."""
    if has_request_context():
        g.pop("werkdagkalender", None)  # the cached calendar predates the change
    return herbereken_rijen(dag - BEREIK_SLUITINGSDAG, dag)

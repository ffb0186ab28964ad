"""Access policy of the register downloads, the import and the retention page (test_access.py)."""

import io

from leerplicht.extensions import db

import factories as f

INZIEN = ("login", "ok", "404", "ok", "ok", "ok")
LLZ = ("login", "403", "403", "ok", "ok", "ok")
BEHEERDER = ("login", "403", "403", "403", "403", "ok")

POLICY = {
    "termijnen.export_school": INZIEN,
    "termijnen.export_alle": LLZ,
    "termijnen.importeren": LLZ,
    "termijnen.sjabloon": LLZ,
    "termijnen.bewaartermijn": BEHEERDER,
}


def url_args(world) -> dict:
    """The register and file format of the download URLs (the current schooljaar must exist).

    CSV, not XLSX: the matrix reads every answer as text to look for leaks.
    """
    f.huidig_schooljaar()
    db.session.commit()
    return {"register": "meldingen", "formaat": "csv"}


def _bestand():
    """A valid file for every LLZ role: the header only (a row for school A would be refused
    for the LLZ user who is not its contact; test_uitwisseling tests rows)."""
    return (io.BytesIO(b"schoolcode;referentie;ontvangen_op\r\n"), "meldingen.csv")


FORMULIEREN = {
    "termijnen.importeren": lambda world, args: {"bestand": _bestand()},
    "termijnen.bewaartermijn": lambda world, args: {"maanden": "84"},
}

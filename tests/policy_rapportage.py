"""Access policy of the jaarverslag page and its downloads (collected by test_access.py)."""

from leerplicht.rapportage.jaarverslag import bouw_jaarverslag

import factories as f

LLZ = ("login", "403", "403", "ok", "ok", "ok")

POLICY = {
    "rapportage.jaarverslag": LLZ,
    "rapportage.xlsx": LLZ,
    "rapportage.csv_zip": LLZ,
    "rapportage.csv": LLZ,
    "rapportage.pdf": LLZ,
}

FORMULIEREN = {}


def url_args(world) -> dict:
    """A table key of the report the world's current schooljaar gives (made when missing)."""
    jaar = f.huidig_schooljaar()
    return {"sleutel": bouw_jaarverslag(jaar).tabellen[0].sleutel}

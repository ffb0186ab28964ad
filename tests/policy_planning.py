"""Access policy of the jaarplanning pages, the calendar feed and the account page
(test_access.py)."""

INGELOGD = ("login", "ok", "ok", "ok", "ok", "ok")
INZIEN = ("login", "ok", "404", "ok", "ok", "ok")
LLZ = ("login", "403", "403", "ok", "ok", "ok")

POLICY = {
    "cyclus.planning_overzicht": LLZ,
    "cyclus.planning_school": INZIEN,
    # Public: the token is the credential. The matrix uses a well-formed token of no one.
    "cyclus.agenda_feed": ("404",) * 6,
    "cyclus.agenda_account": INGELOGD,
    "cyclus.agenda_aanmaken": INGELOGD,
    "cyclus.agenda_stoppen": INGELOGD,
    "cyclus.agenda_herinneringen": INGELOGD,
}


def url_args(world) -> dict:
    """A calendar token that belongs to no one (a well-formed one: 43 URL-safe characters)."""
    return {"token": "Geen-eigenaar_" + "x" * 29}


FORMULIEREN = {
    "cyclus.agenda_aanmaken": lambda world, args: {},
    "cyclus.agenda_stoppen": lambda world, args: {},
    "cyclus.agenda_herinneringen": lambda world, args: {"aan": "y"},
}

"""Demo afsprakenlijsten: a realistic mix of vastgesteld, late, concept and verlengd lists."""

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert

from ..extensions import db
from ..normen import Normversie
from ..schooljaren import Schooljaar
from ..text import markdown_naar_html
from .models import Afspraak, Afsprakenlijst, Herkomst, Status
from .sjablonen import LEEG, standaard_afspraken

# One free agreement per sector, so the lists are not all the same.
VRIJE_AFSPRAKEN = {
    "PO": ("Belmoment met de intern begeleider",
           "Elke eerste dinsdag van de maand belt Leerlingzaken met de intern begeleider over "
           "zorgen rond verzuim. Er worden geen namen van leerlingen gemaild."),
    "SO": ("Afstemming met de commissie van begeleiding",
           "Leerlingzaken sluit op uitnodiging aan bij de commissie van begeleiding."),
    "VO": ("Spreekuur op school",
           "Leerlingzaken houdt **om de week** op dinsdagochtend spreekuur in de "
           "zorgruimte, voor mentoren, jongeren en ouders."),
    "VSO": ("Overleg over thuiszitters",
            "School en Leerlingzaken bespreken elke maand de stand van zaken rond "
            "leerlingen die (dreigen) thuis te zitten, zonder namen in de notulen."),
    "MBO": ("Verzuimspreekuur op de locatie",
            "Leerlingzaken is op afspraak aanwezig bij het verzuimspreekuur van de locatie."),
}

# What LLZ and the school filled in for the template's blanks, per section (and sector where
# it differs). Every list with an akkoord is complete: an akkoord on blanks is refused.
INGEVULD = {
    ("aanwezigheid", "PO"): "een startgesprek in september en op afroep bij het MDO.",
    ("aanwezigheid", "SO"): "een startgesprek in september en twee keer bij de commissie van "
                            "begeleiding.",
    ("aanwezigheid", "VO"): "elke tweede dinsdag van de maand, en bij elk JES.",
    ("aanwezigheid", "VSO"): "elke eerste donderdag van de maand, en bij elk JES.",
    ("aanwezigheid", "MBO"): "op afspraak bij het verzuimspreekuur, ongeveer eens per maand.",
    ("communicatie", None): "e-mail voor vragen, telefoon bij spoed; een vast belmoment op "
                            "maandagochtend.",
    ("evaluatie", None): "in mei, met de (locatie)directeur erbij.",
}


def ingevuld(item: dict, sector: str) -> dict:
    """A template item with its blank filled in as the demo's LLZ and school agreed."""
    if LEEG not in item["tekst"]:
        return item
    invulling = INGEVULD.get((item["sectie"], sector)) or INGEVULD[(item["sectie"], None)]
    return {**item, "tekst": item["tekst"].replace(LEEG, invulling)}


# The state of each demo school's list, in turn (the 12 named schools get each one once).
SCENARIOS = ("op_tijd", "gewijzigd", "op_tijd", "verlengd", "op_tijd", "op_tijd",
             "llz_akkoord", "op_tijd", "concept", "te_laat", "verlengd", "geen")


def _moment(dag, uur: int) -> datetime:
    """A moment on a day (UTC), never in the future (the demo may be loaded early in a year)."""
    return min(datetime.combine(dag, time(uur), tzinfo=UTC), datetime.now(UTC))


def vul_afsprakenlijsten(
    scholen: list[dict], schooljaar: Schooljaar, normen: Normversie, namen: dict[int, tuple],
    rng: random.Random,
) -> int:
    """Insert lists for the demo schools in bulk; `namen` maps school id to (llz, school) names.

    Bulk inserts keep `leerplicht demo --schools 8000` to seconds; the audit trail starts
    with the first real change.
    """
    sjablonen = {sector: standaard_afspraken(sector, normen)
                 for sector in {s["sector"] for s in scholen}}
    html_cache: dict[str, str] = {}
    lijsten, inhoud = [], []
    for index, school in enumerate(scholen):
        scenario = SCENARIOS[index % len(SCENARIOS)]
        if scenario == "geen":
            continue
        llz_naam, school_naam = namen.get(school["id"], ("", ""))
        versies = _versies(scenario, schooljaar, llz_naam, school_naam, rng)
        for volgnummer, velden in enumerate(versies, 1):
            lijsten.append({"school_id": school["id"], "schooljaar_id": schooljaar.id,
                            "volgnummer": volgnummer, "versie": 1, **velden})
            inhoud.append((school, volgnummer, velden))
    ids = list(db.session.scalars(
        insert(Afsprakenlijst).returning(Afsprakenlijst.id, sort_by_parameter_order=True),
        lijsten,
    )) if lijsten else []
    afspraken = []
    sleutels: dict[tuple[int, int], str] = {}
    for lijst_id, (school, _volgnummer, velden) in zip(ids, inhoud, strict=True):
        items = list(sjablonen[school["sector"]])
        if not _met_invulplekken(velden):
            items = [ingevuld(item, school["sector"]) for item in items]
        titel, tekst = VRIJE_AFSPRAKEN[school["sector"]]
        items.append({"sectie": "vrij", "titel": titel, "wie": "beiden", "tekst": tekst})
        if velden["herkomst"] == Herkomst.WIJZIGING:
            items[-1] = {**items[-1], "tekst": items[-1]["tekst"] + "\n\nVanaf januari ook "
                         "een vast moment na de kerstvakantie."}
        for positie, item in enumerate(items):
            # The same afspraak keeps its sleutel across versions, so the diff can match it.
            sleutel = sleutels.setdefault((school["id"], positie), f"{rng.getrandbits(128):032x}")
            if item["tekst"] not in html_cache:
                html_cache[item["tekst"]] = markdown_naar_html(item["tekst"])
            afspraken.append({
                "lijst_id": lijst_id, "school_id": school["id"], "sleutel": sleutel,
                "sectie": item["sectie"], "titel": item["titel"], "tekst": item["tekst"],
                "tekst_html": html_cache[item["tekst"]], "wie": item["wie"],
                "positie": positie, "versie": 1,
            })
    if afspraken:
        db.session.execute(insert(Afspraak), afspraken)
    return len(ids)


def _met_invulplekken(velden: dict) -> bool:
    """Only a fresh concept nobody agreed to yet still has the template's blanks."""
    return (velden["status"] == Status.CONCEPT and velden["herkomst"] == Herkomst.NIEUW
            and not velden.get("akkoord_llz_op"))


def _versies(scenario: str, jaar: Schooljaar, llz: str, school: str, rng) -> list[dict]:
    """The versions (oldest first) of one school's list for a scenario."""
    begin = jaar.begin
    akkoord_dag = begin + timedelta(days=35 + rng.randint(0, 40))
    vastgesteld = {
        "status": Status.VASTGESTELD, "herkomst": Herkomst.NIEUW,
        "akkoord_llz_naam": llz, "akkoord_llz_op": _moment(akkoord_dag - timedelta(days=2), 10),
        "akkoord_school_naam": school, "akkoord_school_op": _moment(akkoord_dag, 14),
        "vastgesteld_op": _moment(akkoord_dag, 14),
    }
    if scenario == "op_tijd":
        return [vastgesteld]
    if scenario == "gewijzigd":
        return [{**vastgesteld, "status": Status.VASTGESTELD},
                {"status": Status.CONCEPT, "herkomst": Herkomst.WIJZIGING}]
    if scenario == "verlengd":
        return [{"status": Status.VASTGESTELD, "herkomst": Herkomst.VERLENGD,
                 "vastgesteld_op": _moment(begin, 0)}]
    if scenario == "te_laat":
        laat = begin + timedelta(days=100)
        return [{**vastgesteld, "akkoord_llz_op": _moment(laat, 9),
                 "akkoord_school_op": _moment(laat, 15), "vastgesteld_op": _moment(laat, 15)}]
    if scenario == "llz_akkoord":
        return [{"status": Status.CONCEPT, "herkomst": Herkomst.NIEUW, "akkoord_llz_naam": llz,
                 "akkoord_llz_op": _moment(begin + timedelta(days=80), 11)}]
    return [{"status": Status.CONCEPT, "herkomst": Herkomst.NIEUW}]

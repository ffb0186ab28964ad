"""The standard afspraken of a new afsprakenlijst: content/afsprakenlijst.toml, norms filled in.

The file is read and checked once, when the app starts (a mistake in it stops the start with
a message saying where); making a list only fills in the norms of its schooljaar.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context

from ..config import PROJECT_ROOT
from ..inhoud import lees_tabellen
from ..normen import VERPLICHT, Normversie
from .models import Wie

# Where the template leaves a blank for LLZ and the school to fill in together. A list with a
# blank left cannot get an akkoord (regels.nog_in_te_vullen).
INVULPLEK = "(vul in)"
LEEG = f"*{INVULPLEK}*"

PLEK = re.compile(r"\{\{(.*?)\}\}")
MELDINGSELEMENTEN = "meldingselementen"
VELDEN = {"sectie", "titel", "wie", "tekst", "variant"}


class SjabloonFout(ValueError):
    """content/afsprakenlijst.toml is missing or malformed (the message says where)."""


@dataclass(frozen=True)
class Sjabloon:
    """One standard afspraak; its text may differ per group of sectors."""

    sectie: str
    titel: str
    wie: str
    # (sectors, text) in file order; sectors None: every sector not named before.
    varianten: tuple[tuple[frozenset[str] | None, str], ...]

    def tekst_voor(self, sector: str) -> str:
        """The text (placeholders not yet filled in) for a school of this sector."""
        return next(tekst for sectoren, tekst in self.varianten
                    if sectoren is None or sector in sectoren)


def standaard_sjablonen_pad() -> Path:
    """content/afsprakenlijst.toml of this project."""
    return PROJECT_ROOT / "content" / "afsprakenlijst.toml"


def laad_sjablonen(pad: Path) -> tuple[Sjabloon, ...]:
    """Read and check the file of standard afspraken; SjabloonFout says what and where."""
    ruw = lees_tabellen(pad, "afspraak", SjabloonFout, "standaardafspraken")
    sjablonen = tuple(_sjabloon(f"{pad}, afspraak {nummer}", item)
                      for nummer, item in enumerate(ruw, 1))
    secties = [s.sectie for s in sjablonen]
    if len(set(secties)) != len(secties):
        raise SjabloonFout(f"{pad}: twee afspraken hebben dezelfde sectie")
    return sjablonen


def _sjabloon(waar: str, item: dict) -> Sjabloon:
    """Check one [[afspraak]] table."""
    onbekend = sorted(set(item) - VELDEN)
    if onbekend:
        raise SjabloonFout(f"{waar}: onbekende velden {', '.join(onbekend)}")
    for veld in ("sectie", "titel"):
        if not isinstance(item.get(veld), str) or not item[veld].strip():
            raise SjabloonFout(f"{waar}: {veld} ontbreekt")
    if item.get("wie") not in {w.value for w in Wie}:
        raise SjabloonFout(f"{waar}: wie moet llz, school of beiden zijn")
    waar = f"{waar} ({item['sectie']})"
    if ("tekst" in item) == ("variant" in item):
        raise SjabloonFout(f"{waar}: geef een tekst of [[afspraak.variant]]en, niet allebei")
    varianten = [{"tekst": item["tekst"]}] if "tekst" in item else item["variant"]
    if not isinstance(varianten, list) or not varianten:
        raise SjabloonFout(f"{waar}: [[afspraak.variant]] ontbreekt")
    gelezen = []
    for nummer, variant in enumerate(varianten, 1):
        plek = f"{waar}, variant {nummer}"
        sectoren = variant.get("sectoren")
        if sectoren is not None and (not isinstance(sectoren, list) or not all(
                isinstance(s, str) for s in sectoren)):
            raise SjabloonFout(f"{plek}: sectoren moet een lijst zijn, zoals [\"PO\", \"SO\"]")
        gelezen.append((None if sectoren is None else frozenset(sectoren),
                        _tekst(plek, variant.get("tekst"))))
    if gelezen[-1][0] is not None:
        raise SjabloonFout(f"{waar}: de laatste variant geldt voor de overige sectoren en "
                           "heeft dus geen sectoren")
    return Sjabloon(item["sectie"], item["titel"], item["wie"], tuple(gelezen))


def _tekst(waar: str, tekst) -> str:
    """Check a text and its placeholders."""
    if not isinstance(tekst, str) or not tekst.strip():
        raise SjabloonFout(f"{waar}: tekst ontbreekt")
    for nummer, regel in enumerate(tekst.strip().splitlines(), 1):
        for match in PLEK.finditer(regel):
            naam = match[1].strip()
            if naam == MELDINGSELEMENTEN:
                if regel.strip() != match[0]:
                    raise SjabloonFout(f"{waar}, regel {nummer}: {match[0]} moet op een eigen "
                                       "regel staan (het wordt een opsomming)")
            elif naam.partition(".")[0] != "norm" or naam.partition(".")[2] not in VERPLICHT:
                raise SjabloonFout(f"{waar}, regel {nummer}: onbekende invulplek {match[0]}; "
                                   f"gebruik {{{{ norm.SLEUTEL }}}} met een van "
                                   f"{', '.join(VERPLICHT)}, of {{{{ {MELDINGSELEMENTEN} }}}}")
    return tekst.strip()


def invullen(tekst: str, normen: Normversie) -> str:
    """The text with the norms of a schooljaar written in."""

    def vervang(match: re.Match) -> str:
        naam = match[1].strip()
        if naam == MELDINGSELEMENTEN:
            return "\n".join(f"- {element}" for element in normen.meldingselementen)
        return str(normen[naam.partition(".")[2]])

    return PLEK.sub(vervang, tekst)


def sjablonen() -> tuple[Sjabloon, ...]:
    """The standard afspraken of this app (read at start-up by init_app)."""
    if has_app_context() and "leerplicht_sjablonen" in current_app.extensions:
        return current_app.extensions["leerplicht_sjablonen"]
    return laad_sjablonen(standaard_sjablonen_pad())


def standaard_afspraken(sector: str, normen: Normversie) -> list[dict]:
    """The standard sections for a school of `sector`, with the norms written in."""
    return [
        {"sectie": s.sectie, "titel": s.titel, "wie": s.wie,
         "tekst": invullen(s.tekst_voor(sector), normen)}
        for s in sjablonen()
    ]

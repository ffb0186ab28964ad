"""Privacy check of a public tree: no e-mail or phone number of a school contact, no BSN."""

import re

from sqlalchemy import func, or_, select

from ..extensions import db
from ..scholen.models import Contactpersoon, Kant
from ..text import bevat_bsn

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TELEFOON = re.compile(r"\+?\d[\d \-().]{6,}\d")
TAG = re.compile(r"<[^>]*>")
SCHEIDING = " -().+"


def _cijfers(telefoon: str) -> str:
    """A phone number as its national digits: '+31 6-1234 5678' and '06 12345678' are equal."""
    cijfers = re.sub(r"\D", "", telefoon)
    for landcode in ("0031", "31"):
        if cijfers.startswith(landcode) and len(cijfers) == len(landcode) + 9:
            return "0" + cijfers[len(landcode):]
    return cijfers


def _kandidaten(tekst: str) -> tuple[set[str], set[str]]:
    """What on a page could be an e-mail address or a phone number."""
    emails = {email.lower() for email in EMAIL.findall(tekst)}
    telefoons = {t for t in map(_cijfers, TELEFOON.findall(tekst)) if len(t) >= 8}
    return emails, telefoons


def _van_scholen(emails: set[str], telefoons: set[str]) -> tuple[set[str], set[str]]:
    """Which of these addresses and numbers belong to a school contact person (one query)."""
    if not emails and not telefoons:
        return set(), set()
    # The database keeps numbers as typed: compare them without separators, in every form.
    nummer = Contactpersoon.telefoon
    for teken in SCHEIDING:
        nummer = func.replace(nummer, teken, "")
    vormen = {t: {t, "31" + t[1:], "0031" + t[1:]} if t.startswith("0") else {t} for t in telefoons}
    rijen = db.session.execute(
        select(func.lower(Contactpersoon.email), nummer).where(
            Contactpersoon.kant == Kant.SCHOOL,
            or_(func.lower(Contactpersoon.email).in_(emails),
                nummer.in_(set().union(*vormen.values()))),
        )
    ).all()
    gevonden_emails = {email for email, _ in rijen} & emails
    gevonden_nummers = {_cijfers(nummer) for _, nummer in rijen if nummer}
    return gevonden_emails, gevonden_nummers & telefoons


def controleer(teksten: dict[str, str]) -> list[str]:
    """What personal data the pages of a public tree show (path -> text), as Dutch messages."""
    kandidaten = {pad: _kandidaten(tekst) for pad, tekst in teksten.items()}
    emails, telefoons = _van_scholen(
        set().union(*(e for e, _ in kandidaten.values())),
        set().union(*(t for _, t in kandidaten.values())),
    )
    fouten = []
    for pad in sorted(teksten):
        eigen_emails, eigen_telefoons = kandidaten[pad]
        for email in sorted(eigen_emails & emails):
            fouten.append(f"{pad}: e-mailadres van een contactpersoon van een school ({email})")
        for telefoon in sorted(eigen_telefoons & telefoons):
            fouten.append(
                f"{pad}: telefoonnummer van een contactpersoon van een school ({telefoon})"
            )
        if bevat_bsn(TAG.sub(" ", teksten[pad])):
            fouten.append(f"{pad}: een nummer dat op een burgerservicenummer (BSN) lijkt")
    return fouten

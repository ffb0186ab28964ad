"""Test data factories: schools, contact persons, users, assignments."""

import itertools
from datetime import date

from leerplicht.accounts.models import Gebruiker
from leerplicht.accounts.passwords import hash_wachtwoord
from leerplicht.extensions import db
from leerplicht.scholen.contactregels import koppel
from leerplicht.scholen.models import Contactpersoon, Contactrol, Kant, School, Toewijzing
from leerplicht.schooljaren import maak_schooljaar

WACHTWOORD = "wachtwoord-voor-tests"
_seq = itertools.count(1)


def school(naam=None, code=None, sector="PO", **extra) -> School:
    """A school with a unique code."""
    n = next(_seq)
    record = School(
        naam=naam or f"Testschool {n}",
        code=code or f"{n % 100:02d}T{chr(65 + n // 100 % 26)}{n // 2600 % 100:02d}",
        sector=sector,
        straat=extra.pop("straat", "Schoolstraat 1"),
        postcode=extra.pop("postcode", "1234 AB"),
        plaats=extra.pop("plaats", "Zeevliet"),
        bestuur=extra.pop("bestuur", "Stichting Test"),
        **extra,
    )
    db.session.add(record)
    db.session.flush()
    return record


def persoon(naam=None, kant=Kant.LLZ, **extra) -> Contactpersoon:
    """A contact person."""
    n = next(_seq)
    record = Contactpersoon(
        naam=naam or f"Persoon {n}",
        kant=kant,
        functie=extra.pop(
            "functie", "Leerplichtambtenaar" if kant == Kant.LLZ else "Zorgcoördinator"
        ),
        email=extra.pop("email", f"persoon{n}@example.nl"),
        telefoon=extra.pop("telefoon", f"06-1234{n:04d}"),
        **extra,
    )
    db.session.add(record)
    db.session.flush()
    return record


def toewijzing(school_record, persoon_record, rol: Contactrol, vanaf=date(2026, 8, 1)):
    """Give a person a role at a school (a school-side person then works for that school)."""
    record = Toewijzing(
        school_id=school_record.id, contactpersoon_id=persoon_record.id, rol=rol, vanaf=vanaf
    )
    db.session.add(record)
    db.session.flush()
    koppel(persoon_record.id, school_record.id)
    return record


def gebruiker(rol, email=None, scholen=(), contactpersoon=None, **extra) -> Gebruiker:
    """A user with the shared test password."""
    n = next(_seq)
    record = Gebruiker(
        email=email or f"gebruiker{n}@example.nl",
        naam=extra.pop("naam", f"Gebruiker {n}"),
        rol=rol,
        wachtwoord_hash=hash_wachtwoord(WACHTWOORD),
        contactpersoon_id=contactpersoon.id if contactpersoon else None,
        **extra,
    )
    record.scholen = list(scholen)
    db.session.add(record)
    db.session.flush()
    return record


def schooljaar(naam="2026-2027", huidig=True):
    """A schooljaar."""
    record = maak_schooljaar(naam, huidig=huidig)
    db.session.add(record)
    db.session.flush()
    return record


def huidig_schooljaar(naam="2026-2027"):
    """The current schooljaar, made when there is none yet."""
    from sqlalchemy import select

    from leerplicht.schooljaren import Schooljaar

    jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).first()
    return jaar or schooljaar(naam)


def afsprakenlijst(school_record, jaar, ingevuld=True):
    """A concept afsprakenlijst from the sector template; its blanks filled in unless asked."""
    from leerplicht.afspraken.regels import maak_lijst, zet_tekst
    from leerplicht.afspraken.sjablonen import INVULPLEK
    from leerplicht.normenbron import normen_voor

    lijst = maak_lijst(school_record, jaar, normen_voor(jaar))
    if ingevuld:
        for afspraak in lijst.afspraken:
            afspraak.titel = afspraak.titel.replace(INVULPLEK, "ingevuld")
            zet_tekst(afspraak, afspraak.tekst.replace(INVULPLEK, "ingevuld"))
    db.session.flush()
    return lijst

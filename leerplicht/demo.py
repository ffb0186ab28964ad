"""`leerplicht demo`: a fictional municipality (Zeevliet) with schools, people and logins."""

import base64
import hashlib
import hmac
import random
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, insert, select

from .accounts.models import Gebruiker, Rol, gebruiker_school
from .accounts.passwords import controleer_wachtwoord, hash_wachtwoord
from .afspraken.demo import vul_afsprakenlijsten
from .cyclus.demo_bezoeken import vul_bezoeken
from .cyclus.demo_evaluatie import vul_evaluaties
from .cyclus.demo_klankbord import vul_klankbord
from .cyclus.demo_normen import vul_normconcept
from .escalatie.demo import vul_escalaties
from .extensions import db
from .normenbron import normen_voor
from .scholen.models import (
    Contactpersoon,
    Contactrol,
    Kant,
    School,
    Toewijzing,
    contactpersoon_school,
)
from .schooljaren import Schooljaar, maak_schooljaar, naam_voor_datum
from .termijnen.demo import vul_registers

# Made-up schools of every sector in the made-up municipality of Zeevliet.
SCHOLEN = [
    ("21XA00", "Basisschool De Vlinder", "PO", "Stichting Kust en Kind"),
    ("22XB00", "Kindcentrum Het Anker", "PO", "Stichting Kust en Kind"),
    ("23XC00", "Openbare basisschool De Duinroos", "PO", "Openbaar Onderwijs Zeevliet"),
    ("24XD00", "Montessorischool Zeevliet", "PO", "Openbaar Onderwijs Zeevliet"),
    ("25XE00", "De Wegwijzer, school voor speciaal onderwijs", "SO", "Stichting Passend Leren"),
    ("31XF00", "Zeevliet College", "VO", "Scholengroep Westkust"),
    ("32XG00", "Lyceum aan Zee", "VO", "Scholengroep Westkust"),
    ("33XH00", "Havenmavo", "VO", "Stichting Voortgezet Onderwijs Zeevliet"),
    ("34XJ00", "Vakcollege Westhaven", "VO", "Stichting Voortgezet Onderwijs Zeevliet"),
    ("35XK00", "Het Kompas, voortgezet speciaal onderwijs", "VSO", "Stichting Passend Leren"),
    ("41XL00", "Zeevliet ROC, locatie Haven", "MBO", "Zeevliet ROC"),
    ("42XM00", "Techniek College Zeevliet", "MBO", "Zeevliet ROC"),
]
STRATEN = ["Duinweg", "Havenkade", "Zeestraat", "Schelpenlaan", "Strandboulevard", "Meeuwenpad"]
VOORNAMEN = ["Eva", "Ruben", "Noor", "Daan", "Fatima", "Thijs", "Iris", "Youssef", "Sanne",
             "Bram", "Lina", "Koen", "Esra", "Milan", "Femke", "Omar", "Julia", "Sem"]
ACHTERNAMEN = ["de Wit", "Bakker", "Jansen", "van Leeuwen", "Kaya", "Visser", "Mulder",
               "Bos", "de Graaf", "Yilmaz", "Peters", "Hendriks", "van der Meer", "Koster"]
LLZ_TEAM = [
    ("Anouk Verbeek", "Teamleider Leerlingzaken", True),
    ("Joris van Dalen", "Leerplichtambtenaar", False),
    ("Samira El Idrissi", "Leerplichtambtenaar", False),
    ("Pieter Hoekstra", "Casemanager", False),
    ("Lotte Smit", "Leerplichtambtenaar", False),
]
SECTOREN = ["PO", "PO", "PO", "SO", "VO", "VO", "VSO", "MBO"]


def demo_wachtwoord(email: str) -> str:
    """Derive a demo password from the instance secret, so it can be shown again later."""
    digest = hmac.new(
        current_app.config["SECRET_KEY"].encode(), email.encode(), hashlib.sha256
    ).digest()
    letters = base64.b32encode(digest).decode().lower()[:16]
    return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def _mail(naam: str, domein: str) -> str:
    """A made-up e-mail address for a made-up person."""
    local = naam.lower().replace(" ", ".").replace("..", ".")
    return f"{local}@{domein}"


def _telefoon(rng: random.Random) -> str:
    """A made-up Dutch phone number."""
    return f"06-{rng.randint(10000000, 99999999)}"


def _school_rows(aantal: int) -> list[dict]:
    """The named demo schools, then generated ones up to `aantal`."""
    rows = []
    for index in range(aantal):
        if index < len(SCHOLEN):
            code, naam, sector, bestuur = SCHOLEN[index]
        else:
            sector = SECTOREN[index % len(SECTOREN)]
            soort = {"PO": "Basisschool", "SO": "SO-school", "VO": "College",
                     "VSO": "VSO-school", "MBO": "MBO-locatie"}[sector]
            naam = f"{soort} Zeevliet {index + 1}"
            code = f"{(index // 100) % 100:02d}{chr(65 + index // 2600 % 26)}" \
                   f"{chr(65 + (index // 100) % 26)}{index % 100:02d}"
            bestuur = "Stichting Onderwijs Zeevliet"
        rows.append({
            "code": code, "naam": naam, "sector": sector, "bestuur": bestuur,
            "straat": f"{STRATEN[index % len(STRATEN)]} {index + 1}",
            "postcode": f"{2500 + index % 400} {chr(65 + index % 26)}{chr(65 + index // 26 % 26)}",
            "plaats": "Zeevliet", "actief": True, "versie": 1,
        })
    return rows


def vul_demo(aantal_scholen: int = len(SCHOLEN)) -> list[tuple[str, str, str]]:
    """Fill an empty database with the demo municipality; return (role, e-mail, password)."""
    rng = random.Random(2026)
    vandaag = date.today()
    jaar = naam_voor_datum(vandaag)
    vorig = f"{int(jaar[:4]) - 1}-{jaar[:4]}"
    db.session.add_all([maak_schooljaar(vorig), maak_schooljaar(jaar, huidig=True)])

    llz_ids = list(db.session.scalars(
        insert(Contactpersoon).returning(Contactpersoon.id, sort_by_parameter_order=True),
        [{"naam": naam, "kant": Kant.LLZ, "functie": functie, "teamleider": leider,
          "email": _mail(naam, "llz.example.nl"), "telefoon": _telefoon(rng), "actief": True}
         for naam, functie, leider in LLZ_TEAM],
    ))
    school_rows = _school_rows(aantal_scholen)
    school_ids = list(db.session.scalars(
        insert(School).returning(School.id, sort_by_parameter_order=True), school_rows
    ))

    people, roles = [], []
    for index, school_id in enumerate(school_ids):
        domein = f"school{index + 1}.example.nl"
        for rol, functie in (
            (Contactrol.SCHOOL_CONTACT,
             "Zorgcoördinator" if school_rows[index]["sector"] in ("VO", "VSO", "MBO")
             else "Intern begeleider"),
            (Contactrol.SCHOOL_VERVANGER, "Verzuimcoördinator"),
            (Contactrol.DIRECTEUR, "Locatiedirecteur"),
        ):
            naam = f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)}"
            people.append({"naam": naam, "kant": Kant.SCHOOL, "functie": functie,
                           "email": _mail(naam, domein), "telefoon": _telefoon(rng),
                           "teamleider": False, "actief": True})
            roles.append((school_id, rol))
    people_ids = list(db.session.scalars(
        insert(Contactpersoon).returning(Contactpersoon.id, sort_by_parameter_order=True), people
    ))
    # Each school's people work for that school only.
    db.session.execute(insert(contactpersoon_school), [
        {"contactpersoon_id": person_id, "school_id": school_id}
        for (school_id, _rol), person_id in zip(roles, people_ids, strict=True)
    ])
    begin = date(int(jaar[:4]), 8, 1)
    toewijzingen = [
        {"school_id": school_id, "contactpersoon_id": person_id, "rol": rol, "vanaf": begin}
        for (school_id, rol), person_id in zip(roles, people_ids, strict=True)
    ]
    staff = llz_ids[1:]  # the team leader holds no school of her own
    for index, school_id in enumerate(school_ids):
        # The last school deliberately has no director yet: the dossier warns about it.
        if index == len(SCHOLEN) - 1:
            toewijzingen = [
                t for t in toewijzingen
                if not (t["school_id"] == school_id and t["rol"] == Contactrol.DIRECTEUR)
            ]
        contact = staff[index % len(staff)]
        vervanger = staff[(index + 1) % len(staff)]
        toewijzingen += [
            {"school_id": school_id, "contactpersoon_id": contact,
             "rol": Contactrol.LLZ_CONTACT, "vanaf": begin},
            {"school_id": school_id, "contactpersoon_id": vervanger,
             "rol": Contactrol.LLZ_VERVANGER, "vanaf": begin},
        ]
    db.session.execute(insert(Toewijzing), toewijzingen)

    huidig = db.session.scalars(select(Schooljaar).where(Schooljaar.naam == jaar)).one()
    namen = {
        school_id: (LLZ_TEAM[1 + index % len(staff)][0], people[index * 3]["naam"])
        for index, school_id in enumerate(school_ids)
    }
    vul_afsprakenlijsten(
        [{"id": school_id, **row} for school_id, row in zip(school_ids, school_rows, strict=True)],
        huidig, normen_voor(huidig), namen, rng,
    )
    vul_escalaties(school_ids, huidig, vandaag)
    sectoren = [{"id": school_id, "sector": row["sector"]}
                for school_id, row in zip(school_ids, school_rows, strict=True)]
    vul_registers(sectoren, huidig, normen_voor(huidig), vandaag, rng)

    # The cycle builds on the areas above (the evaluations freeze their figures).
    vul_evaluaties(school_ids, vorig, jaar, rng)
    vul_bezoeken(sectoren, huidig, vandaag, rng)
    vul_klankbord(vorig, jaar, rng)
    vul_normconcept(huidig)

    # Last schooljaar's registers and visits, so the jaarverslag has a year to compare with
    # (a generator of its own: this year's demo data stays the same).
    vorig_jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.naam == vorig)).one()
    vorig_rng = random.Random(2025)
    vul_registers(sectoren, vorig_jaar, normen_voor(vorig_jaar), vandaag, vorig_rng)
    vul_bezoeken(sectoren, vorig_jaar, vandaag, vorig_rng)

    logins = [
        (Rol.BEHEERDER, LLZ_TEAM[0][0], llz_ids[0], []),
        (Rol.LLZ, LLZ_TEAM[1][0], llz_ids[1], []),
        (Rol.LLZ, LLZ_TEAM[2][0], llz_ids[2], []),
        (Rol.SCHOOL, people[0]["naam"], people_ids[0], [school_ids[0]]),
        (Rol.SCHOOL, people[15]["naam"], people_ids[15], [school_ids[5]]),
    ]
    printed = []
    for rol, naam, contact_id, scholen in logins:
        email = (_mail(naam, "llz.example.nl") if rol != Rol.SCHOOL
                 else db.session.get(Contactpersoon, contact_id).email)
        user = Gebruiker(email=email, naam=naam, rol=rol, actief=True,
                         contactpersoon_id=contact_id if rol != Rol.SCHOOL else None,
                         wachtwoord_hash=hash_wachtwoord(demo_wachtwoord(email)))
        db.session.add(user)
        db.session.flush()
        if scholen:
            db.session.execute(insert(gebruiker_school),
                               [{"gebruiker_id": user.id, "school_id": s} for s in scholen])
        printed.append((rol.value, email, demo_wachtwoord(email)))
    db.session.commit()
    return printed


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo logins whose password is still the derived demo password."""
    rows = []
    for user in db.session.scalars(select(Gebruiker).order_by(Gebruiker.id)):
        password = demo_wachtwoord(user.email)
        if controleer_wachtwoord(user.wachtwoord_hash, password):
            rows.append((user.rol, user.email, password))
    return rows


@click.command("demo")
@click.option("--schools", "aantal", type=click.IntRange(1, 50000), default=len(SCHOLEN),
              show_default=True, help="Aantal scholen (voor benchmarks).")
@click.option("--if-empty", is_flag=True, help="Alleen vullen als de database leeg is.")
@with_appcontext
def demo_command(aantal: int, if_empty: bool):
    """Vul een lege database met de fictieve gemeente Zeevliet en toon de demo-inlogs."""
    leeg = not db.session.scalar(select(func.count(School.id))) and not db.session.scalar(
        select(func.count(Gebruiker.id))
    )
    if leeg:
        logins = vul_demo(aantal)
        click.echo(f"Demodata aangemaakt: {aantal} scholen.")
    elif if_empty:
        logins = demo_logins()
    else:
        raise click.ClickException(
            "De database is niet leeg. Verwijder instance/leerplicht.sqlite of gebruik een "
            "nieuwe database om demodata te laden."
        )
    click.echo("Demo-inlogs (rol, e-mailadres, wachtwoord):")
    for rol, email, password in logins:
        click.echo(f"  {rol:<10} {email:<48} {password}")

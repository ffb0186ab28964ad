"""Concurrent requests, on SQLite and on PostgreSQL: no 500, no lost update, no duplicate row.

Each test lets several threads (each its own client, as several workers would) send the same
action at once. A barrier placed right after the view's check makes every thread pass its
check before any of them writes, where the database lets them: the window in which a
check-then-insert goes wrong without a lock. On SQLite, BEGIN IMMEDIATE serialises the writers
and the barrier simply times out.
"""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken import views as afspraken_views
from leerplicht.afspraken.models import Afspraak, Afsprakenlijst, Status
from leerplicht.afspraken.regels import geef_akkoord, maak_lijst
from leerplicht.extensions import db
from leerplicht.normenbron import normen_voor
from leerplicht.scholen import views as scholen_views
from leerplicht.scholen.models import Contactrol, Kant, School, Toewijzing

import factories as f

DRADEN = 4


@pytest.fixture
def world(app):
    """A school with an LLZ editor, a concept afsprakenlijst and a beheerder."""
    with app.app_context():
        jaar = f.schooljaar("2026-2027")
        school = f.school(naam="Gelijktijdig", code="44DD00")
        lia = f.persoon("Lia Leerplicht")
        f.toewijzing(school, lia, Contactrol.LLZ_CONTACT)
        f.toewijzing(school, f.persoon("Sara School", kant=Kant.SCHOOL),
                     Contactrol.SCHOOL_CONTACT)
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        f.gebruiker(Rol.LLZ, "lia@llz.example.nl", contactpersoon=lia)
        db.session.commit()
        return {"school_id": school.id, "jaar_id": jaar.id}


def _tegelijk(make_client, email: str, verzoeken) -> list[int]:
    """Send one request per thread at the same moment; return the status codes (500 when the
    app raised, which the test client passes on in testing mode)."""
    clients = []
    for _ in verzoeken:
        client = make_client()
        client.login(email)
        clients.append(client)
    start = threading.Barrier(len(verzoeken))
    statussen = [None] * len(verzoeken)

    def run(index):
        start.wait()
        try:
            statussen[index] = verzoeken[index](clients[index]).status_code
        except Exception:  # noqa: BLE001 - any exception is the 500 this test is about
            statussen[index] = 500

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(verzoeken))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statussen


def _na_de_controle(monkeypatch, module, naam: str, partijen: int = DRADEN):
    """Make the view's function `naam` wait for the other threads before it returns/acts."""
    origineel = getattr(module, naam)
    wacht = threading.Barrier(partijen)

    def vertraagd(*args, **kwargs):
        try:
            wacht.wait(timeout=1.5)
        except threading.BrokenBarrierError:
            pass  # serialised (SQLite, or a lock): the others are not coming
        return origineel(*args, **kwargs)

    monkeypatch.setattr(module, naam, vertraagd)


def test_same_new_school_code_at_once(app, world, make_client, monkeypatch):
    """Four beheerders add the same code: one school, the others get the code message."""
    _na_de_controle(monkeypatch, scholen_views, "kopieer_naar_school")
    form = {"naam": "Dubbel", "code": "55EE00", "sector": "PO", "straat": "", "postcode": "",
            "plaats": "", "bestuur": "", "actief": "y", "llz_contact": "0", "llz_vervanger": "0"}
    statussen = _tegelijk(make_client, "beheer@llz.example.nl",
                          [lambda c: c.post("/scholen/nieuw", form)] * DRADEN)
    assert 500 not in statussen
    assert sorted(statussen).count(302) == 1
    assert set(statussen) - {302} <= {409, 422}
    with app.app_context():
        assert db.session.scalar(select(func.count(School.id)).where(
            School.code == "55EE00")) == 1


def test_same_afsprakenlijst_created_at_once(app, world, make_client, monkeypatch):
    """Four clicks on 'aanmaken' at once: one list; the others see it (the school's row lock)."""
    _na_de_controle(monkeypatch, afspraken_views, "maak_lijst")
    statussen = _tegelijk(make_client, "lia@llz.example.nl",
                          [lambda c: c.post("/scholen/44DD00/afsprakenlijst/aanmaken")] * DRADEN)
    assert statussen == [302] * DRADEN
    with app.app_context():
        assert db.session.scalar(select(func.count(Afsprakenlijst.id))) == 1


def test_same_new_version_at_once(app, world, make_client, monkeypatch):
    """Four clicks on 'nieuwe versie' at once: one concept next to the vastgestelde version."""
    with app.app_context():
        school = db.session.get(School, world["school_id"])
        lijst = f.afsprakenlijst(school, f.huidig_schooljaar())
        geef_akkoord(lijst, "llz", None, None, naam="Lia")
        geef_akkoord(lijst, "school", None, None, naam="Sara")
        db.session.commit()
    _na_de_controle(monkeypatch, afspraken_views, "nieuwe_versie")
    statussen = _tegelijk(
        make_client, "lia@llz.example.nl",
        [lambda c: c.post("/scholen/44DD00/afsprakenlijst/nieuwe-versie")] * DRADEN)
    assert statussen == [302] * DRADEN
    with app.app_context():
        assert db.session.scalar(select(func.count(Afsprakenlijst.id)).where(
            Afsprakenlijst.status == Status.CONCEPT)) == 1


def test_same_version_saved_at_once(app, world, make_client):
    """Four editors save the same afspraak from the same version: one wins, three get 409."""
    with app.app_context():
        school = db.session.get(School, world["school_id"])
        jaar = f.huidig_schooljaar()
        lijst = maak_lijst(school, jaar, normen_voor(jaar))
        db.session.commit()
        afspraak = lijst.afspraken[0]
        url = f"/scholen/44DD00/afspraken/{afspraak.id}"
        versie = str(afspraak.versie)

    def opslaan(index):
        return lambda c: c.post(url, {"versie": versie, "titel": f"Titel {index}",
                                      "tekst": f"Tekst van editor {index}", "wie": "beiden",
                                      "deadline": ""})

    statussen = _tegelijk(make_client, "lia@llz.example.nl",
                          [opslaan(i) for i in range(DRADEN)])
    assert sorted(statussen) == [302] + [409] * (DRADEN - 1)
    with app.app_context():
        opgeslagen = db.session.get(Afspraak, afspraak.id)
        assert opgeslagen.versie == int(versie) + 1
        assert opgeslagen.titel.startswith("Titel ")


def test_same_contact_change_at_once(app, world, make_client, monkeypatch):
    """Four changes of the same role at once: one holder at a time, never two open ones."""
    from leerplicht.scholen import contacten

    _na_de_controle(monkeypatch, contacten, "voer_uit")

    def wijzig(index):
        return lambda c: c.post("/scholen/44DD00/contactpersonen/wijzigen", {
            "rol": "school_contact", "contactpersoon_id": "0", "naam": f"Nieuw {index}",
            "functie": "", "email": "", "telefoon": "", "ingang": date.today().isoformat(),
            "aangekondigd": date.today().isoformat(), "warme_overdracht": "",
            "reden": "Overmacht: ziekte."})

    statussen = _tegelijk(make_client, "lia@llz.example.nl", [wijzig(i) for i in range(DRADEN)])
    assert 500 not in statussen and 302 in statussen
    with app.app_context():
        open_ = db.session.scalar(select(func.count(Toewijzing.id)).where(
            Toewijzing.school_id == world["school_id"],
            Toewijzing.rol == Contactrol.SCHOOL_CONTACT, Toewijzing.tot.is_(None)))
        assert open_ == 1

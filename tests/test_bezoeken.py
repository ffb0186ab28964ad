"""The LLZ visits register: the norm rule, the page and its actions, dossier, cockpit, start."""

from datetime import date, timedelta

import policy_bezoeken
import pytest
from bs4 import BeautifulSoup
from flask import url_for
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.cyclus.bezoeken import controleer_bezoek, laad_dossier
from leerplicht.cyclus.models import Bezoek
from leerplicht.cyclus.regels import Bezoektelling, voortgang
from leerplicht.extensions import db
from leerplicht.home import cockpit
from leerplicht.normenbron import normen_voor
from leerplicht.regelfout import Regelfout
from leerplicht.scholen.models import Contactrol, School
from leerplicht.schooljaren import naam_voor_datum

import factories as f
from test_access import ROLES, _build_world, _outcome, formulier, url_args

HTMX = {"HX-Request": "true"}
BSN = "111222333"  # passes the eleven-test


def _vorige(naam: str) -> str:
    """The schooljaar before one written 2026-2027."""
    begin = int(naam[:4]) - 1
    return f"{begin}-{begin + 1}"


@pytest.fixture
def wereld(app):
    """The current schooljaar (the one of today) and the one before; a PO school A and a VO
    school V with LLZ contact Lia, school B of Xander; a school user of A; a beheerder."""
    with app.app_context():
        naam = naam_voor_datum(date.today())
        vorig = f.schooljaar(_vorige(naam), huidig=False)
        jaar = f.schooljaar(naam)
        a = f.school(naam="Alfaschool", code="11AA00", sector="PO")
        v = f.school(naam="Veldcollege", code="33VV00", sector="VO")
        b = f.school(naam="Bravoschool", code="22BB00", sector="VO")
        lia = f.persoon("Lia Leerplicht")
        xander = f.persoon("Xander")
        f.toewijzing(a, lia, Contactrol.LLZ_CONTACT)
        f.toewijzing(v, lia, Contactrol.LLZ_CONTACT)
        f.toewijzing(b, xander, Contactrol.LLZ_CONTACT)
        f.gebruiker(Rol.LLZ, "lia@llz.example.nl", contactpersoon=lia)
        f.gebruiker(Rol.SCHOOL, "a@school.example.nl", scholen=[a])
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        db.session.commit()
        return {"a": a.code, "v": v.code, "b": b.code, "a_id": a.id, "v_id": v.id,
                "b_id": b.id, "jaar": naam, "vorig": vorig.naam, "begin": jaar.begin,
                "eind": jaar.eind, "vorig_begin": vorig.begin}


def _gisteren(wereld) -> date:
    """A day of the current schooljaar not after today."""
    return max(wereld["begin"], date.today() - timedelta(days=1))


def _bezoek(app, school_id, datum, soort="overleg", status="gehouden", notitie=""):
    """A visit stored in the schooljaar of its date; returns its id."""
    with app.app_context():
        from leerplicht.schooljaren import Schooljaar

        jaar = db.session.scalars(select(Schooljaar).where(
            Schooljaar.naam == naam_voor_datum(datum))).one()
        bezoek = Bezoek(school_id=school_id, schooljaar_id=jaar.id, datum=datum, soort=soort,
                        status=status, notitie=notitie)
        db.session.add(bezoek)
        db.session.commit()
        return bezoek.id


def _get(app, bezoek_id):
    """A visit as stored now (None when deleted)."""
    with app.app_context():
        bezoek = db.session.get(Bezoek, bezoek_id)
        if bezoek is not None:
            db.session.expunge(bezoek)
        return bezoek


def _aantal(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Bezoek))


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _fout(soup, veld: str) -> str:
    """The error text beside a field."""
    return soup.select_one(f"#{veld}-fout").get_text(" ", strip=True)


# --- the norm rule, numbers written by hand ---------------------------------------------------
# 2026-2027: the afsprakenlijst (and the PO start visit) is due 31-10-2026; VO is judged over
# 1-9-2026 .. 30-6-2027 = 302 days, expecting 6 * days // 302 held visits by the date.

def _stand(app, sector, peildatum, gehouden=0, jes=0):
    with app.app_context():
        jaar = f.huidig_schooljaar("2026-2027")
        telling = Bezoektelling(gehouden=gehouden, jes_gehouden=jes,
                                eerste_gehouden=date(2026, 9, 10) if gehouden else None)
        return voortgang(sector, jaar, normen_voor(jaar), telling, peildatum)


@pytest.mark.parametrize("sector, peildatum, gehouden, jes, verwacht, achter, kort", [
    ("VO", date(2026, 8, 20), 0, 0, 0, False, "Op schema"),  # before 1 September
    ("VO", date(2027, 1, 15), 2, 1, 2, False, "Op schema"),  # 6 * 136 // 302 = 2
    ("VO", date(2027, 1, 15), 1, 1, 2, True, "Achter op de norm"),
    ("VO", date(2027, 1, 15), 3, 0, 2, True, "Achter op de norm"),  # no JES after 31-10
    ("VSO", date(2027, 7, 10), 5, 2, 6, True, "Achter op de norm"),  # after 30 June: all 6
    ("VO", date(2027, 7, 10), 6, 1, 6, False, "Norm gehaald"),
    ("PO", date(2026, 10, 15), 0, 0, 0, False, "Op schema"),  # before the start deadline
    ("PO", date(2026, 11, 5), 0, 0, 1, True, "Achter op de norm"),  # after it, no visit
    ("SO", date(2026, 11, 5), 1, 0, 1, False, "Norm gehaald"),
    ("MBO", date(2027, 1, 15), 2, 0, 0, False, "Geen norm"),
])
def test_voortgang_against_the_norm(app, sector, peildatum, gehouden, jes, verwacht, achter,
                                    kort):
    """Pro rata for VO with JES, a start visit for PO, no norm for MBO."""
    stand = _stand(app, sector, peildatum, gehouden, jes)
    assert (stand.verwacht, stand.achter, stand.kort) == (verwacht, achter, kort)


def test_voortgang_sentences(app):
    """The sentence names the numbers behind the status."""
    assert _stand(app, "VO", date(2027, 1, 15), 2, 1).tekst == (
        "2 van 6 bezoeken gehouden; naar rato 2 verwacht op 15-01-2027.")
    assert _stand(app, "VO", date(2027, 1, 15), 3, 0).tekst == (
        "3 van 6 bezoeken gehouden; naar rato 2 verwacht op 15-01-2027; "
        "nog geen JES bijgewoond.")
    assert _stand(app, "PO", date(2026, 11, 5)).tekst == (
        "0 van 1 bezoeken gehouden; het startbezoek hoorde uiterlijk 31-10-2026.")
    assert _stand(app, "PO", date(2026, 11, 5), 1).tekst == (
        "1 van 1 bezoek gehouden; het startbezoek hoorde uiterlijk 31-10-2026.")
    assert _stand(app, "PO", date(2026, 10, 5), 1).tekst == "1 van 1 bezoek gehouden."
    assert _stand(app, "MBO", date(2027, 1, 15), 1).norm is None


def test_controleer_bezoek(app):
    """A date outside the schooljaar, and a held visit still to come, are refused."""
    with app.app_context():
        jaar = f.huidig_schooljaar("2026-2027")
        controleer_bezoek(date(2026, 9, 1), "gehouden", jaar, date(2026, 9, 1))
        controleer_bezoek(date(2026, 12, 1), "gepland", jaar, date(2026, 9, 1))
        with pytest.raises(Regelfout, match="toekomst"):
            controleer_bezoek(date(2026, 9, 2), "gehouden", jaar, date(2026, 9, 1))
        with pytest.raises(Regelfout, match="schooljaar 2026-2027") as fout:
            controleer_bezoek(date(2026, 7, 31), "gepland", jaar, date(2026, 9, 1))
        assert fout.value.veld == "datum"


# --- the page ---------------------------------------------------------------------------------

def test_earlier_year_shows_norm_progress_and_warning_read_only(app, client, wereld):
    """A VO school with two held visits and no JES in a finished year: behind, read-only."""
    begin = wereld["vorig_begin"]
    _bezoek(app, wereld["v_id"], begin + timedelta(days=40), notitie="Kennismaking nieuwe "
            "zorgcoördinator")
    _bezoek(app, wereld["v_id"], begin + timedelta(days=80), soort="spreekuur")
    _bezoek(app, wereld["v_id"], begin + timedelta(days=100), status="gepland")
    client.login("lia@llz.example.nl")
    soup = client.soup(f"/scholen/{wereld['v']}/bezoeken?schooljaar={wereld['vorig']}")
    assert "JES en minstens 6 keer" in soup.select_one("#bezoek-norm").get_text()
    voortgang_ = soup.select_one("#bezoek-voortgang").get_text(" ", strip=True)
    assert voortgang_.startswith("Achter op de norm 2 van 6 bezoeken gehouden; naar rato 6")
    assert "nog geen JES bijgewoond" in voortgang_
    assert "Achter op de norm (naar rato)" in soup.select_one("#bezoek-achter").get_text()
    rijen = soup.select("#bezoek-rijen tr")
    assert [r.select_one("td").get_text(strip=True) for r in rijen] == [
        f"{begin + timedelta(days=d):%d-%m-%Y}" for d in (100, 80, 40)]  # newest first
    assert "Kennismaking nieuwe zorgcoördinator" in rijen[2].get_text()
    assert rijen[0].select_one(".utrecht-status-badge--neutral").get_text() == "Gepland"
    assert not soup.select("#register form")
    assert all(td.get("data-label") for td in soup.select("#bezoek-rijen td"))


def test_school_user_reads_norm_without_forms_and_may_not_post(app, client, wereld):
    """The school sees what the norm asks and the visits, but no form; its POSTs are 403."""
    bezoek_id = _bezoek(app, wereld["a_id"], _gisteren(wereld), status="gepland")
    client.login("a@school.example.nl")
    soup = client.soup(f"/scholen/{wereld['a']}/bezoeken")
    assert "Minstens 1 keer op school" in soup.select_one("#bezoek-norm").get_text()
    assert soup.select("#bezoek-rijen tr") and not soup.select("#register form")
    basis = f"/scholen/{wereld['a']}/bezoeken"
    for url, data in ((f"{basis}/nieuw", {"datum": _gisteren(wereld).isoformat(),
                                         "soort": "jes", "status": "gehouden"}),
                      (f"{basis}/{bezoek_id}/gehouden", {"versie": "1"}),
                      (f"{basis}/{bezoek_id}/bewerken", {"versie": "1"}),
                      (f"{basis}/{bezoek_id}/verwijderen", {"versie": "1", "bevestigen": "ja"})):
        assert client.post(url, data).status_code == 403, url
    assert client.get(f"{basis}/{bezoek_id}/bewerken").status_code == 403
    assert _get(app, bezoek_id).status == "gepland"
    client.soup(f"/scholen/{wereld['b']}/bezoeken", status=404)


def test_add_visit_without_js_redirects_and_saves(app, client, wereld):
    """A held visit is stored in the current schooljaar; the page shows it."""
    client.login("lia@llz.example.nl")
    dag = _gisteren(wereld)
    response = client.post(f"/scholen/{wereld['v']}/bezoeken/nieuw", {
        "datum": dag.isoformat(), "soort": "jes", "status": "gehouden",
        "notitie": "Meegelopen met het JES"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/scholen/{wereld['v']}/bezoeken#bezoek-")
    with app.app_context():
        (bezoek,) = db.session.scalars(select(Bezoek)).all()
        assert (bezoek.school_id, bezoek.datum, bezoek.soort, bezoek.status, bezoek.notitie) == (
            wereld["v_id"], dag, "jes", "gehouden", "Meegelopen met het JES")
        assert bezoek.schooljaar_id == f.huidig_schooljaar().id
    soup = client.soup(f"/scholen/{wereld['v']}/bezoeken")
    assert "is vastgelegd" in soup.select_one("#meldingen").get_text()
    assert "JES (Jeugd en School overleg)" in soup.select_one("#bezoek-rijen").get_text()


def test_add_visit_with_htmx_returns_the_updated_register(app, client, wereld):
    """htmx gets the register section only, with the new count in the progress line."""
    client.login("lia@llz.example.nl")
    response = client.post(f"/scholen/{wereld['v']}/bezoeken/nieuw", {
        "datum": _gisteren(wereld).isoformat(), "soort": "jes", "status": "gehouden"},
        headers=HTMX)
    assert response.status_code == 200
    soup = _soup(response)
    assert soup.select_one("section#register") and not soup.select_one("h1")
    assert "1 van 6 bezoek gehouden" in soup.select_one("#bezoek-voortgang").get_text()
    assert len(soup.select("#bezoek-rijen tr")) == 1
    assert "is vastgelegd" in soup.select_one("#bezoek-rijen .utrecht-alert--ok").get_text()
    assert soup.select_one("#register form")["data-hx-target"] == "#register"


@pytest.mark.parametrize("wijziging, veld, tekst", [
    ({"datum": "toekomst", "status": "gehouden"}, "datum", "niet in de toekomst"),
    ({"datum": "vorig"}, "datum", "Kies een datum in schooljaar"),
    ({"datum": "31-02-2026"}, "datum", "Vul een geldige datum in"),
    ({"soort": "wandeling"}, "soort", "Ongeldige keuze"),
    ({"soort": ""}, "soort", "Kies de soort bezoek"),
    ({"status": "misschien"}, "status", "Ongeldige keuze"),
    ({"notitie": f"Gesproken over leerling {BSN}"}, "notitie", "burgerservicenummer"),
    ({"notitie": "x" * 301}, "notitie", "korter dan 300 tekens"),
])
def test_bad_visit_is_refused_beside_the_field(app, client, wereld, wijziging, veld, tekst):
    """Bad input: 422, a Dutch message beside the field, nothing saved (with and without htmx)."""
    datums = {"toekomst": (date.today() + timedelta(days=3)).isoformat(),
              "vorig": (wereld["begin"] - timedelta(days=10)).isoformat()}
    data = {"datum": _gisteren(wereld).isoformat(), "soort": "overleg", "status": "gepland",
            "notitie": "", **wijziging}
    data["datum"] = datums.get(data["datum"], data["datum"])
    client.login("lia@llz.example.nl")
    for headers in ({}, HTMX):
        response = client.post(f"/scholen/{wereld['a']}/bezoeken/nieuw", data, headers=headers)
        assert response.status_code == 422
        soup = _soup(response)
        assert tekst in _fout(soup, veld)
        assert soup.select_one("#foutoverzicht")
        assert soup.select_one(f"#{veld}")["aria-invalid"] == "true"
    assert _aantal(app) == 0


def test_mark_held_and_its_refusals(app, client, wereld):
    """A planned visit on or before today becomes held; one still to come, or a stale
    version, is refused and nothing changes."""
    verleden = _bezoek(app, wereld["v_id"], _gisteren(wereld), soort="jes", status="gepland")
    client.login("lia@llz.example.nl")
    url = f"/scholen/{wereld['v']}/bezoeken/{verleden}/gehouden"
    oud = str(_get(app, verleden).versie)
    response = client.post(url, {"versie": oud}, headers=HTMX)
    assert response.status_code == 200
    assert _get(app, verleden).status == "gehouden"
    assert "1 van 6 bezoek gehouden" in _soup(response).select_one("#bezoek-voortgang").text
    # The same form again (its version is now stale): a conflict, 409.
    response = client.post(url, {"versie": oud}, headers=HTMX)
    assert response.status_code == 409
    assert "Iemand anders" in _soup(response).select_one(f"#bezoek-{verleden}").get_text()
    # Held already, with the current version: refused by the rule.
    response = client.post(url, {"versie": str(_get(app, verleden).versie)})
    assert response.status_code == 422 and "al als gehouden" in response.text
    if wereld["eind"] > date.today():
        toekomst = _bezoek(app, wereld["v_id"], date.today() + timedelta(days=1),
                           status="gepland")
        response = client.post(f"/scholen/{wereld['v']}/bezoeken/{toekomst}/gehouden",
                               {"versie": "1"})
        assert response.status_code == 422 and "nog in de toekomst" in response.text
        assert _get(app, toekomst).status == "gepland"
        # ...and its row offers no 'Gehouden' button.
        soup = client.soup(f"/scholen/{wereld['v']}/bezoeken")
        assert not soup.select(f"#bezoek-{toekomst} form[action$='/gehouden']")


def test_mark_held_without_js_redirects(app, client, wereld):
    """Without JavaScript the action redirects back to the row."""
    bezoek_id = _bezoek(app, wereld["a_id"], _gisteren(wereld), status="gepland")
    client.login("beheer@llz.example.nl")
    response = client.post(f"/scholen/{wereld['a']}/bezoeken/{bezoek_id}/gehouden",
                           {"versie": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#bezoek-{bezoek_id}")
    assert _get(app, bezoek_id).status == "gehouden"


def test_edit_visit_page_save_conflict_and_bad_input(app, client, make_client, wereld):
    """The row becomes a form; saving changes it; a stale version keeps the user's text and
    shows what is stored; bad input changes nothing."""
    dag = _gisteren(wereld)
    bezoek_id = _bezoek(app, wereld["a_id"], dag, soort="overleg", status="gepland",
                        notitie="Eerste afspraak")
    client.login("lia@llz.example.nl")
    url = f"/scholen/{wereld['a']}/bezoeken/{bezoek_id}/bewerken"
    soup = client.soup(url)
    rij = soup.select_one(f"#bezoek-{bezoek_id}")
    assert rij.select_one("input[name=notitie]")["value"] == "Eerste afspraak"
    assert rij.select_one("select[name=soort] option[selected]")["value"] == "overleg"
    assert rij.select_one("input[name=versie]")["value"] == "1"
    assert not soup.select("form[action$='/bezoeken/nieuw']")  # one primary button per view
    assert len(soup.select("main .utrecht-button--primary-action")) == 1
    # Someone else saves first.
    andere = make_client()
    andere.login("beheer@llz.example.nl")
    assert andere.post(url, {"versie": "1", "datum": dag.isoformat(), "soort": "mdo",
                             "status": "gehouden", "notitie": "Door de beheerder"}
                       ).status_code == 302
    mijn = {"versie": "1", "datum": dag.isoformat(), "soort": "kennismaking",
            "status": "gehouden", "notitie": "Mijn tekst"}
    response = client.post(url, mijn, headers=HTMX)
    assert response.status_code == 409
    soup = _soup(response)
    assert "Door de beheerder" in soup.select_one("#bezoek-conflict").get_text()
    assert soup.select_one("input[name=notitie]")["value"] == "Mijn tekst"
    assert soup.select_one("input[name=versie]")["value"] == "2"
    assert _get(app, bezoek_id).notitie == "Door de beheerder"
    # Bad input: nothing changes.
    response = client.post(url, {**mijn, "versie": "2", "notitie": BSN})
    assert response.status_code == 422 and "burgerservicenummer" in _fout(_soup(response),
                                                                           "notitie")
    assert _get(app, bezoek_id).soort == "mdo"
    # Saving again, deliberately over the other change.
    response = client.post(url, {**mijn, "versie": "2"})
    assert response.status_code == 302
    bezoek = _get(app, bezoek_id)
    assert (bezoek.soort, bezoek.status, bezoek.notitie) == ("kennismaking", "gehouden",
                                                             "Mijn tekst")


def test_delete_asks_to_confirm_then_deletes(app, client, wereld):
    """Without JavaScript the first POST asks to confirm; the confirmation deletes."""
    bezoek_id = _bezoek(app, wereld["a_id"], _gisteren(wereld), status="gepland")
    client.login("lia@llz.example.nl")
    url = f"/scholen/{wereld['a']}/bezoeken/{bezoek_id}/verwijderen"
    soup = client.soup(f"/scholen/{wereld['a']}/bezoeken")
    knop = soup.select_one(f"#bezoek-{bezoek_id} form[action='{url}']")
    assert knop["data-hx-confirm"] and not knop.select("input[name=bevestigen]")
    response = client.post(url, {"versie": "1"})
    assert response.status_code == 200
    bevestig = _soup(response).select_one(f"#bezoek-{bezoek_id} form[action='{url}']")
    assert bevestig.select_one("input[name=bevestigen]")["value"] == "ja"
    assert _get(app, bezoek_id) is not None
    assert client.post(url, {"versie": "0", "bevestigen": "ja"}).status_code == 409
    assert _get(app, bezoek_id) is not None
    response = client.post(url, {"versie": "1", "bevestigen": "ja"}, headers=HTMX)
    assert response.status_code == 200 and _get(app, bezoek_id) is None
    soup = _soup(response)
    assert not soup.select("#bezoek-rijen") and "is verwijderd" in soup.text


def test_other_schools_visit_is_404_and_earlier_year_is_403(app, client, wereld):
    """A visit id of school B in school A's URL is not found; an old visit is not changed."""
    vreemd = _bezoek(app, wereld["b_id"], _gisteren(wereld), status="gepland")
    oud = _bezoek(app, wereld["a_id"], wereld["vorig_begin"] + timedelta(days=30),
                  status="gepland")
    client.login("beheer@llz.example.nl")
    basis = f"/scholen/{wereld['a']}/bezoeken"
    assert client.get(f"{basis}/{vreemd}/bewerken").status_code == 404
    for actie in ("gehouden", "bewerken", "verwijderen"):
        assert client.post(f"{basis}/{vreemd}/{actie}", {"versie": "1", "bevestigen": "ja"}
                           ).status_code == 404
        assert client.post(f"{basis}/{oud}/{actie}", {"versie": "1", "bevestigen": "ja"}
                           ).status_code == 403
    assert client.get(f"{basis}/99999999999/bewerken").status_code == 404
    assert _get(app, vreemd).status == _get(app, oud).status == "gepland"


def test_access_matrix_of_the_visits(app, make_client):
    """Every visits endpoint x role gives the outcome written in policy_bezoeken."""
    with app.app_context():
        world = _build_world()
    args = url_args(app, world)
    fouten = []
    for endpoint, verwacht in policy_bezoeken.POLICY.items():
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        with app.test_request_context():
            url = url_for(endpoint, **{k: args[k] for k in rule.arguments})
        for methode in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for rol, uitkomst in zip(ROLES, verwacht, strict=True):
                if "bezoek_id" in rule.arguments:  # a fresh visit: an earlier role deleted one
                    with app.app_context():
                        args = {**args, **policy_bezoeken.url_args(world)}
                    with app.test_request_context():
                        url = url_for(endpoint, **{k: args[k] for k in rule.arguments})
                client = make_client()
                if rol != "anoniem":
                    client.login(world["emails"][rol])
                data = formulier(app, world, endpoint, args) if methode == "POST" else None
                response = client.get(url) if methode == "GET" else client.post(url, data)
                if _outcome(response) != uitkomst:
                    fouten.append(f"{methode} {url} als {rol}: {_outcome(response)}")
    assert not fouten, "\n".join(fouten)


# --- dossier, cockpit, start page -------------------------------------------------------------

def test_dossier_section_shows_progress_and_next_visit(app, client, wereld):
    """Progress sentence, badge, next planned visit and the link to the page."""
    _bezoek(app, wereld["v_id"], _gisteren(wereld), soort="jes")
    if wereld["eind"] > date.today():
        _bezoek(app, wereld["v_id"], min(wereld["eind"], date.today() + timedelta(days=7)),
                soort="spreekuur", status="gepland")
    client.login("lia@llz.example.nl")
    sectie = client.soup(f"/scholen/{wereld['v']}").select_one("#sectie-aanwezigheid")
    assert sectie.h2.get_text() == "Aanwezigheid van Leerlingzaken"
    tekst = sectie.get_text(" ", strip=True)
    assert "1 van 6 bezoek gehouden" in tekst and sectie.select_one(".utrecht-status-badge")
    if wereld["eind"] > date.today():
        assert "Volgend gepland bezoek" in tekst and "Spreekuur" in tekst
    assert sectie.select_one("a")["href"] == f"/scholen/{wereld['v']}/bezoeken"


def test_dossier_loader_is_bounded(app, wereld, query_counter):
    """Two queries for the dossier section, whatever the number of schools."""
    with app.app_context():
        jaar = f.huidig_schooljaar()
        weinig_scholen = list(db.session.scalars(select(School)))
        for _ in range(20):
            f.school(sector="VO")
        db.session.commit()
        alle = list(db.session.scalars(select(School)))
        laad_dossier(weinig_scholen, jaar)  # the norms version is read once per context
        tellingen = []
        for scholen in (weinig_scholen, alle):
            with query_counter() as teller:
                data = laad_dossier(scholen, jaar)
            tellingen.append(teller.count)
            assert set(data) == {s.id for s in scholen}
        assert tellingen == [2, 2]
        assert laad_dossier(alle, None) == {}


@pytest.fixture
def na_het_jaar(app, wereld, monkeypatch):
    """The cockpit and start page judge on the last day of the current schooljaar; school V
    has two held visits without JES (behind), school A its start visit (norm met)."""
    _bezoek(app, wereld["v_id"], wereld["begin"] + timedelta(days=40))
    _bezoek(app, wereld["v_id"], wereld["begin"] + timedelta(days=60))
    _bezoek(app, wereld["a_id"], wereld["begin"] + timedelta(days=35), soort="kennismaking")
    with app.app_context():
        jaar = f.huidig_schooljaar()
        db.session.expunge(jaar)
    monkeypatch.setattr(cockpit, "peil_nu", lambda: cockpit.Peil(jaar, wereld["eind"]))
    return wereld


def test_cockpit_column_and_card(app, client, na_het_jaar):
    """The column shows badge and '2 van 6'; the card filters to the school behind."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/")
    cel = soup.select_one("tr[data-school='33VV00'] td[data-kolom=aanwezigheid]")
    assert cel.select_one(".utrecht-status-badge--invalid").get_text() == "Achter op de norm"
    assert cel.a.get_text() == "2 van 6" and cel.a["href"] == "/scholen/33VV00/bezoeken"
    po = soup.select_one("tr[data-school='11AA00'] td[data-kolom=aanwezigheid]")
    assert po.select_one(".utrecht-status-badge--valid").get_text() == "Norm gehaald"
    soup = client.soup("/?toon=aanwezigheid")
    # Bravoschool (VO, no visit at all) is behind too; Alfaschool is not.
    assert [tr["data-school"] for tr in soup.select("table.cockpit tbody tr")] == [
        "22BB00", "33VV00"]


def test_start_page_group_lists_the_school_behind(app, client, na_het_jaar):
    """The LLZ contact sees the school that is behind, linking to its visits page."""
    client.login("lia@llz.example.nl")
    groep = client.soup("/").select_one("#groep-aanwezigheid")
    assert groep.h3.get_text(" ", strip=True).startswith("Aanwezigheid achter op de norm")
    (item,) = groep.select("li")
    assert item.a["href"] == "/scholen/33VV00/bezoeken"
    assert item.a.get_text().startswith("2 van 6 bezoeken gehouden")
    assert "Veldcollege" in item.get_text()


# --- in a real browser ------------------------------------------------------------------------

@pytest.mark.browser
def test_visits_in_the_browser_with_htmx_and_axe(app, wereld, browserpagina):
    """Add a visit, mark one held, delete one after the confirm dialog: the register is
    swapped in place each time, and the page passes axe-core at both widths."""
    dag = _gisteren(wereld)
    _bezoek(app, wereld["v_id"], dag, soort="overleg", status="gepland")
    b = browserpagina
    page = b.page
    b.login("lia@llz.example.nl")
    b.open(f"/scholen/{wereld['v']}/bezoeken")
    b.assert_toegankelijk()
    page.evaluate("window.geenHerlaad = true")
    page.fill("#datum", dag.isoformat())
    page.select_option("#soort", "jes")
    page.select_option("#status", "gehouden")
    page.fill("#notitie", "JES bijgewoond")
    page.click("form[action$='/bezoeken/nieuw'] button[type=submit]")
    page.locator("#bezoek-voortgang", has_text="1 van 6").wait_for()
    b.wacht_op_htmx()
    page.click("#bezoek-rijen form[action$='/gehouden'] button")
    page.locator("#bezoek-voortgang", has_text="2 van 6").wait_for()
    b.wacht_op_htmx()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#bezoek-rijen form[action$='/verwijderen'] button").first.click()
    page.locator("#bezoek-voortgang", has_text="1 van 6").wait_for()
    assert page.evaluate("window.geenHerlaad") is True
    assert page.locator("#bezoek-rijen tr").count() == 1
    b.assert_toegankelijk()
    page.set_viewport_size({"width": 390, "height": 900})
    b.assert_toegankelijk()

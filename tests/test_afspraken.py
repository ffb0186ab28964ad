"""The afsprakenlijst: template per sector, inline editing (htmx and no-JS), akkoord,
versions, diff, conflicts, the 3-month deadline and the stilzwijgende verlenging."""

from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.models import Afspraak, Afsprakenlijst, Herkomst, Status
from leerplicht.afspraken.regels import (
    Regelfout,
    deadline,
    geef_akkoord,
    maak_lijst,
    na_wijziging,
    nieuwe_versie,
    stand_uit,
    termijnstand,
    verschil,
    zet_tekst,
)
from leerplicht.afspraken.schooljaar import start_schooljaar
from leerplicht.afspraken.sjablonen import LEEG
from leerplicht.audit import Auditregel
from leerplicht.extensions import db
from leerplicht.normenbron import normen_voor
from leerplicht.scholen.models import Contactrol, School
from leerplicht.schooljaren import Schooljaar
from leerplicht.woordverschil import woordverschil

import factories as f


@pytest.fixture
def world(app):
    """A PO and a VO school, their LLZ contact, school users and a beheerder."""
    with app.app_context():
        f.schooljaar("2026-2027")
        po = f.school(naam="Basisschool De Vlinder", code="21XA00", sector="PO")
        vo = f.school(naam="Zeevliet College", code="31XF00", sector="VO")
        llz = f.persoon("Lars Leerplicht")
        for school in (po, vo):
            f.toewijzing(school, llz, Contactrol.LLZ_CONTACT)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=llz, naam="Lars Leerplicht")
        f.gebruiker(Rol.LLZ, "anna@llz.example.nl", contactpersoon=f.persoon("Anna"))
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[po], naam="Zora Zorg")
        f.gebruiker(Rol.SCHOOL, "zorg@college.example.nl", scholen=[vo])
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        db.session.commit()
    return {"po": "21XA00", "vo": "31XF00"}


def _lijst(app, code):
    """All versions of the school's list in this schooljaar, newest first."""
    with app.app_context():
        school = db.session.scalars(select(School).filter_by(code=code)).one()
        return [
            (lijst.volgnummer, lijst.status, [(a.id, a.titel, a.tekst, a.positie, a.versie)
                                              for a in lijst.afspraken])
            for lijst in db.session.scalars(
                select(Afsprakenlijst).filter_by(school_id=school.id)
                .order_by(Afsprakenlijst.volgnummer.desc()))
        ]


def _maak(client, code):
    """Create the list through the page's button."""
    response = client.post(f"/scholen/{code}/afsprakenlijst/aanmaken")
    assert response.status_code == 302


def _vul_in(lijst, invulling="in overleg afgesproken"):
    """Fill in the template's "(vul in)" blanks of a list (inside an app context)."""
    for afspraak in lijst.afspraken:
        if LEEG in afspraak.tekst:
            zet_tekst(afspraak, afspraak.tekst.replace(LEEG, invulling))


def _maak_compleet(client, app, code):
    """Create the list and fill in its blanks, as LLZ and the school do before the akkoord."""
    _maak(client, code)
    with app.app_context():
        school = db.session.scalars(select(School).filter_by(code=code)).one()
        _vul_in(db.session.scalars(select(Afsprakenlijst).filter_by(
            school_id=school.id, status="concept")).one())
        db.session.commit()


@pytest.fixture
def llz(world, client):
    """The assigned LLZ contact, logged in."""
    client.login("lars@llz.example.nl")
    return client


# --- template ---------------------------------------------------------------------------------


def test_new_list_prefilled_per_sector_from_norms(app, world, llz):
    """PO gets the MDO presence text, VO the JES and the visit count from content/normen.toml."""
    _maak(llz, world["po"])
    _maak(llz, world["vo"])
    with app.app_context():
        normen = normen_voor("2026-2027")
    (po,) = _lijst(app, world["po"])
    (vo,) = _lijst(app, world["vo"])
    assert po[1] == vo[1] == "concept"
    titels = [a[1] for a in po[2]]
    assert titels[0] == "Contactpersonen en vervanging" and len(titels) == 7
    po_tekst = dict((a[1], a[2]) for a in po[2])
    vo_tekst = dict((a[1], a[2]) for a in vo[2])
    presence = "Aanwezigheid van Leerlingzaken op school"
    assert "MDO" in po_tekst[presence] and "JES" not in po_tekst[presence]
    assert f"minstens {normen['vo_bezoeken_minimum']} op school" in vo_tekst[presence]
    assert str(normen["vragen_beantwoorden"]) in po_tekst["Reactietermijnen"]
    for element in normen.meldingselementen:
        assert element in po_tekst["Verzuim melden"]


def test_create_twice_makes_one_list(app, world, llz):
    """A second 'aanmaken' (double click, two tabs) adds nothing."""
    _maak(llz, world["po"])
    _maak(llz, world["po"])
    assert len(_lijst(app, world["po"])) == 1


def test_get_never_creates(app, world, llz):
    """Opening the page of a school without a list shows the button and writes nothing."""
    soup = llz.soup(f"/scholen/{world['po']}/afsprakenlijst")
    assert soup.select_one(f"form[action='/scholen/{world['po']}/afsprakenlijst/aanmaken']")
    assert _lijst(app, world["po"]) == []


# --- editing: htmx partials and their no-JS fallbacks ----------------------------------------


def _afspraak_ids(app, code):
    """Ids of the newest version's afspraken, in order."""
    return [a[0] for a in _lijst(app, code)[0][2]]


def test_add_free_agreement_without_js(app, world, llz):
    """Plain form post: redirect to the list, the afspraak stored with sanitised HTML."""
    _maak(llz, world["po"])
    response = llz.post(f"/scholen/{world['po']}/afspraken/nieuw", {
        "titel": "Overleg met de intern begeleider", "tekst": "Elke **maand** [info](javascript:x)",
        "wie": "beiden", "deadline": "2026-12-15"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/scholen/{world['po']}/afsprakenlijst#")
    with app.app_context():
        afspraak = db.session.scalars(select(Afspraak).filter_by(sectie="vrij")).one()
        assert afspraak.deadline == date(2026, 12, 15)
        assert "<strong>maand</strong>" in afspraak.tekst_html
        assert "javascript" not in afspraak.tekst_html


def test_add_free_agreement_with_htmx_returns_concept_partial(app, world, llz):
    """htmx: the concept section comes back (no layout) with the new afspraak last."""
    _maak(llz, world["po"])
    response = llz.post(f"/scholen/{world['po']}/afspraken/nieuw",
                        {"titel": "Nieuwe afspraak", "tekst": "", "wie": "school"},
                        headers={"HX-Request": "true"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None
    section = soup.select_one("section#concept")
    titels = [h.get_text(strip=True) for h in section.select("li.afspraak .afspraak__titel")]
    assert titels[-1] == "Nieuwe afspraak"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"titel": ""}, "titel", "Geef de afspraak een titel."),
        ({"titel": "x" * 161}, "titel", "160"),
        ({"tekst": "Leerling met BSN 111222333"}, "tekst", "burgerservicenummer"),
        ({"tekst": "a" * 5001}, "tekst", "5000"),
        ({"wie": "iedereen"}, "wie", ""),
        ({"deadline": "31-02-2026"}, "deadline", ""),
        ({"deadline": "1900-01-01"}, "deadline", "tussen 2000 en 2100"),
        ({"titel": "bel\x07teken"}, "titel", "stuurtekens"),
    ],
    ids=["titel-leeg", "titel-lang", "bsn", "tekst-lang", "wie", "datum-vorm", "datum-oud",
         "stuurteken"],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["zonder-js", "htmx"])
def test_add_bad_input(app, world, llz, data, field, message, htmx):
    """Bad input: 422, the message beside the field (in the partial for htmx), nothing added."""
    _maak(llz, world["po"])
    before = _afspraak_ids(app, world["po"])
    form = {"titel": "Een titel", "tekst": "tekst", "wie": "beiden", **data}
    headers = {"HX-Request": "true"} if htmx else {}
    response = llz.post(f"/scholen/{world['po']}/afspraken/nieuw", form, headers=headers)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert (soup.find("html") is None) is htmx
    error = soup.select_one(f"#{field}-fout")
    assert error is not None and message in error.get_text()
    assert _afspraak_ids(app, world["po"]) == before


def test_edit_inline_with_htmx_and_cancel(app, world, llz):
    """GET with htmx gives the form partial; POST gives the view partial back; cancel too."""
    _maak(llz, world["po"])
    first = _afspraak_ids(app, world["po"])[0]
    url = f"/scholen/{world['po']}/afspraken/{first}"
    form_html = BeautifulSoup(llz.get(url, headers={"HX-Request": "true"}).text, "html.parser")
    assert form_html.find("html") is None
    form = form_html.select_one("form")
    assert form["data-hx-post"] == url and form["data-hx-target"] == f"#afspraak-{first}"
    assert form.select_one("#titel").has_attr("autofocus")
    response = llz.post(url, {"versie": "1", "titel": "Nieuwe titel", "tekst": "Nieuwe tekst",
                              "wie": "llz"}, headers={"HX-Request": "true"})
    view = BeautifulSoup(response.text, "html.parser")
    assert response.status_code == 200
    assert view.select_one(".afspraak__titel").get_text(strip=True) == "Nieuwe titel"
    assert view.select_one("a[autofocus]")  # focus returns to the 'Wijzigen' button
    cancel = llz.get(f"{url}/weergave", headers={"HX-Request": "true"})
    assert "Nieuwe titel" in cancel.text
    assert llz.get(f"{url}/weergave").status_code == 302  # no-JS: back to the page


def test_edit_without_js(app, world, llz):
    """Plain GET shows a full page with the form; POST redirects to the list."""
    _maak(llz, world["po"])
    first = _afspraak_ids(app, world["po"])[0]
    url = f"/scholen/{world['po']}/afspraken/{first}"
    soup = llz.soup(url)
    assert soup.find("html") and soup.select_one("form input[name=versie]")["value"] == "1"
    response = llz.post(url, {"versie": "1", "titel": "Zonder JS", "tekst": "x", "wie": "llz"})
    assert response.status_code == 302
    assert _lijst(app, world["po"])[0][2][0][1] == "Zonder JS"


def test_reorder_and_delete(app, world, llz):
    """Move down swaps two afspraken; only free afspraken can be deleted."""
    _maak(llz, world["po"])
    ids = _afspraak_ids(app, world["po"])
    response = llz.post(f"/scholen/{world['po']}/afspraken/{ids[0]}/verplaatsen",
                        {"richting": "omlaag"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.text.lstrip().startswith("<section")
    assert _afspraak_ids(app, world["po"])[:2] == [ids[1], ids[0]]
    assert llz.post(f"/scholen/{world['po']}/afspraken/{ids[0]}/verplaatsen",
                    {"richting": "zijwaarts"}).status_code == 400
    # A standard section cannot be deleted.
    llz.post(f"/scholen/{world['po']}/afspraken/{ids[0]}/verwijderen", {"versie": "2"})
    assert len(_afspraak_ids(app, world["po"])) == 7
    llz.post(f"/scholen/{world['po']}/afspraken/nieuw", {"titel": "Weg", "wie": "llz"})
    vrij = _afspraak_ids(app, world["po"])[-1]
    response = llz.post(f"/scholen/{world['po']}/afspraken/{vrij}/verwijderen", {"versie": "1"})
    assert response.status_code == 302
    assert vrij not in _afspraak_ids(app, world["po"])


def test_other_school_afspraak_is_404(app, world, llz):
    """An afspraak id of another school under this school's URL is not found."""
    _maak(llz, world["po"])
    ids = _afspraak_ids(app, world["po"])
    assert llz.get(f"/scholen/{world['vo']}/afspraken/{ids[0]}").status_code == 404


# --- akkoord, versions, diff --------------------------------------------------------------------


def _akkoord(client, app, code, versie=None):
    """Give akkoord on the concept as currently stored (or on a given version)."""
    if versie is None:
        with app.app_context():
            school = db.session.scalars(select(School).filter_by(code=code)).one()
            concept = db.session.scalars(select(Afsprakenlijst).filter_by(
                school_id=school.id, status="concept")).one()
            versie = concept.versie
    return client.post(f"/scholen/{code}/afsprakenlijst/akkoord", {"versie": str(versie)})


def test_both_sides_make_it_vastgesteld(app, world, llz, make_client):
    """Akkoord of LLZ alone keeps the concept; with the school's it is vastgesteld (who, when)."""
    _maak_compleet(llz, app, world["po"])
    assert _akkoord(llz, app, world["po"]).status_code == 302
    assert _lijst(app, world["po"])[0][1] == "concept"
    school = make_client()
    school.login("zorg@vlinder.example.nl")
    page = school.soup(f"/scholen/{world['po']}/afsprakenlijst")
    assert page.select_one("form[action$='/akkoord'] button").get_text().strip().endswith(
        "de school")
    assert _akkoord(school, app, world["po"]).status_code == 302
    assert _lijst(app, world["po"])[0][1] == "vastgesteld"
    with app.app_context():
        lijst = db.session.scalars(select(Afsprakenlijst)).one()
        assert lijst.akkoord_llz_door.email == "lars@llz.example.nl"
        assert lijst.akkoord_school_door.email == "zorg@vlinder.example.nl"
        assert (lijst.akkoord_llz_naam, lijst.akkoord_school_naam) == ("Lars Leerplicht",
                                                                       "Zora Zorg")
        assert lijst.vastgesteld_op is not None
    akkoord = school.soup(f"/scholen/{world['po']}/afsprakenlijst").select_one(".geldend .akkoord")
    assert "Lars Leerplicht" in akkoord.get_text() and "Zora Zorg" in akkoord.get_text()


def test_unassigned_llz_cannot_give_akkoord(app, world, llz, make_client):
    """Only the school's own LLZ contact (or a beheerder) speaks for LLZ."""
    _maak(llz, world["po"])
    other = make_client()
    other.login("anna@llz.example.nl")
    assert _akkoord(other, app, world["po"]).status_code == 403


def test_edit_after_akkoord_resets_it(app, world, llz):
    """Changing the text after an akkoord voids it: the other side agreed to other words."""
    _maak_compleet(llz, app, world["po"])
    assert _akkoord(llz, app, world["po"]).status_code == 302
    first = _afspraak_ids(app, world["po"])[0]
    llz.post(f"/scholen/{world['po']}/afspraken/{first}",
             {"versie": "1", "titel": "Anders", "tekst": "", "wie": "llz"})
    with app.app_context():
        lijst = db.session.scalars(select(Afsprakenlijst)).one()
        assert lijst.akkoord_llz_op is None and lijst.status == "concept"


def test_akkoord_on_stale_page_is_refused(app, world, llz, make_client):
    """An akkoord given on a page loaded before someone edited the text does not count."""
    _maak_compleet(llz, app, world["po"])
    school = make_client()
    school.login("zorg@vlinder.example.nl")
    seen = school.soup(f"/scholen/{world['po']}/afsprakenlijst").select_one(
        "form[action$='/akkoord'] input[name=versie]")["value"]
    llz.post(f"/scholen/{world['po']}/afspraken/nieuw", {"titel": "Later erbij", "wie": "llz"})
    response = _akkoord(school, app, world["po"], versie=seen)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Afsprakenlijst)).one().akkoord_school_op is None


def _vaststellen(app, world, llz, make_client, code="po"):
    """Make, fill in and agree the list of a school; return the school client."""
    _maak_compleet(llz, app, world[code])
    _akkoord(llz, app, world[code])
    school = make_client()
    school.login("zorg@vlinder.example.nl" if code == "po" else "zorg@college.example.nl")
    _akkoord(school, app, world[code])
    return school


def test_vastgestelde_list_cannot_be_edited_in_place(app, world, llz, make_client):
    """An afspraak of a vastgestelde version gives 409; a new version must be made."""
    _vaststellen(app, world, llz, make_client)
    first = _afspraak_ids(app, world["po"])[0]
    response = llz.post(f"/scholen/{world['po']}/afspraken/{first}",
                        {"versie": "1", "titel": "x", "wie": "llz"})
    assert response.status_code == 409
    assert _lijst(app, world["po"])[0][2][0][1] == "Contactpersonen en vervanging"


def test_amendment_keeps_vastgestelde_version_visible(app, world, llz, make_client):
    """A new concept version; the school still sees version 1 in force until v2 is agreed."""
    school = _vaststellen(app, world, llz, make_client)
    assert llz.post(f"/scholen/{world['po']}/afsprakenlijst/nieuwe-versie").status_code == 302
    (v2, v1) = _lijst(app, world["po"])
    assert (v2[0], v2[1], v1[1]) == (2, "concept", "vastgesteld")
    new_first = v2[2][1][0]
    llz.post(f"/scholen/{world['po']}/afspraken/{new_first}",
             {"versie": "1", "titel": "Aanwezigheid op afroep", "tekst": "Alleen op afroep.",
              "wie": "llz"})
    page = school.soup(f"/scholen/{world['po']}/afsprakenlijst")
    geldend = [h.get_text(strip=True) for h in page.select(".geldend .afspraak__titel")]
    assert "Aanwezigheid van Leerlingzaken op school" in geldend
    assert "Aanwezigheid op afroep" not in geldend
    concept = [h.get_text(strip=True) for h in page.select("#concept .afspraak__titel")]
    assert "Aanwezigheid op afroep" in concept
    dossier = school.soup(f"/scholen/{world['po']}")
    section = [h.get_text(strip=True) for h in dossier.select(
        "#sectie-afsprakenlijst .afspraak__titel")]
    assert "Aanwezigheid van Leerlingzaken op school" in section
    # Agreeing version 2 replaces version 1.
    _akkoord(llz, app, world["po"])
    _akkoord(school, app, world["po"])
    (v2, v1) = _lijst(app, world["po"])
    assert (v2[1], v1[1]) == ("vastgesteld", "vervangen")


def test_diff_between_versions(app, world, llz, make_client):
    """The diff page shows the changed words with <del>/<ins> and added afspraken."""
    _vaststellen(app, world, llz, make_client)
    llz.post(f"/scholen/{world['po']}/afsprakenlijst/nieuwe-versie")
    second = _lijst(app, world["po"])[0][2][1]
    llz.post(f"/scholen/{world['po']}/afspraken/{second[0]}",
             {"versie": "1", "titel": second[1], "tekst": "Op afroep bij het MDO.",
              "wie": "llz"})
    llz.post(f"/scholen/{world['po']}/afspraken/nieuw", {"titel": "Extra afspraak", "wie": "llz"})
    soup = llz.soup(f"/scholen/{world['po']}/afsprakenlijst/verschil?van=1&naar=2")
    items = {li.select_one("h2").contents[0].strip(): li for li in soup.select("li.verschil__item")}
    assert "verschil__item--gewijzigd" in items[second[1]]["class"]
    assert items[second[1]].select("ins") and items[second[1]].select("del")
    assert "verschil__item--toegevoegd" in items["Extra afspraak"]["class"]
    assert llz.get(f"/scholen/{world['po']}/afsprakenlijst/verschil?van=x").status_code == 404
    assert llz.get(f"/scholen/{world['po']}/afsprakenlijst/verschil?van=9").status_code == 404


def test_woordverschil_escapes_html():
    """The diff is escaped: text typed by users can never become markup."""
    html = str(woordverschil("a <b>", "a <script>x</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.startswith("a <del>")


def test_print_view(app, world, llz, make_client):
    """The print view is a standalone A4 page with the afspraken and the akkoord."""
    _vaststellen(app, world, llz, make_client)
    soup = llz.soup(f"/scholen/{world['po']}/afsprakenlijst/versie/1?afdrukken=1")
    assert soup.select_one("link[rel=stylesheet]")["href"].endswith("afdrukken.css")
    assert soup.find("nav") is None
    assert len(soup.select("li.afspraak")) == 7
    assert "Vastgesteld op" in soup.select_one(".afdruk__akkoord").get_text()


# --- conflicts: two people, one afspraak --------------------------------------------------------


def test_two_editors_one_conflict_zero_lost_updates(app, world, llz, make_client):
    """Both load version 1; the first save wins, the second gets 409 with both texts kept."""
    _maak(llz, world["po"])
    beheerder = make_client()
    beheerder.login("beheer@llz.example.nl")
    first = _afspraak_ids(app, world["po"])[0]
    url = f"/scholen/{world['po']}/afspraken/{first}"
    assert llz.soup(url).select_one("input[name=versie]")["value"] == "1"
    assert beheerder.soup(url).select_one("input[name=versie]")["value"] == "1"
    ok = beheerder.post(url, {"versie": "1", "titel": "Tekst van de beheerder",
                              "tekst": "Eerste opslag", "wie": "llz"})
    assert ok.status_code == 302
    conflict = llz.post(url, {"versie": "1", "titel": "Tekst van Lars", "tekst": "Tweede",
                              "wie": "llz"}, headers={"HX-Request": "true"})
    assert conflict.status_code == 409
    soup = BeautifulSoup(conflict.text, "html.parser")
    assert soup.select_one("#titel")["value"] == "Tekst van Lars"
    assert "Tekst van de beheerder" in soup.select_one(".conflict-versie").get_text()
    assert soup.select_one("input[name=versie]")["value"] == "2"
    assert _lijst(app, world["po"])[0][2][0][1] == "Tekst van de beheerder"


# --- history ------------------------------------------------------------------------------------


def test_history_shows_who_changed_what(app, world, llz, make_client):
    """Every change is in the dossier history with name, field, old and new value."""
    _maak(llz, world["po"])
    first = _afspraak_ids(app, world["po"])[0]
    llz.post(f"/scholen/{world['po']}/afspraken/{first}",
             {"versie": "1", "titel": "Gewijzigde titel", "tekst": "t", "wie": "llz"})
    school = make_client()
    school.login("zorg@vlinder.example.nl")
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")]
            for tr in school.soup(f"/scholen/{world['po']}/geschiedenis").select("tbody tr")]
    assert any(r[1] == "Lars Leerplicht" and r[2] == "Afspraak gewijzigd: titel"
               and r[3] == "Contactpersonen en vervanging" and r[4] == "Gewijzigde titel"
               for r in rows)
    other = make_client()
    other.login("zorg@college.example.nl")
    assert other.get(f"/scholen/{world['po']}/geschiedenis").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Auditregel.id)).where(
            Auditregel.tabel == "afspraak", Auditregel.actie == "aangemaakt")) == 7


# --- rules, called directly ----------------------------------------------------------------------


def _regels_lijst(sector="PO", ingevuld=True):
    """A fresh list inside the current app context (its blanks filled in unless asked not)."""
    jaar = db.session.scalars(select(Schooljaar)).first()
    school = f.school(sector=sector)
    lijst = maak_lijst(school, jaar, normen_voor(jaar))
    if ingevuld:
        _vul_in(lijst)
    db.session.flush()
    return jaar, school, lijst


def test_status_transitions(app, world):
    """concept -> (llz) concept -> (school) vastgesteld; then no more akkoord or edits."""
    with app.app_context():
        _jaar, _school, lijst = _regels_lijst()
        assert geef_akkoord(lijst, "llz", 1, None) is False
        assert geef_akkoord(lijst, "school", 2, None) is True
        assert lijst.status == Status.VASTGESTELD
        with pytest.raises(Regelfout):
            geef_akkoord(lijst, "school", 2, None)
        with pytest.raises(Regelfout):
            na_wijziging(lijst)
        with pytest.raises(Regelfout, match="Alleen Leerlingzaken en de school"):
            geef_akkoord(_regels_lijst()[2], "derde", 3, None)
        nieuw = nieuwe_versie(lijst, 2)
        assert nieuw.herkomst == Herkomst.WIJZIGING and nieuw.is_concept
        assert [a.sleutel for a in nieuw.afspraken] == [a.sleutel for a in lijst.afspraken]
        with pytest.raises(Regelfout):
            nieuwe_versie(nieuw, 3)
        db.session.rollback()


def test_stand_picks_version_in_force_and_concept(app, world):
    """The version in force is the newest vastgestelde; the concept the open one."""
    a = Afsprakenlijst(volgnummer=1, status="vervangen")
    b = Afsprakenlijst(volgnummer=2, status="vastgesteld")
    c = Afsprakenlijst(volgnummer=3, status="concept")
    stand = stand_uit([c, a, b])
    assert (stand.geldend, stand.concept, stand.volgend_nummer) == (b, c, 4)


@pytest.mark.parametrize(
    ("vastgesteld", "vandaag", "code"),
    [
        (datetime(2026, 10, 31, 15, tzinfo=UTC), date(2026, 11, 22), "op_tijd"),
        (datetime(2026, 11, 1, 9, tzinfo=UTC), date(2026, 11, 22), "te_laat_vastgesteld"),
        (None, date(2026, 9, 1), "loopt"),
        (None, date(2026, 10, 20), "bijna"),
        (None, date(2026, 10, 31), "bijna"),
        (None, date(2026, 11, 1), "te_laat"),
    ],
)
def test_deadline_three_months(app, world, vastgesteld, vandaag, code):
    """Vastgesteld within the first 3 months: by 31 October for a schooljaar from 1 August."""
    with app.app_context():
        jaar = db.session.scalars(select(Schooljaar)).first()
        normen = normen_voor(jaar)
        assert deadline(jaar, normen) == date(2026, 10, 31)
        lijsten = [Afsprakenlijst(volgnummer=1, status="vastgesteld", herkomst="nieuw",
                                  vastgesteld_op=vastgesteld)] if vastgesteld else []
        assert termijnstand(lijsten, jaar, normen, vandaag).code == code


def test_deadline_list_for_llz(app, world, llz, make_client):
    """The overview lists schools without a vastgestelde list; an agreed one drops off."""
    rows = llz.soup("/afsprakenlijsten/termijnen").select("table.termijnen tbody tr")
    assert len(rows) == 2
    _vaststellen(app, world, llz, make_client)
    rows = llz.soup("/afsprakenlijsten/termijnen").select("table.termijnen tbody tr")
    assert [r.select_one("a").get_text(strip=True) for r in rows] == ["Zeevliet College"]


# --- stilzwijgende verlenging -------------------------------------------------------------------


def test_rollover_carries_vastgestelde_lists_once(app, world, llz, make_client, runner):
    """`schooljaar start` carries agreed lists over as verlengd; twice changes nothing."""
    _vaststellen(app, world, llz, make_client)
    _maak(llz, world["vo"])  # a concept only: not carried over
    with app.app_context():  # the rules and the CLI's questions: test_schooljaar_openen.py
        assert start_schooljaar("2027-2028", date(2027, 6, 1))[1] == 1
        assert start_schooljaar("2027-2028", date(2027, 6, 1))[1] == 0
        nieuw = db.session.scalars(select(Afsprakenlijst).where(
            Afsprakenlijst.herkomst == Herkomst.VERLENGD)).all()
        assert len(nieuw) == 1 and nieuw[0].schooljaar.naam == "2027-2028"
        assert nieuw[0].status == Status.VASTGESTELD
        assert len(nieuw[0].afspraken) == 7
    page = llz.soup(f"/scholen/{world['po']}/afsprakenlijst")
    assert "Stilzwijgend verlengd" in page.select_one(".geldend").get_text()
    assert page.select_one("form[action$='/nieuwe-versie']")  # still editable
    for bad in ("2027", "2026-2028", "2025-2026"):
        result = runner.invoke(args=["schooljaar", "start", bad])
        assert result.exit_code != 0


def test_rollover_button_for_beheerder(app, world, client):
    """The beheerder opens the next schooljaar from a page; bad input is refused."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/beheer/schooljaren")
    assert soup.select_one("#naam")["value"] == "2027-2028"
    bad = client.post("/beheer/schooljaren", {"naam": "volgend jaar"})
    assert bad.status_code == 422
    assert "2026-2027" in BeautifulSoup(bad.text, "html.parser").select_one("#naam-fout").text
    # Summary, confirmation and the date rule: tests/test_schooljaar_openen.py.


def test_verschil_function_matches_on_sleutel(app, world):
    """Renamed afspraken are 'gewijzigd', not removed and added."""
    with app.app_context():
        _jaar, _school, lijst = _regels_lijst()
        geef_akkoord(lijst, "llz", 1, None)
        geef_akkoord(lijst, "school", 2, None)
        nieuw = nieuwe_versie(lijst, 2)
        nieuw.afspraken[0].titel = "Andere titel"
        nieuw.afspraken.pop()
        soorten = [v.soort for v in verschil(lijst, nieuw)]
        assert soorten.count("gewijzigd") == 1 and soorten.count("verwijderd") == 1
        db.session.rollback()


def test_demo_lists_show_every_state(app, runner):
    """The demo municipality has lists vastgesteld on time, late, verlengd, in concept, none."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).one()
        scholen = db.session.scalars(select(School).order_by(School.code)).all()
        from leerplicht.afspraken.queries import overzichten

        data = overzichten(scholen, jaar, vandaag=date(jaar.begin.year, 11, 23))
        codes = {data[s.id].termijn.code for s in scholen}
        assert {"op_tijd", "te_laat_vastgesteld", "te_laat"} <= codes
        herkomst = {v.herkomst for s in scholen for v in data[s.id].versies}
        assert herkomst == {"nieuw", "wijziging", "verlengd"}
        # A list being amended keeps its vastgestelde version, with the same sleutels.
        gewijzigd = next(d for d in data.values() if d.stand.concept and d.stand.geldend)
        assert [a.sleutel for a in gewijzigd.stand.concept.afspraken] == [
            a.sleutel for a in gewijzigd.stand.geldend.afspraken]
        assert any(v.soort == "gewijzigd" for v in verschil(gewijzigd.stand.geldend,
                                                            gewijzigd.stand.concept))


def test_diff_with_one_version_explains_there_is_nothing_to_compare(app, world, llz):
    """With a single version the diff page says so instead of comparing it with itself."""
    _maak(llz, world["po"])
    soup = llz.soup(f"/scholen/{world['po']}/afsprakenlijst/verschil")
    assert "nog maar één versie" in soup.select_one("main").get_text()
    assert soup.select("ul.verschil") == [] and soup.select("form[aria-label]") == []


def test_deadline_list_pages_through_many_schools(app, world, llz, query_counter):
    """60 more schools without a list: 50 on page 1, the rest on page 2, same query count."""
    first = llz.get("/afsprakenlijsten/termijnen")
    with query_counter() as weinig:
        llz.get("/afsprakenlijsten/termijnen")
    with app.app_context():
        for n in range(60):
            f.school(naam=f"Extra school {n:02d}", code=f"{n:02d}QQ00")
        db.session.commit()
    with query_counter() as veel:
        page1 = llz.soup("/afsprakenlijsten/termijnen")
    page2 = llz.soup("/afsprakenlijsten/termijnen?pagina=2")
    assert first.status_code == 200 and weinig.count == veel.count
    assert len(page1.select("table.termijnen tbody tr")) == 50
    assert len(page2.select("table.termijnen tbody tr")) == 12
    assert "62 van de 62" in page1.select_one("main p").get_text()
    assert page1.select_one("a[rel=next]")["href"] == "/afsprakenlijsten/termijnen?pagina=2"
    # A page number beyond the last shows the last page rather than an empty one.
    assert len(llz.soup("/afsprakenlijsten/termijnen?pagina=99").select(
        "table.termijnen tbody tr")) == 12

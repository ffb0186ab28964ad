"""The afsprakenlijst page stays current and says what is true: the akkoord block after every
htmx action, no akkoord on "(vul in)" blanks, the status of a replaced version, the changed
words in the history, and earlier schooljaren shown read-only."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.models import Afspraak, Afsprakenlijst, Status
from leerplicht.afspraken.queries import overzichten
from leerplicht.afspraken.regels import (
    Regelfout,
    geef_akkoord,
    maak_lijst,
    nog_in_te_vullen,
    zet_tekst,
)
from leerplicht.afspraken.sjablonen import LEEG
from leerplicht.extensions import db
from leerplicht.normenbron import normen_voor
from leerplicht.scholen.models import Contactrol, School
from leerplicht.schooljaren import Schooljaar
from leerplicht.woordverschil import was_werd, woordverschil_in_context

import factories as f

CODE = "21XA00"
LIJST = f"/scholen/{CODE}/afsprakenlijst"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(app):
    """A PO school with its LLZ contact (a user), a school user and a beheerder."""
    with app.app_context():
        f.schooljaar("2026-2027")
        school = f.school(naam="Basisschool De Vlinder", code=CODE, sector="PO")
        lars = f.persoon("Lars Leerplicht")
        f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars, naam="Lars Leerplicht")
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[school], naam="Zora Zorg")
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        db.session.commit()
        return {"school_id": school.id}


@pytest.fixture
def llz(world, client):
    """The school's LLZ contact, logged in."""
    client.login("lars@llz.example.nl")
    return client


@pytest.fixture
def school_client(world, make_client):
    """The school's own user, logged in."""
    client = make_client()
    client.login("zorg@vlinder.example.nl")
    return client


def _vul_in(lijst, invulling="in overleg afgesproken"):
    """Fill in the template's blanks of a list."""
    for afspraak in lijst.afspraken:
        if LEEG in afspraak.tekst:
            zet_tekst(afspraak, afspraak.tekst.replace(LEEG, invulling))


def _concept(app) -> dict:
    """The current concept: its version, akkoord and afspraken (id, version, title)."""
    with app.app_context():
        lijst = db.session.scalars(select(Afsprakenlijst).filter_by(status="concept")).one()
        return {"id": lijst.id, "versie": lijst.versie, "llz_op": lijst.akkoord_llz_op,
                "school_op": lijst.akkoord_school_op,
                "afspraken": [(a.id, a.versie, a.titel) for a in lijst.afspraken]}


def _maak(llz, app, ingevuld=True) -> dict:
    """Create the list through the page's button, its blanks filled in unless asked not."""
    assert llz.post(f"{LIJST}/aanmaken").status_code == 302
    if ingevuld:
        with app.app_context():
            _vul_in(db.session.scalars(select(Afsprakenlijst)).one())
            db.session.commit()
    return _concept(app)


def _akkoordversie(soup) -> str | None:
    """The version the akkoord form on a page (or in an answer) carries."""
    field = soup.select_one("form[action$='/akkoord'] input[name=versie]")
    return field["value"] if field else None


# --- 1. the akkoord block is current after every htmx action --------------------------------


def test_inline_save_sends_the_akkoord_form_with_the_new_version(app, world, llz):
    """The htmx save answers with the afspraak and, out of band, the akkoord block whose form
    carries the list's new version: an akkoord given right after is accepted."""
    concept = _maak(llz, app)
    op_pagina = _akkoordversie(llz.soup(LIJST))
    assert op_pagina == str(concept["versie"])
    afspraak_id, versie, titel = concept["afspraken"][0]
    response = llz.post(f"/scholen/{CODE}/afspraken/{afspraak_id}",
                        {"versie": versie, "titel": titel, "tekst": "Nieuwe tekst",
                         "wie": "beiden"}, headers=HTMX)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one(".afspraak__titel").get_text(strip=True) == titel
    blok = soup.select_one("#akkoord-blok")
    assert blok["data-hx-swap-oob"] == "true"
    nieuw = _concept(app)["versie"]
    assert nieuw != concept["versie"] and _akkoordversie(blok) == str(nieuw)
    akkoord = llz.post(f"{LIJST}/akkoord", {"versie": _akkoordversie(blok)})
    assert akkoord.status_code == 302
    assert _concept(app)["llz_op"] is not None


def test_edit_after_akkoord_brings_the_akkoord_button_back(app, world, llz):
    """An edit voids LLZ's akkoord: the answer shows 'nog niet gegeven' and the button again."""
    concept = _maak(llz, app)
    assert llz.post(f"{LIJST}/akkoord", {"versie": concept["versie"]}).status_code == 302
    assert _akkoordversie(llz.soup(LIJST)) is None  # given: no button
    afspraak_id, versie, titel = concept["afspraken"][0]
    response = llz.post(f"/scholen/{CODE}/afspraken/{afspraak_id}",
                        {"versie": versie, "titel": titel, "tekst": "Anders", "wie": "llz"},
                        headers=HTMX)
    blok = BeautifulSoup(response.text, "html.parser").select_one("#akkoord-blok[data-hx-swap-oob]")
    assert "nog niet gegeven" in blok.select_one(".akkoord").get_text()
    assert _akkoordversie(blok) == str(_concept(app)["versie"])


def test_cancel_conflict_and_form_answers_carry_the_akkoord_block(app, world, llz,
                                                                  make_client):
    """Opening the form, cancelling and a 409 (someone else saved) redraw the block too."""
    concept = _maak(llz, app)
    afspraak_id, versie, titel = concept["afspraken"][0]
    url = f"/scholen/{CODE}/afspraken/{afspraak_id}"
    for answer in (llz.get(url, headers=HTMX), llz.get(f"{url}/weergave", headers=HTMX)):
        assert answer.status_code == 200
        soup = BeautifulSoup(answer.text, "html.parser")
        blok = soup.select_one("#akkoord-blok[data-hx-swap-oob]")
        assert _akkoordversie(blok) == str(concept["versie"])
    other = make_client()
    other.login("beheer@llz.example.nl")
    assert other.post(url, {"versie": versie, "titel": "Eerst", "wie": "llz"}).status_code == 302
    conflict = llz.post(url, {"versie": versie, "titel": "Daarna", "wie": "llz"}, headers=HTMX)
    assert conflict.status_code == 409
    soup = BeautifulSoup(conflict.text, "html.parser")
    assert soup.select_one("#titel")["value"] == "Daarna"
    assert _akkoordversie(soup.select_one("#akkoord-blok[data-hx-swap-oob]")) == str(
        _concept(app)["versie"])


def test_add_with_bad_input_keeps_the_concept_on_the_page(app, world, llz):
    """The add form targets the whole concept: a 422 answers with the concept, errors kept."""
    concept = _maak(llz, app)
    response = llz.post(f"/scholen/{CODE}/afspraken/nieuw", {"titel": "", "wie": "llz"},
                        headers=HTMX)
    assert response.status_code == 422
    section = BeautifulSoup(response.text, "html.parser").select_one("section#concept")
    assert len(section.select("li.afspraak")) == len(concept["afspraken"])
    assert section.select_one("details.nieuwe-afspraak[open] #titel-fout")
    assert _akkoordversie(section) == str(concept["versie"])


def test_concept_vastgesteld_meanwhile_reloads_the_page(app, world, llz, school_client):
    """An htmx edit of a list that was vastgesteld meanwhile asks htmx to reload the page."""
    concept = _maak(llz, app)
    llz.post(f"{LIJST}/akkoord", {"versie": concept["versie"]})
    school_client.post(f"{LIJST}/akkoord", {"versie": _concept(app)["versie"]})
    afspraak_id, versie, titel = concept["afspraken"][0]
    response = llz.post(f"/scholen/{CODE}/afspraken/{afspraak_id}",
                        {"versie": versie, "titel": "x", "wie": "llz"}, headers=HTMX)
    assert response.status_code == 409 and response.headers["HX-Refresh"] == "true"
    page = llz.soup(LIJST)
    assert "kan niet meer worden gewijzigd" in page.select_one("#meldingen").get_text()
    with app.app_context():
        assert db.session.get(Afspraak, afspraak_id).titel == titel


# --- 3. no akkoord while "(vul in)" blanks are left -------------------------------------------


def test_nog_in_te_vullen_finds_blanks_in_title_or_text(app, world):
    """The rule, called directly: the template's blanks, however written, in list order."""
    with app.app_context():
        jaar = db.session.scalars(select(Schooljaar)).one()
        school = db.session.get(School, world["school_id"])
        lijst = maak_lijst(school, jaar, normen_voor(jaar))
        db.session.flush()
        assert [a.sectie for a in nog_in_te_vullen(lijst)] == [
            "aanwezigheid", "communicatie", "evaluatie"]
        with pytest.raises(Regelfout, match="Aanwezigheid van Leerlingzaken op school"):
            geef_akkoord(lijst, "llz", 1, None)
        assert lijst.akkoord_llz_op is None
        _vul_in(lijst)
        assert nog_in_te_vullen(lijst) == []
        lijst.afspraken[0].titel = "Belmoment ( Vul  in )"
        zet_tekst(lijst.afspraken[1], "Elke week *(VUL IN)*")
        assert nog_in_te_vullen(lijst) == lijst.afspraken[:2]
        lijst.afspraken[0].titel = "Belmoment (vul dit later in)"
        assert nog_in_te_vullen(lijst) == lijst.afspraken[1:2]
        db.session.rollback()


@pytest.mark.parametrize("wie", ["llz", "school"])
def test_akkoord_on_a_list_with_blanks_is_refused(app, world, llz, school_client, wie):
    """422, the page lists each afspraak still to fill in with a link to it, nothing written."""
    concept = _maak(llz, app, ingevuld=False)
    client = llz if wie == "llz" else school_client
    page = client.soup(LIJST)
    assert _akkoordversie(page) is None  # no button while blanks are left
    assert page.select(".nog-in-te-vullen li a")
    response = client.post(f"{LIJST}/akkoord", {"versie": concept["versie"]})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    fout = soup.select_one(".nog-in-te-vullen[role=alert]")
    links = {a.get_text(strip=True): a["href"] for a in fout.select("a")}
    ids = {titel: afspraak_id for afspraak_id, _versie, titel in concept["afspraken"]}
    assert links == {titel: f"#afspraak-{ids[titel]}" for titel in (
        "Aanwezigheid van Leerlingzaken op school", "Communicatie en bereikbaarheid",
        "Evaluatie")}
    for href in links.values():
        assert soup.select_one(href) is not None  # the link lands on the afspraak
    after = _concept(app)
    assert (after["versie"], after["llz_op"], after["school_op"]) == (concept["versie"], None,
                                                                      None)


def test_filling_in_the_last_blank_brings_the_button(app, world, llz):
    """The htmx save that fills in the last blank answers with the akkoord button."""
    concept = _maak(llz, app, ingevuld=False)
    with app.app_context():
        lijst = db.session.get(Afsprakenlijst, concept["id"])
        laatste = nog_in_te_vullen(lijst)[-1]
        for afspraak in nog_in_te_vullen(lijst)[:-1]:
            zet_tekst(afspraak, afspraak.tekst.replace(LEEG, "afgesproken"))
        db.session.commit()
        laatste_id, versie, titel, tekst = (laatste.id, laatste.versie, laatste.titel,
                                            laatste.tekst)
    response = llz.post(f"/scholen/{CODE}/afspraken/{laatste_id}",
                        {"versie": versie, "titel": titel, "wie": "beiden",
                         "tekst": tekst.replace(LEEG, "in mei")}, headers=HTMX)
    blok = BeautifulSoup(response.text, "html.parser").select_one("#akkoord-blok[data-hx-swap-oob]")
    assert blok.select(".nog-in-te-vullen") == []
    assert _akkoordversie(blok) == str(_concept(app)["versie"])


def test_demo_lists_with_an_akkoord_are_complete(app, runner):
    """The demo's vastgestelde lists (and any with an akkoord) have no blanks left."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).one()
        scholen = db.session.scalars(select(School)).all()
        lijsten = [v for o in overzichten(scholen, jaar).values() for v in o.versies]
        afgesproken = [v for v in lijsten if v.status != Status.CONCEPT or v.akkoord_llz_op
                       or v.akkoord_school_op]
        assert afgesproken and all(nog_in_te_vullen(v) == [] for v in afgesproken)
        assert any(nog_in_te_vullen(v) for v in lijsten if v.status == Status.CONCEPT)


# --- 4. the status of a version: vastgesteld when, replaced by which and when -----------------


def _twee_versies(app, llz, school_client):
    """Version 1 vastgesteld on 15-09-2026, replaced by version 2 vastgesteld on 10-01-2027."""
    concept = _maak(llz, app)
    llz.post(f"{LIJST}/akkoord", {"versie": concept["versie"]})
    school_client.post(f"{LIJST}/akkoord", {"versie": _concept(app)["versie"]})
    llz.post(f"{LIJST}/nieuwe-versie")
    llz.post(f"{LIJST}/akkoord", {"versie": _concept(app)["versie"]})
    school_client.post(f"{LIJST}/akkoord", {"versie": _concept(app)["versie"]})
    with app.app_context():
        een, twee = db.session.scalars(
            select(Afsprakenlijst).order_by(Afsprakenlijst.volgnummer)).all()
        assert (een.status, twee.status) == ("vervangen", "vastgesteld")
        een.vastgesteld_op = datetime(2026, 9, 15, 12, tzinfo=UTC)
        twee.vastgesteld_op = datetime(2027, 1, 10, 12, tzinfo=UTC)
        db.session.commit()


def test_print_view_of_a_replaced_version_says_what_is_true(app, world, llz, school_client):
    """'vastgesteld op' its own date and 'vervangen door versie 2 op' the date of version 2."""
    _twee_versies(app, llz, school_client)
    kop = llz.soup(f"{LIJST}/versie/1?afdrukken=1").select_one(".afdruk__status").get_text()
    assert kop == "vastgesteld op 15-09-2026; vervangen door versie 2 op 10-01-2027"
    assert llz.soup(f"{LIJST}/versie/2?afdrukken=1").select_one(
        ".afdruk__status").get_text() == "vastgesteld op 10-01-2027"
    versie = llz.soup(f"{LIJST}/versie/1").select_one(".versie__status").get_text()
    assert versie == ("Deze versie is vastgesteld op 15-09-2026; vervangen door versie 2 op "
                      "10-01-2027.")


def test_version_status_of_a_concept(app, world, llz):
    """A concept is 'nog niet vastgesteld', in print as on screen."""
    _maak(llz, app)
    assert llz.soup(f"{LIJST}/versie/1?afdrukken=1").select_one(
        ".afdruk__status").get_text() == "nog niet vastgesteld (concept)"


# --- 5. the history shows the changed words of a long text ------------------------------------

LANG = " ".join(f"woord{n}" for n in range(80))


def test_was_werd_cuts_long_texts_around_the_change():
    """The change deep in a long text is shown with a few words around it, escaped."""
    nieuw = LANG.replace("woord60", "<script>x</script>")
    was, werd = was_werd(LANG, nieuw)
    assert "<del>woord60</del>" in was and "<ins>&lt;script&gt;x&lt;/script&gt;</ins>" in werd
    assert "<script>" not in werd
    assert was.startswith("… ") and "woord59" in was and "woord61" in werd
    assert "woord10 " not in was and "woord75" not in werd
    # Short values are shown whole and escaped; a long value on one side only is cut.
    assert was_werd("a <b>", "c") == ("a &lt;b&gt;", "c")
    assert was_werd(None, LANG)[1].endswith("…") and len(was_werd(None, LANG)[1]) <= 202


def test_woordverschil_in_context_keeps_context_between_changes():
    """Two changes far apart: context after the first, … , context before the second."""
    woorden = LANG.split()
    woorden[5], woorden[70] = "vijf", "zeventig"
    nieuw = " ".join(woorden)
    was, werd = woordverschil_in_context(LANG, nieuw, context=3)
    assert str(was) == ("… woord2 woord3 woord4 <del>woord5</del> woord6 woord7 woord8 … "
                        "woord67 woord68 woord69 <del>woord70</del> woord71 woord72 woord73 …")
    assert "<ins>vijf</ins>" in werd and "<ins>zeventig</ins>" in werd


def test_history_page_shows_the_changed_words(app, world, llz):
    """Was and werd of a long text differ where the text changed, not at the same cut."""
    concept = _maak(llz, app)
    afspraak_id, versie, titel = concept["afspraken"][0]
    url = f"/scholen/{CODE}/afspraken/{afspraak_id}"
    llz.post(url, {"versie": versie, "titel": titel, "tekst": LANG, "wie": "llz"})
    llz.post(url, {"versie": versie + 1, "titel": titel, "wie": "llz",
                   "tekst": LANG.replace("woord70", "<em>nieuw</em>")})
    rij = next(tr for tr in llz.soup(f"/scholen/{CODE}/geschiedenis").select("tbody tr")
               if "woord70" in tr.get_text())
    was, werd = rij.select("td.audit-waarde")
    assert [d.get_text() for d in was.select("del")] == ["woord70"]
    assert [i.get_text() for i in werd.select("ins")] == ["<em>nieuw</em>"]
    assert werd.select("em") == []  # escaped, not markup


# --- 6. earlier schooljaren: shown read-only, links keep ?schooljaar= -------------------------


@pytest.fixture
def vorig_jaar(app, world):
    """2025-2026 (not current) with a vastgestelde version 1 and a concept version 2."""
    with app.app_context():
        jaar = f.schooljaar("2025-2026", huidig=False)
        school = db.session.get(School, world["school_id"])
        lijst = maak_lijst(school, jaar, normen_voor(jaar))
        _vul_in(lijst)
        geef_akkoord(lijst, "llz", None, None, naam="Lars")
        geef_akkoord(lijst, "school", None, None, naam="Zora")
        db.session.flush()
        concept = maak_lijst(school, jaar, normen_voor(jaar))
        concept.volgnummer = 2
        db.session.commit()
        return {"concept_afspraak": concept.afspraken[0].id}


def test_earlier_schooljaar_is_shown_read_only(app, world, llz, vorig_jaar):
    """No edit buttons and no akkoord; every link on the page keeps the schooljaar."""
    page = llz.soup(f"{LIJST}?schooljaar=2025-2026")
    assert page.select_one("h1").get_text(strip=True) == "Afsprakenlijst 2025-2026"
    assert page.select_one(".alleen-lezen")
    main = page.select_one("main")
    assert main.select("form[method=post]") == []
    assert "Wijzigen" not in main.get_text() and main.select(".nog-in-te-vullen") == []
    keuze = page.select_one("form.schooljaarkeuze")
    assert [o["value"] for o in keuze.select("option")] == ["2026-2027", "2025-2026"]
    assert keuze.select_one("option[selected]")["value"] == "2025-2026"
    links = [a["href"] for a in main.select("a[href*='/afsprakenlijst/']")]
    assert links and all("schooljaar=2025-2026" in href for href in links)
    # The current schooljaar still has no list: the page offers to make one.
    assert llz.soup(LIJST).select_one(f"form[action='{LIJST}/aanmaken']")


def test_earlier_schooljaar_version_print_and_diff_pages(app, world, llz, vorig_jaar):
    """Version, print and diff pages read the schooljaar from the URL; the current has none."""
    versie = llz.soup(f"{LIJST}/versie/1?schooljaar=2025-2026")
    assert "2025-2026" in versie.select_one("h1").get_text()
    assert "schooljaar=2025-2026" in versie.select_one(".kruimelpad a")["href"]
    druk = llz.soup(f"{LIJST}/versie/1?schooljaar=2025-2026&afdrukken=1")
    assert "schooljaar=2025-2026" in druk.select_one(".afdruk__terug a")["href"]
    verschil = llz.soup(f"{LIJST}/verschil?schooljaar=2025-2026")
    assert verschil.select_one("form[aria-label] input[name=schooljaar]")["value"] == "2025-2026"
    assert llz.get(f"{LIJST}/versie/1").status_code == 404
    for bad in ("2024-2025", "volgend", "²⁰²⁵-2026", "2025-2026-2027"):
        assert llz.get(f"{LIJST}?schooljaar={bad}").status_code == 404


def test_posts_act_on_the_current_schooljaar_only(app, world, llz, vorig_jaar):
    """An afspraak of an earlier year's concept cannot be edited; akkoord finds no concept."""
    afspraak_id = vorig_jaar["concept_afspraak"]
    url = f"/scholen/{CODE}/afspraken/{afspraak_id}"
    with app.app_context():
        voor = db.session.get(Afspraak, afspraak_id).titel
    response = llz.post(url, {"versie": "1", "titel": "Te laat", "wie": "llz"})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Afspraak, afspraak_id).titel == voor
    akkoord = llz.post(f"{LIJST}/akkoord?schooljaar=2025-2026", {"versie": "1"})
    assert akkoord.status_code == 302
    with app.app_context():
        concept = db.session.scalars(select(Afsprakenlijst).filter_by(status="concept")).one()
        assert concept.akkoord_llz_op is None


def test_termijnen_overview_of_an_earlier_schooljaar(app, world, llz, vorig_jaar):
    """The LLZ overview shows a chosen schooljaar; its links keep it."""
    huidig = llz.soup("/afsprakenlijsten/termijnen")
    assert [a.get_text(strip=True) for a in huidig.select("table.termijnen a")] == [
        "Basisschool De Vlinder"]
    assert "2026-2027" in huidig.select_one("main p").get_text()
    vorig = llz.soup("/afsprakenlijsten/termijnen?schooljaar=2025-2026")
    assert "2025-2026" in vorig.select_one("main p").get_text()
    assert vorig.select("table.termijnen tbody tr") == []  # vastgesteld that year
    assert vorig.select_one("form.schooljaarkeuze option[selected]")["value"] == "2025-2026"

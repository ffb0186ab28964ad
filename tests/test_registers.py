"""The registers of a school (meldingen, vragen, ontwikkelingen) and the fast entry."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant
from leerplicht.termijnen.models import Ontwikkeling, Verzuimmelding, Vraag
from leerplicht.termijnen.opslag import herbereken

import factories as f

HTMX = {"HX-Request": "true"}
TOEKOMST = (date.today() + timedelta(days=3)).isoformat()


@pytest.fixture
def wereld(app):
    """Schools A and B, an LLZ contact of A, a school user of A and of B, a beheerder."""
    with app.app_context():
        f.schooljaar("2025-2026", huidig=False)
        f.schooljaar("2026-2027")
        a = f.school(naam="Alfaschool", code="11AA00")
        b = f.school(naam="Bravoschool", code="22BB00")
        lia = f.persoon("Lia Leerplicht")
        f.toewijzing(a, lia, Contactrol.LLZ_CONTACT)
        xander = f.persoon("Xander")
        f.toewijzing(b, xander, Contactrol.LLZ_CONTACT)
        f.gebruiker(Rol.LLZ, "lia@llz.example.nl", contactpersoon=lia)
        f.gebruiker(Rol.LLZ, "xander@llz.example.nl", contactpersoon=xander)
        f.gebruiker(Rol.SCHOOL, "a@school.example.nl", scholen=[a])
        f.gebruiker(Rol.SCHOOL, "b@school.example.nl", scholen=[b])
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        db.session.commit()
        return {"a": a.code, "b": b.code, "a_id": a.id, "b_id": b.id}


def _melding(app, school_id, referentie="DUO-1", ontvangen_op=date(2026, 9, 1), **velden):
    """A melding stored with its termijnen; returns its id."""
    with app.app_context():
        from leerplicht.termijnen.opslag import schooljaar_voor

        jaar = schooljaar_voor(ontvangen_op)
        melding = Verzuimmelding(school_id=school_id, schooljaar_id=jaar.id,
                                 referentie=referentie, ontvangen_op=ontvangen_op, **velden)
        herbereken(melding, jaar)
        db.session.add(melding)
        db.session.commit()
        return melding.id


def _vraag(app, school_id, gesteld_door=Kant.LLZ, gesteld_op=date(2026, 9, 1)):
    with app.app_context():
        from leerplicht.termijnen.opslag import schooljaar_voor

        jaar = schooljaar_voor(gesteld_op)
        vraag = Vraag(school_id=school_id, schooljaar_id=jaar.id, gesteld_door=gesteld_door,
                      onderwerp="Stand van zaken", gesteld_op=gesteld_op, antwoord="")
        herbereken(vraag, jaar)
        db.session.add(vraag)
        db.session.commit()
        return vraag.id


def _ontwikkeling(app, school_id, bekend_op=date(2026, 9, 1)):
    with app.app_context():
        from leerplicht.termijnen.opslag import schooljaar_voor

        jaar = schooljaar_voor(bekend_op)
        record = Ontwikkeling(school_id=school_id, schooljaar_id=jaar.id,
                              onderwerp="Verhuizing", bekend_op=bekend_op)
        herbereken(record, jaar)
        db.session.add(record)
        db.session.commit()
        return record.id


def _get(app, model, record_id):
    with app.app_context():
        record = db.session.get(model, record_id)
        db.session.expunge(record)
        return record


def _versie(app, model, record_id) -> str:
    return str(_get(app, model, record_id).versie)


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


# --- pages ------------------------------------------------------------------------------------

def test_meldingen_page_shows_steps_badges_and_not_sent(app, client, wereld):
    """Every step with deadline, badge and werkdagen; an overdue aanvullen is marked."""
    _melding(app, wereld["a_id"], "OPEN-1", date(2026, 9, 1))
    _melding(app, wereld["a_id"], "NV-1", date(2026, 9, 1), oordeel="onvolledig",
             elementen=1, teruggemeld_op=date(2026, 9, 2))
    client.login("lia@llz.example.nl")
    soup = client.soup(f"/scholen/{wereld['a']}/meldingen")
    assert soup.select_one("nav.utrecht-breadcrumb-nav a[href='/scholen/11AA00']")
    rijen = soup.select("#register-rijen tr")
    assert len(rijen) == 2
    tekst = soup.select_one("#register").get_text(" ", strip=True)
    assert "Geldt als niet verzonden" in tekst
    assert "werkdagen te laat" in tekst
    assert "uiterlijk 08-09-2026" in tekst  # reactie: 5 werkdagen after 1 September
    assert "Ontbreekt:" in tekst and "de reden van de melding" in tekst
    assert soup.select(".utrecht-status-badge--invalid")
    assert soup.select_one("#register-telling").get_text(" ", strip=True).startswith(
        "Meldingen 2")
    for td in soup.select("#register-rijen td"):
        assert td.get("data-label")


def test_other_school_and_earlier_year(app, client, make_client, wereld):
    """A school user sees only its school; an earlier schooljaar is read-only."""
    _melding(app, wereld["a_id"], "OUD-1", date(2026, 3, 2))
    client.login("a@school.example.nl")
    client.soup(f"/scholen/{wereld['b']}/meldingen", status=404)
    soup = client.soup(f"/scholen/{wereld['a']}/meldingen?schooljaar=2025-2026")
    assert "OUD-1" in soup.text
    assert "OUD-1" not in client.soup(f"/scholen/{wereld['a']}/meldingen").text
    llz = make_client()
    llz.login("lia@llz.example.nl")
    soup = llz.soup(f"/scholen/{wereld['a']}/meldingen?schooljaar=2025-2026")
    assert "OUD-1" in soup.text and not soup.select("#register form[method=post]")
    assert llz.soup(f"/scholen/{wereld['a']}/meldingen").select("#register form[method=post]")


def test_school_user_sees_no_edit_forms_and_the_llz_block(app, client, wereld):
    """The school reads its meldingen and what LLZ still owes it."""
    _melding(app, wereld["a_id"], "REF-9", date(2026, 9, 1))
    client.login("a@school.example.nl")
    soup = client.soup(f"/scholen/{wereld['a']}/meldingen")
    assert not soup.select("#register form[method=post]")
    blok = soup.select_one("#llz-open")
    assert "Wat Leerlingzaken u nog moet laten weten" in blok.text
    assert "Melding REF-9" in blok.text


def test_register_page_query_count_is_constant(app, client, wereld, query_counter):
    """5 rows or 50 rows: the same number of queries."""
    client.login("lia@llz.example.nl")
    url = f"/scholen/{wereld['a']}/meldingen"
    for n in range(5):
        _melding(app, wereld["a_id"], f"Q-{n}", date(2026, 9, 1) + timedelta(days=n))
    client.get(url)
    with query_counter() as weinig:
        assert client.get(url).status_code == 200
    for n in range(5, 50):
        _melding(app, wereld["a_id"], f"Q-{n}", date(2026, 9, 1) + timedelta(days=n % 60),
                 oordeel="onvolledig", teruggemeld_op=date(2026, 11, 2))
    with query_counter() as veel:
        assert client.get(url).status_code == 200
    assert veel.count == weinig.count
    for pagina in ("vragen", "ontwikkelingen"):
        assert client.get(f"/scholen/{wereld['a']}/{pagina}").status_code == 200


# --- meldingen actions ------------------------------------------------------------------------

def test_new_melding_happy_and_unhappy(app, client, wereld):
    """A new melding goes to its own schooljaar; future, duplicate, BSN are refused (422)."""
    client.login("lia@llz.example.nl")
    url = f"/scholen/{wereld['a']}/meldingen/nieuw"
    r = client.post(url, {"referentie": "DUO-77", "ontvangen_op": "2026-10-01"})
    assert r.status_code == 302 and r.location.endswith("#melding-1")
    r = client.post(url, {"referentie": "DUO-OUD", "ontvangen_op": "2026-06-01"})
    assert r.status_code == 302 and "schooljaar=2025-2026" in r.location
    for data, fout in (
        ({"referentie": "DUO-78", "ontvangen_op": TOEKOMST}, "toekomst"),
        ({"referentie": "DUO-77", "ontvangen_op": "2026-10-02"}, "staat al"),
        ({"referentie": "111222333", "ontvangen_op": "2026-10-02"}, "burgerservicenummer"),
        ({"referentie": "DUO-79", "ontvangen_op": "2019-10-02"}, "geen schooljaar"),
        ({"referentie": "", "ontvangen_op": "2026-10-02"}, "Vul de referentie"),
    ):
        r = client.post(url, data)
        assert r.status_code == 422, data
        assert fout in _soup(r).select_one("#register").text, data
    with app.app_context():
        assert db.session.scalar(select(func.count(Verzuimmelding.id))) == 2


def test_new_melding_htmx_returns_section_with_row_counts_and_focus(app, client, wereld):
    client.login("lia@llz.example.nl")
    r = client.post(f"/scholen/{wereld['a']}/meldingen/nieuw",
                    {"referentie": "DUO-5", "ontvangen_op": "2026-10-01"}, headers=HTMX)
    assert r.status_code == 200
    soup = _soup(r)
    assert soup.find("html") is None
    assert soup.select_one("#register-rijen #melding-1")
    assert "Meldingen 1" in soup.select_one("#register-telling").get_text(" ", strip=True)
    assert soup.select_one("#referentie").get("value") in (None, "")
    assert soup.select_one("#referentie").has_attr("autofocus")
    assert soup.select_one("#ontvangen_op")["value"] == "2026-10-01"


def test_school_user_cannot_act_on_meldingen(app, client, wereld):
    melding = _melding(app, wereld["a_id"])
    client.login("a@school.example.nl")
    code = wereld["a"]
    assert client.post(f"/scholen/{code}/meldingen/nieuw",
                       {"referentie": "X", "ontvangen_op": "2026-10-01"}).status_code == 403
    assert client.post(f"/scholen/{code}/meldingen/{melding}/status",
                       {"status": "afgesloten", "versie": "1"}).status_code == 403


def _post_actie(client, wereld, melding, actie, data, htmx=True):
    return client.post(f"/scholen/{wereld['a']}/meldingen/{melding}/{actie}", data,
                       headers=HTMX if htmx else {})


def test_judge_incomplete_then_terugmelden_aanvullen_reageren(app, client, wereld):
    """The whole flow of an incomplete melding, each answer the section with row and counts."""
    melding = _melding(app, wereld["a_id"], ontvangen_op=date(2026, 11, 2))
    client.login("lia@llz.example.nl")
    v = lambda: _versie(app, Verzuimmelding, melding)  # noqa: E731
    r = _post_actie(client, wereld, melding, "beoordelen",
                    {"versie": v(), "elementen": ["0", "1", "2"], "toelichting": "Mist veel"})
    assert r.status_code == 200, r.text
    soup = _soup(r)
    assert soup.select_one(f"#melding-{melding}") and soup.select_one("#register-telling")
    m = _get(app, Verzuimmelding, melding)
    assert m.oordeel == "onvolledig" and m.elementen == 0b111 and m.toelichting == "Mist veel"
    assert m.terugmelden_uiterlijk == date(2026, 11, 9) and m.reactie_uiterlijk is None
    # judging twice
    r = _post_actie(client, wereld, melding, "beoordelen", {"versie": v(), "elementen": ["0"]})
    assert r.status_code == 422 and "al beoordeeld" in r.text
    # terugmelden before receipt, in the future, then fine
    r = _post_actie(client, wereld, melding, "terugmelden", {"versie": v(), "datum": "2026-11-01"})
    assert r.status_code == 422 and "vóór de ontvangst" in r.text
    r = _post_actie(client, wereld, melding, "terugmelden", {"versie": v(), "datum": TOEKOMST})
    assert r.status_code == 422 and "toekomst" in r.text
    r = _post_actie(client, wereld, melding, "terugmelden", {"versie": v(), "datum": "2026-11-03"})
    assert r.status_code == 200
    assert _get(app, Verzuimmelding, melding).aanvullen_uiterlijk == date(2026, 11, 10)
    # reageren before aanvullen is refused
    r = _post_actie(client, wereld, melding, "gereageerd", {"versie": v(), "datum": "2026-11-04"})
    assert r.status_code == 422 and "compleet" in r.text
    r = _post_actie(client, wereld, melding, "aanvullen", {"versie": v(), "datum": "2026-11-05"})
    assert r.status_code == 200
    r = _post_actie(client, wereld, melding, "gereageerd", {"versie": v(), "datum": "2026-11-06"},
                    htmx=False)
    assert r.status_code == 302 and r.location.endswith(f"#melding-{melding}")
    m = _get(app, Verzuimmelding, melding)
    assert m.reactie_werkdagen == 1 and m.aanvullen_werkdagen == 2


def test_aanvullen_after_its_deadline_is_refused(app, client, wereld):
    melding = _melding(app, wereld["a_id"], ontvangen_op=date(2026, 9, 1), oordeel="onvolledig",
                       teruggemeld_op=date(2026, 9, 2))
    client.login("lia@llz.example.nl")
    r = _post_actie(client, wereld, melding, "aanvullen",
                    {"versie": _versie(app, Verzuimmelding, melding), "datum": "2026-09-20"})
    assert r.status_code == 422 and "niet verzonden" in r.text
    assert _get(app, Verzuimmelding, melding).aangevuld_op is None


def test_stale_version_is_409_and_nothing_saved(app, client, wereld):
    melding = _melding(app, wereld["a_id"])
    client.login("lia@llz.example.nl")
    oud = _versie(app, Verzuimmelding, melding)
    assert _post_actie(client, wereld, melding, "status",
                       {"versie": oud, "status": "in_behandeling"}).status_code == 200
    r = _post_actie(client, wereld, melding, "status", {"versie": oud, "status": "afgesloten"})
    assert r.status_code == 409 and "Iemand anders" in r.text
    assert _get(app, Verzuimmelding, melding).status == "in_behandeling"


def test_complete_judgement_and_withdrawal_stop_steps(app, client, wereld):
    melding = _melding(app, wereld["a_id"], ontvangen_op=date(2026, 11, 2))
    client.login("beheer@llz.example.nl")
    alle = [str(i) for i in range(9)]
    r = _post_actie(client, wereld, melding, "beoordelen",
                    {"versie": _versie(app, Verzuimmelding, melding), "elementen": alle})
    assert r.status_code == 200
    assert _get(app, Verzuimmelding, melding).oordeel == "compleet"
    r = _post_actie(client, wereld, melding, "beoordelen",
                    {"versie": _versie(app, Verzuimmelding, melding), "elementen": ["99"]})
    assert r.status_code == 422
    r = _post_actie(client, wereld, melding, "status",
                    {"versie": _versie(app, Verzuimmelding, melding), "status": "ingetrokken"})
    assert r.status_code == 200
    assert _get(app, Verzuimmelding, melding).reactie_uiterlijk is None
    r = _post_actie(client, wereld, melding, "status",
                    {"versie": _versie(app, Verzuimmelding, melding), "status": "weg"})
    assert r.status_code == 422


def test_action_on_other_schools_melding_is_404(app, client, wereld):
    melding_b = _melding(app, wereld["b_id"])
    client.login("beheer@llz.example.nl")
    r = client.post(f"/scholen/{wereld['a']}/meldingen/{melding_b}/status",
                    {"versie": "1", "status": "afgesloten"})
    assert r.status_code == 404


# --- vragen and ontwikkelingen ----------------------------------------------------------------

def test_questions_side_follows_the_user(app, client, make_client, wereld):
    url = f"/scholen/{wereld['a']}/vragen/nieuw"
    client.login("a@school.example.nl")
    r = client.post(url, {"onderwerp": "Wanneer reageert u?", "gesteld_op": "2026-11-02",
                          "gesteld_door": "llz"})
    assert r.status_code == 302
    llz = make_client()
    llz.login("lia@llz.example.nl")
    assert llz.post(url, {"onderwerp": "Hoe gaat het?", "gesteld_op": "2026-11-02"},
                    headers=HTMX).status_code == 200
    with app.app_context():
        kanten = db.session.scalars(select(Vraag.gesteld_door).order_by(Vraag.id)).all()
    assert kanten == ["school", "llz"]
    for data in ({"onderwerp": "BSN 111222333", "gesteld_op": "2026-11-02"},
                 {"onderwerp": "Later", "gesteld_op": TOEKOMST},
                 {"onderwerp": "x" * 161, "gesteld_op": "2026-11-02"}):
        assert client.post(url, data).status_code == 422


def test_school_answers_only_llz_questions_of_its_own_school(app, client, wereld):
    van_llz = _vraag(app, wereld["a_id"], Kant.LLZ)
    van_school = _vraag(app, wereld["a_id"], Kant.SCHOOL)
    van_b = _vraag(app, wereld["b_id"], Kant.LLZ)
    client.login("a@school.example.nl")
    soup = client.soup(f"/scholen/{wereld['a']}/vragen")
    assert soup.select_one(f"#vraag-{van_llz} form") and not soup.select_one(
        f"#vraag-{van_school} form")
    base = f"/scholen/{wereld['a']}/vragen"
    r = client.post(f"{base}/{van_school}/beantwoorden",
                    {"versie": "1", "beantwoord_op": "2026-09-02"})
    assert r.status_code == 403
    r = client.post(f"{base}/{van_b}/beantwoorden", {"versie": "1", "beantwoord_op": "2026-09-02"})
    assert r.status_code == 404
    r = client.post(f"{base}/{van_llz}/beantwoorden",
                    {"versie": _versie(app, Vraag, van_llz), "beantwoord_op": "2026-08-30"},
                    headers=HTMX)
    assert r.status_code == 422 and "vóór" in r.text
    r = client.post(f"{base}/{van_llz}/beantwoorden",
                    {"versie": _versie(app, Vraag, van_llz), "beantwoord_op": "2026-09-03",
                     "antwoord": "Is geregeld."}, headers=HTMX)
    assert r.status_code == 200 and "Is geregeld." in _soup(r).select_one(f"#vraag-{van_llz}").text
    assert _get(app, Vraag, van_llz).werkdagen == 2
    r = client.post(f"{base}/{van_llz}/beantwoorden",
                    {"versie": _versie(app, Vraag, van_llz), "beantwoord_op": "2026-09-03"})
    assert r.status_code == 422


def test_developments_llz_only(app, client, make_client, wereld):
    base = f"/scholen/{wereld['a']}/ontwikkelingen"
    school = make_client()
    school.login("a@school.example.nl")
    assert school.post(f"{base}/nieuw", {"onderwerp": "x", "bekend_op": "2026-11-02"}
                       ).status_code == 403
    client.login("lia@llz.example.nl")
    r = client.post(f"{base}/nieuw", {"onderwerp": "Verhuizing", "bekend_op": "2026-11-02"})
    assert r.status_code == 302
    with app.app_context():
        record_id = db.session.scalar(select(Ontwikkeling.id))
    r = client.post(f"{base}/{record_id}/gemeld",
                    {"versie": _versie(app, Ontwikkeling, record_id), "datum": TOEKOMST})
    assert r.status_code == 422 and "toekomst" in r.text
    r = client.post(f"{base}/{record_id}/gemeld",
                    {"versie": _versie(app, Ontwikkeling, record_id), "datum": "2026-11-06"},
                    headers=HTMX)
    assert r.status_code == 200 and _soup(r).select_one("#register-telling")
    record = _get(app, Ontwikkeling, record_id)
    assert record.gemeld_op == date(2026, 11, 6) and record.werkdagen == 4
    assert "te laat" in _soup(r).select_one(f"#ontwikkeling-{record_id}").text


# --- fast entry -------------------------------------------------------------------------------

def test_fast_entry_refuses_another_school_and_keeps_school_and_date(app, client, wereld):
    client.login("lia@llz.example.nl")
    soup = client.soup("/termijnen/invoer")
    keuzes = [o["value"] for o in soup.select("#school option")]
    assert keuzes == ["", str(wereld["a_id"])]
    r = client.post("/termijnen/invoer", {"school": str(wereld["b_id"]), "referentie": "X-1",
                                          "ontvangen_op": "2026-11-02"})
    assert r.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(Verzuimmelding.id))) == 0
    r = client.post("/termijnen/invoer", {"school": str(wereld["a_id"]), "referentie": "X-1",
                                          "ontvangen_op": "2026-11-02", "compleet": "y"},
                    headers=HTMX)
    assert r.status_code == 200
    soup = _soup(r)
    assert soup.select_one("#invoer-rijen tr").get_text().count("X-1") == 1
    assert soup.select_one("#referentie").has_attr("autofocus")
    assert not soup.select_one("#referentie").get("value")
    assert soup.select_one("#school option[selected]")["value"] == str(wereld["a_id"])
    assert soup.select_one("#ontvangen_op")["value"] == "2026-11-02"
    with app.app_context():
        melding = db.session.scalars(select(Verzuimmelding)).one()
        assert melding.oordeel == "compleet" and melding.reactie_uiterlijk == date(2026, 11, 9)
    r = client.post("/termijnen/invoer", {"school": str(wereld["a_id"]), "referentie": "X-2",
                                          "ontvangen_op": "2026-11-03"})
    assert r.status_code == 302
    soup = client.soup(r.location)
    assert soup.select_one("#school option[selected]")["value"] == str(wereld["a_id"])
    assert soup.select_one("#ontvangen_op")["value"] == "2026-11-03"
    assert "X-2" in soup.select_one("#invoer-rijen").text
    r = client.post("/termijnen/invoer", {"school": str(wereld["a_id"]), "referentie": "X-2",
                                          "ontvangen_op": "2026-11-03"})
    assert r.status_code == 422 and "staat al" in r.text


def test_fast_entry_beheerder_sees_all_schools_school_user_refused(app, client, make_client,
                                                                   wereld):
    client.login("beheer@llz.example.nl")
    keuzes = [o["value"] for o in client.soup("/termijnen/invoer").select("#school option")]
    assert set(keuzes) == {"", str(wereld["a_id"]), str(wereld["b_id"])}
    school = make_client()
    school.login("a@school.example.nl")
    assert school.get("/termijnen/invoer").status_code == 403


def test_duplicate_referentie_under_a_race_is_a_field_error(app, client, wereld, monkeypatch):
    """The check-then-insert race: the unique index answers, the user gets a field error."""
    from leerplicht.termijnen import registers

    _melding(app, wereld["a_id"], "RACE-1")
    monkeypatch.setattr(registers, "_referentie_bestaat", lambda *args: False)
    client.login("lia@llz.example.nl")
    r = client.post(f"/scholen/{wereld['a']}/meldingen/nieuw",
                    {"referentie": "RACE-1", "ontvangen_op": "2026-10-01"})
    assert r.status_code == 422 and "staat al" in r.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Verzuimmelding.id))) == 1


def test_bsn_in_toelichting_and_antwoord_is_refused(app, client, wereld):
    melding = _melding(app, wereld["a_id"])
    vraag = _vraag(app, wereld["a_id"], Kant.SCHOOL)
    client.login("lia@llz.example.nl")
    r = _post_actie(client, wereld, melding, "beoordelen",
                    {"versie": _versie(app, Verzuimmelding, melding), "elementen": ["0"],
                     "toelichting": "Leerling 111222333"})
    assert r.status_code == 422 and "burgerservicenummer" in r.text
    assert _get(app, Verzuimmelding, melding).oordeel == "open"
    r = client.post(f"/scholen/{wereld['a']}/vragen/{vraag}/beantwoorden",
                    {"versie": _versie(app, Vraag, vraag), "beantwoord_op": "2026-09-02",
                     "antwoord": "BSN 111222333"})
    assert r.status_code == 422 and _get(app, Vraag, vraag).beantwoord_op is None

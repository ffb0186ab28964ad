"""The page cache (leerplicht/paginacache.py): fewer queries on a repeat, never stale, never shared
across rights or sessions, and the access check still first. Runs on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select, text, update

from leerplicht import paginacache
from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.paginacache import PLAATSHOUDER, Dataversie
from leerplicht.scholen.models import Contactrol, Kant, School

import factories as f


@pytest.fixture
def wereld(app):
    """Two schools with their people; an LLZ editor of both, a school user of each."""
    with app.app_context():
        jaar = f.schooljaar("2026-2027")
        lars = f.persoon("Lars Leerplicht", email="lars@llz.example.nl", telefoon="010-1111111")
        scholen = {}
        for sleutel, naam, code in (("een", "Basisschool Een", "11AA00"),
                                    ("twee", "Basisschool Twee", "22BB00")):
            school = f.school(naam=naam, code=code)
            f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
            zorg = f.persoon(f"Zorg {naam}", kant=Kant.SCHOOL, email=f"zorg@{code.lower()}.nl",
                             telefoon=f"06-{code[:2]}{code[:2]}{code[:2]}00")
            f.toewijzing(school, zorg, Contactrol.SCHOOL_CONTACT)
            scholen[sleutel] = school
        f.afsprakenlijst(scholen["een"], jaar)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars)
        f.gebruiker(Rol.LLZ, "anna@llz.example.nl")  # LLZ, but contact of neither school
        f.gebruiker(Rol.SCHOOL, "een@school.nl", scholen=[scholen["een"]])
        f.gebruiker(Rol.SCHOOL, "twee@school.nl", scholen=[scholen["twee"]])
        db.session.commit()
        return {naam: (school.id, school.code) for naam, school in scholen.items()}


def token(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Dataversie.token))


def telling(app, client, url):
    """(number of SQL statements, parsed <main>) of one GET, cache left on."""
    gezien = []
    with app.app_context():
        engine = db.engine
    from sqlalchemy import event

    def tel(*_args):
        gezien.append(1)

    event.listen(engine, "before_cursor_execute", tel)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", tel)
    assert response.status_code == 200, (url, response.status_code)
    return len(gezien), BeautifulSoup(response.text, "html.parser").select_one("main")


def test_token_changes_only_when_a_commit_wrote(app, wereld):
    begin = token(app)
    with app.app_context():
        db.session.scalars(select(School)).all()
        db.session.commit()  # read only
    assert token(app) == begin
    with app.app_context():
        db.session.get(School, wereld["een"][0]).naam = "Niet bewaard"
        db.session.flush()
        db.session.rollback()
    assert token(app) == begin
    with app.app_context():
        db.session.get(School, wereld["een"][0]).plaats = "Zeevliet"
        db.session.commit()  # an ORM change, flushed by the commit itself
    na_orm = token(app)
    assert na_orm != begin
    with app.app_context():
        db.session.execute(update(School).where(School.id == wereld["twee"][0])
                           .values(plaats="Duinwijk"))
        db.session.commit()  # a bulk UPDATE, not through the unit of work
    na_bulk = token(app)
    assert na_bulk not in (begin, na_orm)
    with app.app_context():
        db.session.execute(text("SELECT count(*) FROM school"))
        db.session.commit()  # text that only reads
    assert token(app) == na_bulk
    with app.app_context():
        db.session.execute(text("UPDATE school SET plaats = 'Zeedorp' WHERE id = :id"),
                           {"id": wereld["een"][0]})
        db.session.commit()  # text that writes
    na_tekst = token(app)
    assert na_tekst != na_bulk
    with app.app_context():  # a write in a savepoint that is rolled back: nothing written
        with db.session.begin_nested() as savepunt:
            db.session.get(School, wereld["een"][0]).plaats = "Nergens"
            db.session.flush()
            savepunt.rollback()
        db.session.commit()
    # Writing was attempted in the transaction: renewing then is harmless; not renewing after a
    # real write is what must never happen (checked above).
    assert token(app)


def test_login_attempts_do_not_renew_the_token(app, wereld, client):
    """Login attempts are written (the lockout counts them) but no kept part shows them."""
    from leerplicht.accounts.models import Inlogpoging

    begin = token(app)
    for _ in range(2):
        geweigerd = client.post("/inloggen", {"email": "lars@llz.example.nl",
                                              "wachtwoord": "fout-wachtwoord"})
        assert geweigerd.status_code != 302
    with app.app_context():
        assert len(db.session.scalars(select(Inlogpoging)).all()) == 2  # written indeed
    assert token(app) == begin


def test_page_views_do_not_renew_the_token(app, wereld, client):
    client.login("lars@llz.example.nl")
    begin = token(app)
    code = wereld["een"][1]
    for url in ("/", f"/scholen/{code}", f"/scholen/{code}/afsprakenlijst", "/scholen/",
                "/health"):
        client.get(url)
        client.get(url)
    assert token(app) == begin


@pytest.mark.parametrize("pagina", ["/scholen/{code}", "/scholen/{code}/afsprakenlijst", "/"])
def test_a_repeat_is_served_from_the_cache_with_few_queries(app, wereld, client, pagina):
    client.login("lars@llz.example.nl")
    url = pagina.format(code=wereld["een"][1])
    koud, eerste = telling(app, client, url)
    warm, tweede = telling(app, client, url)
    assert zonder_tokens(eerste) == zonder_tokens(tweede)
    assert warm <= 6 < koud, (koud, warm)


def zonder_tokens(main) -> str:
    """The HTML without the CSRF token values (signed with the time: they differ per second)."""
    for veld in main.select("input[name=csrf_token]"):
        veld["value"] = "token"
    return str(main)


def test_off_means_every_view_is_built_afresh(app, wereld, second_app):
    from conftest import Client

    uit = second_app(PAGINACACHE=False)
    client = Client(uit)
    client.login("lars@llz.example.nl")
    url = f"/scholen/{wereld['een'][1]}"
    koud, _ = telling(uit, client, url)
    nog_eens, _ = telling(uit, client, url)
    assert nog_eens == koud > 6
    assert "paginacache" not in uit.extensions


def _formulier(soup: BeautifulSoup, actie: str) -> dict:
    """Every field of the form whose action ends with `actie`, as the browser would send it."""
    form = soup.select_one(f"form[action$='{actie}']")
    data = {}
    for veld in form.select("input[name], textarea[name], select[name]"):
        if veld.name == "select":
            gekozen = veld.select_one("option[selected]") or veld.select_one("option")
            data[veld["name"]] = gekozen.get("value", "")
        elif veld.name == "textarea":
            data[veld["name"]] = veld.get_text()
        else:
            data[veld["name"]] = veld.get("value", "")
    return data


def test_a_change_in_another_worker_shows_at_once(app, wereld, client, second_app):
    """Two processes: the first keeps the dossier; the second edits the school through its
    form; the first shows the new name on the next view (the token is in the database)."""
    from conftest import Client

    code = wereld["een"][1]
    client.login("lars@llz.example.nl")
    client.get(f"/scholen/{code}")
    _, voor = telling(app, client, f"/scholen/{code}")
    assert voor.select_one("h1").get_text(strip=True) == "Basisschool Een"

    ander = Client(second_app())
    ander.login("lars@llz.example.nl")
    data = _formulier(ander.soup(f"/scholen/{code}/bewerken"), f"/scholen/{code}/bewerken")
    data["naam"] = "Basisschool Een en Al"
    response = ander.post(f"/scholen/{code}/bewerken", data)
    assert response.status_code in (302, 303), response.text

    _, na = telling(app, client, f"/scholen/{code}")
    assert na.select_one("h1").get_text(strip=True) == "Basisschool Een en Al"
    # The start page and the afsprakenlijst of the first worker, kept before, are current too.
    assert "Basisschool Een en Al" in client.get("/").text
    assert "Basisschool Een en Al" in client.get(f"/scholen/{code}/afsprakenlijst").text


def test_rights_and_schools_are_never_shared(app, wereld, make_client):
    """A dossier kept for the LLZ editor: the school's user gets no edit links, another LLZ
    user neither, and the other school's user still gets a 404 with none of its people."""
    code = wereld["een"][1]
    lars = make_client()
    lars.login("lars@llz.example.nl")
    for _ in range(2):
        soup = lars.soup(f"/scholen/{code}")
    assert soup.select_one(f"a[href='/scholen/{code}/bewerken']")

    for email in ("een@school.nl", "anna@llz.example.nl"):
        ander = make_client()
        ander.login(email)
        soup = ander.soup(f"/scholen/{code}")
        assert soup.select_one("h1").get_text(strip=True) == "Basisschool Een"
        assert soup.select_one(f"a[href='/scholen/{code}/bewerken']") is None, email

    vreemde = make_client()
    vreemde.login("twee@school.nl")
    for url in (f"/scholen/{code}", f"/scholen/{code}/afsprakenlijst"):
        response = vreemde.get(url)
        assert response.status_code == 404
        for spoor in ("Basisschool Een", "Zorg Basisschool Een", "zorg@11aa00.nl", "06-111111"):
            assert spoor not in response.text, (url, spoor)


def test_each_session_gets_its_own_csrf_token(app, wereld, make_client):
    """Two sessions of one user share the kept afsprakenlijst, not its token: each page
    carries its own session's token, and a form from the kept page works."""
    code = wereld["een"][1]
    sessies = [make_client(), make_client()]
    tokens = []
    for sessie in sessies:
        sessie.login("lars@llz.example.nl")
        response = sessie.get(f"/scholen/{code}/afsprakenlijst")
        assert PLAATSHOUDER not in response.text
        soup = BeautifulSoup(response.text, "html.parser")
        waarden = {i["value"] for i in soup.select("main input[name=csrf_token]")}
        assert len(waarden) == 1
        tokens.append(waarden.pop())
    assert tokens[0] != tokens[1]
    # The second session's page came from the cache; its token is valid for it alone.
    soup = BeautifulSoup(sessies[1].get(f"/scholen/{code}/afsprakenlijst").text, "html.parser")
    actie = f"/scholen/{code}/afspraken/nieuw"
    data = _formulier(soup, actie)
    data.update(titel="Extra overleg", tekst="Eens per maand overleg over verzuim.", wie="beiden")
    geweigerd = sessies[0].post(actie, {**data, "csrf_token": tokens[1]}, csrf=False)
    assert geweigerd.status_code == 400
    gelukt = sessies[1].post(actie, data, csrf=False)
    assert gelukt.status_code in (200, 302, 303), gelukt.status_code
    assert "Extra overleg" in sessies[0].get(f"/scholen/{code}/afsprakenlijst").text


def test_a_part_holding_a_real_token_is_not_kept(app):
    from flask_wtf.csrf import generate_csrf

    gemaakt = []

    def maak():
        gemaakt.append(1)
        return f"<input name=csrf_token value={generate_csrf()}>"

    with app.test_request_context("/"):
        eerste = paginacache.deel("proef", (1,), maak)
        assert generate_csrf() in eerste
    with app.test_request_context("/"):
        paginacache.deel("proef", (1,), maak)
    assert len(gemaakt) == 2
    assert not any(sleutel[0] == "proef" for sleutel in app.extensions["paginacache"].delen)


def test_a_new_day_builds_afresh(app, wereld, client, monkeypatch):
    client.login("lars@llz.example.nl")
    url = f"/scholen/{wereld['een'][1]}"
    koud, _ = telling(app, client, url)
    warm, _ = telling(app, client, url)

    class Morgen(date):
        @classmethod
        def today(cls):
            return date.today() + timedelta(days=1)

    monkeypatch.setattr(paginacache, "date", Morgen)
    morgen, _ = telling(app, client, url)
    assert warm < morgen == koud


def test_the_cache_is_bounded(app, wereld, client, second_app):
    from conftest import Client

    klein = second_app(PAGINACACHE_GROOTTE=2)
    client = Client(klein)
    client.login("lars@llz.example.nl")
    for code in (wereld["een"][1], wereld["twee"][1]):
        client.get(f"/scholen/{code}")
        client.get(f"/scholen/{code}/afsprakenlijst")
    client.get("/")
    assert len(klein.extensions["paginacache"].delen) == 2


def test_settings_from_the_environment(tmp_path, monkeypatch):
    from leerplicht.config import default_config

    basis = {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    monkeypatch.setenv("LEERPLICHT_PAGINACACHE", "0")
    monkeypatch.setenv("LEERPLICHT_PAGINACACHE_GROOTTE", "50")
    config = default_config(tmp_path, basis)
    assert (config["PAGINACACHE"], config["PAGINACACHE_GROOTTE"]) == (False, 50)
    monkeypatch.setenv("LEERPLICHT_PAGINACACHE_GROOTTE", "veel")
    with pytest.raises(ValueError, match="LEERPLICHT_PAGINACACHE_GROOTTE"):
        default_config(tmp_path, basis)

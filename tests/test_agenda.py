"""The iCalendar feed of the jaarplanning and the account page that manages it."""

import hashlib
from datetime import UTC, date, datetime

import icalendar
import pytest
from sqlalchemy import select

from leerplicht.accounts.models import Gebruiker, Rol
from leerplicht.cyclus.models import Agendatoken, Bezoek, Herinneringsinstelling, Klankbordoverleg
from leerplicht.extensions import db
from leerplicht.rendering import lokale_tijd
from leerplicht.scholen.models import Contactrol

import factories as f

EIGEN = ("Basisschool De Linde", "10PO00")
ANDER = ("Lyceum Duinzicht", "20VO00")


@pytest.fixture
def wereld(app):
    """School A (PO) with a school user; school B (VO) with a planned visit; LLZ Lia for A;
    a meeting of each Klankbordgroep; a beheerder."""
    with app.app_context():
        jaar = f.huidig_schooljaar("2026-2027")
        a = f.school(EIGEN[0], EIGEN[1], sector="PO")
        b = f.school(ANDER[0], ANDER[1], sector="VO")
        lia = f.persoon("Lia Toegewezen")
        f.toewijzing(a, lia, Contactrol.LLZ_CONTACT)
        db.session.add_all([
            Bezoek(school_id=b.id, schooljaar_id=jaar.id, datum=date(2026, 9, 15), soort="jes"),
            Klankbordoverleg(sector="PO", schooljaar_id=jaar.id, datum=date(2026, 11, 20)),
            Klankbordoverleg(sector="VO", schooljaar_id=jaar.id, datum=date(2027, 1, 15)),
        ])
        f.gebruiker(Rol.SCHOOL, "a@school.example.nl", scholen=[a])
        f.gebruiker(Rol.SCHOOL, "b@school.example.nl", scholen=[b])
        f.gebruiker(Rol.LLZ, "lia@llz.example.nl", contactpersoon=lia)
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        db.session.commit()
        return {"a": a.code, "b": b.code}


def _koppeling(client, email: str) -> str:
    """Log in, create the calendar link on the account page; return the feed path."""
    client.login(email)
    antwoord = client.post("/account/agenda")
    assert antwoord.status_code == 302
    return _link_van(client)


def _link_van(client) -> str:
    """The feed path shown (once) on the account page."""
    soup = client.soup("/account")
    veld = soup.select_one("#agendalink")
    assert veld is not None
    url = veld["value"]
    assert url.startswith("http://localhost/agenda/") and url.endswith(".ics")
    return url.removeprefix("http://localhost")


def _feed(client, pad: str):
    """Fetch and parse a feed."""
    antwoord = client.get(pad)
    assert antwoord.status_code == 200
    return icalendar.Calendar.from_ical(antwoord.data), antwoord


def _events(cal) -> list:
    """The VEVENTs of a calendar."""
    return list(cal.walk("VEVENT"))


def test_feed_van_een_schoolgebruiker(app, wereld, client, make_client):
    """The right events, all-day, with the calendar headers and the Amsterdam zone."""
    pad = _koppeling(client, "a@school.example.nl")
    cal, antwoord = _feed(make_client(), pad)  # no login needed: the token is the key
    assert antwoord.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert antwoord.headers["Cache-Control"] == "private, max-age=900"
    assert str(cal["VERSION"]) == "2.0" and str(cal["CALSCALE"]) == "GREGORIAN"
    assert "PRODID" in cal and "X-WR-CALNAME" in cal
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = {str(e["SUMMARY"]): e for e in _events(cal)}
    naam = EIGEN[0]
    assert set(events) == {
        f"Afsprakenlijst uiterlijk vastgesteld – {naam}",
        f"Startbezoek van Leerlingzaken uiterlijk – {naam}",
        f"Jaarlijkse evaluatie uiterlijk – {naam}",
        "Overleg Klankbordgroep PO",
        "Contactgegevens nalopen",
        "Kennismaken met de contactpersoon van Leerlingzaken",
        "Afspraken voor het nieuwe schooljaar bespreken",
    }
    lijst = events[f"Afsprakenlijst uiterlijk vastgesteld – {naam}"]
    start, einde = lijst["DTSTART"].dt, lijst["DTEND"].dt
    assert type(start) is date and not isinstance(start, datetime)
    assert (start, einde) == (date(2026, 10, 31), date(2026, 11, 1))
    assert str(lijst["UID"]) == f"afsprakenlijst-{EIGEN[1]}-2026@leerplicht"
    assert str(lijst["URL"]) == f"http://localhost/scholen/{EIGEN[1]}/afsprakenlijst"
    assert "DTSTAMP" in lijst
    periode = events["Kennismaken met de contactpersoon van Leerlingzaken"]
    assert (periode["DTSTART"].dt, periode["DTEND"].dt) == (date(2026, 9, 1), date(2026, 10, 1))


def test_geen_andere_school_in_de_feed(app, wereld, client, make_client):
    """A school user's feed holds nothing of another school; nor does an LLZ user's feed hold
    schools they are not contact for."""
    for email in ("a@school.example.nl", "lia@llz.example.nl"):
        pad = _koppeling(make_client(), email)
        tekst = make_client().get(pad).get_data(as_text=True)
        cal = icalendar.Calendar.from_ical(tekst)
        for event in _events(cal):
            inhoud = " ".join(str(event.get(k, "")) for k in ("SUMMARY", "DESCRIPTION", "URL",
                                                              "UID"))
            assert ANDER[0] not in inhoud and ANDER[1] not in inhoud, email
        assert ANDER[0] not in tekst and ANDER[1] not in tekst
        assert "Klankbordgroep VO" not in tekst


def test_feed_van_de_beheerder_is_samengevat(app, wereld, client, make_client):
    """The beheerder's feed: each milestone once per date with the number of schools."""
    pad = _koppeling(client, "beheer@llz.example.nl")
    cal, _ = _feed(make_client(), pad)
    titels = [str(e["SUMMARY"]) for e in _events(cal)]
    assert "Afsprakenlijst uiterlijk vastgesteld (2 scholen)" in titels
    assert "Overleg Klankbordgroep VO" in titels and "No-show-actie" in titels


def test_uid_stabiel_en_oude_link_werkt_niet_meer(app, wereld, client, make_client):
    """UIDs are the same on every fetch and after a new link; the old link is then a 404,
    and after stopping the link is a 404 too."""
    pad = _koppeling(client, "a@school.example.nl")
    lezer = make_client()
    eerste = sorted(str(e["UID"]) for e in _events(_feed(lezer, pad)[0]))
    tweede = sorted(str(e["UID"]) for e in _events(_feed(lezer, pad)[0]))
    assert eerste == tweede and len(set(eerste)) == len(eerste)

    assert client.post("/account/agenda").status_code == 302
    nieuw = _link_van(client)
    assert nieuw != pad
    assert lezer.get(pad).status_code == 404
    assert sorted(str(e["UID"]) for e in _events(_feed(lezer, nieuw)[0])) == eerste

    assert client.post("/account/agenda/stoppen").status_code == 302
    assert lezer.get(nieuw).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Agendatoken)) is None


@pytest.mark.parametrize("token", [
    "x" * 43,  # well-formed, of no one
    "kort",
    "x" * 44,
    "x" * 42 + "!",
    "%C3%A9" + "x" * 42,
    "..%2F" + "x" * 40,
])
def test_verkeerde_token_is_404(app, wereld, client, token):
    """A wrong or malformed token is a 404 (no login page, no error)."""
    _koppeling(client, "a@school.example.nl")
    assert client.get(f"/agenda/{token}.ics").status_code == 404
    # A NUL byte is refused before any query (the app-wide filter): 400, never a 500.
    assert client.get(f"/agenda/%00{token}.ics").status_code == 400


def test_inactieve_gebruiker_geen_feed(app, wereld, client, make_client):
    """A deactivated user's feed stops working."""
    pad = _koppeling(client, "a@school.example.nl")
    with app.app_context():
        gebruiker = db.session.scalar(select(Gebruiker).where(
            Gebruiker.email == "a@school.example.nl"))
        gebruiker.actief = False
        db.session.commit()
    assert make_client().get(pad).status_code == 404


def test_accountpagina_toont_de_link_een_keer(app, wereld, client):
    """Name, e-mail and role; the link once after creating it (only its hash is stored);
    afterwards the active-since text with the renew and stop buttons."""
    client.login("a@school.example.nl")
    soup = client.soup("/account")
    tekst = soup.select_one("main").get_text(strip=True)
    assert "a@school.example.nl" in tekst and "RolSchool" in tekst
    assert soup.select_one("main a[href='/account/wachtwoord']") is not None
    knop = soup.select_one("form[action='/account/agenda'] button")
    assert knop.get_text(strip=True) == "Agendakoppeling aanmaken"
    assert soup.select_one("#agendalink") is None

    client.post("/account/agenda")
    pad = _link_van(client)
    token = pad.removeprefix("/agenda/").removesuffix(".ics")
    with app.app_context():
        record = db.session.scalar(select(Agendatoken))
        assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in record.token_hash

    soup = client.soup("/account")
    assert soup.select_one("#agendalink") is None
    assert token not in str(soup)
    tekst = soup.select_one("#agenda").get_text(" ", strip=True)
    # The page shows the Dutch date (between 23:00 and 24:00 UTC already tomorrow's).
    vandaag = lokale_tijd(datetime.now(UTC)).date()
    assert f"Er is een agendakoppeling actief sinds {vandaag:%d-%m-%Y}" in tekst
    knoppen = [b.get_text(strip=True) for b in soup.select("#agenda button")]
    assert knoppen == ["Nieuwe link maken (de oude werkt dan niet meer)",
                       "Agendakoppeling stoppen"]
    assert "Abonneren vanaf internet" not in soup.text


def test_herinneringen_aan_en_uit(app, wereld, client):
    """No row means on; unticking stores off; ticking stores on again."""
    client.login("a@school.example.nl")
    assert client.soup("/account").select_one("#aan").has_attr("checked")
    assert client.post("/account/herinneringen", {}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Herinneringsinstelling.aan)) is False
    assert not client.soup("/account").select_one("#aan").has_attr("checked")
    assert client.post("/account/herinneringen", {"aan": "y"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Herinneringsinstelling.aan)) is True


def test_zonder_csrf_verandert_niets(app, wereld, client):
    """A POST without the CSRF token is refused and stores nothing."""
    client.login("a@school.example.nl")
    assert client.post("/account/agenda", csrf=False).status_code == 400
    assert client.post("/account/herinneringen", csrf=False).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Agendatoken)) is None
        assert db.session.scalar(select(Herinneringsinstelling)) is None


def test_menu_link_mijn_account(app, wereld, client):
    """The user area of the header links to Mijn account."""
    client.login("a@school.example.nl")
    kop = client.soup("/account").select_one("header")
    link = kop.find("a", string="Mijn account")
    assert link["href"] == "/account" and link["aria-current"] == "page"

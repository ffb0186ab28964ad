"""The e-mail digest `leerplicht herinneringen`, against a real SMTP server (aiosmtpd)."""

import socket
from datetime import UTC, date, datetime
from email import message_from_bytes
from email import policy as mailpolicy

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.models import Gebruiker, Rol
from leerplicht.afspraken.regels import geef_akkoord
from leerplicht.cyclus.models import (
    Evaluatie,
    Evaluatiescore,
    Herinnering,
    Herinneringsinstelling,
    Thema,
)
from leerplicht.cyclus.post import Smtpserver, lees_smtp_url
from leerplicht.extensions import db
from leerplicht.scholen.contactregels import Wijziging, voer_uit
from leerplicht.scholen.models import Contactrol, Kant
from leerplicht.termijnen.models import Vraag

import factories as f

BASIS = "https://leerplicht.example.nl/app"
MAANDAG = "2026-11-30"  # the week runs until Sunday 6 December


class Postvak:
    """An aiosmtpd handler that keeps every message and can refuse chosen recipients."""

    def __init__(self):
        self.berichten = []
        self.weiger: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """Accept a recipient unless it is on the refusal list."""
        if address in self.weiger:
            return "550 Onbekende ontvanger"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """Keep the message as received."""
        self.berichten.append(message_from_bytes(envelope.content, policy=mailpolicy.default))
        return "250 Message accepted for delivery"

    def aan(self, email: str) -> list:
        """The messages received for one address."""
        return [b for b in self.berichten if b["To"].addresses[0].addr_spec == email]


class Proefserver(Controller):
    """Controller on a free port: aiosmtpd 1.4 connects to `self.port` to wake the server,
    so the port bound for port=0 is read from the listening socket first."""

    def _trigger_server(self):
        """Learn the bound port, then let aiosmtpd make its first connection."""
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def postvak(app):
    """A real SMTP server on 127.0.0.1, set as the app's LEERPLICHT_SMTP_URL."""
    vak = Postvak()
    controller = Proefserver(vak, hostname="127.0.0.1", port=0)
    controller.start()
    app.config["LEERPLICHT_SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    app.config["LEERPLICHT_BASIS_URL"] = BASIS
    app.config["LEERPLICHT_AFZENDER"] = "leerplicht@zeevliet.example.nl"
    yield vak
    controller.stop()


def _vraag(school, jaar, door, onderwerp, uiterlijk):
    """An unanswered question whose answer is due on `uiterlijk`."""
    vraag = Vraag(school_id=school.id, schooljaar_id=jaar.id, gesteld_door=door,
                  onderwerp=onderwerp, gesteld_op=date(2026, 11, 2), uiterlijk=uiterlijk)
    db.session.add(vraag)
    db.session.flush()
    return vraag


@pytest.fixture
def wereld(app):
    """Alfa (Lars's school): the school's akkoord asked, a question the school let pass, one
    LLZ owes this week and one later, an evaluation this week. Beta (Anna's): a question LLZ
    let pass, a warm handover not recorded. Users: Zora and Bea (school), Lars and Anna (LLZ),
    and three who get nothing."""
    with app.app_context():
        jaar = f.huidig_schooljaar()
        lars, anna = f.persoon("Lars Leerplicht"), f.persoon("Anna Andere")
        beheerder = f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl", naam="Bert Beheer")
        alfa = f.school(naam="Alfa Basisschool", code="11AA00")
        beta = f.school(naam="Beta College", code="22BB00", sector="VO")
        for school, llz in ((alfa, lars), (beta, anna)):
            f.toewijzing(school, llz, Contactrol.LLZ_CONTACT)
            for rol in (Contactrol.SCHOOL_CONTACT, Contactrol.SCHOOL_VERVANGER,
                        Contactrol.DIRECTEUR):
                f.toewijzing(school, f.persoon(kant=Kant.SCHOOL), rol)
        lijst = f.afsprakenlijst(alfa, jaar)
        geef_akkoord(lijst, "llz", beheerder.id, None, nu=datetime(2026, 10, 1, tzinfo=UTC))
        school_te_laat = _vraag(alfa, jaar, Kant.LLZ, "Rooster verzuimcoördinator",
                                date(2026, 11, 20))
        llz_deze_week = _vraag(alfa, jaar, Kant.SCHOOL, "Uitleg nieuwe werkwijze",
                               date(2026, 12, 3))
        _vraag(alfa, jaar, Kant.SCHOOL, "Planning voorjaar", date(2026, 12, 20))
        beta_te_laat = _vraag(beta, jaar, Kant.SCHOOL, "Beta vraagt iets", date(2026, 11, 16))
        # Beta's new contact person started without a warm handover being recorded.
        voer_uit(Wijziging(beta.id, Contactrol.SCHOOL_CONTACT,
                           f.persoon("Nico Nieuw", kant=Kant.SCHOOL).id,
                           date(2026, 10, 1), date(2026, 8, 15)))
        db.session.add(Evaluatie(school_id=alfa.id, schooljaar_id=jaar.id,
                                 gepland_op=date(2026, 12, 2)))
        f.gebruiker(Rol.SCHOOL, "zorg@alfa.example.nl", scholen=[alfa], naam="Zora Zorg")
        f.gebruiker(Rol.SCHOOL, "zorg@beta.example.nl", scholen=[beta], naam="Bea Beta")
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars, naam="Lars Leerplicht")
        f.gebruiker(Rol.LLZ, "anna@llz.example.nl", contactpersoon=anna, naam="Anna Andere")
        f.gebruiker(Rol.SCHOOL, "oud@alfa.example.nl", scholen=[alfa], naam="Oud Account",
                    actief=False)
        uit = f.gebruiker(Rol.SCHOOL, "stil@alfa.example.nl", scholen=[alfa], naam="Stil")
        db.session.add(Herinneringsinstelling(gebruiker_id=uit.id, aan=False))
        db.session.commit()
        return {"school_te_laat": school_te_laat.id, "llz_deze_week": llz_deze_week.id,
                "beta_te_laat": beta_te_laat.id, "jaar": jaar.id, "alfa": alfa.id}


ONTVANGERS = {"anna@llz.example.nl", "lars@llz.example.nl", "zorg@alfa.example.nl",
              "zorg@beta.example.nl"}


def _herinneringen(app, **filter_by) -> int:
    """How many items are recorded as mailed."""
    with app.app_context():
        return db.session.scalar(select(func.count(Herinnering.id)).filter_by(**filter_by))


def _delen(bericht) -> tuple[str, BeautifulSoup]:
    """The plain text and the parsed HTML part of a digest."""
    assert bericht.get_content_type() == "multipart/alternative"
    tekst = bericht.get_body(preferencelist=("plain",)).get_content()
    html = bericht.get_body(preferencelist=("html",)).get_content()
    return tekst, BeautifulSoup(html, "html.parser")


def _links(soup) -> dict[str, str]:
    """The HTML part's item links: text -> href."""
    return {a.get_text(strip=True): a["href"] for a in soup.select("li a")}


def test_school_user_gets_one_mail_with_akkoord_and_overdue_step(app, runner, wereld, postvak):
    """Zora: the akkoord asked, the question past its date, her side of the evaluation; text
    and HTML parts with links on the public base URL."""
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert result.exit_code == 0, result.output
    assert "3 punten aan Zora Zorg <zorg@alfa.example.nl>" in result.output.splitlines()

    [bericht] = postvak.aan("zorg@alfa.example.nl")
    assert bericht["From"] == "leerplicht@zeevliet.example.nl"
    assert bericht["Subject"] == "Leerplicht: 3 punten voor deze week"
    tekst, soup = _delen(bericht)
    assert soup.html["lang"] == "nl"
    assert not soup.select("script, link, img, style")  # no external resources
    vraag = wereld["school_te_laat"]
    links = _links(soup)
    assert links.pop("Uw akkoord wordt gevraagd op de afsprakenlijst 2026-2027") == (
        f"{BASIS}/scholen/11AA00/afsprakenlijst#akkoord-blok")
    assert links.pop("Vraag ‘Rooster verzuimcoördinator’ beantwoorden") == (
        f"{BASIS}/scholen/11AA00/vragen?schooljaar=2026-2027#vraag-{vraag}")
    # The evaluation: its page once that exists, else the dossier.
    [(evaluatie, href)] = links.items()
    assert evaluatie == "Vul uw kant van de evaluatie in"
    assert href.split("#")[0] in (f"{BASIS}/scholen/11AA00", f"{BASIS}/scholen/11AA00/evaluatie")
    assert "tot en met zondag 6 december 2026" in tekst
    for text, href in _links(soup).items():
        assert f"- {text}" in tekst and href in tekst
    assert "Alfa Basisschool" in tekst and "Beta" not in tekst
    assert "werkdagen te laat" in tekst  # how late the question is
    with app.app_context():
        zora = db.session.scalar(select(Gebruiker.id).filter_by(email="zorg@alfa.example.nl"))
    assert _herinneringen(app, gebruiker_id=zora, datum=date(2026, 11, 30)) == 3


def test_llz_user_gets_own_schools_items_only(app, runner, wereld, postvak):
    """Lars: Alfa's question due this week, the list not vastgesteld, his evaluation side; not
    Beta's late question (Anna's), nor Alfa's question due later."""
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert result.exit_code == 0, result.output
    assert {a for b in postvak.berichten for a in [b["To"].addresses[0].addr_spec]} == ONTVANGERS
    assert len(postvak.berichten) == len(ONTVANGERS)

    tekst, soup = _delen(postvak.aan("lars@llz.example.nl")[0])
    links = _links(soup)
    assert links["Vraag ‘Uitleg nieuwe werkwijze’ beantwoorden"] == (
        f"{BASIS}/scholen/11AA00/vragen?schooljaar=2026-2027#vraag-{wereld['llz_deze_week']}")
    assert links["Afsprakenlijst 2026-2027 is nog niet vastgesteld"] == (
        f"{BASIS}/scholen/11AA00/afsprakenlijst")
    assert "Vul uw kant van de evaluatie in" in links
    assert "bezoeken" not in tekst  # presence behind the norm is a state, not a deadline
    assert "Beta" not in tekst and "Planning voorjaar" not in tekst
    assert "Beta vraagt iets" not in str(soup)

    anna = _delen(postvak.aan("anna@llz.example.nl")[0])[0]
    assert "Beta vraagt iets" in anna and "Alfa" not in anna


def test_missing_warm_handover_is_asked_of_the_school(app, runner, wereld, postvak):
    """Bea's school has a new contact person without a recorded warm handover."""
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert result.exit_code == 0, result.output
    links = _links(_delen(postvak.aan("zorg@beta.example.nl")[0])[1])
    [(tekst, href)] = links.items()
    assert tekst == "Leg de warme overdracht vast van Nico Nieuw (contactpersoon school)"
    assert href.startswith(f"{BASIS}/scholen/22BB00/contactpersonen/")


def test_second_run_same_day_sends_nothing_next_day_sends_again(app, runner, wereld, postvak):
    """Items are recorded per user and day: a rerun sends only what is new; the next day the
    still-open items come again."""
    eerste = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert eerste.exit_code == 0, eerste.output
    vastgelegd = _herinneringen(app)
    assert vastgelegd > 0

    tweede = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert tweede.exit_code == 0, tweede.output
    assert "Niets nieuws te versturen voor 30-11-2026." in tweede.output
    assert len(postvak.berichten) == len(ONTVANGERS)  # exactly one message per user
    assert _herinneringen(app) == vastgelegd

    # A new item the same day: only that one goes out, only to the school concerned.
    with app.app_context():
        jaar = db.session.get(Evaluatie, 1).schooljaar
        alfa = db.session.get(Evaluatie, 1).school
        _vraag(alfa, jaar, Kant.LLZ, "Nieuwe vraag", date(2026, 12, 4))
        db.session.commit()
    derde = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert derde.exit_code == 0, derde.output
    assert "1 punt aan Zora Zorg <zorg@alfa.example.nl>" in derde.output
    nieuw = postvak.aan("zorg@alfa.example.nl")[-1]
    assert list(_links(_delen(nieuw)[1])) == ["Vraag ‘Nieuwe vraag’ beantwoorden"]
    assert len(postvak.berichten) == len(ONTVANGERS) + 1

    volgende = runner.invoke(args=["herinneringen", "--datum", "2026-12-01"])
    assert volgende.exit_code == 0, volgende.output
    assert len(postvak.berichten) == 2 * len(ONTVANGERS) + 1
    assert len(_links(_delen(postvak.aan("zorg@alfa.example.nl")[-1])[1])) == 4
    assert _herinneringen(app, datum=date(2026, 12, 1)) == vastgelegd + 1


def test_switched_off_and_inactive_users_get_nothing(app, runner, wereld, postvak):
    """The user who switched it off and the inactive user get no mail; the beheerder, who is
    nobody's contact person, has nothing due."""
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert result.exit_code == 0, result.output
    ontvangen = {b["To"].addresses[0].addr_spec for b in postvak.berichten}
    assert not ontvangen & {"stil@alfa.example.nl", "oud@alfa.example.nl",
                            "beheer@llz.example.nl"}
    assert "Stil" not in result.output and "Oud Account" not in result.output
    assert f"Klaar voor 30-11-2026: {len(ONTVANGERS)} e-mail(s) verstuurd" in result.output


def test_without_smtp_setting_nothing_is_sent_or_recorded(app, runner, wereld, postvak):
    """No LEERPLICHT_SMTP_URL: a Dutch message and exit code 1, so cron notices."""
    app.config["LEERPLICHT_SMTP_URL"] = ""
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert result.exit_code == 1
    assert "Er is geen mailserver ingesteld: zet LEERPLICHT_SMTP_URL" in result.output
    assert postvak.berichten == []
    assert _herinneringen(app) == 0


def test_bad_smtp_url_is_refused(app, runner, wereld, postvak):
    """A setting that is no SMTP address: a Dutch message, exit 1, nothing sent."""
    app.config["LEERPLICHT_SMTP_URL"] = "http://127.0.0.1:8025"
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert result.exit_code == 1
    assert "moet beginnen met smtp:// of smtps://" in result.output
    assert _herinneringen(app) == 0


def test_unreachable_server_exits_1_and_records_nothing(app, runner, wereld, postvak):
    """A closed port: the message names the server; no item is recorded as mailed."""
    with socket.socket() as vrij:
        vrij.bind(("127.0.0.1", 0))
        poort = vrij.getsockname()[1]
    app.config["LEERPLICHT_SMTP_URL"] = f"smtp://127.0.0.1:{poort}"
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert result.exit_code == 1
    assert f"De mailserver 127.0.0.1:{poort} is niet bereikbaar" in result.output
    assert "0 e-mail(s) verstuurd" in result.output
    assert _herinneringen(app) == 0


def test_refused_mail_keeps_its_items_unrecorded(app, runner, wereld, postvak):
    """The server refuses Lars's mail: the mails before his are sent and recorded, his items
    and those after are not (the next run sends them)."""
    postvak.weiger.add("lars@llz.example.nl")
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert result.exit_code == 1
    # Users in name order: Anna, Bea, Lars (refused), Zora (not tried).
    assert "nam de e-mail aan Lars Leerplicht <lars@llz.example.nl> niet aan" in result.output
    assert "2 e-mail(s) verstuurd" in result.output
    assert {b["To"].addresses[0].addr_spec for b in postvak.berichten} == {
        "anna@llz.example.nl", "zorg@beta.example.nl"}
    with app.app_context():
        vastgelegd_voor = set(db.session.scalars(
            select(Gebruiker.email).join(Herinnering, Herinnering.gebruiker_id == Gebruiker.id)))
    assert vastgelegd_voor == {"anna@llz.example.nl", "zorg@beta.example.nl"}

    postvak.weiger.clear()
    opnieuw = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert opnieuw.exit_code == 0, opnieuw.output
    assert {b["To"].addresses[0].addr_spec for b in postvak.berichten[2:]} == {
        "lars@llz.example.nl", "zorg@alfa.example.nl"}


def test_proef_sends_and_records_nothing(app, runner, wereld, postvak):
    """--proef lists who would get what, and needs no mail server."""
    app.config["LEERPLICHT_SMTP_URL"] = ""
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG, "--proef"])
    assert result.exit_code == 0, result.output
    assert "3 punten aan Zora Zorg <zorg@alfa.example.nl>:" in result.output
    assert "  - Alfa Basisschool: Uw akkoord wordt gevraagd op de afsprakenlijst 2026-2027 (" \
        f"{BASIS}/scholen/11AA00/afsprakenlijst#akkoord-blok)" in result.output
    assert "Er is niets verstuurd of vastgelegd." in result.output
    assert postvak.berichten == []
    assert _herinneringen(app) == 0


@pytest.mark.parametrize("datum", ["30-11-2026", "2026-02-30", "morgen", "2026-11-3O", "²026-1-1"])
def test_bad_date_gets_a_dutch_message(app, runner, wereld, postvak, datum):
    """--datum must be JJJJ-MM-DD and exist; otherwise a Dutch message and exit 2."""
    result = runner.invoke(args=["herinneringen", "--datum", datum])
    assert result.exit_code == 2
    assert "is geen geldige datum. Schrijf de datum als JJJJ-MM-DD" in result.output
    assert postvak.berichten == []


def test_evaluation_is_asked_in_its_week_of_the_side_that_has_not_scored(app, runner, wereld,
                                                                         postvak):
    """Before the week of the planned date nobody is asked; once the school has scored every
    theme, only LLZ is asked."""
    vorige_week = runner.invoke(args=["herinneringen", "--datum", "2026-11-23", "--proef"])
    assert vorige_week.exit_code == 0, vorige_week.output
    assert "evaluatie" not in vorige_week.output
    assert "Vraag ‘Rooster verzuimcoördinator’ beantwoorden" in vorige_week.output

    # On the day itself the start page asks too: still one item per user.
    op_de_dag = runner.invoke(args=["herinneringen", "--datum", "2026-12-02", "--proef"])
    assert op_de_dag.output.count("Alfa Basisschool: Vul uw kant van de evaluatie in") == 2

    with app.app_context():
        evaluatie = db.session.scalar(select(Evaluatie))
        evaluatie.scores = [Evaluatiescore(kant="school", thema=thema, score=4)
                            for thema in Thema]
        db.session.commit()
    result = runner.invoke(args=["herinneringen", "--datum", MAANDAG])
    assert result.exit_code == 0, result.output
    assert "evaluatie" not in str(_links(_delen(postvak.aan("zorg@alfa.example.nl")[0])[1]))
    assert "evaluatie" in str(_links(_delen(postvak.aan("lars@llz.example.nl")[0])[1]))


@pytest.mark.parametrize(("url", "verwacht"), [
    ("smtp://127.0.0.1:8025", Smtpserver("127.0.0.1", 8025)),
    ("smtp://mail.example.nl", Smtpserver("mail.example.nl", 25)),
    ("smtp://user:pass@host:587?starttls=1",
     Smtpserver("host", 587, starttls=True, gebruiker="user", wachtwoord="pass")),
    ("smtp://host?starttls=1", Smtpserver("host", 587, starttls=True)),
    ("smtps://host:465", Smtpserver("host", 465, ssl=True)),
    ("smtps://host", Smtpserver("host", 465, ssl=True)),
    ("SMTPS://a%40b.nl:p%2Fw%3A@host", Smtpserver("host", 465, ssl=True, gebruiker="a@b.nl",
                                                   wachtwoord="p/w:")),
])
def test_smtp_url_variants(url, verwacht):
    """Every documented form of LEERPLICHT_SMTP_URL, with default ports and escaped secrets."""
    assert lees_smtp_url(url) == verwacht


@pytest.mark.parametrize(("url", "melding"), [
    ("http://host", "moet beginnen met smtp:// of smtps://"),
    ("127.0.0.1:25", "moet beginnen met smtp:// of smtps://"),
    ("smtp://", "noemt geen server"),
    ("smtp://host:99999", "geen geldig adres"),
    ("smtp://host:poort", "geen geldig adres"),
    ("smtp://host?tls=1", "kent de optie 'tls' niet"),
    ("smtp://host?starttls=misschien", "starttls moet 1 of 0 zijn"),
    ("smtps://host?starttls=1", "smtps:// is al versleuteld"),
])
def test_bad_smtp_urls(url, melding):
    """A wrong setting is a Dutch ValueError naming what is wrong."""
    with pytest.raises(ValueError, match=melding):
        lees_smtp_url(url)


def test_server_name_hides_the_password():
    """Messages name the server as host:port, never the credentials."""
    server = lees_smtp_url("smtp://user:geheim@host:587?starttls=1")
    assert server.naam == "host:587" and "geheim" not in repr(server.naam)

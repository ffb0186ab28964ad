"""The yearly evaluation: planning, status, frozen hard data, each side's scores, improvement
points carried into the next afsprakenlijst, its dossier section, cockpit column and tasks."""

import json
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.cyclus.evaluatie import evaluaties_voor, gemiddelde_scores
from leerplicht.cyclus.evaluatieviews import laad_cockpit
from leerplicht.cyclus.models import Evaluatie, Evaluatiescore, Thema, Verbeterpunt
from leerplicht.extensions import db
from leerplicht.home.cockpit import Peil
from leerplicht.scholen.models import Contactrol
from leerplicht.schooljaren import Schooljaar
from leerplicht.termijnen.models import Verzuimmelding
from leerplicht.termijnen.opslag import herbereken

import factories as f

HTMX = {"HX-Request": "true"}
TOEKOMST = (date.today() + timedelta(days=3)).isoformat()
THEMAS = [t.value for t in Thema]


@pytest.fixture
def wereld(app):
    """School A (LLZ contact Lia) and B; users of both schools, an LLZ non-editor, a beheerder."""
    with app.app_context():
        f.schooljaar("2025-2026", huidig=False)
        f.schooljaar("2026-2027")
        a = f.school(naam="Alfaschool", code="11AA00")
        b = f.school(naam="Bravoschool", code="22BB00")
        lia = f.persoon("Lia Leerplicht")
        f.toewijzing(a, lia, Contactrol.LLZ_CONTACT)
        xander = f.persoon("Xander")
        f.toewijzing(b, xander, Contactrol.LLZ_CONTACT)
        f.gebruiker(Rol.LLZ, "lia@llz.example.nl", contactpersoon=lia, naam="Lia Leerplicht")
        f.gebruiker(Rol.LLZ, "xander@llz.example.nl", contactpersoon=xander)
        f.gebruiker(Rol.SCHOOL, "a@school.example.nl", scholen=[a], naam="Anke Zorg")
        f.gebruiker(Rol.SCHOOL, "b@school.example.nl", scholen=[b])
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        db.session.commit()
        return {"a": a.code, "b": b.code, "a_id": a.id, "b_id": b.id}


def _client(make_client, email):
    """A client logged in as `email`."""
    client = make_client()
    client.login(email)
    return client


def _url(wereld, actie="", **args):
    """The evaluation page (or one of its actions) of school A."""
    pad = f"/scholen/{wereld['a']}/evaluatie" + (f"/{actie}" if actie else "")
    if args:
        pad += "?" + "&".join(f"{k}={v}" for k, v in args.items())
    return pad


def _evaluatie(app, school_id, jaar="2026-2027") -> Evaluatie | None:
    """The evaluation of a school in a schooljaar, read fresh."""
    with app.app_context():
        schooljaar = db.session.scalars(select(Schooljaar).where(Schooljaar.naam == jaar)).one()
        evaluatie = evaluaties_voor([school_id], schooljaar).get(school_id)
        if evaluatie is not None:
            db.session.expunge_all()
        return evaluatie


def _plan(app, school_id, gepland_op=date(2026, 11, 2), jaar="2026-2027", **velden) -> int:
    """An evaluation stored directly; returns its id."""
    with app.app_context():
        schooljaar = db.session.scalars(select(Schooljaar).where(Schooljaar.naam == jaar)).one()
        evaluatie = Evaluatie(school_id=school_id, schooljaar_id=schooljaar.id,
                              gepland_op=gepland_op, **velden)
        db.session.add(evaluatie)
        db.session.commit()
        return evaluatie.id


def _melding(app, school_id, referentie):
    """A verzuimmelding in the current schooljaar (a register row the hard data counts)."""
    with app.app_context():
        jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).one()
        melding = Verzuimmelding(school_id=school_id, schooljaar_id=jaar.id,
                                 referentie=referentie, ontvangen_op=date(2026, 9, 1))
        herbereken(melding, jaar)
        db.session.add(melding)
        db.session.commit()


def _harde_waarde(soup, label) -> str:
    """A value of the hard data table by its row label."""
    for rij in soup.select("table.harde-gegevens tbody tr"):
        if rij.th.get_text(strip=True) == label:
            return rij.td.get_text(strip=True)
    raise AssertionError(label)


def _versie(app, evaluatie_id) -> str:
    with app.app_context():
        return str(db.session.get(Evaluatie, evaluatie_id).versie)


def _fout(response) -> str:
    """The error texts of a refused form."""
    soup = BeautifulSoup(response.text, "html.parser")
    return " ".join(el.get_text(" ", strip=True) for el in soup.select(
        ".utrecht-form-field-error-message, .utrecht-alert--error"))


# --- the page and planning ---------------------------------------------------------------------

def test_not_planned_llz_editor_plans_others_see_nog_niet_gepland(app, wereld, make_client):
    """Without an evaluation the LLZ editor gets the plan form; school and non-editor do not."""
    lia = _client(make_client, "lia@llz.example.nl")
    soup = lia.soup(_url(wereld))
    assert soup.select_one("form[action$='/evaluatie/plannen']") is not None
    for email in ("a@school.example.nl", "xander@llz.example.nl"):
        soup = _client(make_client, email).soup(_url(wereld))
        assert "Nog niet gepland" in soup.get_text()
        assert soup.select_one("form[action$='/evaluatie/plannen']") is None

    response = lia.post(_url(wereld, "plannen"), {
        "gepland_op": "2027-05-20", "teamleider_aanwezig": "y", "aanwezigen": "casemanager"})
    assert response.status_code == 302
    evaluatie = _evaluatie(app, wereld["a_id"])
    assert (evaluatie.gepland_op, evaluatie.status, evaluatie.teamleider_aanwezig,
            evaluatie.directeur_aanwezig, evaluatie.aanwezigen) == (
        date(2027, 5, 20), "gepland", True, False, "casemanager")
    soup = _client(make_client, "a@school.example.nl").soup(_url(wereld))
    assert "20-05-2027" in soup.select_one("#evaluatie-planning").get_text()


@pytest.mark.parametrize("data, tekst", [
    ({"gepland_op": "2027-08-02"}, "Kies een datum in schooljaar 2026-2027"),
    ({"gepland_op": ""}, "Vul een geldige datum in"),
    ({"gepland_op": "2027-05-20", "aanwezigen": "BSN 111222333"}, "burgerservicenummer"),
    ({"gepland_op": "2027-05-20", "aanwezigen": "x" * 301}, "korter dan 300"),
])
def test_planning_bad_input_is_refused(app, wereld, make_client, data, tekst):
    """A date outside the schooljaar, no date, a BSN or too long: 422, message, nothing stored."""
    lia = _client(make_client, "lia@llz.example.nl")
    response = lia.post(_url(wereld, "plannen"), data)
    assert response.status_code == 422
    assert tekst in _fout(response)
    assert _evaluatie(app, wereld["a_id"]) is None
    htmx = lia.post(_url(wereld, "plannen"), data, headers=HTMX)
    assert htmx.status_code == 422
    assert BeautifulSoup(htmx.text, "html.parser").select_one("#evaluatie-inhoud") is not None


def test_stale_version_is_a_conflict(app, wereld, make_client):
    """A planning form loaded before someone else's save: 409, nothing of it stored."""
    evaluatie_id = _plan(app, wereld["a_id"])
    lia = _client(make_client, "lia@llz.example.nl")
    oud = _versie(app, evaluatie_id)
    assert lia.post(_url(wereld, "plannen"), {"versie": oud, "gepland_op": "2027-05-20"}
                    ).status_code == 302
    response = lia.post(_url(wereld, "plannen"), {"versie": oud, "gepland_op": "2027-06-20"})
    assert response.status_code == 409
    assert _evaluatie(app, wereld["a_id"]).gepland_op == date(2027, 5, 20)


# --- status and the frozen hard data -----------------------------------------------------------

def test_hard_data_live_until_vastgelegd_then_frozen(app, wereld, make_client):
    """Before vastleggen the page follows the registers; after it, page and JSON stay put."""
    evaluatie_id = _plan(app, wereld["a_id"])
    lia = _client(make_client, "lia@llz.example.nl")
    assert _harde_waarde(lia.soup(_url(wereld)), "Verzuimmeldingen") == "0"
    _melding(app, wereld["a_id"], "DUO-1")
    soup = lia.soup(_url(wereld))
    assert _harde_waarde(soup, "Verzuimmeldingen") == "1"
    assert "Stand op" in soup.select_one(".harde-stand").get_text()

    assert lia.post(_url(wereld, "gehouden"), {"versie": _versie(app, evaluatie_id),
                                               "gehouden_op": "2026-11-03"}).status_code == 302
    assert lia.post(_url(wereld, "vastleggen"),
                    {"versie": _versie(app, evaluatie_id)}).status_code == 302
    evaluatie = _evaluatie(app, wereld["a_id"])
    assert evaluatie.status == "vastgelegd"
    assert evaluatie.vastgelegd_door_naam == "Lia Leerplicht"
    bevroren = evaluatie.harde_gegevens
    assert json.loads(bevroren)["meldingen"] == 1

    _melding(app, wereld["a_id"], "DUO-2")
    soup = lia.soup(_url(wereld))
    assert _harde_waarde(soup, "Verzuimmeldingen") == "1"
    stand = soup.select_one(".harde-stand").get_text(" ", strip=True)
    assert "Vastgelegd op" in stand and "door Lia Leerplicht" in stand
    assert _evaluatie(app, wereld["a_id"]).harde_gegevens == bevroren


def test_vastleggen_only_from_gehouden(app, wereld, make_client):
    """Vastleggen a planned evaluation is refused with a message; nothing is frozen."""
    evaluatie_id = _plan(app, wereld["a_id"])
    lia = _client(make_client, "lia@llz.example.nl")
    response = lia.post(_url(wereld, "vastleggen"), {"versie": _versie(app, evaluatie_id)})
    assert response.status_code == 422
    assert "Leg eerst vast dat de evaluatie gehouden is" in _fout(response)
    evaluatie = _evaluatie(app, wereld["a_id"])
    assert evaluatie.status == "gepland" and evaluatie.harde_gegevens is None


def test_gehouden_not_in_the_future(app, wereld, make_client):
    """A held date in the future is refused beside the field."""
    evaluatie_id = _plan(app, wereld["a_id"])
    lia = _client(make_client, "lia@llz.example.nl")
    response = lia.post(_url(wereld, "gehouden"), {"versie": _versie(app, evaluatie_id),
                                                   "gehouden_op": TOEKOMST})
    assert response.status_code == 422
    assert "toekomst" in _fout(response)
    assert _evaluatie(app, wereld["a_id"]).status == "gepland"


def _vastgelegd(app, lia, wereld) -> int:
    """Plan, hold and freeze school A's evaluation through the app; returns its id."""
    evaluatie_id = _plan(app, wereld["a_id"])
    lia.post(_url(wereld, "gehouden"), {"versie": _versie(app, evaluatie_id),
                                        "gehouden_op": "2026-11-03"})
    assert lia.post(_url(wereld, "vastleggen"),
                    {"versie": _versie(app, evaluatie_id)}).status_code == 302
    return evaluatie_id


def test_nothing_changes_after_vastgelegd(app, wereld, make_client):
    """Planning, status, scores and new points are refused once vastgelegd; no form is shown."""
    lia = _client(make_client, "lia@llz.example.nl")
    evaluatie_id = _vastgelegd(app, lia, wereld)
    school = _client(make_client, "a@school.example.nl")
    versie = _versie(app, evaluatie_id)
    pogingen = [
        (lia, "plannen", {"versie": versie, "gepland_op": "2027-05-20"}),
        (lia, "gehouden", {"versie": versie, "gehouden_op": "2026-11-04"}),
        (lia, "vastleggen", {"versie": versie}),
        (lia, "scores", {"versie": "0.0.0.0.0.0", "score_bejegening": "2"}),
        (school, "scores", {"versie": "0.0.0.0.0.0", "score_bejegening": "2"}),
        (school, "verbeterpunten", {"wat": "Later nog iets", "wie": "school",
                                    "uiterlijk": "2027-06-01"}),
    ]
    for client, actie, data in pogingen:
        response = client.post(_url(wereld, actie), data)
        assert response.status_code == 422, actie
        assert "vastgelegd" in _fout(response), actie
    evaluatie = _evaluatie(app, wereld["a_id"])
    assert evaluatie.gepland_op == date(2026, 11, 2) and evaluatie.gehouden_op == date(2026, 11, 3)
    assert evaluatie.scores == [] and evaluatie.verbeterpunten == []
    soup = lia.soup(_url(wereld))
    assert soup.select("form[action*='/evaluatie/']") == []


# --- each side's scores ------------------------------------------------------------------------

def _scores(score: str, tekst: str) -> dict:
    """A complete scores form: every theme the same score and comment."""
    data = {"versie": "0.0.0.0.0.0"}
    for thema in THEMAS:
        data[f"score_{thema}"] = score
        data[f"toelichting_{thema}"] = tekst
    return data


def _rijen(app, kant) -> dict[str, tuple]:
    with app.app_context():
        return {s.thema: (s.score, s.toelichting, s.ingevuld_door_naam) for s in
                db.session.scalars(select(Evaluatiescore).where(Evaluatiescore.kant == kant))}


def test_each_side_writes_only_its_own_scores(app, wereld, make_client):
    """A school user posting kant=llz still writes the school's side; LLZ's save leaves the
    school's rows alone; each form shows only the user's own side."""
    _plan(app, wereld["a_id"])
    lia = _client(make_client, "lia@llz.example.nl")
    assert lia.post(_url(wereld, "scores"), _scores("3", "Prima contact.")).status_code == 302
    llz_voor = _rijen(app, "llz")
    assert set(llz_voor) == set(THEMAS)
    assert llz_voor["bejegening"] == (3, "Prima contact.", "Lia Leerplicht")

    school = _client(make_client, "a@school.example.nl")
    data = {**_scores("5", "Snel antwoord."), "kant": "llz"}
    assert school.post(_url(wereld, "scores"), data).status_code == 302
    assert _rijen(app, "llz") == llz_voor
    assert _rijen(app, "school")["samenwerking"] == (5, "Snel antwoord.", "Anke Zorg")

    school_voor = _rijen(app, "school")
    data = _scores("2", "Kan beter.")
    data["versie"] = "1.1.1.1.1.1"  # LLZ's rows were saved once
    assert lia.post(_url(wereld, "scores"), data).status_code == 302
    assert _rijen(app, "school") == school_voor
    assert _rijen(app, "llz")["bejegening"][0] == 2

    soup = school.soup(_url(wereld))
    form = soup.select_one("form.evaluatie-eigen-kant")
    assert "de school" in soup.select_one("#kop-eigen-kant").get_text()
    assert form.select_one("#score_bejegening option[selected]")["value"] == "5"
    assert form.select("[name=kant]") == []
    rij = soup.select_one("tr[data-thema=bejegening]")
    assert rij.select_one("td[data-kant=llz]").get_text(strip=True) == "2 – matig"
    assert rij.select_one("td[data-kant=school]").get_text(strip=True) == "5 – uitstekend"

    with app.app_context():
        jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).one()
        gemiddeld = gemiddelde_scores([wereld["a_id"]], jaar)
    assert gemiddeld[("school", "bejegening")] == 5.0
    assert gemiddeld[("llz", "bejegening")] == 2.0


def test_scores_with_htmx_answer_the_section(app, wereld, make_client):
    """With htmx the answer is the soft-data section with the saved score."""
    _plan(app, wereld["a_id"])
    school = _client(make_client, "a@school.example.nl")
    response = school.post(_url(wereld, "scores"),
                           {"versie": "0.0.0.0.0.0", "score_bereikbaarheid": "4"}, headers=HTMX)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("section#evaluatie-zacht") is not None
    assert soup.select_one("#evaluatie-planning") is None
    cel = soup.select_one("tr[data-thema=bereikbaarheid] td[data-kant=school]")
    assert cel.get_text(strip=True) == "4 – goed"
    assert "Uw scores zijn opgeslagen." in soup.get_text()


@pytest.mark.parametrize("data, tekst", [
    ({"score_bejegening": "7"}, "Ongeldige"),
    ({"score_bejegening": "2", "toelichting_bejegening": "leerling 111222333"},
     "burgerservicenummer"),
    ({"toelichting_samenwerking": "y" * 601}, "korter dan 600"),
])
def test_scores_bad_input_is_refused(app, wereld, make_client, data, tekst):
    """A score outside 1–5, a BSN or too long a comment: 422, message, nothing stored."""
    _plan(app, wereld["a_id"])
    school = _client(make_client, "a@school.example.nl")
    response = school.post(_url(wereld, "scores"), {"versie": "0.0.0.0.0.0", **data})
    assert response.status_code == 422
    assert tekst.lower() in _fout(response).lower()
    assert _rijen(app, "school") == {}


def test_scores_stale_side_version_is_a_conflict(app, wereld, make_client):
    """A colleague of the same side saved in between: 409, the colleague's scores stay."""
    _plan(app, wereld["a_id"])
    school = _client(make_client, "a@school.example.nl")
    assert school.post(_url(wereld, "scores"), _scores("4", "Goed.")).status_code == 302
    response = school.post(_url(wereld, "scores"), _scores("1", "Slecht."))
    assert response.status_code == 409
    assert _rijen(app, "school")["bejegening"][0] == 4


# --- improvement points ------------------------------------------------------------------------

def test_improvement_points_carry_into_next_afsprakenlijst(app, wereld, make_client):
    """Points of last year's evaluation show on this year's afsprakenlijst until done; marking
    one done there moves it to afgerond; the evaluation page of last year shows it done."""
    evaluatie_id = _plan(app, wereld["a_id"], gepland_op=date(2026, 6, 1), jaar="2025-2026",
                         status="vastgelegd", gehouden_op=date(2026, 6, 1),
                         harde_gegevens="{}")
    with app.app_context():
        evaluatie = db.session.get(Evaluatie, evaluatie_id)
        for wat, afgerond in (("Vaste belmomenten", None), ("Meldingen vollediger", None),
                              ("Al gedaan", date(2026, 7, 1))):
            evaluatie.verbeterpunten.append(Verbeterpunt(
                school_id=wereld["a_id"], wat=wat, wie="school", uiterlijk=date(2026, 12, 1),
                afgerond_op=afgerond))
        db.session.commit()
        ids = {p.wat: p.id for p in evaluatie.verbeterpunten}

    school = _client(make_client, "a@school.example.nl")
    lijst_url = f"/scholen/{wereld['a']}/afsprakenlijst"
    soup = school.soup(lijst_url)
    sectie = soup.select_one("#verbeterpunten")
    assert "Verbeterpunten uit de evaluatie 2025-2026" in sectie.get_text()
    open_ = [r.select_one("td").get_text(" ", strip=True) for r in
             sectie.select("tr.verbeterpunt--open")]
    assert len(open_) == 2 and "Vaste belmomenten" in open_[0]
    assert "Al gedaan" not in sectie.get_text()  # done before this schooljaar began

    punt_id = ids["Vaste belmomenten"]
    with app.app_context():
        versie = str(db.session.get(Verbeterpunt, punt_id).versie)
    response = school.post(f"/scholen/{wereld['a']}/verbeterpunten/{punt_id}/afronden",
                           {"versie": versie, "afgerond_op": "2026-11-20",
                            "vanuit": "afsprakenlijst"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/afsprakenlijst#verbeterpunten")
    soup = school.soup(lijst_url)
    open_ = soup.select("#verbeterpunten tr.verbeterpunt--open")
    assert [r["data-id"] for r in open_] == [str(ids["Meldingen vollediger"])]
    afgerond = soup.select_one(f"#verbeterpunt-{punt_id}")
    assert "Afgerond 20-11-2026" in afgerond.get_text()

    # With htmx the answer is the afsprakenlijst's section.
    punt_id = ids["Meldingen vollediger"]
    with app.app_context():
        versie = str(db.session.get(Verbeterpunt, punt_id).versie)
    response = school.post(f"/scholen/{wereld['a']}/verbeterpunten/{punt_id}/afronden",
                           {"versie": versie, "afgerond_op": "2026-11-21",
                            "vanuit": "afsprakenlijst"}, headers=HTMX)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("div#verbeterpunten") is not None
    assert soup.select("tr.verbeterpunt--open") == []
    # Already done: refused.
    response = school.post(f"/scholen/{wereld['a']}/verbeterpunten/{punt_id}/afronden",
                           {"versie": str(int(versie) + 1), "afgerond_op": "2026-11-22"})
    assert response.status_code == 422
    assert "al afgerond" in _fout(response)

    # Next year (2027-2028) the points closed in 2026-2027 are of no concern any more.
    with app.app_context():
        db.session.execute(db.update(Schooljaar).values(huidig=False))
        f.schooljaar("2027-2028")
        db.session.commit()
    soup = school.soup(lijst_url)
    assert soup.select("#verbeterpunten tr") == []


def test_add_improvement_point_and_future_done_date(app, wereld, make_client):
    """Either side adds a point; a done date in the future is refused."""
    _plan(app, wereld["a_id"])
    school = _client(make_client, "a@school.example.nl")
    response = school.post(_url(wereld, "verbeterpunten"),
                           {"wat": "Eerder bellen", "wie": "llz", "uiterlijk": "2027-03-01"},
                           headers=HTMX)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert "Eerder bellen" in soup.select_one("section#evaluatie-punten").get_text()
    response = school.post(_url(wereld, "verbeterpunten"), {"wat": "", "wie": "",
                                                            "uiterlijk": "2027-03-01"})
    assert response.status_code == 422
    with app.app_context():
        punt = db.session.scalars(select(Verbeterpunt)).one()
        punt_id, versie = punt.id, str(punt.versie)
    response = school.post(f"/scholen/{wereld['a']}/verbeterpunten/{punt_id}/afronden",
                           {"versie": versie, "afgerond_op": TOEKOMST})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Verbeterpunt, punt_id).afgerond_op is None


# --- access ------------------------------------------------------------------------------------

def test_other_school_user_gets_404_and_llz_non_editor_403(app, wereld, make_client):
    """A school user of B: 404 on A's page and actions; LLZ non-editor: reads, writes 403."""
    evaluatie_id = _plan(app, wereld["a_id"])
    with app.app_context():
        punt = Verbeterpunt(school_id=wereld["a_id"], evaluatie_id=evaluatie_id, wat="Iets",
                            wie="llz", uiterlijk=date(2027, 1, 1))
        db.session.add(punt)
        db.session.commit()
        punt_id = punt.id
    acties = ["plannen", "gehouden", "vastleggen", "scores", "verbeterpunten"]
    afronden = f"/scholen/{wereld['a']}/verbeterpunten/{punt_id}/afronden"
    ander = _client(make_client, "b@school.example.nl")
    assert ander.get(_url(wereld)).status_code == 404
    for actie in acties:
        assert ander.post(_url(wereld, actie), {}).status_code == 404
    assert ander.post(afronden, {}).status_code == 404
    xander = _client(make_client, "xander@llz.example.nl")
    soup = xander.soup(_url(wereld))
    assert soup.select("form[method=post][action*='/evaluatie']") == []
    for actie in acties:
        assert xander.post(_url(wereld, actie), _scores("3", "x")).status_code == 403
    assert xander.post(afronden, {"afgerond_op": "2026-11-20"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Evaluatiescore.id))) == 0
    # The school's own user may not plan or freeze (LLZ's part).
    school = _client(make_client, "a@school.example.nl")
    for actie in ("plannen", "gehouden", "vastleggen"):
        assert school.post(_url(wereld, actie), {}).status_code == 403


# --- dossier, cockpit, start pages --------------------------------------------------------------

def test_dossier_section_and_cockpit_cell(app, wereld, make_client):
    """The dossier shows the status and counts; the cockpit flags a passed, unfrozen date."""
    evaluatie_id = _plan(app, wereld["a_id"])
    with app.app_context():
        db.session.add(Evaluatiescore(evaluatie_id=evaluatie_id, kant="school",
                                      thema="bejegening", score=4))
        db.session.commit()
    lia = _client(make_client, "lia@llz.example.nl")
    sectie = lia.soup(f"/scholen/{wereld['a']}").select_one("#sectie-evaluatie")
    tekst = sectie.get_text(" ", strip=True)
    assert "Gepland" in tekst and "school 1 van 6" in tekst and "Leerlingzaken 0 van 6" in tekst
    with app.app_context():
        jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).one()
        from leerplicht.scholen.models import School

        scholen = list(db.session.scalars(select(School).order_by(School.id)))
        cellen = laad_cockpit(scholen, Peil(jaar, date(2026, 11, 30)))
        assert cellen[wereld["a_id"]].aandacht  # planned 2 November, not vastgelegd
        assert not cellen[wereld["b_id"]].aandacht  # not planned, but before 1 March
        assert laad_cockpit(scholen, Peil(jaar, date(2027, 3, 2)))[wereld["b_id"]].aandacht
        assert laad_cockpit(scholen, Peil(None, date(2027, 3, 2))) == {}


def test_start_pages_ask_to_fill_in_a_side(app, wereld, make_client):
    """Once the date has come, each side's start page asks it to fill in its side."""
    _plan(app, wereld["a_id"])  # 2 November: the date has come
    school = _client(make_client, "a@school.example.nl")
    assert "Vul uw kant van de evaluatie in" in school.get("/").text
    lia = _client(make_client, "lia@llz.example.nl")
    assert "Vul uw kant van de evaluatie in" in lia.get("/").text
    assert school.post(_url(wereld, "scores"), _scores("4", "Goed.")).status_code == 302
    assert "Vul uw kant van de evaluatie in" not in school.get("/").text

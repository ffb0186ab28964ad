"""Norm versions drafted and adopted in the app: the draft, its checks, the side-by-side view,
adoption, and the termijnen, afsprakenlijst templates and brochure that follow it."""

import json
from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.cyclus import normregels
from leerplicht.cyclus.models import Besluit, Klankbordoverleg
from leerplicht.cyclus.normforms import omschrijvingveld, waardeveld
from leerplicht.database import Conflict, commit_or_conflict
from leerplicht.export.brochure import brochure_voor
from leerplicht.extensions import db
from leerplicht.normen import VERPLICHT
from leerplicht.normenbron import (
    Normstatus,
    NormversieRecord,
    bestandsregister,
    inhoud_van,
    normen_voor,
    register,
    vergeet,
)
from leerplicht.schooljaren import Schooljaar
from leerplicht.termijnen.models import Verzuimmelding
from leerplicht.termijnen.opslag import herbereken

import factories as f

BSN = "111222333"  # passes the eleven-test


@pytest.fixture
def wereld(app):
    """Schooljaren 2026-2027 (current) and 2027-2028, a PO school, a beheerder, LLZ, school."""
    with app.app_context():
        f.schooljaar("2026-2027")
        f.schooljaar("2027-2028", huidig=False)
        school = f.school(naam="Alfaschool", code="11AA00")
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl", naam="Bea Beheer")
        f.gebruiker(Rol.LLZ, "llz@llz.example.nl")
        f.gebruiker(Rol.SCHOOL, "a@school.example.nl", scholen=[school])
        db.session.commit()
        return {"school_id": school.id}


@pytest.fixture
def beheerder(client, wereld):
    """A client logged in as the beheerder."""
    client.login("beheer@llz.example.nl")
    return client


def _concept(app, vanaf="2027-2028") -> int:
    """A draft for `vanaf`, straight through the domain; returns its id."""
    with app.app_context():
        record = normregels.maak_concept(vanaf)
        db.session.commit()
        return record.id


def _stand(app, record_id) -> tuple:
    """What a refused request must leave alone: the record's content and version."""
    with app.app_context():
        record = db.session.get(NormversieRecord, record_id)
        return record.inhoud, record.versie, record.status, record.toelichting


def _formulier(app, record_id, **wijzigingen) -> dict:
    """The draft's form as stored, with waarde_/omschrijving_/other fields changed."""
    with app.app_context():
        record = db.session.get(NormversieRecord, record_id)
        versie = normregels.als_versie(record)
        data = {"versie": record.versie, "geldig_vanaf": record.geldig_vanaf,
                "toelichting": record.toelichting,
                "meldingselementen": "\n".join(versie.meldingselementen)}
        for norm in versie:
            data[waardeveld(norm.sleutel)] = str(norm.waarde)
            data[omschrijvingveld(norm.sleutel)] = norm.omschrijving
    data.update(wijzigingen)
    return data


def _vaststellen(client, app, record_id):
    """Adopt a draft through its form."""
    with app.app_context():
        versie = db.session.get(NormversieRecord, record_id).versie
    return client.post(f"/beheer/normen/{record_id}/vaststellen", {"versie": versie})


def _fouten(response) -> list[str]:
    """The messages beside the fields of a re-rendered form."""
    soup = BeautifulSoup(response.text, "html.parser")
    return [el.get_text(" ", strip=True) for el in soup.select(".utrecht-form-field-error-message")]


# --- overview and new draft -------------------------------------------------------------------

def test_overview_lists_versions_and_drafts(app, beheerder):
    """The file's version in force now, source 'bestand'; a draft in progress; the button."""
    _concept(app)
    soup = beheerder.soup("/beheer/normen")
    rijen = soup.select("table.normversies tbody tr")
    assert len(rijen) == 1
    cellen = [td.get_text(" ", strip=True) for td in rijen[0].select("td")]
    assert cellen[:2] == ["Versie 1", "2018-2019"] and cellen[4] == "Bestand"
    assert "Geldt in 2026-2027" in cellen[5]
    assert "Concept voor 2027-2028" in soup.select_one(".normconcepten").get_text()
    assert soup.find("a", string="Nieuwe versie opstellen")["href"] == "/beheer/normen/nieuw"
    assert "/beheer/normen" in beheerder.get("/beheer").text


@pytest.mark.parametrize("email", ["llz@llz.example.nl", "a@school.example.nl"])
def test_llz_and_school_are_refused(app, wereld, client, email):
    """Only the beheerder manages the norms."""
    record_id = _concept(app)
    client.login(email)
    for url in ("/beheer/normen", "/beheer/normen/nieuw", f"/beheer/normen/{record_id}"):
        assert client.get(url).status_code == 403
    assert client.post(f"/beheer/normen/{record_id}/vaststellen", {"versie": "1"}).status_code \
        == 403
    with app.app_context():
        assert db.session.get(NormversieRecord, record_id).status == Normstatus.CONCEPT


def test_new_draft_starts_from_the_version_in_force(app, beheerder):
    """The select offers the current and three next schooljaren (the next one chosen); the
    draft holds exactly the norms in force then."""
    soup = beheerder.soup("/beheer/normen/nieuw")
    opties = [o["value"] for o in soup.select("#geldig_vanaf option")]
    assert opties == ["", "2026-2027", "2027-2028", "2028-2029", "2029-2030"]
    assert soup.select_one("#geldig_vanaf option[selected]")["value"] == "2027-2028"
    antwoord = beheerder.post("/beheer/normen/nieuw", {"geldig_vanaf": "2028-2029"})
    assert antwoord.status_code == 302
    with app.app_context():
        record = db.session.scalars(select(NormversieRecord)).one()
        assert antwoord.headers["Location"] == f"/beheer/normen/{record.id}"
        assert (record.status, record.geldig_vanaf) == (Normstatus.CONCEPT, "2028-2029")
        assert json.loads(record.inhoud) == json.loads(
            inhoud_van(normen_voor("2028-2029")))
    pagina = beheerder.soup(antwoord.headers["Location"])
    assert pagina.select_one(f"#{waardeveld('melding_reactie')}")["value"] == "5"
    assert "nu: 5 werkdagen" in pagina.get_text()
    assert not pagina.select(".normveld .utrecht-status-badge")  # nothing changed yet


@pytest.mark.parametrize("keuze", ["", "2030-2031", "2025-2026", "zomaar"])
def test_new_draft_refuses_a_schooljaar_not_offered(app, beheerder, keuze):
    """Only the offered schooljaren: 422, nothing made."""
    antwoord = beheerder.post("/beheer/normen/nieuw", {"geldig_vanaf": keuze})
    assert antwoord.status_code == 422
    assert _fouten(antwoord)
    with app.app_context():
        assert db.session.scalars(select(NormversieRecord)).all() == []


def test_new_draft_from_a_besluit(app, beheerder):
    """?besluit= links the draft to a Klankbordgroep decision; an unknown one is a 404."""
    with app.app_context():
        jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.huidig)).one()
        overleg = Klankbordoverleg(sector="VO", schooljaar_id=jaar.id, datum=date(2026, 11, 3))
        overleg.besluiten.append(Besluit(tekst="De reactietermijn wordt tien werkdagen."))
        db.session.add(overleg)
        db.session.commit()
        besluit_id = overleg.besluiten[0].id
    assert beheerder.get("/beheer/normen/nieuw?besluit=99999").status_code == 404
    assert beheerder.get("/beheer/normen/nieuw?besluit=abc").status_code == 404
    pagina = beheerder.soup(f"/beheer/normen/nieuw?besluit={besluit_id}")
    assert "tien werkdagen" in pagina.get_text()
    antwoord = beheerder.post(f"/beheer/normen/nieuw?besluit={besluit_id}",
                              {"geldig_vanaf": "2027-2028"})
    assert antwoord.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(NormversieRecord)).one().besluit_id == besluit_id


# --- editing ----------------------------------------------------------------------------------

def test_edits_are_saved(app, beheerder):
    """Numbers, descriptions, elements, toelichting: stored; the page marks what changed."""
    record_id = _concept(app)
    data = _formulier(app, record_id, **{
        waardeveld("melding_reactie"): "10",
        omschrijvingveld("vragen_beantwoorden"): "LLZ en school beantwoorden vragen snel",
        "toelichting": "Besluit Klankbordgroep VO, november 2026",
    })
    data["meldingselementen"] += "\nde datum van het laatste gesprek"
    antwoord = beheerder.post(f"/beheer/normen/{record_id}", data)
    assert antwoord.status_code == 302, _fouten(antwoord)
    with app.app_context():
        record = db.session.get(NormversieRecord, record_id)
        versie = normregels.als_versie(record)
        assert versie["melding_reactie"].waarde == 10
        assert versie["vragen_beantwoorden"].omschrijving.endswith("snel")
        assert versie.meldingselementen[-1] == "de datum van het laatste gesprek"
        assert len(versie.meldingselementen) == 10
        assert record.toelichting.startswith("Besluit")
        assert record.versie == 2
    pagina = beheerder.soup(f"/beheer/normen/{record_id}")
    gemarkeerd = {fs["data-norm"] for fs in pagina.select(".normveld")
                  if fs.select(".utrecht-status-badge")}
    assert gemarkeerd == {"melding_reactie", "vragen_beantwoorden"}


@pytest.mark.parametrize(("veld", "waarde", "melding"), [
    (waardeveld("melding_reactie"), "-1", "geheel getal"),
    (waardeveld("melding_reactie"), "vijf", "geheel getal"),
    (waardeveld("melding_reactie"), "1000", "geheel getal"),
    (waardeveld("melding_reactie"), "²", "geheel getal"),
    (waardeveld("melding_reactie"), "", "geheel getal"),
    (omschrijvingveld("melding_reactie"), "", "omschrijving"),
    (omschrijvingveld("melding_reactie"), "x" * 301, "300 tekens"),
    ("meldingselementen", "  \n \n", "minstens één element"),
    ("meldingselementen", "\n".join(f"element {n}" for n in range(21)), "hoogstens 20"),
    ("meldingselementen", "kort\n" + "y" * 201, "200 tekens"),
    ("toelichting", "z" * 601, "600 tekens"),
    ("toelichting", f"Over leerling {BSN}", "BSN"),
    ("geldig_vanaf", "2040-2041", "Ongeldige"),
])
def test_bad_input_is_refused(app, beheerder, veld, waarde, melding):
    """422, a Dutch message beside the field, nothing saved."""
    record_id = _concept(app)
    voor = _stand(app, record_id)
    antwoord = beheerder.post(f"/beheer/normen/{record_id}",
                              _formulier(app, record_id, **{veld: waarde}))
    assert antwoord.status_code == 422
    fouten = _fouten(antwoord)
    assert any(melding.lower() in fout.lower() for fout in fouten), fouten
    soup = BeautifulSoup(antwoord.text, "html.parser")
    assert soup.select_one(f"#{veld}")["aria-invalid"] == "true"
    assert _stand(app, record_id) == voor


def test_stale_form_is_a_conflict(app, beheerder):
    """A form loaded before another save: 409, the other save kept."""
    record_id = _concept(app)
    oud = _formulier(app, record_id, **{waardeveld("melding_reactie"): "7"})
    eerst = beheerder.post(f"/beheer/normen/{record_id}",
                           _formulier(app, record_id, **{waardeveld("melding_reactie"): "8"}))
    assert eerst.status_code == 302
    voor = _stand(app, record_id)
    antwoord = beheerder.post(f"/beheer/normen/{record_id}", oud)
    assert antwoord.status_code == 409
    assert "Iemand anders" in antwoord.text
    assert _stand(app, record_id) == voor


def test_a_year_with_an_adopted_app_version_is_refused(app, beheerder):
    """A new draft (or a draft moved) for a schooljaar that already has one: a Dutch message."""
    assert _vaststellen(beheerder, app, _concept(app)).status_code == 302
    antwoord = beheerder.post("/beheer/normen/nieuw", {"geldig_vanaf": "2027-2028"})
    assert antwoord.status_code == 422
    assert any("al een versie" in fout for fout in _fouten(antwoord))
    ander = _concept(app, "2028-2029")
    antwoord = beheerder.post(f"/beheer/normen/{ander}",
                              _formulier(app, ander, geldig_vanaf="2027-2028"))
    assert antwoord.status_code == 422
    assert any("al een versie" in fout for fout in _fouten(antwoord))


# --- side by side -----------------------------------------------------------------------------

def test_diff_shows_exactly_the_changed_norms(app, beheerder):
    """Changed rows marked with text and a badge; added and removed elements listed."""
    record_id = _concept(app)
    data = _formulier(app, record_id, **{waardeveld("melding_reactie"): "10",
                                         waardeveld("vo_bezoeken_minimum"): "8"})
    elementen = data["meldingselementen"].splitlines()
    data["meldingselementen"] = "\n".join(elementen[1:] + ["een nieuw element"])
    assert beheerder.post(f"/beheer/normen/{record_id}", data).status_code == 302
    soup = beheerder.soup(f"/beheer/normen/{record_id}/verschil")
    gewijzigd = soup.select("table.normverschil tr.normverschil__gewijzigd")
    assert {tr["data-norm"] for tr in gewijzigd} == {"melding_reactie", "vo_bezoeken_minimum"}
    rij = next(tr for tr in gewijzigd if tr["data-norm"] == "melding_reactie")
    cellen = [td.get_text(" ", strip=True) for td in rij.select("td")]
    assert cellen[0].startswith("5 werkdagen") and cellen[1].startswith("10 werkdagen")
    assert "Gewijzigd" in cellen[2] and "waarde" in cellen[2]
    assert len(soup.select("table.normverschil tbody tr")) == len(VERPLICHT)
    assert soup.select_one(".element-toegevoegd").get_text(" ", strip=True).endswith(
        "een nieuw element")
    assert elementen[0] in soup.select_one(".element-verwijderd").get_text()


# --- adoption ---------------------------------------------------------------------------------

def _melding(app, school_id, ontvangen_op) -> int:
    """A fresh melding (reactie owed from receipt) with its termijnen stored."""
    with app.app_context():
        jaar = db.session.scalars(select(Schooljaar).where(
            Schooljaar.begin <= ontvangen_op, Schooljaar.eind >= ontvangen_op)).one()
        melding = Verzuimmelding(school_id=school_id, schooljaar_id=jaar.id,
                                 referentie=f"DUO-{ontvangen_op}", ontvangen_op=ontvangen_op)
        herbereken(melding, jaar)
        db.session.add(melding)
        db.session.commit()
        return melding.id


def _reactie_uiterlijk(app, melding_id) -> date:
    with app.app_context():
        return db.session.get(Verzuimmelding, melding_id).reactie_uiterlijk


def test_adoption_changes_termijnen_templates_and_brochure(app, wereld, beheerder):
    """From its schooljaar on (not before) every part reads the adopted version."""
    school_id = wereld["school_id"]
    eerder = _melding(app, school_id, date(2026, 9, 2))  # Wednesday, in 2026-2027
    later = _melding(app, school_id, date(2027, 9, 1))  # Wednesday, in 2027-2028
    assert _reactie_uiterlijk(app, later) == date(2027, 9, 8)
    record_id = _concept(app)
    data = _formulier(app, record_id, **{waardeveld("melding_reactie"): "10"})
    assert beheerder.post(f"/beheer/normen/{record_id}", data).status_code == 302

    antwoord = _vaststellen(beheerder, app, record_id)
    assert antwoord.status_code == 302
    overzicht = beheerder.soup(antwoord.headers["Location"])
    assert "Versie 2 vastgesteld; 1 registerregel opnieuw berekend." in overzicht.get_text()
    with app.app_context():
        record = db.session.get(NormversieRecord, record_id)
        assert (record.status, record.nummer) == (Normstatus.VASTGESTELD, "2")
        assert record.vastgesteld_op == date.today()
        assert record.vastgesteld_door_naam == "Bea Beheer"
        assert normen_voor("2026-2027")["melding_reactie"].waarde == 5
        assert normen_voor("2027-2028")["melding_reactie"].waarde == 10
        assert normen_voor("2031-2032")["melding_reactie"].waarde == 10
        assert normen_voor("2027-2028").versie == "2"
    # Termijnen: the later melding moved, the earlier one did not.
    assert _reactie_uiterlijk(app, later) == date(2027, 9, 15)
    assert _reactie_uiterlijk(app, eerder) == date(2026, 9, 9)
    # Afsprakenlijst templates: a new list for 2027-2028 names the new number.
    with app.app_context():
        from leerplicht.scholen.models import School

        school = db.session.get(School, school_id)
        jaren = {j.naam: j for j in db.session.scalars(select(Schooljaar))}
        nieuw = " ".join(a.tekst for a in f.afsprakenlijst(school, jaren["2027-2028"]).afspraken)
        oud = " ".join(a.tekst for a in f.afsprakenlijst(school, jaren["2026-2027"]).afspraken)
        assert "reageert LLZ binnen 10 werkdagen" in nieuw
        assert "reageert LLZ binnen 5 werkdagen" in oud
    # Brochure: the text for 2027-2028 carries the new norm, 2026-2027 the old one.
    with app.app_context():
        tekst_nieuw = " ".join(h.html for h in brochure_voor(app, "2027-2028").hoofdstukken)
        tekst_oud = " ".join(h.html for h in brochure_voor(app, "2026-2027").hoofdstukken)
        assert "reageert LLZ binnen 10 werkdagen" in tekst_nieuw
        assert "reageert LLZ binnen 5 werkdagen" in tekst_oud
    # The overview shows it as an app version; the diff is against version 1.
    rijen = beheerder.soup("/beheer/normen").select("table.normversies tbody tr")
    assert [tr.select("td")[4].get_text(strip=True) for tr in rijen] == ["Bestand", "App"]
    verschil = beheerder.soup(f"/beheer/normen/{record_id}/verschil")
    assert {tr["data-norm"] for tr in verschil.select("tr.normverschil__gewijzigd")} == {
        "melding_reactie"}


def test_export_brochure_uses_the_adopted_version(app, wereld, beheerder, runner, tmp_path):
    """`leerplicht export` for the adopted version's schooljaar shows its number."""
    record_id = _concept(app, "2026-2027")
    data = _formulier(app, record_id, **{waardeveld("melding_reactie"): "10"})
    assert beheerder.post(f"/beheer/normen/{record_id}", data).status_code == 302
    assert _vaststellen(beheerder, app, record_id).status_code == 302
    uitkomst = runner.invoke(args=["export", "--out", str(tmp_path / "uit"), "--only",
                                   "brochure"])
    assert uitkomst.exit_code == 0, uitkomst.output
    tekst = " ".join(p.read_text(encoding="utf-8")
                     for p in (tmp_path / "uit" / "brochure").rglob("*.html"))
    assert "reageert LLZ binnen 10 werkdagen" in tekst
    assert "reageert LLZ binnen 5 werkdagen" not in tekst


def test_second_adoption_for_the_same_year_is_refused(app, beheerder):
    """Two drafts for one schooljaar: the second cannot be adopted as well."""
    eerste, tweede = _concept(app), _concept(app)
    assert _vaststellen(beheerder, app, eerste).status_code == 302
    antwoord = _vaststellen(beheerder, app, tweede)
    assert antwoord.status_code == 302
    assert "al een versie" in beheerder.get(antwoord.headers["Location"]).text
    with app.app_context():
        assert db.session.get(NormversieRecord, tweede).status == Normstatus.CONCEPT


def test_concurrent_adoption_meets_the_unique_index(app, beheerder, monkeypatch):
    """When the check passes for both (two beheerders at once), the database refuses one."""
    eerste, tweede = _concept(app), _concept(app)
    assert _vaststellen(beheerder, app, eerste).status_code == 302
    echt = normregels.vastgesteld_vanaf
    # stel_vast's own check (the one with `behalve`) sees nothing, as in a race.
    monkeypatch.setattr(normregels, "vastgesteld_vanaf",
                        lambda vanaf, behalve=None: False if behalve else echt(vanaf))
    antwoord = _vaststellen(beheerder, app, tweede)
    monkeypatch.undo()
    assert antwoord.status_code == 409
    assert "al een versie" in antwoord.text
    with app.app_context():
        assert db.session.get(NormversieRecord, tweede).status == Normstatus.CONCEPT


def test_adopted_version_is_not_editable(app, beheerder):
    """No edit, no delete, no second adoption: a Dutch message, nothing changed."""
    record_id = _concept(app)
    assert _vaststellen(beheerder, app, record_id).status_code == 302
    voor = _stand(app, record_id)
    assert beheerder.get(f"/beheer/normen/{record_id}").headers["Location"].endswith(
        f"/beheer/normen/{record_id}/verschil")
    data = _formulier(app, record_id, **{waardeveld("melding_reactie"): "9"})
    for url, form in ((f"/beheer/normen/{record_id}", data),
                      (f"/beheer/normen/{record_id}/verwijderen", {"versie": "2"}),
                      (f"/beheer/normen/{record_id}/vaststellen", {"versie": "2"})):
        antwoord = beheerder.post(url, form)
        assert antwoord.status_code == 409, url
        assert "kan niet meer worden gewijzigd" in antwoord.text
    assert _stand(app, record_id) == voor
    with app.app_context():
        record = db.session.get(NormversieRecord, record_id)
        with pytest.raises(Exception, match="niet meer"):
            normregels.bewaar_concept(record, "2027-2028", "", {}, ["x"])


def test_draft_can_be_deleted(app, beheerder):
    """Verwijderen removes a draft; a stale version refuses."""
    record_id = _concept(app)
    assert beheerder.post(f"/beheer/normen/{record_id}/verwijderen",
                          {"versie": "c9"}).status_code == 302
    with app.app_context():
        assert db.session.get(NormversieRecord, record_id) is not None
    assert beheerder.post(f"/beheer/normen/{record_id}/verwijderen",
                          {"versie": _stand(app, record_id)[1]}).status_code == 302
    with app.app_context():
        assert db.session.get(NormversieRecord, record_id) is None


def test_app_version_beats_file_version_of_the_same_year(app):
    """An adopted version for 2018-2019 replaces the file's version 1 for that year."""
    with app.app_context():
        record = normregels.maak_concept("2018-2019")
        versie = normregels.als_versie(record)
        normen = {n.sleutel: (n.waarde, n.omschrijving) for n in versie}
        normen["vragen_beantwoorden"] = (4, normen["vragen_beantwoorden"][1])
        normregels.bewaar_concept(record, "2018-2019", "Herzien", normen,
                                  list(versie.meldingselementen))
        assert normregels.stel_vast(record, "Bea Beheer", date(2026, 11, 30)) == "2"
        commit_or_conflict()
        vergeet()
        assert [v.geldig_vanaf for v in register().versies] == ["2018-2019"]
        assert normen_voor("2026-2027")["vragen_beantwoorden"].waarde == 4
        assert normen_voor("2026-2027").versie == "2"
        assert bestandsregister().nieuwste.versie == "1"
        assert normregels.volgend_label() == "3"


def test_adoption_races_on_the_version(app):
    """A draft changed after it was read cannot be adopted from the stale copy."""
    record_id = _concept(app)
    with app.app_context():
        record = db.session.get(NormversieRecord, record_id)
        db.session.execute(NormversieRecord.__table__.update().values(versie=5))
        normregels.stel_vast(record, "Bea", date(2026, 11, 30))
        with pytest.raises(Conflict):
            commit_or_conflict()

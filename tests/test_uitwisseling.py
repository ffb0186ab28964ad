"""Import and export of the registers: CSV and XLSX, line-exact refusals, round trip, access."""

import io
from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.audit import Auditregel
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant
from leerplicht.termijnen.models import Ontwikkeling, Verzuimmelding, Vraag
from leerplicht.termijnen.opslag import herbereken
from leerplicht.termijnen.uitwisseling import (
    KOLOMMEN,
    MELDING_EXTRA,
    als_csv,
    als_xlsx,
    exporteer,
    importeer_meldingen,
    sjabloon,
)

import factories as f

KOP = ";".join(KOLOMMEN)
VANDAAG = date(2026, 11, 30)


@pytest.fixture
def wereld(app):
    """Schools A (LLZ user Lia is its contact) and B, the current and an earlier schooljaar."""
    with app.app_context():
        jaar = f.huidig_schooljaar()
        f.schooljaar("2025-2026", huidig=False)
        a = f.school(naam="Alfaschool", code="11AA00")
        b = f.school(naam="Bravoschool", code="22BB00")
        lia, xander = f.persoon("Lia"), f.persoon("Xander")
        f.toewijzing(a, lia, Contactrol.LLZ_CONTACT)
        f.toewijzing(b, xander, Contactrol.LLZ_CONTACT)
        mens = f.persoon("Dirk", kant=Kant.SCHOOL)
        f.toewijzing(a, mens, Contactrol.DIRECTEUR)
        f.gebruiker(Rol.LLZ, "lia@llz.example.nl", contactpersoon=lia)
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        f.gebruiker(Rol.SCHOOL, "a@school.example.nl", scholen=[a])
        db.session.commit()
        return {"a": a.id, "b": b.id, "jaar": jaar.id}


def _csv(*regels: str, kop: str = KOP, bom: bool = True) -> bytes:
    """A CSV file as Excel-NL writes it (; separated, BOM)."""
    return (("\ufeff" if bom else "") + "\r\n".join([kop, *regels]) + "\r\n").encode("utf-8")


def _importeer(app, data: bytes, naam: str = "meldingen.csv", email: str | None = None):
    """Import in an app context, as the user with that e-mail (None: the system)."""
    from leerplicht.accounts.models import Gebruiker

    with app.app_context():
        gebruiker = db.session.scalar(select(Gebruiker).filter_by(email=email)) if email else None
        return importeer_meldingen(data, naam, gebruiker, vandaag=VANDAAG)


def _meldingen(app) -> dict[str, Verzuimmelding]:
    """Every melding by reference (detached, attributes loaded)."""
    with app.app_context():
        rijen = db.session.scalars(select(Verzuimmelding)).all()
        db.session.expunge_all()
        return {m.referentie: m for m in rijen}


GOED_EN_FOUT = _csv(
    "11AA00;VM-1;01-09-2026;In behandeling;ja;;Eerste melding;;;07-09-2026",  # 2
    "11aa00;VM-2;2026-09-02;geregistreerd;nee;3, 7;;04-09-2026;;",  # 3
    "11AA00;VM-3;31-02-2026;;;;;;;",  # 4
    "11AA00;VM-1;01-10-2026;;;;;;;",  # 5
    "99ZZ99;VM-4;01-09-2026;;;;;;;",  # 6
    "11AA00;VM-5;01-09-2026;;ja;;;05-09-2026;;",  # 7
    "",  # 8: empty lines are skipped, but counted
    "11AA00;VM-6;01-12-2027;;;;;;;",  # 9
    "11AA00;123456782;01-09-2026;;;;;;;",  # 10
    "11AA00;VM-7;01-09-2026;onbekend;;;;;;",  # 11
    "11AA00;VM-8;01-09-2026;;nee;;;;;",  # 12
    "11AA00;VM-9;01-09-2026;;nee;3, 12;;;;",  # 13
    "11AA00;VM-10;01-09-2020;;;;;;;",  # 14: no schooljaar in the app
)


def test_csv_import_adds_good_rows_and_reports_bad_lines(app, wereld):
    """Good rows are added (with their stored termijnen); every bad line is named with the
    reason; a duplicate within the file is an error on its second line."""
    verslag = _importeer(app, GOED_EN_FOUT)
    assert verslag.bestandsfout is None
    assert (verslag.toegevoegd, verslag.al_aanwezig) == (2, 0)
    fouten = dict(verslag.fouten)
    assert sorted(fouten) == [4, 5, 6, 7, 9, 10, 11, 12, 13, 14]
    assert "bestaat niet als datum" in fouten[4]
    assert "staat al op regel 2" in fouten[5]
    assert fouten[6] == "school 99ZZ99 bestaat niet."
    assert fouten[7] == "Een complete melding wordt niet teruggemeld."
    assert fouten[9] == "De ontvangstdatum ligt in de toekomst."
    assert "burgerservicenummer" in fouten[10]
    assert "status 'onbekend' is onbekend" in fouten[11]
    assert "Noem bij compleet = nee de ontbrekende elementen" in fouten[12]
    assert "'12' is geen nummer van 1 tot en met 9" in fouten[13]
    assert "geen schooljaar" in fouten[14]
    meldingen = _meldingen(app)
    assert set(meldingen) == {"VM-1", "VM-2"}
    een, twee = meldingen["VM-1"], meldingen["VM-2"]
    assert (een.status, een.oordeel, een.elementen) == ("in_behandeling", "compleet", 511)
    assert een.gereageerd_op == date(2026, 9, 7) and een.reactie_werkdagen is not None
    assert (twee.oordeel, twee.elementen) == ("onvolledig", 511 & ~(1 << 2) & ~(1 << 6))
    assert twee.terugmelden_uiterlijk is not None and twee.aanvullen_uiterlijk is not None
    assert twee.reactie_uiterlijk is None
    # The stored termijnen are exactly what herbereken computes.
    with app.app_context():
        for melding in db.session.scalars(select(Verzuimmelding)):
            herbereken(melding)
            assert not db.session.is_modified(melding)
        audit = db.session.scalars(select(Auditregel).where(
            Auditregel.tabel == "verzuimmelding")).all()
        assert [(r.actie, r.nieuw) for r in audit] == [
            ("geïmporteerd", "2 meldingen uit meldingen.csv")]


def test_csv_with_commas_without_bom_and_other_header_case(app, wereld):
    """A comma-separated file without BOM, headers in capitals, only the required columns."""
    data = _csv("11AA00,VM-1,2026-09-01", "22BB00,VM-2,1-9-2026",
                kop="SCHOOLCODE,Referentie,Ontvangen_Op", bom=False)
    verslag = _importeer(app, data)
    assert (verslag.toegevoegd, verslag.fouten) == (2, [])
    assert _meldingen(app)["VM-2"].oordeel == "open"


def test_missing_required_column_is_one_error_for_the_file(app, wereld):
    """No ontvangen_op column: one clear message, nothing imported."""
    verslag = _importeer(app, _csv("11AA00;VM-1", kop="schoolcode;referentie"))
    assert verslag.bestandsfout.startswith("De kolom ontvangen_op ontbreekt in de eerste regel.")
    assert verslag.toegevoegd == 0 and not _meldingen(app)
    assert _importeer(app, b"\xff\xfe\x00x", "m.csv").bestandsfout.startswith(
        "Het bestand is geen UTF-8-tekst")
    assert _importeer(app, b"PK nonsense", "m.xlsx").bestandsfout.startswith(
        "Het bestand is geen leesbaar Excel-bestand")
    assert _importeer(app, b"", "m.csv").bestandsfout == "Het bestand is leeg."


def _xlsx(rijen: list[list]) -> bytes:
    """A workbook with the rows on its first sheet."""
    boek = Workbook()
    blad = boek.active
    for rij in rijen:
        blad.append(rij)
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def test_xlsx_import_reads_real_dates_text_dates_and_numbers(app, wereld):
    """Real date cells, text dates and a numeric reference; bad rows by their row number."""
    data = _xlsx([
        ["Schoolcode", "Referentie", "Ontvangen_op", "Compleet", "Ontbrekende_elementen",
         "Teruggemeld_op"],
        ["11AA00", 20260001, datetime(2026, 9, 1), "nee", 4, date(2026, 9, 3)],  # 2
        [None, None, None, None, None, None],  # 3: empty
        ["11AA00", "VM-2", "02-09-2026", None, None, None],  # 4
        ["11AA00", "VM-3", "morgen", None, None, None],  # 5
        ["11AA00", "VM-2", "03-09-2026", None, None, None],  # 6
        ["11AA00", "VM-4", 45000, None, None, None],  # 7: a number, not a date
    ])
    verslag = _importeer(app, data, "meldingen.xlsx")
    assert verslag.toegevoegd == 2
    assert [nummer for nummer, _ in verslag.fouten] == [5, 6, 7]
    assert "'morgen' is geen datum" in verslag.fouten[0][1]
    meldingen = _meldingen(app)
    assert meldingen["20260001"].ontvangen_op == date(2026, 9, 1)
    assert meldingen["20260001"].elementen == 511 & ~(1 << 3)


def test_llz_user_imports_only_for_schools_they_edit(app, wereld):
    """Lia is the contact of A, not of B: B's row is refused, A's goes in."""
    data = _csv("11AA00;VM-1;01-09-2026;;;;;;;", "22BB00;VM-2;01-09-2026;;;;;;;")
    verslag = _importeer(app, data, email="lia@llz.example.nl")
    assert verslag.toegevoegd == 1
    assert verslag.fouten == [(3, "u bent geen contactpersoon van Leerlingzaken voor "
                                  "Bravoschool (22BB00); alleen de contactpersoon of vervanger "
                                  "legt haar meldingen vast.")]
    assert _importeer(app, data, email="beheer@llz.example.nl").toegevoegd == 1


def test_importing_twice_adds_nothing(app, wereld):
    """Idempotent: the second run finds every reference present."""
    data = _csv("11AA00;VM-1;01-09-2026;;;;;;;", "22BB00;VM-1;01-09-2026;;;;;;;")
    eerste, tweede = _importeer(app, data), _importeer(app, data)
    assert (eerste.toegevoegd, eerste.al_aanwezig) == (2, 0)
    assert (tweede.toegevoegd, tweede.al_aanwezig, tweede.fouten) == (0, 2, [])
    with app.app_context():
        assert db.session.scalar(select(func.count(Verzuimmelding.id))) == 2


RONDREIS = _csv(
    "11AA00;VM-1;01-09-2026;in_behandeling;ja;;=SOM(A1);;;07-09-2026",
    "11AA00;VM-2;02-09-2026;geregistreerd;nee;3, 7;;04-09-2026;08-09-2026;10-09-2026",
    "22BB00;VM-3;03-09-2026;ingetrokken;;;-min;;;",
    '22BB00;VM-4;03-09-2026;afgesloten;nee;1;"Toelichting; met ""puntkomma""";04-09-2026;;',
    "22BB00;VM-5;03-09-2025;ter kennisgeving aangenomen;;;;;;",
)
VELDEN = ("school_id", "schooljaar_id", "referentie", "ontvangen_op", "status", "elementen",
          "oordeel", "toelichting", "teruggemeld_op", "aangevuld_op", "gereageerd_op",
          "normversie", "terugmelden_uiterlijk", "terugmelden_werkdagen", "aanvullen_uiterlijk",
          "aanvullen_werkdagen", "reactie_uiterlijk", "reactie_werkdagen")


def _stand(app) -> set[tuple]:
    """Every melding as a tuple of its fields."""
    return {tuple(getattr(m, v) for v in VELDEN) for m in _meldingen(app).values()}


@pytest.mark.parametrize("formaat", ["csv", "xlsx"])
def test_export_imports_back_the_same_rows(app, wereld, formaat):
    """Round trip: export every schooljaar, empty the register, import the file: same rows."""
    verslag = _importeer(app, RONDREIS)
    assert (verslag.toegevoegd, verslag.fouten) == (5, [])
    voor = _stand(app)
    with app.app_context():
        tabel = exporteer("meldingen", vandaag=VANDAAG)
        inhoud = als_xlsx(tabel) if formaat == "xlsx" else als_csv(tabel)
        db.session.execute(Verzuimmelding.__table__.delete())
        db.session.commit()
    terug = _importeer(app, inhoud, f"export.{formaat}")
    assert (terug.toegevoegd, terug.fouten) == (5, [])
    assert _stand(app) == voor


def test_export_headers_are_dutch_and_xlsx_cells_typed(app, wereld):
    """The meldingen export: the import columns plus computed ones; dates are dates, numbers
    numbers; text that looks like a formula stays text; CSV for Excel-NL."""
    _importeer(app, RONDREIS)
    with app.app_context():
        tabel = exporteer("meldingen", wereld["a"], vandaag=VANDAAG)
    boek = load_workbook(io.BytesIO(als_xlsx(tabel)))
    blad = boek.worksheets[0]
    rijen = list(blad.iter_rows(values_only=True))
    assert rijen[0] == KOLOMMEN + MELDING_EXTRA
    kolom = {naam: i for i, naam in enumerate(rijen[0])}
    een = next(r for r in rijen[1:] if r[kolom["referentie"]] == "VM-1")
    assert een[kolom["ontvangen_op"]] == datetime(2026, 9, 1)
    assert isinstance(een[kolom["reactie_werkdagen"]], int)
    assert een[kolom["reactie_stand"]] in ("Op tijd", "Te laat")
    assert een[kolom["niet_verzonden"]] == "nee"
    assert een[kolom["school"]] == "Alfaschool" and een[kolom["schooljaar"]] == "2026-2027"
    cel = blad.cell(row=rijen.index(een) + 1, column=kolom["toelichting"] + 1)
    assert cel.data_type == "s" and cel.value == "=SOM(A1)"
    assert {r[kolom["schoolcode"]] for r in rijen[1:]} == {"11AA00"}
    tekst = als_csv(tabel).decode("utf-8")
    assert tekst.startswith("\ufeffschoolcode;referentie;ontvangen_op;")
    assert ";'=SOM(A1);" in tekst and "01-09-2026" in tekst


def test_vragen_and_ontwikkelingen_export(app, wereld):
    """The other registers have their own Dutch columns."""
    with app.app_context():
        vraag = Vraag(school_id=wereld["a"], schooljaar_id=wereld["jaar"], gesteld_door="school",
                      onderwerp="Wanneer komt de reactie?", gesteld_op=date(2026, 9, 1))
        ontwikkeling = Ontwikkeling(school_id=wereld["a"], schooljaar_id=wereld["jaar"],
                                    onderwerp="Gezinssituatie veranderd",
                                    bekend_op=date(2026, 9, 2), gemeld_op=date(2026, 9, 3))
        for record in (vraag, ontwikkeling):
            herbereken(record)
            db.session.add(record)
        db.session.commit()
        vragen = exporteer("vragen", vandaag=VANDAAG)
        ontwikkelingen = exporteer("ontwikkelingen", vandaag=VANDAAG)
    assert vragen.kolommen[:5] == ("schoolcode", "school", "schooljaar", "gesteld_door",
                                   "onderwerp")
    assert vragen.rijen[0][-2] == "Over de termijn"
    assert ontwikkelingen.rijen[0][:6] == ("11AA00", "Alfaschool", "2026-2027",
                                           "Gezinssituatie veranderd", date(2026, 9, 2),
                                           date(2026, 9, 3))
    assert ontwikkelingen.rijen[0][-2] == "Op tijd"


def test_downloads_per_school_and_for_all_schools(app, wereld, make_client):
    """A school user downloads its own school only; the all-schools file is LLZ's."""
    _importeer(app, RONDREIS)
    school = make_client()
    school.login("a@school.example.nl")
    antwoord = school.get("/scholen/11AA00/meldingen.csv")
    assert antwoord.status_code == 200
    assert antwoord.headers["Content-Type"].startswith("text/csv")
    assert 'filename="meldingen-11AA00-2026-2027.csv"' in antwoord.headers["Content-Disposition"]
    tekst = antwoord.get_data().decode("utf-8")
    assert "VM-1" in tekst and "VM-3" not in tekst and "Bravoschool" not in tekst
    assert school.get("/scholen/22BB00/meldingen.csv").status_code == 404
    assert school.get("/termijnen/meldingen.csv").status_code == 403
    assert school.get("/scholen/11AA00/meldingen.pdf").status_code == 404
    assert school.get("/scholen/11AA00/leerlingen.csv").status_code == 404
    assert school.get("/scholen/11AA00/meldingen.csv?schooljaar=1999-2000").status_code == 404
    vorig = school.get("/scholen/11AA00/vragen.xlsx?schooljaar=2025-2026")
    assert vorig.status_code == 200 and vorig.mimetype.endswith("spreadsheetml.sheet")
    llz = make_client()
    llz.login("lia@llz.example.nl")
    alle = llz.get("/termijnen/meldingen.xlsx")
    assert alle.status_code == 200
    rijen = list(load_workbook(io.BytesIO(alle.get_data())).worksheets[0].iter_rows(
        values_only=True))
    assert {r[1] for r in rijen[1:]} == {"VM-1", "VM-2", "VM-3", "VM-4"}  # not 2025-2026's VM-5
    assert llz.get("/termijnen/ontwikkelingen.csv").status_code == 200


def test_downloads_partial_renders_both_links(app, wereld):
    """_downloads.html: the two links for a school, or for all schools."""
    from flask import render_template

    with app.test_request_context():
        from leerplicht.scholen.models import School
        from leerplicht.schooljaren import Schooljaar

        jaar = db.session.get(Schooljaar, wereld["jaar"])
        school = db.session.get(School, wereld["a"])
        html = render_template("termijnen/_downloads.html", register="vragen", school=school,
                               schooljaar=jaar)
        alle = render_template("termijnen/_downloads.html", register="meldingen", school=None,
                               schooljaar=jaar)
    assert "/scholen/11AA00/vragen.xlsx?schooljaar=2026-2027" in html
    assert "/scholen/11AA00/vragen.csv?schooljaar=2026-2027" in html
    assert "/termijnen/meldingen.csv?schooljaar=2026-2027" in alle
    assert "/termijnen/import" in alle and "/termijnen/import" not in html


def test_upload_page_reports_added_and_refused_lines(app, wereld, client):
    """The upload page: a file with a bad line gets the report (422); a good file a redirect
    with the counts; a wrong type or a missing file a Dutch message."""
    client.login("lia@llz.example.nl")
    assert client.get("/termijnen/import").status_code == 200
    data = _csv("11AA00;VM-1;01-09-2026;;;;;;;", "22BB00;VM-2;01-09-2026;;;;;;;")
    antwoord = client.post("/termijnen/import",
                           {"bestand": (io.BytesIO(data), "meldingen.csv")})
    assert antwoord.status_code == 422
    soup = BeautifulSoup(antwoord.text, "html.parser")
    cellen = [td.get_text(strip=True) for td in soup.select(".importverslag td")]
    assert cellen[0] == "3" and "Bravoschool (22BB00)" in cellen[1]
    assert "1 toegevoegd" in soup.select_one(".importtelling").get_text(" ", strip=True)
    nog = _csv("11AA00;VM-3;01-09-2026;;;;;;;")
    goed = client.post("/termijnen/import", {"bestand": (io.BytesIO(nog), "nog.csv")})
    assert goed.status_code == 302
    pagina = client.get("/termijnen/import").text
    assert "nog.csv: 1 melding toegevoegd, 0 al aanwezig" in pagina
    fout = client.post("/termijnen/import", {"bestand": (io.BytesIO(b"x"), "meldingen.pdf")})
    assert fout.status_code == 422 and "Kies een CSV- of Excel-bestand" in fout.text
    assert "Kies een bestand." in client.post("/termijnen/import", {}).text


def test_too_large_upload_gets_a_dutch_message(app, wereld, client):
    """Beyond MAX_CONTENT_LENGTH: the import page with an explanation, not a bare 413."""
    client.login("lia@llz.example.nl")
    groot = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    # Raw bytes: the test client then keeps no temporary file of its own open.
    antwoord = client.http.post("/termijnen/import", data=groot,
                                content_type="multipart/form-data; boundary=grens")
    assert antwoord.status_code == 422
    assert "Het bestand is groter dan 2 MB" in antwoord.text
    assert "leerplicht meldingen import" in antwoord.text


def test_template_downloads_and_imports(app, wereld, client):
    """The template in both formats has the documented columns and its example imports."""
    client.login("lia@llz.example.nl")
    csv_ = client.get("/termijnen/import/sjabloon.csv")
    assert csv_.status_code == 200
    assert csv_.get_data().decode("utf-8").startswith("\ufeff" + KOP)
    xlsx = client.get("/termijnen/import/sjabloon.xlsx")
    assert next(load_workbook(io.BytesIO(xlsx.get_data())).worksheets[0].iter_rows(
        values_only=True)) == KOLOMMEN
    with app.app_context():
        voorbeeld = sjabloon()
    verslag = _importeer(app, als_csv(voorbeeld))
    assert (verslag.toegevoegd, verslag.fouten) == (1, [])
    with open("content/meldingen-import.md", encoding="utf-8") as bestand:
        uitleg = bestand.read()
    assert all(f"`{kolom}`" in uitleg for kolom in KOLOMMEN)


def test_cli_import_prints_the_report_and_fails_on_a_refused_line(app, wereld, runner,
                                                                   tmp_path):
    """`leerplicht meldingen import`: counts and every bad line; exit code 1 when refused."""
    goed = tmp_path / "goed.csv"
    goed.write_bytes(_csv("11AA00;VM-1;01-09-2026;;;;;;;"))
    resultaat = runner.invoke(args=["meldingen", "import", str(goed)])
    assert resultaat.exit_code == 0, resultaat.output
    assert resultaat.output.splitlines() == ["Toegevoegd: 1", "Al aanwezig: 0", "Geweigerd: 0"]
    fout = tmp_path / "fout.csv"
    fout.write_bytes(_csv("11AA00;VM-1;01-09-2026;;;;;;;", "99ZZ99;VM-2;01-09-2026;;;;;;;"))
    resultaat = runner.invoke(args=["meldingen", "import", str(fout)])
    assert resultaat.exit_code == 1
    assert resultaat.output.splitlines() == ["Toegevoegd: 0", "Al aanwezig: 1", "Geweigerd: 1",
                                             "regel 3: school 99ZZ99 bestaat niet."]
    kapot = tmp_path / "kapot.csv"
    kapot.write_bytes(b"a;b\r\n")
    resultaat = runner.invoke(args=["meldingen", "import", str(kapot)])
    assert resultaat.exit_code == 1 and "ontvangen_op ontbreken" in resultaat.output


def test_many_rows_go_through_the_bulk_path(app, wereld):
    """4,000 rows, a fifth of them refused: the good ones all land, the refused ones none (the
    speed of 40,000 rows is measured in bench/termijnen, not here)."""
    regels = []
    for i in range(4_000):
        dag = date(2026, 9, 1 + i % 28)
        if i % 5 == 4:
            regels.append(f"11AA00;R{i};{dag:%d-%m-%Y};;ja;;;{dag:%d-%m-%Y};;")
        else:
            regels.append(f"{'11AA00' if i % 2 else '22BB00'};R{i};{dag:%d-%m-%Y};;nee;2;;"
                          f"{dag:%d-%m-%Y};;")
    verslag = _importeer(app, _csv(*regels))
    assert (verslag.toegevoegd, verslag.geweigerd) == (3_200, 800)
    with app.app_context():
        assert db.session.scalar(select(func.count(Verzuimmelding.id))) == 3_200


def test_a_concurrent_import_of_the_same_rows_adds_nothing_twice(app, wereld, monkeypatch):
    """Another import inserted the same reference after this one read the existing ones: the
    unique index refuses, this import adds nothing and says so (no server error)."""
    from leerplicht.termijnen import uitwisseling

    echte_context = uitwisseling._context

    def zonder_bestaande(gebruiker, vandaag):
        ctx = echte_context(gebruiker, vandaag)
        ctx.bestaand.clear()  # as if read before the other import committed
        return ctx

    data = _csv("11AA00;VM-1;01-09-2026;;;;;;;", "11AA00;VM-2;01-09-2026;;;;;;;")
    assert _importeer(app, _csv("11AA00;VM-1;01-09-2026;;;;;;;")).toegevoegd == 1
    monkeypatch.setattr(uitwisseling, "_context", zonder_bestaande)
    verslag = _importeer(app, data)
    assert verslag.toegevoegd == 0 and "iemand anders" in verslag.bestandsfout
    assert set(_meldingen(app)) == {"VM-1"}

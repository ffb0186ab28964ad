"""The standard afspraken come from content/afsprakenlijst.toml: the texts every new list starts
with, the norms written in, and a clear error at start-up when the file is wrong."""

import re
from pathlib import Path

import pytest

from leerplicht import create_app
from leerplicht.afspraken.sjablonen import (
    LEEG,
    PLEK,
    SjabloonFout,
    laad_sjablonen,
    standaard_afspraken,
    standaard_sjablonen_pad,
)
from leerplicht.normen import laad_normen, standaard_normen_pad

GELDIG = standaard_sjablonen_pad().read_text(encoding="utf-8")
SECTIES = ["contactpersonen", "aanwezigheid", "communicatie", "termijnen", "verzuim",
           "escalatie", "evaluatie"]


@pytest.fixture
def normen():
    """The norms version of the project's own norms file."""
    return laad_normen(standaard_normen_pad()).nieuwste


def _schrijf(tmp_path: Path, tekst: str) -> Path:
    """Write a file of standard afspraken (None: none) and return its path."""
    pad = tmp_path / "afsprakenlijst.toml"
    if tekst is not None:
        pad.write_text(tekst, encoding="utf-8")
    return pad


@pytest.mark.parametrize("sector", ["PO", "SO", "VO", "VSO", "MBO"])
def test_every_sector_gets_the_seven_sections_with_norms_filled_in(sector, normen):
    """Same sections, order, actors for every sector; no placeholder is left in any text."""
    afspraken = standaard_afspraken(sector, normen)
    assert [a["sectie"] for a in afspraken] == SECTIES
    assert [a["wie"] for a in afspraken] == [
        "beiden", "llz", "beiden", "beiden", "school", "beiden", "beiden"]
    assert all(set(a) == {"sectie", "titel", "wie", "tekst"} for a in afspraken)
    assert not any(PLEK.search(a["tekst"]) for a in afspraken)
    assert all(a["tekst"] == a["tekst"].strip() for a in afspraken)


def test_texts_are_the_agreed_wording(normen):
    """The reactietermijnen and the PO presence read exactly as the werkafspraken say."""
    afspraken = {a["sectie"]: a for a in standaard_afspraken("PO", normen)}
    assert afspraken["termijnen"]["tekst"] == (
        f"- LLZ en school beantwoorden elkaars vragen binnen {normen['vragen_beantwoorden']}.\n"
        f"- LLZ meldt binnen {normen['melding_onvolledig_terugmelden']} na ontvangst als een "
        "verzuimmelding niet compleet is, en zegt wat er ontbreekt.\n"
        f"- De school maakt een onvolledige melding binnen {normen['melding_aanvullen']} "
        "compleet; anders geldt de melding als niet verzonden.\n"
        f"- Op een complete melding reageert LLZ binnen {normen['melding_reactie']}.\n"
        f"- LLZ laat de school binnen {normen['ontwikkelingen_informeren']} weten als er nieuwe "
        "ontwikkelingen zijn die gevolgen hebben voor de schoolgang van een leerling."
    )
    assert afspraken["aanwezigheid"]["tekst"].startswith(
        f"Leerlingzaken is minstens {normen['po_bezoeken_minimum']} op school, aan het begin")
    assert afspraken["aanwezigheid"]["tekst"].endswith(
        f"\n\nAfgesproken voor dit schooljaar: {LEEG}")
    elementen = "\n".join(f"- {e}" for e in normen.meldingselementen)
    assert f"Een goede melding bevat:\n\n{elementen}\n\nIs een melding" in (
        afspraken["verzuim"]["tekst"])


def test_sector_variants(normen):
    """PO and SO share a presence text, VO and VSO another; MBO gets the remaining one."""
    tekst = {s: standaard_afspraken(s, normen)[1]["tekst"] for s in ("PO", "SO", "VO", "VSO",
                                                                     "MBO")}
    assert tekst["PO"] == tekst["SO"] and tekst["VO"] == tekst["VSO"]
    assert len({tekst["PO"], tekst["VO"], tekst["MBO"]}) == 3
    assert "(JES)" in tekst["VO"] and "mbo-locatie" in tekst["MBO"]


@pytest.mark.parametrize("kapot, melding", [
    (lambda t: t.replace('wie = "llz"', 'wie = "iedereen"'), "wie moet llz, school of beiden"),
    (lambda t: t.replace("{{ norm.vragen_beantwoorden }}", "{{ norm.bestaat_niet }}"),
     "onbekende invulplek {{ norm.bestaat_niet }}"),
    (lambda t: t.replace("{{ norm.melding_reactie }}", "{{ gemeente }}"),
     "onbekende invulplek {{ gemeente }}"),
    (lambda t: t.replace("bevat:\n\n{{ meldingselementen }}", "bevat: {{ meldingselementen }}"),
     "moet op een eigen regel staan"),
    (lambda t: t.replace('sectie = "evaluatie"', 'sectie = "termijnen"'),
     "twee afspraken hebben dezelfde sectie"),
    (lambda t: t.replace('titel = "Evaluatie"', 'titel = ""'), "titel ontbreekt"),
    (lambda t: t.replace("[[afspraak]]", "[[afspraken]]"), "geen [[afspraak]] gevonden"),
    (lambda t: t.replace('sectoren = ["VO", "VSO"]', 'sectoren = "VO"'),
     "sectoren moet een lijst zijn"),
    (lambda t: t + '\n[[afspraak]]\nsectie = "x"\ntitel = "X"\nwie = "llz"\n',
     "geef een tekst of [[afspraak.variant]]en"),
    (lambda t: t.replace('titel = "Evaluatie"', 'titel = "Evaluatie"\nkleur = "rood"'),
     "onbekende velden kleur"),
    (lambda t: t.replace("Evaluatie", "Evaluatie\n  ="), "geen geldige TOML"),
    (lambda t: None, "bestand met standaardafspraken ontbreekt"),
])
def test_malformed_or_missing_file_names_the_mistake_and_the_file(tmp_path, kapot, melding):
    """Every mistake (a missing file too) is a SjabloonFout naming what is wrong and the file."""
    with pytest.raises(SjabloonFout, match=re.escape(melding)) as fout:
        laad_sjablonen(_schrijf(tmp_path, kapot(GELDIG)))
    assert str(tmp_path / "afsprakenlijst.toml") in str(fout.value)


def test_malformed_file_stops_the_app_at_start_up(app, tmp_path):
    """The app does not start with a broken file, rather than answer 500 on a new list later."""
    pad = _schrijf(tmp_path, GELDIG.replace('wie = "school"', 'wie = ""'))
    with pytest.raises(SjabloonFout, match="wie moet"):
        create_app({**app.config, "INSTANCE_PATH": str(tmp_path / "kapot"),
                    "SJABLONEN_PAD": str(pad)})


def test_app_uses_the_configured_file(app, tmp_path):
    """SJABLONEN_PAD points the app at another file: its afspraken are what a new list gets."""
    pad = _schrijf(tmp_path, GELDIG.replace('titel = "Evaluatie"', 'titel = "Terugblik"'))
    ander = create_app({**app.config, "INSTANCE_PATH": str(tmp_path / "ander"),
                        "SJABLONEN_PAD": str(pad)})
    with ander.app_context():
        normen = laad_normen(standaard_normen_pad()).nieuwste
        assert standaard_afspraken("PO", normen)[-1]["titel"] == "Terugblik"

"""The norms file: one source of truth, validated, versioned by schooljaar."""

import re
from pathlib import Path

import pytest

from leerplicht.normen import NormenFout, laad_normen, standaard_normen_pad

GELDIG = standaard_normen_pad().read_text(encoding="utf-8")


def _schrijf(tmp_path: Path, tekst: str) -> Path:
    """Write a norms file and return its path."""
    pad = tmp_path / "normen.toml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


def test_project_norms_match_the_werkafspraken():
    """The values in content/normen.toml are the ones PRODUCT.md names."""
    normen = laad_normen(standaard_normen_pad()).voor_schooljaar("2026-2027")
    assert {n.sleutel: str(n) for n in normen} == {
        "vragen_beantwoorden": "5 werkdagen",
        "melding_onvolledig_terugmelden": "5 werkdagen",
        "melding_aanvullen": "5 werkdagen",
        "melding_reactie": "5 werkdagen",
        "ontwikkelingen_informeren": "3 werkdagen",
        "afsprakenlijst_vaststellen": "3 maanden",
        "po_bezoeken_minimum": "1 keer",
        "vo_bezoeken_minimum": "6 keer per schooljaar",
        "contactpersoon_wisselingen_maximum": "1 keer per schooljaar",
        "contactpersoon_aankondiging": "1 maand",
        "evaluatie_per_jaar": "1 keer per schooljaar",
        "klankbordgroep_evaluatie_na": "1 schooljaar",
        "kleine_aantallen": "5",
    }
    assert len(normen.meldingselementen) == 9


def test_new_version_applies_from_its_schooljaar(tmp_path):
    """A revision valid from 2027-2028 leaves 2026-2027 on the old norms."""
    herzien = GELDIG.split("\n[[versie]]\n", 1)[1].replace(
        'geldig_vanaf = "2018-2019"', 'geldig_vanaf = "2027-2028"'
    ).replace('versie = "1"', 'versie = "2"').replace(
        "[versie.normen.vragen_beantwoorden]\nwaarde = 5",
        "[versie.normen.vragen_beantwoorden]\nwaarde = 4",
    )
    register = laad_normen(_schrijf(tmp_path, GELDIG + "\n[[versie]]\n" + herzien))
    assert register.voor_schooljaar("2026-2027")["vragen_beantwoorden"].waarde == 5
    assert register.voor_schooljaar("2027-2028")["vragen_beantwoorden"].waarde == 4
    assert register.voor_schooljaar("2030-2031").versie == "2"
    # Before the first version the first one applies (older data is judged by it).
    assert register.voor_schooljaar("2010-2011").versie == "1"


@pytest.mark.parametrize(
    ("kapot", "melding"),
    [
        (lambda t: re.sub(r"\[versie\.normen\.melding_reactie\]\n(?:[^\[\n].*\n)*", "", t),
         "normen ontbreken: melding_reactie"),
        (lambda t: t.replace('eenheid = "maanden"', 'eenheid = "weken"', 1),
         "onbekende eenheid 'weken'"),
        (lambda t: t.replace("waarde = 6", "waarde = -6"), "geheel getal"),
        (lambda t: t.replace("waarde = 6", 'waarde = "zes"'), "geheel getal"),
        (lambda t: t.replace('geldig_vanaf = "2018-2019"', 'geldig_vanaf = "2018"'),
         "geen schooljaar"),
        (lambda t: t.replace("lijst = [", "lijst_weg = ["), "meldingselementen"),
        (lambda t: t + "\n[[versie", "geen geldige TOML"),
        (lambda t: "", "geen [[versie]]"),
    ],
    ids=["ontbrekend", "eenheid", "negatief", "tekst", "schooljaar", "elementen", "toml", "leeg"],
)
def test_broken_norms_file_is_refused_with_a_clear_message(tmp_path, kapot, melding):
    """Every mistake in the file names what is wrong (and the file)."""
    pad = _schrijf(tmp_path, kapot(GELDIG))
    with pytest.raises(NormenFout) as fout:
        laad_normen(pad)
    assert melding in str(fout.value) and str(pad) in str(fout.value)


def test_missing_file(tmp_path):
    """A missing file is a NormenFout, not a crash."""
    with pytest.raises(NormenFout, match="ontbreekt"):
        laad_normen(tmp_path / "weg.toml")

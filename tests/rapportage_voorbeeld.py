"""A small hand-made jaarverslag for the outputs' tests (page partials, CSV, XLSX, PDF):
every kind of cell, a year without data, a hidden small number, a list and a summary."""

from leerplicht.rapportage.tabel import (
    Cel,
    Grafieksoort,
    Groep,
    Hoofdstuk,
    Jaarverslag,
    Lijst,
    Lijstitem,
    Rij,
    Soort,
    Tabel,
    Zin,
)

JAREN = ["2023-2024", "2024-2025", "2025-2026"]


def _geen(soort=Soort.AANTAL):
    return Cel(None, soort, geen_gegevens=True)


def voorbeeld() -> Jaarverslag:
    """The sample report: 2023-2024 has no data; one school's count is hidden (< 5)."""
    sector = Tabel(
        sleutel="termijnen-sector", titel="Termijnen per sector", jaren=JAREN,
        kolomkop="Sector", grafiek=Grafieksoort.STAAF,
        jaren_zonder_gegevens=("2023-2024",),
        toelichting="Aandeel van de stappen van Leerlingzaken dat binnen de termijn klaar was.",
        groepen=[Groep("", [
            Rij("po", "Primair onderwijs", [_geen(Soort.AANDEEL), Cel(0.75, Soort.AANDEEL),
                                            Cel(0.875, Soort.AANDEEL)]),
            Rij("vo", "Voortgezet onderwijs", [_geen(Soort.AANDEEL), Cel(0.9, Soort.AANDEEL),
                                               Cel(0.8, Soort.AANDEEL)]),
        ])],
    )
    mediaan = Tabel(
        sleutel="mediaan-sector", titel="Mediane afhandeltijd per sector", jaren=JAREN,
        kolomkop="Sector", grafiek=Grafieksoort.LIJN, jaren_zonder_gegevens=("2023-2024",),
        groepen=[Groep("", [
            Rij("po", "Primair onderwijs", [_geen(Soort.WERKDAGEN), Cel(4, Soort.WERKDAGEN),
                                            Cel(3, Soort.WERKDAGEN)]),
            Rij("vo", "Voortgezet onderwijs", [_geen(Soort.WERKDAGEN), Cel(None, Soort.WERKDAGEN),
                                               Cel(5, Soort.WERKDAGEN)]),
        ])],
    )
    school = Tabel(
        sleutel="meldingen-school", titel="Verzuimmeldingen per school", jaren=JAREN,
        kolomkop="School", jaren_zonder_gegevens=("2023-2024",), per_school=True,
        kort="Meldingen",
        groepen=[
            Groep("Primair onderwijs", [
                Rij("00AA00", "Basisschool De Linde (00AA00)",
                    [_geen(), Cel(12), Cel(3, verborgen=True, drempel=5)]),
            ]),
            Groep("Voortgezet onderwijs", [
                Rij("11BB00", "Het Lyceum (11BB00)", [_geen(), Cel(40), Cel(52)]),
            ]),
        ],
    )
    lijst = Tabel(
        sleutel="afsprakenlijst-school", titel="Afsprakenlijst per school", jaren=JAREN,
        kolomkop="School", jaren_zonder_gegevens=("2023-2024",), per_school=True,
        kort="Afsprakenlijst",
        groepen=[Groep("", [
            Rij("00AA00", "Basisschool De Linde (00AA00)",
                [_geen(Soort.TEKST), Cel("op tijd", Soort.TEKST), Cel("te laat", Soort.TEKST)]),
        ])],
    )
    scores = Tabel(
        sleutel="scores-sector", titel="Evaluatiescores per thema", jaren=JAREN,
        kolomkop="Thema", jaren_zonder_gegevens=("2023-2024",),
        groepen=[Groep("Voortgezet onderwijs", [
            Rij("vo-bereikbaarheid-school", "Bereikbaarheid (school)",
                [_geen(Soort.SCORE), Cel(3.5, Soort.SCORE), Cel(3.8333, Soort.SCORE)]),
        ])],
    )
    return Jaarverslag(
        schooljaar="2025-2026", sector="", sectornaam="alle sectoren", peildatum="2026-07-31",
        normversie="1", drempel=5, scholen=2,
        samenvatting=[
            Zin("In het primair onderwijs was 88% van de stappen van Leerlingzaken binnen de "
                "termijn klaar, 13 procentpunt meer dan in 2024-2025.", "termijnen-sector", "po"),
            Zin("Het Lyceum (11BB00) stuurde 52 verzuimmeldingen.", "meldingen-school", "11BB00"),
        ],
        hoofdstukken=[
            Hoofdstuk("termijnen", "Termijnen", "Hoe snel Leerlingzaken en de scholen reageerden.",
                      tabellen=[sector, mediaan, school]),
            Hoofdstuk("afsprakenlijst", "Afsprakenlijsten", "Op tijd vastgesteld of niet.",
                      tabellen=[lijst]),
            Hoofdstuk("evaluatie", "Evaluatie en Klankbordgroep", "Scores en besluiten.",
                      tabellen=[scores],
                      lijsten=[
                          Lijst("besluiten-vo", "Besluiten Klankbordgroep VO", [
                              Lijstitem("12 maart 2026",
                                        "De termijn voor vragen wordt 4 werkdagen."),
                          ]),
                          Lijst("maatregelen-vo", "Maatregelen Klankbordgroep VO", [
                              Lijstitem("Maatregel 1: vaste spreekuren", "Elke week een spreekuur.",
                                        [("Periode 1", "Gestart op drie scholen.")]),
                          ]),
                          Lijst("besluiten-po", "Besluiten Klankbordgroep PO", [],
                                leeg="De Klankbordgroep PO nam dit schooljaar geen besluiten."),
                      ]),
        ],
    )

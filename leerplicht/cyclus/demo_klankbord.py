"""Demo data of the Klankbordgroep PO and VO: meetings with decisions, measures with results."""

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..schooljaren import Schooljaar
from .models import Besluit, Klankbordoverleg, Maatregel, Maatregelresultaat

# (days after 1 August, notes, decisions) per sector: the previous schooljaar's two meetings,
# then the current one's first.
OVERLEGGEN = {
    "PO": [
        (75, "Terugkoppeling termijnen meldingen.\nLeerlingzaken laat zien hoe vaak een melding "
             "binnen vijf werkdagen is beoordeeld. Scholen vragen om een korte toelichting bij "
             "een melding die terugkomt als onvolledig.",
         ["Bij een onvolledige melding noemt Leerlingzaken altijd welk element ontbreekt.",
          "De scholen krijgen twee keer per jaar een overzicht van hun eigen termijnen."]),
        (230, "Aanwezigheid in het PO.\nDe scholen waarderen het startbezoek. Enkele scholen "
              "willen Leerlingzaken ook bij het MDO, als daar een verzuimvraag speelt.",
         ["Leerlingzaken sluit op verzoek aan bij het MDO; de school vraagt dat een week vooraf "
          "aan."]),
        (70, "Evaluatie van het eerste jaar.\nDe werkafspraken werken; de bereikbaarheid in de "
             "vakanties blijft een punt van aandacht.",
         ["Leerlingzaken maakt een vakantierooster met een vast telefoonnummer."]),
    ],
    "VO": [
        (80, "Terugkoppeling termijnen meldingen.\nDe termijnen worden meestal gehaald; de "
             "reactie op een complete melding duurt in drukke weken langer.",
         ["Leerlingzaken meldt het de school als een reactie later komt dan vijf werkdagen."]),
        (240, "Deelname aan het JES.\nScholen en Leerlingzaken bespreken hoe vaak de "
              "leerplichtambtenaar aansluit en wat vooraf gedeeld wordt.",
         ["De agenda van het JES gaat twee werkdagen vooraf naar de leerplichtambtenaar.",
          "Het minimum van zes bezoeken per jaar blijft gelijk."]),
        (65, "Overgang naar het mbo.\nDe Klankbordgroep bespreekt de warme overdracht bij de "
             "overstap en de rol van de decaan.",
         ["De decanen en Leerlingzaken plannen in het voorjaar een gezamenlijke bijeenkomst."]),
    ],
}

MAATREGELEN = [
    ("Warme overdracht bij wisseling contactpersoon",
     "Bij een nieuwe contactpersoon stellen de oude en de nieuwe persoon zich samen voor aan de "
     "school. De wisseling wordt minstens een maand vooraf aangekondigd.",
     ["Bij drie wisselingen was er een persoonlijke kennismaking; één keer lukte dat niet door "
      "ziekte.",
      "Alle wisselingen in deze periode zijn een maand vooraf aangekondigd."]),
    ("Kwaliteit van verzuimmeldingen verbeteren",
     "Scholen krijgen een korte uitleg van de negen elementen van een goede melding. "
     "Leerlingzaken geeft bij een onvolledige melding aan wat ontbreekt.",
     ["Het aandeel onvolledige meldingen daalde van een kwart naar een vijfde.",
      "De uitleg is op alle scholen besproken in het zorgoverleg."]),
    ("Spreekuur op school",
     "Op scholen die daarom vragen houdt de leerplichtambtenaar een vast spreekuur voor "
     "mentoren en zorgcoördinatoren.",
     ["Op vier scholen gestart; mentoren weten de leerplichtambtenaar sneller te vinden.",
      "Uitgebreid naar zes scholen; één school stopte omdat het MDO volstaat."]),
]


def vul_klankbord(vorig_naam: str, huidig_naam: str, rng) -> None:
    """Meetings of both Klankbordgroepen in the previous and current schooljaar, and three
    measures per group with their results for two periods (deterministic through `rng`)."""
    jaren = {j.naam: j for j in db.session.scalars(
        select(Schooljaar).where(Schooljaar.naam.in_([vorig_naam, huidig_naam])))}
    vorig, huidig = jaren[vorig_naam], jaren[huidig_naam]
    start = huidig.begin.year
    perioden = [vorig.naam, f"augustus {start} – januari {start + 1}"]
    for sector, overleggen in OVERLEGGEN.items():
        for index, (dagen, notities, besluiten) in enumerate(overleggen):
            jaar = vorig if index < 2 else huidig
            overleg = Klankbordoverleg(
                sector=sector, schooljaar_id=jaar.id, notities=notities,
                datum=jaar.begin + timedelta(days=dagen + rng.randint(0, 6)))
            overleg.besluiten = [Besluit(tekst=tekst) for tekst in besluiten]
            db.session.add(overleg)
        for nummer, (titel, plan, resultaten) in enumerate(MAATREGELEN, start=1):
            maatregel = Maatregel(sector=sector, nummer=nummer, titel=titel, plan=plan,
                                  sinds_schooljaar_id=vorig.id, afgerond=nummer == 1)
            maatregel.resultaten = [
                Maatregelresultaat(periode=periode, resultaat=tekst)
                for periode, tekst in zip(perioden, resultaten, strict=True)]
            db.session.add(maatregel)
    db.session.flush()

"""The standard sections of a new afsprakenlijst, prefilled from the norms and the sector."""

from ..normen import Normversie

# Where the template leaves a blank for LLZ and the school to fill in together. A list with a
# blank left cannot get an akkoord (regels.nog_in_te_vullen).
INVULPLEK = "(vul in)"
LEEG = f"*{INVULPLEK}*"

PO_ACHTIG = {"PO", "SO"}
VO_ACHTIG = {"VO", "VSO"}


def _aanwezigheid(sector: str, n: Normversie) -> str:
    """Presence of LLZ at school: the PO or VO norm, or tailored for MBO."""
    if sector in PO_ACHTIG:
        return (
            f"Leerlingzaken is minstens {n['po_bezoeken_minimum']} op school, aan het begin "
            "van het schooljaar, om de samenwerking af te stemmen. Verdere aanwezigheid is "
            "maatwerk en hangt af van wat de school nodig heeft, bijvoorbeeld op afroep bij het "
            f"multidisciplinair overleg (MDO).\n\nAfgesproken voor dit schooljaar: {LEEG}"
        )
    if sector in VO_ACHTIG:
        return (
            "Leerlingzaken neemt deel aan het Jeugd en School overleg (JES) en is minstens "
            f"{n['vo_bezoeken_minimum']} op school, voor overleg met de school en voor contact "
            f"met jongeren en ouders.\n\nGeplande data: {LEEG}"
        )
    return (
        "De aanwezigheid van Leerlingzaken op de mbo-locatie is maatwerk. School en "
        "Leerlingzaken spreken af wanneer en hoe vaak Leerlingzaken aansluit.\n\n"
        f"Afgesproken voor dit schooljaar: {LEEG}"
    )


def standaard_afspraken(sector: str, n: Normversie) -> list[dict]:
    """The standard sections for a school of `sector`, with the norms written in."""
    elementen = "\n".join(f"- {element}" for element in n.meldingselementen)
    return [
        {
            "sectie": "contactpersonen",
            "titel": "Contactpersonen en vervanging",
            "wie": "beiden",
            "tekst": (
                "LLZ en school werken met vaste contactpersonen; hun namen en gegevens staan in "
                "dit schooldossier. Is de vaste contactpersoon er niet, dan regelt elke kant zelf "
                "vervanging.\n\nEen vaste contactpersoon wisselt hoogstens "
                f"{n['contactpersoon_wisselingen_maximum']}, tenzij het door overmacht niet "
                f"anders kan. Een wisseling wordt minstens {n['contactpersoon_aankondiging']} "
                "van tevoren gemeld, met een warme overdracht: een persoonlijke kennismaking."
            ),
        },
        {
            "sectie": "aanwezigheid",
            "titel": "Aanwezigheid van Leerlingzaken op school",
            "wie": "llz",
            "tekst": _aanwezigheid(sector, n),
        },
        {
            "sectie": "communicatie",
            "titel": "Communicatie en bereikbaarheid",
            "wie": "beiden",
            "tekst": (
                "LLZ en school zijn goed bereikbaar en gebruiken communicatiemiddelen die bij de "
                "vraag passen: telefoon, e-mail of een afspraak op school. Zij informeren elkaar "
                "over het eigen werk en over actuele onderwerpen, zoals de Methodische Aanpak "
                f"Schoolverzuim (MAS).\n\nAfgesproken middelen en vaste belmomenten: {LEEG}"
            ),
        },
        {
            "sectie": "termijnen",
            "titel": "Reactietermijnen",
            "wie": "beiden",
            "tekst": (
                f"- LLZ en school beantwoorden elkaars vragen binnen "
                f"{n['vragen_beantwoorden']}.\n"
                f"- LLZ meldt binnen {n['melding_onvolledig_terugmelden']} na ontvangst als een "
                "verzuimmelding niet compleet is, en zegt wat er ontbreekt.\n"
                f"- De school maakt een onvolledige melding binnen {n['melding_aanvullen']} "
                "compleet; anders geldt de melding als niet verzonden.\n"
                f"- Op een complete melding reageert LLZ binnen {n['melding_reactie']}.\n"
                f"- LLZ laat de school binnen {n['ontwikkelingen_informeren']} weten als er "
                "nieuwe ontwikkelingen zijn die gevolgen hebben voor de schoolgang van een "
                "leerling."
            ),
        },
        {
            "sectie": "verzuim",
            "titel": "Verzuim melden",
            "wie": "school",
            "tekst": (
                "De school meldt verzuim via het digitale verzuimloket van DUO. Een goede "
                f"melding bevat:\n\n{elementen}\n\nIs een melding onvoldoende, dan stuurt LLZ "
                "haar terug met een toelichting."
            ),
        },
        {
            "sectie": "escalatie",
            "titel": "Als het vastloopt: escalatieroute en rode knop",
            "wie": "beiden",
            "tekst": (
                "LLZ en school spreken een escalatieroute af, voor de inhoud (casuïstiek) en "
                "voor de samenwerking zelf; de route staat in dit schooldossier. Bij spoed, als "
                "LLZ en school er samen niet uitkomen, geldt de rode knop: de teamleider van "
                "Leerlingzaken en de (locatie)directeur nemen direct contact met elkaar op."
            ),
        },
        {
            "sectie": "evaluatie",
            "titel": "Evaluatie",
            "wie": "beiden",
            "tekst": (
                f"LLZ en school evalueren de samenwerking {n['evaluatie_per_jaar']}. De "
                "teamleider van Leerlingzaken en de (locatie)directeur kunnen daarbij aansluiten."
                f"\n\nGepland evaluatiemoment: {LEEG}"
            ),
        },
    ]

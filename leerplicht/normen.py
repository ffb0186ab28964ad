"""The norms of the werkafspraken (content/normen.toml): versions valid from a schooljaar."""

from dataclasses import dataclass
from pathlib import Path

from .inhoud import lees_tabellen
from .schooljaren import grenzen

# Every version must define these; the deadline engine, the templates and the brochure use them.
VERPLICHT = (
    "vragen_beantwoorden",
    "melding_onvolledig_terugmelden",
    "melding_aanvullen",
    "melding_reactie",
    "ontwikkelingen_informeren",
    "afsprakenlijst_vaststellen",
    "po_bezoeken_minimum",
    "vo_bezoeken_minimum",
    "contactpersoon_wisselingen_maximum",
    "contactpersoon_aankondiging",
    "evaluatie_per_jaar",
    "klankbordgroep_evaluatie_na",
    "kleine_aantallen",
)

# unit -> (singular, plural); "keer" does not inflect.
EENHEDEN = {
    "werkdagen": ("werkdag", "werkdagen"),
    "maanden": ("maand", "maanden"),
    "schooljaren": ("schooljaar", "schooljaren"),
    "keer": ("keer", "keer"),
    "keer_per_schooljaar": ("keer per schooljaar", "keer per schooljaar"),
    "aantal": ("", ""),  # a bare number, such as a threshold
}


class NormenFout(ValueError):
    """content/normen.toml is missing, malformed or incomplete (message says where)."""


@dataclass(frozen=True)
class Norm:
    """One norm: a number with its unit, e.g. 5 werkdagen."""

    sleutel: str
    waarde: int
    eenheid: str
    omschrijving: str

    def __str__(self) -> str:
        """Dutch text for the UI and the brochure: '5 werkdagen', '1 maand'."""
        enkelvoud, meervoud = EENHEDEN[self.eenheid]
        return f"{self.waarde} {enkelvoud if self.waarde == 1 else meervoud}".rstrip()

    def __html__(self) -> str:
        """Jinja: a norm renders as its text (it contains no markup)."""
        return str(self)


@dataclass(frozen=True)
class Normversie:
    """All norms as valid from one schooljaar on."""

    versie: str
    geldig_vanaf: str
    vastgesteld_op: str
    toelichting: str
    normen: dict[str, Norm]
    meldingselementen: tuple[str, ...]

    def __getitem__(self, sleutel: str) -> Norm:
        """The norm with this key; KeyError names the key."""
        try:
            return self.normen[sleutel]
        except KeyError:
            raise KeyError(f"Onbekende norm '{sleutel}'") from None

    def __iter__(self):
        """The norms in file order."""
        return iter(self.normen.values())


@dataclass(frozen=True)
class Normenregister:
    """Every version of the norms, oldest first."""

    versies: tuple[Normversie, ...]

    def voor_schooljaar(self, naam: str) -> Normversie:
        """The version valid in schooljaar `naam` (before the first version: the first)."""
        geldig = [v for v in self.versies if v.geldig_vanaf <= naam]
        return geldig[-1] if geldig else self.versies[0]

    @property
    def nieuwste(self) -> Normversie:
        """The most recent version."""
        return self.versies[-1]


def standaard_normen_pad() -> Path:
    """content/normen.toml of this project."""
    return Path(__file__).resolve().parent.parent / "content" / "normen.toml"


def laad_normen(pad: Path) -> Normenregister:
    """Read and validate the norms file; NormenFout says what is wrong and where."""
    ruwe_versies = lees_tabellen(pad, "versie", NormenFout, "normen")
    versies = [versie_uit_tabel(f"{pad}, versie {nummer}", ruw, nummer)
               for nummer, ruw in enumerate(ruwe_versies, 1)]
    versies.sort(key=lambda v: v.geldig_vanaf)
    vanaf = [v.geldig_vanaf for v in versies]
    if len(set(vanaf)) != len(vanaf):
        raise NormenFout(f"{pad}: twee versies gelden vanaf hetzelfde schooljaar")
    return Normenregister(tuple(versies))


def met_versies(basis: Normenregister, extra: list[Normversie]) -> Normenregister:
    """The register with `extra` versions added; an extra version replaces a basis version
    that begins in the same schooljaar."""
    per_jaar = {v.geldig_vanaf: v for v in basis.versies}
    per_jaar.update({v.geldig_vanaf: v for v in extra})
    return Normenregister(tuple(per_jaar[jaar] for jaar in sorted(per_jaar)))


def versie_uit_tabel(waar: str, ruw: dict, nummer: int | str = "") -> Normversie:
    """Validate one version given as a [[versie]] table (from the file or the database)."""
    vanaf = str(ruw.get("geldig_vanaf", ""))
    try:
        grenzen(vanaf)
    except ValueError as error:
        raise NormenFout(f"{waar}: geldig_vanaf: {error}") from error
    ruwe_normen = ruw.get("normen") or {}
    ontbrekend = [sleutel for sleutel in VERPLICHT if sleutel not in ruwe_normen]
    if ontbrekend:
        raise NormenFout(f"{waar}: normen ontbreken: {', '.join(ontbrekend)}")
    normen = {sleutel: _norm(waar, sleutel, waarden) for sleutel, waarden in ruwe_normen.items()}
    elementen = (ruw.get("meldingselementen") or {}).get("lijst")
    if not isinstance(elementen, list) or not elementen or not all(
        isinstance(e, str) and e.strip() for e in elementen
    ):
        raise NormenFout(f"{waar}: meldingselementen.lijst moet een lijst met teksten zijn")
    return Normversie(
        versie=str(ruw.get("versie") or nummer),
        geldig_vanaf=vanaf,
        vastgesteld_op=str(ruw.get("vastgesteld_op", "")),
        toelichting=str(ruw.get("toelichting", "")),
        normen=normen,
        meldingselementen=tuple(elementen),
    )


def _norm(waar: str, sleutel: str, waarden: dict) -> Norm:
    """Validate one norm table."""
    if not isinstance(waarden, dict):
        raise NormenFout(f"{waar}: norm {sleutel} moet een tabel zijn")
    waarde, eenheid = waarden.get("waarde"), waarden.get("eenheid")
    if not isinstance(waarde, int) or isinstance(waarde, bool) or waarde < 0:
        raise NormenFout(f"{waar}: norm {sleutel}: waarde moet een geheel getal van 0 of meer zijn")
    if eenheid not in EENHEDEN:
        raise NormenFout(
            f"{waar}: norm {sleutel}: onbekende eenheid '{eenheid}' "
            f"(kies uit {', '.join(EENHEDEN)})"
        )
    return Norm(sleutel, waarde, eenheid, str(waarden.get("omschrijving", "")))

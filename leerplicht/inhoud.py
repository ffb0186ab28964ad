"""Reading the data files in content/: TOML whose mistakes are reported with the file named."""

import tomllib
from pathlib import Path


def lees_tabellen(pad: Path, naam: str, fout: type[ValueError], wat: str) -> list[dict]:
    """The [[naam]] tables of a TOML file; `fout` when it is missing, no TOML, or has none."""
    try:
        data = tomllib.loads(Path(pad).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise fout(f"{pad}: bestand met {wat} ontbreekt") from error
    except tomllib.TOMLDecodeError as error:
        raise fout(f"{pad}: geen geldige TOML: {error}") from error
    tabellen = data.get(naam)
    if not isinstance(tabellen, list) or not tabellen:
        raise fout(f"{pad}: geen [[{naam}]] gevonden")
    return tabellen

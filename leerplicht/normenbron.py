"""The norms of the running app: content/normen.toml, loaded once per app and validated."""

from flask import current_app

from .normen import Normenregister, Normversie, laad_normen, standaard_normen_pad


def register() -> Normenregister:
    """The norms register of this app (loaded on first use; NORMEN_PAD may point elsewhere)."""
    cached = current_app.extensions.get("leerplicht_normen")
    if cached is None:
        pad = current_app.config.get("NORMEN_PAD") or standaard_normen_pad()
        cached = current_app.extensions["leerplicht_normen"] = laad_normen(pad)
    return cached


def normen_voor(schooljaar) -> Normversie:
    """The norms version valid in a schooljaar (a Schooljaar or its name)."""
    naam = schooljaar if isinstance(schooljaar, str) else schooljaar.naam
    return register().voor_schooljaar(naam)

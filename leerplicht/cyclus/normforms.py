"""Forms of the norm versions: a new draft, and the draft itself (one field per norm)."""

import re

from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..formulieren import Formulier, VersieForm, strip
from ..normen import Normversie
from ..text import geen_bsn
from .normregels import (
    MAX_ELEMENT,
    MAX_ELEMENTEN,
    MAX_OMSCHRIJVING,
    MAX_WAARDE,
    eenheid_tekst,
    elementen_uit,
    normnaam,
)

WAARDE = re.compile(r"[0-9]{1,3}")


def _jaarkeuze(jaren: list[str]) -> list[SelectChoice]:
    """The choices of a schooljaar select: '— kies —' first."""
    return [SelectChoice("", "— kies —")] + [SelectChoice(naam, naam) for naam in jaren]


class NieuweVersieForm(Formulier):
    """Start a draft: the schooljaar it is to be valid from."""

    geldig_vanaf = SelectField("Geldig vanaf schooljaar", choices=[],
                               validators=[DataRequired("Kies het schooljaar.")])

    def kies_uit(self, jaren: list[str]) -> None:
        """Offer these schooljaren."""
        self.geldig_vanaf.choices = _jaarkeuze(jaren)


def _waarde(_form, field):
    """Validator: a whole number from 0 to 999 (ASCII digits only: '²' is no number)."""
    if not WAARDE.fullmatch(field.data or ""):
        raise ValidationError(f"Vul een geheel getal van 0 tot en met {MAX_WAARDE} in.")


def _elementen(_form, field):
    """Validator: 1 to 20 lines, each at most 200 characters."""
    regels = elementen_uit(field.data)
    if not regels:
        raise ValidationError("Vul minstens één element in, één per regel.")
    if len(regels) > MAX_ELEMENTEN:
        raise ValidationError(f"Noem hoogstens {MAX_ELEMENTEN} elementen.")
    te_lang = [nummer for nummer, regel in enumerate(regels, 1) if len(regel) > MAX_ELEMENT]
    if te_lang:
        raise ValidationError(
            f"Houd elk element korter dan {MAX_ELEMENT} tekens (regel "
            f"{', '.join(map(str, te_lang))}).")


class _Conceptbasis(VersieForm):
    """The fields every draft has besides its norms."""

    geldig_vanaf = SelectField("Geldig vanaf schooljaar", choices=[],
                               validators=[DataRequired("Kies het schooljaar.")])
    toelichting = TextAreaField(
        "Toelichting",
        description="Wat er verandert en waarom, bijvoorbeeld het besluit van de Klankbordgroep.",
        filters=[strip],
        validators=[Length(max=600, message="Houd de toelichting korter dan 600 tekens."),
                    geen_bsn],
        render_kw={"rows": 3},
    )
    meldingselementen = TextAreaField(
        "Elementen van een goede verzuimmelding",
        description="Eén element per regel, hoogstens 20.",
        filters=[strip],
        validators=[_elementen, geen_bsn],
        render_kw={"rows": 10},
    )


def waardeveld(sleutel: str) -> str:
    """The form field name of a norm's number."""
    return f"waarde_{sleutel}"


def omschrijvingveld(sleutel: str) -> str:
    """The form field name of a norm's description."""
    return f"omschrijving_{sleutel}"


def conceptformulier(concept: Normversie, geldend: Normversie, jaren: list[str],
                     formdata=None, **kwargs) -> VersieForm:
    """The form of a draft: a number and a description per norm of `concept`.

    The hint beside each field is the value in force (`geldend`); `jaren` the schooljaren on
    offer. Without `formdata` the request's form is read (Flask-WTF), as usual.
    """
    velden = {}
    for norm in concept:
        naam = normnaam(norm.sleutel)
        nu = geldend.normen.get(norm.sleutel)
        velden[waardeveld(norm.sleutel)] = StringField(
            f"{naam}: aantal {eenheid_tekst(norm.eenheid)}",
            description=f"nu: {nu}" if nu else "nu: nog niet vastgesteld",
            filters=[strip],
            render_kw={"inputmode": "numeric", "maxlength": 3, "autocomplete": "off"},
            validators=[_waarde],
        )
        velden[omschrijvingveld(norm.sleutel)] = TextAreaField(
            f"{naam}: omschrijving",
            description=f"nu: {nu.omschrijving}" if nu else "",
            filters=[strip],
            render_kw={"rows": 2},
            validators=[DataRequired("Vul de omschrijving in."),
                        Length(max=MAX_OMSCHRIJVING,
                               message=f"Houd de omschrijving korter dan {MAX_OMSCHRIJVING} "
                                       "tekens."),
                        geen_bsn],
        )
    klasse = type("ConceptForm", (_Conceptbasis,), velden)
    form = klasse(formdata=formdata, **kwargs) if formdata is not None else klasse(**kwargs)
    form.geldig_vanaf.choices = _jaarkeuze(jaren)
    return form


def startwaarden(concept: Normversie, versie: str, toelichting: str) -> dict:
    """The data of a draft's form as stored."""
    data = {"versie": versie, "geldig_vanaf": concept.geldig_vanaf, "toelichting": toelichting,
            "meldingselementen": "\n".join(concept.meldingselementen)}
    for norm in concept:
        data[waardeveld(norm.sleutel)] = str(norm.waarde)
        data[omschrijvingveld(norm.sleutel)] = norm.omschrijving
    return data


class NormactieForm(VersieForm):
    """Adopt or delete a draft the user saw at a given version (CSRF + version)."""

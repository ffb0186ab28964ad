"""Forms of the Klankbordgroep: meetings, decisions, measures and their results per period."""

from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from ..formulieren import Formulier, redelijke_datum, strip
from ..text import geen_bsn
from .models import Klankbordsector

NOTITIES_MAX = 5000
BESLUIT_MAX = 600
TITEL_MAX = 160
PLAN_MAX = 5000
PERIODE_MAX = 60
RESULTAAT_MAX = 5000


def _sector() -> SelectField:
    """The Klankbordgroep a record belongs to (required; starts empty)."""
    return SelectField(
        "Klankbordgroep",
        choices=[SelectChoice("", "— kies —")]
        + [SelectChoice(s.value, s.label) for s in Klankbordsector],
        validators=[DataRequired("Kies de Klankbordgroep.")],
    )


def _tekst(label: str, maximum: int, verplicht: str | None = None, rows: int = 4,
           beschrijving: str = "") -> TextAreaField:
    """A free-text field: trimmed, bounded, never a BSN."""
    validators = [DataRequired(verplicht)] if verplicht else []
    validators += [Length(max=maximum, message=f"Houd de tekst korter dan {maximum} tekens."),
                   geen_bsn]
    return TextAreaField(label, description=beschrijving, filters=[strip],
                         validators=validators, render_kw={"rows": rows})


class OverlegForm(Formulier):
    """A meeting of a Klankbordgroep: sector, date and notes."""

    versie = HiddenField()
    sector = _sector()
    datum = DateField("Datum", validators=[DataRequired("Vul een geldige datum in."),
                                           redelijke_datum])
    notities = _tekst("Verslag", NOTITIES_MAX, rows=6,
                      beschrijving="Over de samenwerking en de werkafspraken; nooit over een "
                                   "leerling.")


class BesluitForm(Formulier):
    """A decision taken in a meeting."""

    tekst = _tekst("Besluit", BESLUIT_MAX, "Vul het besluit in.", rows=2)


class MaatregelForm(Formulier):
    """A measure of a Klankbordgroep: title and the plan for the whole period."""

    versie = HiddenField()
    sector = _sector()
    titel = StringField(
        "Maatregel", filters=[strip],
        validators=[DataRequired("Vul de naam van de maatregel in."),
                    Length(max=TITEL_MAX, message=f"Houd de naam korter dan {TITEL_MAX} tekens."),
                    geen_bsn],
    )
    plan = _tekst("Plan", PLAN_MAX, rows=4,
                  beschrijving="Wat de maatregel in de hele looptijd moet bereiken, en hoe.")


class ResultaatForm(Formulier):
    """What a measure achieved in one period."""

    versie = HiddenField()
    periode = StringField(
        "Periode", filters=[strip],
        description="Bijvoorbeeld 2026-2027 of augustus 2026 – januari 2027.",
        validators=[DataRequired("Vul de periode in."),
                    Length(max=PERIODE_MAX,
                           message=f"Houd de periode korter dan {PERIODE_MAX} tekens."),
                    geen_bsn],
    )
    resultaat = _tekst("Resultaat", RESULTAAT_MAX, "Vul het resultaat in.", rows=4)


class AfrondenForm(Formulier):
    """Mark a measure afgerond, or open it again."""

    versie = HiddenField()
    afgerond = HiddenField(validators=[AnyOf(("ja", "nee"), message="Ongeldige keuze.")])


class VerwijderForm(Formulier):
    """Delete a record the user saw at a given version."""

    versie = HiddenField()

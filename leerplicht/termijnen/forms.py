"""Forms of the registers: meldingen, questions, developments and the fast entry."""

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from ..formulieren import Formulier, redelijke_datum, strip
from ..text import geen_bsn
from .models import Meldingstatus


def _datum(label: str, bericht: str = "Vul een geldige datum in.") -> DateField:
    """A required date between 2000 and 2100."""
    return DateField(label, validators=[DataRequired(bericht), redelijke_datum])


def _referentie() -> StringField:
    return StringField(
        "Referentie",
        description="Het kenmerk van DUO of een eigen nummer; nooit een naam of BSN.",
        filters=[strip],
        validators=[DataRequired("Vul de referentie in."),
                    Length(max=40, message="Houd de referentie korter dan 40 tekens."),
                    geen_bsn],
    )


class MeldingForm(Formulier):
    """A new verzuimmelding (status geregistreerd)."""

    referentie = _referentie()
    ontvangen_op = _datum("Ontvangen op")


class InvoerForm(MeldingForm):
    """The fast entry across schools: school, reference, receipt date, optionally complete."""

    school = SelectField("School", choices=[], validators=[DataRequired("Kies de school.")])
    compleet = BooleanField("Compleet (alle elementen van de checklist aanwezig)")



class BeoordelenForm(Formulier):
    """Judge a melding against the checklist of its norms version."""

    versie = HiddenField()
    elementen = SelectMultipleField("Aanwezige elementen", choices=[], coerce=str,
                                    validate_choice=False)
    toelichting = TextAreaField(
        "Toelichting", filters=[strip],
        validators=[Length(max=300, message="Houd de toelichting korter dan 300 tekens."),
                    geen_bsn],
        render_kw={"rows": 2},
    )


class DatumActieForm(Formulier):
    """One dated step of a melding (terugmelden, aanvullen, gereageerd) or of a development."""

    versie = HiddenField()
    datum = _datum("Datum")


class StatusForm(Formulier):
    """The DUO status of a melding."""

    versie = HiddenField()
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "— kies —")]
        + [SelectChoice(s.value, s.label) for s in Meldingstatus],
        validators=[DataRequired("Kies de status.")],
    )


def _onderwerp() -> StringField:
    return StringField(
        "Onderwerp",
        description="Kort en zonder namen of andere gegevens van leerlingen.",
        filters=[strip],
        validators=[DataRequired("Vul een kort onderwerp in."),
                    Length(max=160, message="Houd het onderwerp korter dan 160 tekens."),
                    geen_bsn],
    )


class VraagForm(Formulier):
    """A new question; the side follows from the user."""

    onderwerp = _onderwerp()
    gesteld_op = _datum("Gesteld op")


class AntwoordForm(Formulier):
    """The answer to a question."""

    versie = HiddenField()
    beantwoord_op = _datum("Beantwoord op")
    antwoord = TextAreaField(
        "Antwoord (kort)", filters=[strip],
        validators=[Length(max=300, message="Houd het antwoord korter dan 300 tekens."),
                    geen_bsn],
        render_kw={"rows": 2},
    )


class OntwikkelingForm(Formulier):
    """A new development LLZ must report to the school."""

    onderwerp = _onderwerp()
    bekend_op = _datum("Bekend op")

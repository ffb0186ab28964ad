"""Forms for schools."""

import re

from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..formulieren import Formulier, strip
from ..text import geen_bsn
from .models import Sector

CODE_PATROON = re.compile(r"^\d{2}[A-Z]{2}\d{2}$")


def _upper_strip(value):
    """Normalise a code: trim and upper-case."""
    return value.strip().upper() if isinstance(value, str) else value


class SchoolForm(Formulier):
    """The basic data of a school location."""

    versie = HiddenField()
    naam = StringField(
        "Naam van de school",
        filters=[strip],
        validators=[DataRequired("Vul de naam van de school in."), Length(max=160), geen_bsn],
    )
    code = StringField(
        "BRIN en vestigingsnummer",
        description="Zes tekens: het BRIN-nummer (zoals 12AB) en het vestigingsnummer (zoals 00).",
        filters=[_upper_strip],
        validators=[
            DataRequired("Vul het BRIN- en vestigingsnummer in."),
            Regexp(CODE_PATROON, message="Schrijf het nummer als 12AB00: twee cijfers, twee "
                   "letters, twee cijfers."),
        ],
    )
    sector = SelectField(
        "Sector",
        choices=[SelectChoice("", "— kies —")]
        + [SelectChoice(s.value, f"{s.value} – {s.label}") for s in Sector],
        validators=[DataRequired("Kies de sector.")],
    )
    straat = StringField(
        "Straat en huisnummer", filters=[strip], validators=[Length(max=160), geen_bsn]
    )
    postcode = StringField(
        "Postcode",
        filters=[_upper_strip],
        validators=[
            Optional(),
            Regexp(r"^\d{4} ?[A-Z]{2}$", message="Schrijf de postcode als 1234 AB."),
        ],
    )
    plaats = StringField("Plaats", filters=[strip], validators=[Length(max=80), geen_bsn])
    bestuur = StringField(
        "Schoolbestuur", filters=[strip], validators=[Length(max=160), geen_bsn]
    )
    actief = BooleanField("Actief", default=True)

    def validate_sector(self, field):
        """Only known sectors."""
        if field.data not in {s.value for s in Sector}:
            raise ValidationError("Kies een van de sectoren uit de lijst.")


class NieuweSchoolForm(SchoolForm):
    """A new school, with its LLZ contact person and substitute."""

    llz_contact = SelectField("Contactpersoon Leerlingzaken", coerce=int, validators=[Optional()])
    llz_vervanger = SelectField("Vervanger Leerlingzaken", coerce=int, validators=[Optional()])

    def validate_llz_vervanger(self, field):
        """Contact person and substitute must be different people."""
        if field.data and field.data == self.llz_contact.data:
            raise ValidationError(
                "Kies voor de vervanger een andere persoon dan de contactpersoon."
            )

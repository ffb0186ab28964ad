"""Forms for schools and their contact persons."""

import re
from datetime import date

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from ..formulieren import Formulier, redelijke_datum, strip
from ..text import geen_bsn
from .models import Contactrol, Sector

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


class ContactWijzigingForm(Formulier):
    """Change who holds a contact role at a school (with the werkafspraken rules).

    `personen` is set by the view to the people the user may pick here (policy.kiesbare_personen):
    the select offers exactly those, and a submitted id outside them is refused.
    """

    rol = SelectField("Rol", validate_choice=False, validators=[DataRequired("Kies de rol.")])
    contactpersoon_id = SelectField(
        "Nieuwe contactpersoon",
        description="Kies een bekende persoon, of kies 'Nieuwe persoon' en vul hieronder de "
        "gegevens in.",
        coerce=int,
        validate_choice=False,
        validators=[Optional()],
    )
    naam = StringField("Naam nieuwe persoon", filters=[strip],
                       validators=[Optional(), Length(max=120), geen_bsn])
    functie = StringField("Functie", filters=[strip],
                          validators=[Optional(), Length(max=120), geen_bsn])
    email = StringField("E-mailadres", filters=[strip],
                        validators=[Optional(), Length(max=254),
                                    Email("Vul een geldig e-mailadres in.")])
    telefoon = StringField("Telefoon", filters=[strip],
                           validators=[Optional(), Length(max=20)])
    ingang = DateField("Ingangsdatum", validators=[DataRequired("Vul de ingangsdatum in."),
                                                   redelijke_datum])
    aangekondigd = DateField(
        "Aangekondigd op",
        description="De datum waarop de andere kant over de wisseling is geïnformeerd.",
        validators=[DataRequired("Vul in wanneer de wisseling is aangekondigd."),
                    redelijke_datum],
    )
    warme_overdracht = DateField(
        "Persoonlijke kennismaking (warme overdracht) op",
        description="Laat leeg als die nog moet plaatsvinden; u kunt de datum later vastleggen.",
        validators=[Optional(), redelijke_datum],
    )
    reden = TextAreaField(
        "Reden",
        description="Nodig bij een tweede wisseling in hetzelfde schooljaar (overmacht) of als "
        "de wisseling minder dan een maand van tevoren is aangekondigd.",
        filters=[strip],
        validators=[Length(max=1000), geen_bsn],
        render_kw={"rows": 3},
    )

    def vul_keuzes(self, rollen: list[Contactrol], personen: list) -> None:
        """Offer the roles the user may change and the people the user may pick."""
        self.rol.choices = [SelectChoice("", "— kies —")] + [
            SelectChoice(r.value, r.label) for r in rollen
        ]
        self.personen = {p.id: p for p in personen}
        self.contactpersoon_id.choices = [SelectChoice(0, "— Nieuwe persoon —")] + [
            SelectChoice(p.id, _keuzenaam(p)) for p in personen
        ]

    def validate_rol(self, field):
        """Only a role offered in the select."""
        if field.data not in {value for value, *_ in field.iter_choices() if value}:
            raise ValidationError("Kies een van de rollen uit de lijst.")

    def validate_contactpersoon_id(self, field):
        """Only a person from the list: an id of another school's person is refused."""
        if field.data and field.data not in self.personen:
            raise ValidationError("Kies een persoon uit de lijst.")

    def validate_telefoon(self, field):
        """Digits, spaces, dashes and a leading + only."""
        if field.data and not all(c in "0123456789 -+()" for c in field.data):
            raise ValidationError("Gebruik alleen cijfers, spaties en streepjes.")

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: an existing person of the role's side, or a new one's name."""
        ok = super().validate(extra_validators)
        if ok and not self.contactpersoon_id.data and not self.naam.data:
            self.contactpersoon_id.errors = [
                "Kies een persoon, of vul de naam van een nieuwe persoon in."
            ]
            ok = False
        persoon = self.personen.get(self.contactpersoon_id.data)
        if ok and persoon is not None and persoon.kant != Contactrol(self.rol.data).kant:
            self.contactpersoon_id.errors = [
                "Deze persoon werkt voor de andere kant; kies iemand die bij deze rol past."
            ]
            ok = False
        if ok and self.aangekondigd.data > self.ingang.data:
            self.aangekondigd.errors = ["De aankondiging kan niet na de ingangsdatum liggen."]
            ok = False
        return ok


def _keuzenaam(persoon) -> str:
    """How a person reads in the select: name, and function or 'Leerlingzaken'."""
    if persoon.kant == "llz":
        return f"{persoon.naam} (Leerlingzaken)"
    return f"{persoon.naam} ({persoon.functie})" if persoon.functie else persoon.naam


class WarmeOverdrachtForm(Formulier):
    """Record the day of the personal introduction (warme overdracht) of a new contact."""

    datum = DateField(
        "Datum van de persoonlijke kennismaking",
        validators=[DataRequired("Vul een geldige datum in."), redelijke_datum],
    )

    def validate_datum(self, field):
        """The introduction took place: not a day in the future."""
        if field.data and field.data > date.today():
            raise ValidationError("Deze datum ligt in de toekomst. Leg de kennismaking vast "
                                  "als die heeft plaatsgevonden.")

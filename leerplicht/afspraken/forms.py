"""Forms for the afsprakenlijst and for changing contact persons."""


from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..formulieren import Formulier, redelijke_datum, strip
from ..scholen.models import Contactrol
from ..text import geen_bsn
from .models import Wie


class VersieForm(Formulier):
    """A POST that acts on a record the user saw at a given version (CSRF + version)."""

    versie = HiddenField()


class AfspraakForm(Formulier):
    """One agreement: title, Markdown text, who acts, optional date."""

    versie = HiddenField()
    titel = StringField(
        "Titel",
        filters=[strip],
        validators=[DataRequired("Geef de afspraak een titel."), Length(max=160), geen_bsn],
    )
    tekst = TextAreaField(
        "Afspraak",
        description="Opmaak met Markdown kan: *schuin*, **vet**, een lijst met - aan het begin "
        "van de regel. Noem geen leerlingen.",
        filters=[strip],
        validators=[Length(max=5000, message="Houd de tekst korter dan 5000 tekens."), geen_bsn],
        render_kw={"rows": 6},
    )
    wie = SelectField(
        "Wie doet het?",
        choices=[SelectChoice(w.value, w.label) for w in Wie],
        validators=[DataRequired("Kies wie de afspraak uitvoert.")],
    )
    deadline = DateField(
        "Uiterlijk op (niet verplicht)",
        validators=[Optional(), redelijke_datum],
        render_kw={"autocomplete": "off"},
    )


class ContactWijzigingForm(Formulier):
    """Change who holds a contact role at a school (with the werkafspraken rules)."""

    rol = SelectField("Rol", validators=[DataRequired("Kies de rol.")])
    contactpersoon_id = SelectField(
        "Nieuwe contactpersoon",
        description="Kies een bekende persoon, of kies 'Nieuwe persoon' en vul hieronder de "
        "gegevens in.",
        coerce=int,
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
        description="Laat leeg als die nog moet plaatsvinden.",
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

    def validate_telefoon(self, field):
        """Digits, spaces, dashes and a leading + only."""
        if field.data and not all(c.isdigit() or c in " -+()" for c in field.data):
            raise ValidationError("Gebruik alleen cijfers, spaties en streepjes.")

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: an existing person or the name of a new one."""
        ok = super().validate(extra_validators)
        if ok and not self.contactpersoon_id.data and not self.naam.data:
            self.contactpersoon_id.errors = [
                "Kies een persoon, of vul de naam van een nieuwe persoon in."
            ]
            ok = False
        if ok and self.aangekondigd.data > self.ingang.data:
            self.aangekondigd.errors = ["De aankondiging kan niet na de ingangsdatum liggen."]
            ok = False
        return ok


def rol_keuzes(rollen: list[Contactrol]) -> list[SelectChoice]:
    """Choices for the role select."""
    return [SelectChoice(r.value, r.label) for r in rollen]

"""Forms for the afsprakenlijst."""


from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..formulieren import Formulier, redelijke_datum, strip
from ..text import geen_bsn
from .models import Wie


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
        choices=[SelectChoice("", "— kies —")] + [SelectChoice(w.value, w.label) for w in Wie],
        validators=[DataRequired("Kies wie de afspraak uitvoert.")],
    )
    deadline = DateField(
        "Uiterlijk op (niet verplicht)",
        validators=[Optional(), redelijke_datum],
        render_kw={"autocomplete": "off"},
    )

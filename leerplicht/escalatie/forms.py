"""Forms for route steps and for opening, stepping up and resolving escalations."""


from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..formulieren import Formulier, redelijke_datum, strip
from ..text import geen_bsn
from .models import LLZ_ROLLEN, SCHOOL_ROLLEN, Spoor, Wijze


class StapForm(Formulier):
    """One step of an escalatieroute."""

    versie = HiddenField()
    spoor = SelectField(
        "Spoor",
        choices=[SelectChoice("", "— kies —")]
        + [SelectChoice(s.value, s.label) for s in Spoor],
        validators=[DataRequired("Kies het spoor.")],
    )
    llz_rol = SelectField(
        "Wie van Leerlingzaken",
        choices=[SelectChoice("", "— kies —")]
        + [SelectChoice(r.value, r.label) for r in LLZ_ROLLEN],
        validators=[DataRequired("Kies wie van Leerlingzaken deze stap zet.")],
    )
    school_rol = SelectField(
        "Met wie van de school",
        choices=[SelectChoice("", "— kies —")]
        + [SelectChoice(r.value, r.label) for r in SCHOOL_ROLLEN],
        validators=[DataRequired("Kies met wie van de school contact wordt gezocht.")],
    )
    wijze = SelectField(
        "Hoe",
        choices=[SelectChoice("", "— kies —")]
        + [SelectChoice(w.value, w.label) for w in Wijze],
        validators=[DataRequired("Kies hoe er contact wordt gezocht.")],
    )
    termijn_werkdagen = IntegerField(
        "Termijn in werkdagen",
        description="Zo veel werkdagen krijgt deze stap; daarna volgt de volgende stap.",
        validators=[
            InputRequired("Vul het aantal werkdagen in, als geheel getal."),
            NumberRange(1, 60, "Kies een termijn van 1 tot en met 60 werkdagen."),
        ],
    )
    toelichting = TextAreaField(
        "Toelichting", filters=[strip],
        validators=[Length(max=300, message="Houd de toelichting korter dan 300 tekens."),
                    geen_bsn],
        render_kw={"rows": 2},
    )


class EscalatieForm(Formulier):
    """Open an escalation."""

    spoor = SelectField(
        "Spoor",
        choices=[SelectChoice("", "— kies —")]
        + [SelectChoice(s.value, s.label) for s in Spoor],
        validators=[DataRequired("Kies het spoor.")],
    )
    onderwerp = StringField(
        "Onderwerp",
        description="Kort en zonder namen of andere gegevens van leerlingen, bijvoorbeeld: "
        "'reactie op verzuimmelding blijft uit'.",
        filters=[strip],
        validators=[DataRequired("Vul een kort onderwerp in."),
                    Length(max=160, message="Houd het onderwerp korter dan 160 tekens."),
                    geen_bsn],
    )
    datum = DateField("Datum", validators=[DataRequired("Vul een geldige datum in."),
                                           redelijke_datum])


class OpschalenForm(Formulier):
    """Step an escalation up to the next step of the route."""

    versie = HiddenField()
    datum = DateField("Datum", validators=[DataRequired("Vul een geldige datum in."),
                                           redelijke_datum])
    toelichting = TextAreaField(
        "Waarom opschalen?", filters=[strip],
        validators=[Length(max=1000, message="Houd de toelichting korter dan 1000 tekens."),
                    geen_bsn],
        render_kw={"rows": 2},
    )


class OplossenForm(Formulier):
    """Resolve an escalation."""

    versie = HiddenField()
    datum = DateField("Datum", validators=[DataRequired("Vul een geldige datum in."),
                                           redelijke_datum])
    uitkomst = TextAreaField(
        "Uitkomst", filters=[strip],
        validators=[DataRequired("Beschrijf kort hoe het is opgelost."),
                    Length(max=2000, message="Houd de uitkomst korter dan 2000 tekens."),
                    geen_bsn],
        render_kw={"rows": 3},
    )

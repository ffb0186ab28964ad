"""Forms of the LLZ visits register: a visit (new or changed) and the actions on one visit."""

from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..formulieren import Formulier, redelijke_datum, strip
from ..text import geen_bsn
from .models import Bezoeksoort, Bezoekstatus

NOTITIE_MAX = 300


def _keuzes(enum_klasse) -> list[SelectChoice]:
    """The choices of a required select: an empty '— kies —' first, then the enum's labels."""
    return [SelectChoice("", "— kies —")] + [SelectChoice(w.value, w.label) for w in enum_klasse]


class BezoekForm(Formulier):
    """A visit of LLZ to the school: date, kind, planned or held, a short note."""

    datum = DateField("Datum", validators=[DataRequired("Vul een geldige datum in."),
                                           redelijke_datum])
    soort = SelectField("Soort bezoek", choices=_keuzes(Bezoeksoort),
                        validators=[DataRequired("Kies de soort bezoek.")])
    status = SelectField("Stand", choices=_keuzes(Bezoekstatus),
                         validators=[DataRequired("Kies of het bezoek gepland of gehouden is.")])
    notitie = StringField(
        "Notitie",
        description="Kort en over de samenwerking, bijvoorbeeld wie meeloopt; "
                    "nooit namen of andere gegevens van leerlingen.",
        filters=[strip],
        validators=[Length(max=NOTITIE_MAX,
                           message=f"Houd de notitie korter dan {NOTITIE_MAX} tekens."),
                    geen_bsn],
    )


class BezoekBewerkenForm(BezoekForm):
    """A change to a visit, carrying the version the user saw."""

    versie = HiddenField()


class BezoekActieForm(Formulier):
    """Mark a visit as held, or delete it: CSRF, the version seen, and the confirmation."""

    versie = HiddenField()
    bevestigen = HiddenField()

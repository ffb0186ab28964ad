"""Forms of the yearly evaluation: planning, held, vastleggen, one side's scores, improvement
points."""

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..formulieren import Formulier, redelijke_datum, strip
from ..text import geen_bsn
from .models import SCORES, Thema


def _datum(label: str) -> DateField:
    """A required date between 2000 and 2100."""
    return DateField(label, validators=[DataRequired("Vul een geldige datum in."),
                                        redelijke_datum])


class PlanningForm(Formulier):
    """Plan the evaluation or change its planning."""

    versie = HiddenField()
    gepland_op = _datum("Datum van de evaluatie")
    teamleider_aanwezig = BooleanField("De teamleider van Leerlingzaken is erbij")
    directeur_aanwezig = BooleanField("De (locatie)directeur van de school is erbij")
    aanwezigen = StringField(
        "Andere aanwezigen",
        description="Alleen functies, bijvoorbeeld: zorgcoördinator, casemanager. Geen leerlingen.",
        filters=[strip],
        validators=[Length(max=300, message="Houd dit korter dan 300 tekens."), geen_bsn],
    )


class GehoudenForm(Formulier):
    """Record that the evaluation took place."""

    versie = HiddenField()
    gehouden_op = _datum("Gehouden op")


class VastleggenForm(Formulier):
    """Freeze the evaluation (version only)."""

    versie = HiddenField()


def _score_keuzes() -> list[SelectChoice]:
    """The score choices, starting with 'no score'."""
    return [SelectChoice("", "— geen score —")] + [
        SelectChoice(str(waarde), label) for waarde, label in SCORES.items()]


class ScoresForm(Formulier):
    """One side's scores and comments on the six themes (the side comes from the user, never
    from the form): fields score_<thema> and toelichting_<thema>."""

    versie = HiddenField()

    def thema_velden(self) -> list[tuple[Thema, object, object]]:
        """(thema, score field, comment field) in the themes' order."""
        return [(t, self[f"score_{t.value}"], self[f"toelichting_{t.value}"]) for t in Thema]

    def waarden(self) -> dict[str, tuple[int | None, str]]:
        """The validated input as {thema: (score or None, comment)}."""
        return {t.value: (int(score.data) if score.data else None, toelichting.data or "")
                for t, score, toelichting in self.thema_velden()}


for _thema in Thema:
    setattr(ScoresForm, f"score_{_thema.value}", SelectField(
        f"Score {_thema.label.lower()}", choices=_score_keuzes(), validators=[Optional()]))
    setattr(ScoresForm, f"toelichting_{_thema.value}", TextAreaField(
        f"Toelichting {_thema.label.lower()}", filters=[strip],
        validators=[Length(max=600, message="Houd de toelichting korter dan 600 tekens."),
                    geen_bsn],
        render_kw={"rows": 2}))


class VerbeterpuntForm(Formulier):
    """A new improvement point."""

    wat = StringField(
        "Verbeterpunt",
        description="Wat moet er beter, kort en zonder gegevens van leerlingen.",
        filters=[strip],
        validators=[DataRequired("Beschrijf het verbeterpunt."),
                    Length(max=300, message="Houd het verbeterpunt korter dan 300 tekens."),
                    geen_bsn],
    )
    wie = SelectField("Wie pakt het op", choices=[
        SelectChoice("", "— kies —"), SelectChoice("llz", "Leerlingzaken"),
        SelectChoice("school", "De school")], validators=[DataRequired("Kies wie het oppakt.")])
    uiterlijk = _datum("Uiterlijk")


class AfrondenForm(Formulier):
    """Mark an improvement point done."""

    versie = HiddenField()
    afgerond_op = _datum("Afgerond op")
    vanuit = HiddenField()  # 'afsprakenlijst' when sent from that page: answer with its section

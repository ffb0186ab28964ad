"""Forms for login, password change and user management."""

from flask_login import current_user
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..formulieren import Formulier
from ..text import geen_bsn
from .models import Rol
from .passwords import wachtwoord_probleem


class LoginForm(Formulier):
    """E-mail and password."""

    email = EmailField(
        "E-mailadres",
        validators=[DataRequired("Vul uw e-mailadres in."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    wachtwoord = PasswordField(
        "Wachtwoord",
        validators=[DataRequired("Vul uw wachtwoord in."), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class WachtwoordForm(Formulier):
    """Change one's own password."""

    huidig = PasswordField(
        "Huidig wachtwoord",
        validators=[DataRequired("Vul uw huidige wachtwoord in.")],
        render_kw={"autocomplete": "current-password"},
    )
    nieuw = PasswordField(
        "Nieuw wachtwoord",
        description="Minstens 12 tekens en geen veelgebruikt wachtwoord. Een zin van een paar "
        "woorden werkt goed.",
        validators=[DataRequired("Kies een nieuw wachtwoord.")],
        render_kw={"autocomplete": "new-password"},
    )
    herhaal = PasswordField(
        "Herhaal het nieuwe wachtwoord",
        validators=[DataRequired("Herhaal het nieuwe wachtwoord.")],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_nieuw(self, field):
        """The new password must be strong enough."""
        probleem = wachtwoord_probleem(field.data or "", getattr(current_user, "email", ""))
        if probleem:
            raise ValidationError(probleem)

    def validate_herhaal(self, field):
        """Both new passwords must be the same."""
        if field.data != self.nieuw.data:
            raise ValidationError("De twee nieuwe wachtwoorden zijn niet gelijk.")


class GebruikerForm(Formulier):
    """Create or edit a user (beheerder)."""

    versie = HiddenField()
    naam = StringField(
        "Naam",
        validators=[DataRequired("Vul een naam in."), Length(max=120), geen_bsn],
    )
    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired("Vul een e-mailadres in."),
            Length(max=254),
            Email("Vul een geldig e-mailadres in, zoals naam@school.nl."),
        ],
    )
    rol = SelectField(
        "Rol",
        choices=[SelectChoice("", "— kies —")] + [SelectChoice(r.value, r.label) for r in Rol],
        validators=[DataRequired("Kies een rol.")],
    )
    contactpersoon_id = SelectField(
        "Gekoppelde contactpersoon",
        description="Voor Leerlingzaken: de contactpersoon die deze gebruiker is.",
        coerce=int,
        validators=[Optional()],
    )
    scholen = SelectMultipleField(
        "Scholen",
        description="Voor schoolgebruikers: de school of scholen die deze gebruiker mag zien.",
        coerce=int,
        validators=[Optional()],
    )
    wachtwoord = PasswordField(
        "Nieuw wachtwoord (niet verplicht)",
        description="Laat leeg om het huidige wachtwoord te houden. Een nieuw wachtwoord heeft "
        "minstens 12 tekens, is geen veelgebruikt wachtwoord en bevat de e-mailnaam niet.",
        validators=[Optional()],
        render_kw={"autocomplete": "new-password"},
    )
    actief = BooleanField("Actief (mag inloggen)", default=True)

    def validate_wachtwoord(self, field):
        """A new password must be strong enough."""
        if field.data:
            probleem = wachtwoord_probleem(field.data, self.email.data or "")
            if probleem:
                raise ValidationError(probleem)

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: a school user needs at least one school."""
        ok = super().validate(extra_validators)
        if self.rol.data == Rol.SCHOOL and not self.scholen.data:
            self.scholen.errors = [*self.scholen.errors,
                                   "Kies minstens één school voor een schoolgebruiker."]
            ok = False
        return ok


class NieuweGebruikerForm(GebruikerForm):
    """Create a user: a first password is required (there is no current one to keep)."""

    wachtwoord = PasswordField(
        "Eerste wachtwoord",
        description="Minstens 12 tekens, geen veelgebruikt wachtwoord en zonder de "
        "e-mailnaam; een zin van een paar woorden werkt goed. Geef het de gebruiker veilig "
        "door: die kan het daarna zelf wijzigen.",
        validators=[DataRequired("Kies een wachtwoord voor de nieuwe gebruiker.")],
        render_kw={"autocomplete": "new-password"},
    )

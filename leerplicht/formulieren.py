"""The base of every form (CSRF, Dutch built-in messages) and the filters all forms share."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError


class Formulier(FlaskForm):
    """A FlaskForm whose built-in validator messages ('Ongeldige keuze.') are Dutch."""

    class Meta:
        # WTForms ships Dutch translations; WTF_I18N_ENABLED=False (config) lets it use them
        # without Flask-Babel.
        locales = ("nl",)


class VersieForm(Formulier):
    """A POST that acts on a record the user saw at a given version (CSRF + version)."""

    versie = HiddenField()


FORMULIER_VERLOPEN = "Het formulier is verlopen. Laad de pagina opnieuw."


def eerste_fout(form) -> tuple[str, str | None]:
    """The first error of a submitted form as (one Dutch sentence naming the field, field name);
    a missing or stale CSRF token says the form has expired."""
    for veld in form:
        if veld.errors:
            if veld.type == "CSRFTokenField":
                return FORMULIER_VERLOPEN, None
            tekst = str(veld.errors[0])
            return (f"{veld.label.text}: {tekst}" if veld.label.text else tekst), veld.name
    return "Controleer het formulier.", None


def strip(value):
    """Filter: trim surrounding white space."""
    return value.strip() if isinstance(value, str) else value


def redelijke_datum(_form, field):
    """Validator: a date between 2000 and 2100 (a typo like 0226 must not be stored)."""
    if field.data and not date(2000, 1, 1) <= field.data <= date(2100, 12, 31):
        raise ValidationError("Kies een datum tussen 2000 en 2100.")

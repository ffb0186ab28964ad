"""The base of every form: CSRF from Flask-WTF, WTForms' own messages in Dutch."""

from flask_wtf import FlaskForm


class Formulier(FlaskForm):
    """A FlaskForm whose built-in validator messages ('Ongeldige keuze.') are Dutch."""

    class Meta:
        # WTForms ships Dutch translations; WTF_I18N_ENABLED=False (config) lets it use them
        # without Flask-Babel.
        locales = ("nl",)

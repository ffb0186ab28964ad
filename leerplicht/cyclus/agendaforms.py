"""Forms of the account page: the calendar link (create, renew, stop) and the reminders choice."""

from wtforms import BooleanField

from ..formulieren import Formulier


class AgendaForm(Formulier):
    """Create, renew or stop the calendar link: a button with CSRF, no fields."""


class HerinneringForm(Formulier):
    """Whether the user wants the e-mail digest of what is due for them."""

    aan = BooleanField("Stuur mij een e-mail als er iets voor mij klaarstaat")

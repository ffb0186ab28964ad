"""Regelfout: what a domain rule raises when it refuses an action."""


class Regelfout(ValueError):
    """An action the rules do not allow; the message is Dutch and shown to the user."""

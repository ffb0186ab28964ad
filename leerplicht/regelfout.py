"""Regelfout: what a domain rule raises when it refuses an action."""


class Regelfout(ValueError):
    """An action the rules do not allow; the message is Dutch and shown to the user.

    `veld` optionally names the form field the refusal is about, so a view can show it there.
    """

    def __init__(self, bericht: str, veld: str | None = None) -> None:
        super().__init__(bericht)
        self.veld = veld

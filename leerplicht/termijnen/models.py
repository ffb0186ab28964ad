"""Sluitingsdagen: extra non-working days the beheerder configures (Goede vrijdag, ...)."""

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import Timestamped


class Sluitingsdag(Timestamped, db.Model):
    """A day on which termijnen do not run, on top of weekends and public holidays."""

    __tablename__ = "sluitingsdag"
    __audit__ = ("datum", "omschrijving")

    id: Mapped[int] = mapped_column(primary_key=True)
    datum: Mapped[date] = mapped_column(Date, unique=True)
    omschrijving: Mapped[str] = mapped_column(String(120), default="")

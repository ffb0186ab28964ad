"""`leerplicht user create`: add a user from the command line."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..scholen.models import School
from .models import Gebruiker, Rol
from .passwords import hash_wachtwoord, wachtwoord_probleem

user_cli = click.Group("user", help="Gebruikers beheren.")


@user_cli.command("create")
@click.option("--email", required=True)
@click.option("--naam", required=True)
@click.option("--rol", type=click.Choice([r.value for r in Rol]), required=True)
@click.option("--school", "codes", multiple=True, help="Schoolcode (voor rol school); herhaalbaar.")
@click.password_option("--wachtwoord", prompt="Wachtwoord")
@with_appcontext
def create_user(email: str, naam: str, rol: str, codes: tuple[str, ...], wachtwoord: str):
    """Maak een gebruiker aan."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.ClickException("Geef een geldig e-mailadres.")
    probleem = wachtwoord_probleem(wachtwoord, email)
    if probleem:
        raise click.ClickException(probleem)
    if db.session.scalar(select(Gebruiker.id).where(Gebruiker.email == email)):
        raise click.ClickException(f"Er is al een gebruiker met e-mailadres {email}.")
    scholen = list(db.session.scalars(select(School).where(School.code.in_(codes))))
    if len(scholen) != len(set(codes)):
        gevonden = {s.code for s in scholen}
        raise click.ClickException(f"Onbekende school: {', '.join(sorted(set(codes) - gevonden))}")
    if rol == Rol.SCHOOL and not scholen:
        raise click.ClickException("Een schoolgebruiker heeft minstens één --school nodig.")
    user = Gebruiker(
        email=email, naam=naam.strip(), rol=rol, wachtwoord_hash=hash_wachtwoord(wachtwoord)
    )
    user.scholen = scholen if rol == Rol.SCHOOL else []
    db.session.add(user)
    db.session.commit()
    click.echo(f"Gebruiker {email} ({rol}) aangemaakt.")

"""CLI commands of the registers: import, purge, recompute."""

import sys
from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from ..extensions import db
from .bewaren import Bewaarfout, controleer_datum, schoon_op, tellingen
from .opslag import REGISTERS, herbereken_rijen
from .uitwisseling import importeer_meldingen

meldingen_cli = AppGroup("meldingen", help="Verzuimmeldingen importeren.")
termijnen_cli = AppGroup("termijnen", help="Termijnen van de registers bijwerken.")


@meldingen_cli.command("import")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(bestand: Path):
    """Importeer verzuimmeldingen uit BESTAND (.csv of .xlsx) voor alle scholen.

    Goede regels worden samen toegevoegd; een referentie die de school al heeft, wordt
    overgeslagen. Elke geweigerde regel staat in het verslag; de opdracht eindigt dan met
    een foutcode.
    """
    verslag = importeer_meldingen(bestand)
    for regel in verslag.regels():
        click.echo(regel)
    if not verslag.gelukt:
        sys.exit(1)


def _datum(_ctx, _param, waarde: str) -> date:
    """click callback: a date written jjjj-mm-dd or dd-mm-jjjj."""
    for formaat in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(waarde, formaat).date()
        except ValueError:
            continue
    raise click.BadParameter("schrijf de datum als jjjj-mm-dd of dd-mm-jjjj.")


@click.command("purge")
@click.option("--voor", required=True, callback=_datum,
              help="Verwijder rijen met een begindatum vóór deze datum (jjjj-mm-dd).")
@click.option("--proef", is_flag=True, help="Alleen tonen wat verwijderd zou worden.")
@with_appcontext
def purge_command(voor: date, proef: bool):
    """Verwijder meldingen, vragen en ontwikkelingen die vóór --voor begonnen.

    De datum moet buiten de bewaartermijn liggen (Beheer > Bewaartermijn). Met --proef
    verandert er niets.
    """
    try:
        controleer_datum(voor)
    except Bewaarfout as fout:
        raise click.ClickException(str(fout)) from None
    if proef:
        lijst = tellingen(voor)
        click.echo(f"Proef: met begindatum vóór {voor:%d-%m-%Y} zou dit verwijderd worden:")
        for telling in lijst:
            click.echo(f"  {telling.register} {telling.schooljaar}: {telling.aantal}")
        if not lijst:
            click.echo("  niets")
        click.echo("Er is niets veranderd.")
        return
    verwijderd = schoon_op(voor)
    for register in REGISTERS:
        click.echo(f"{register}: {verwijderd[register]} verwijderd")


@termijnen_cli.command("herbereken")
def herbereken_command():
    """Bereken de opgeslagen termijnen van alle rijen opnieuw (na een wijziging van normen)."""
    aantal = herbereken_rijen()
    db.session.commit()
    click.echo(f"{aantal} {'rij' if aantal == 1 else 'rijen'} bijgewerkt.")


def init_app(app) -> None:
    """Register the commands: leerplicht meldingen import, purge, termijnen herbereken."""
    app.cli.add_command(meldingen_cli)
    app.cli.add_command(termijnen_cli)
    app.cli.add_command(purge_command)

"""`leerplicht export --out DIR`: the command, its progress bar and its summary."""

import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .doelen import DOELNAMEN, ExportFout


@contextmanager
def voortgangsbalk(doel: str, aantal: int):
    """A progress bar over the pages a target renders (used on a terminal only)."""
    if not aantal:
        yield lambda _stappen: None
        return
    with click.progressbar(length=aantal, label=f"{doel}: {aantal} pagina's") as balk:
        yield balk.update


@click.command("export")
@click.option("--out", "uit", required=True, type=click.Path(path_type=Path),
              help="Map waarin brochure/ (openbaar), dossiers/ en jaarverslag/ (niet openbaar) "
              "komen.")
@click.option("--schooljaar", help="Schooljaar, zoals 2026-2027 (standaard: het huidige).")
@click.option("--only", "alleen", type=click.Choice(list(DOELNAMEN)),
              help="Alleen dit deel exporteren.")
@click.option("--school", help="Alleen het dossier van deze school (BRIN en vestiging, 21XA00).")
@click.option("--url", envvar="LEERPLICHT_BROCHURE_URL",
              help="Webadres waar brochure/ komt te staan (voor sitemap.xml).")
@click.option("--volledig", is_flag=True,
              help="Alle pagina's opnieuw maken, ook als hun invoer niet veranderde.")
@with_appcontext
def export_command(uit: Path, schooljaar, alleen, school, url, volledig):
    """Exporteer de brochure, de schooldossiers en het jaarverslag als statische HTML naar
    OUT."""
    begin = time.perf_counter()
    # The engine and its targets are imported only when an export runs: every other command
    # and every web worker builds the app without them.
    from .bouwen import Opties, exporteer

    app = current_app._get_current_object()
    if url:
        app.config["BROCHURE_URL"] = url
    opties = Opties(
        doelen=(alleen,) if alleen else DOELNAMEN,
        schooljaar=schooljaar,
        school=school,
        volledig=volledig,
    )
    try:
        resultaten = exporteer(
            app, uit, opties, voortgang=voortgangsbalk if sys.stdout.isatty() else None
        )
    except ExportFout as fout:
        raise click.ClickException(str(fout)) from None
    for r in resultaten:
        click.echo(f"{r.doel}: {r.geschreven} geschreven, {r.ongewijzigd} ongewijzigd, "
                   f"{r.verwijderd} verwijderd → {r.pad}")
        if r.opgeruimd:
            click.echo(f"  resten van een onderbroken export opgeruimd: {', '.join(r.opgeruimd)}")
    click.echo(f"Klaar in {time.perf_counter() - begin:.1f} s.")

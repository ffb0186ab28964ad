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


def _sjablooncache(map_: Path):
    """Jinja's compiled templates on disk, kept between runs of the command (as Python keeps
    .pyc files): a one-school re-export renders a handful of pages, and compiling their
    templates took a tenth of a second or more of every run. Jinja checks each file against
    its template's source. None (compile as before) when the folder cannot be made."""
    import os

    from jinja2 import FileSystemBytecodeCache

    class Cache(FileSystemBytecodeCache):
        """Never fails the export: a full or read-only disk only means compiling again."""

        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    try:
        map_.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return Cache(str(map_)) if os.access(map_, os.W_OK | os.X_OK) else None


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
    if app.jinja_env.bytecode_cache is None:
        app.jinja_env.bytecode_cache = _sjablooncache(Path(app.instance_path) / "jinja-export")
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
    # Every file is closed and the lock released: `leerplicht export` may end without
    # Python's teardown of the app's modules (leerplicht/cli.py). Its database connections
    # are closed properly first (PostgreSQL would log each dropped one).
    from ..cli import klaar_zonder_afbreken
    from ..extensions import db

    db.session.remove()
    db.engine.dispose()
    klaar_zonder_afbreken()

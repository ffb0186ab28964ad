"""The `leerplicht` console script.

`leerplicht --help` answers from the table OPDRACHTEN without importing Flask or building the
app (that takes most of a second). Only when a command runs is the app built, by Flask's own
CLI group; tests/test_cli.py keeps the table equal to the commands the app registers.
"""

import click

# Every command of the app with its one-line help, in the order `--help` lists them.
OPDRACHTEN = {
    "db": "Database bijwerken en migraties beheren (Alembic): leerplicht db upgrade.",
    "demo": "Vul een lege database met de fictieve gemeente Zeevliet en toon de demo-inlogs.",
    "user": "Gebruikers beheren.",
    "schooljaar": "Schooljaren beheren.",
    "backup": "Schrijf een consistente kopie van de hele database naar OUT.",
    "restore": "Zet de kopie BRON terug in de database en werk het schema daarna bij.",
    "export": "Exporteer de brochure, de schooldossiers en het jaarverslag als statische "
              "HTML naar OUT.",
    "meldingen": "Verzuimmeldingen importeren.",
    "purge": "Verwijder meldingen, vragen en ontwikkelingen die vóór --voor begonnen.",
    "herinneringen": "Mail elke gebruiker één overzicht van wat deze week van hem of haar "
                     "verwacht wordt.",
    "termijnen": "Termijnen van de registers bijwerken.",
    "run": "Ontwikkelserver (make run); in productie gunicorn (make serve, deploy/).",
    "shell": "Python-shell met de app geladen.",
    "routes": "Alle routes van de app.",
}
# Flask's and Flask-Migrate's own commands: their help in the table is ours, in Dutch.
INGEBOUWD = ("db", "run", "shell", "routes")
# Set by a command that finished with everything it wrote closed (`leerplicht export`): the
# console script then leaves without Python's teardown of every module (Opdrachten.main).
_zonder_afbreken = False


def klaar_zonder_afbreken() -> None:
    """A command says: done, nothing left open; the process may end straight away."""
    global _zonder_afbreken
    _zonder_afbreken = True


def _verlaat(code) -> None:
    """End the process now, as sys.exit(code) would, minus the teardown: Python frees every
    module and object one by one at exit, ~0.5 s after create_app (Flask, SQLAlchemy and
    the app's models), measured on every `leerplicht export --school` run. atexit handlers
    still run (logging flushes its files) and the output is flushed first."""
    import atexit
    import os
    import sys

    atexit._run_exitfuncs()
    for stroom in (sys.stdout, sys.stderr):
        try:
            stroom.flush()
        except (OSError, ValueError):
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def _create_app():
    """App factory for Flask's CLI group."""
    from . import create_app

    return create_app()


def _flask_group():
    """Flask's CLI group for the app: it builds the app and finds its commands."""
    from flask.cli import FlaskGroup

    return FlaskGroup(create_app=_create_app, add_version_option=False, load_dotenv=False)


class Opdrachten(click.Group):
    """The top-level group: lists commands from OPDRACHTEN, builds the app only to run one."""

    def list_commands(self, ctx):
        """The command names, without building the app."""
        return list(OPDRACHTEN)

    def format_commands(self, ctx, formatter):
        """The command list of --help, from the table."""
        with formatter.section("Opdrachten"):
            formatter.write_dl(list(OPDRACHTEN.items()))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        """Run as the console script (arguments from sys.argv): after a command that allows
        it (klaar_zonder_afbreken), the process ends without Python's teardown."""
        try:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        except SystemExit as einde:
            if args is None and standalone_mode and _zonder_afbreken:
                _verlaat(einde.code)
            raise

    def get_command(self, ctx, name):
        """The real command, from Flask's group (which builds the app on first use)."""
        from flask.cli import ScriptInfo

        group = _flask_group()
        if not isinstance(ctx.obj, ScriptInfo):
            ctx.obj = ScriptInfo(create_app=_create_app, set_debug_flag=False,
                                 load_dotenv_defaults=False)
        return group.get_command(ctx, name)


@click.group(cls=Opdrachten, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Leerplicht: beheer- en exportopdrachten. `leerplicht OPDRACHT --help` vertelt meer."""

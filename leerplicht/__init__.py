"""Leerplicht: intranet for Leerlingzaken and schools; create_app() builds the Flask app.

This module stays light: `leerplicht --help` imports the package without Flask or the
database layer (leerplicht/cli.py). The app itself is built in factory.py.
"""

# Each area package has init_app(app): its blueprints, dossier sections and CLI commands.
AREAS = ("home", "accounts", "scholen", "afspraken", "termijnen", "escalatie", "cyclus",
         "export", "rapportage")


def create_app(config: dict | None = None):
    """Build the Flask app (see factory.create_app)."""
    from .factory import create_app as build

    return build(config)

"""The WSGI entry point for gunicorn: `gunicorn leerplicht.wsgi:app` (see deploy/)."""

from . import create_app

app = create_app()

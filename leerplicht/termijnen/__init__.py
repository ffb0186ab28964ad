"""Termijnen: sluitingsdagen, the registers (meldingen, questions, developments), their figures,
import and export; the werkdagen engine (leerplicht/werkdagen.py) beside it."""


def init_app(app) -> None:
    """Attach every view module's routes to the blueprint, then its sections, columns, CLI."""
    from . import cijferviews, cli, registers, uitwisselviews
    from .views import bp

    app.register_blueprint(bp)
    for module in (registers, uitwisselviews, cijferviews, cli):
        module.init_app(app)

"""Termijnen: sluitingsdagen and the registers (verzuimmeldingen, questions, developments),
timed in werkdagen; the werkdagen engine (leerplicht/werkdagen.py) beside it."""


def init_app(app) -> None:
    """Register the beheerder's page for sluitingsdagen."""
    from .views import bp

    app.register_blueprint(bp)

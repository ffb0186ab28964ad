"""Termijnen: sluitingsdagen and the registers (verzuimmeldingen, questions, developments)
with fast entry; the werkdagen engine (leerplicht/werkdagen.py) beside it."""


def init_app(app) -> None:
    """Attach the registers' routes to the blueprint, then register it."""
    from . import registers
    from .views import bp

    app.register_blueprint(bp)
    registers.init_app(app)

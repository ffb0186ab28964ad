"""Termijnen in werkdagen: the configured sluitingsdagen and the werkdagkalender built on them."""


def init_app(app) -> None:
    """Register the beheerder's page for sluitingsdagen."""
    from .views import bp

    app.register_blueprint(bp)

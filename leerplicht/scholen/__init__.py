"""Schools, contact persons and the schooldossier."""


def init_app(app) -> None:
    """Register the schools blueprint."""
    from .views import bp

    app.register_blueprint(bp)

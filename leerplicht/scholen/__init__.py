"""Schools, contact persons and the schooldossier."""


def init_app(app) -> None:
    """Register the schools and contact-person blueprints."""
    from . import geschiedenis  # noqa: F401 - attaches the history view to the blueprint
    from .contacten import bp as contacten_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(contacten_bp)

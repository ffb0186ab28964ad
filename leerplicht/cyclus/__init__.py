"""The yearly cycle: LLZ visits, the yearly evaluation, the Klankbordgroep and its measures,
norm versions adopted in the app, the jaarplanning with its calendar feed, and reminders."""


def init_app(app) -> None:
    """Attach every view module's routes to the blueprint, then its sections, columns, CLI."""
    from . import models  # noqa: F401

    from .views import bp

    app.register_blueprint(bp)

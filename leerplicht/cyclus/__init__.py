"""The yearly cycle: LLZ visits, the yearly evaluation, the Klankbordgroep and its measures,
norm versions adopted in the app, the jaarplanning with its calendar feed, and reminders."""


def init_app(app) -> None:
    """Attach every view module's routes to the blueprint, then its sections, columns, CLI."""
    from . import (  # noqa: F401
        agenda,
        bezoeken,
        evaluatieviews,
        herinneringen,
        klankbord,
        models,
        normbeheer,
        planning,
    )
    from .views import bp

    for module in (bezoeken, evaluatieviews, klankbord, normbeheer, planning, agenda,
                   herinneringen):
        module.init_app(app)
    app.register_blueprint(bp)

"""Start pages per role (the beheerder's cockpit, LLZ's and the school's work), beheer, patterns."""


def init_app(app) -> None:
    """Register the home blueprint and the cockpit's standard columns."""
    from .cockpit import registreer_standaardkolommen
    from .views import bp

    app.register_blueprint(bp)
    registreer_standaardkolommen()

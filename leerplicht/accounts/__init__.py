"""Accounts: users, roles, login and logout."""


def init_app(app) -> None:
    """Register the accounts blueprint, the user loader and `leerplicht user`."""
    from . import login  # noqa: F401 - registers the user loader
    from .cli import user_cli
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(user_cli)

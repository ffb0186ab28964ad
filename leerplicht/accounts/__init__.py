"""Accounts: users, roles, login and logout."""


def init_app(app) -> None:
    """Register the accounts blueprint, the user loader and `leerplicht user`."""
    from . import login  # registers the user loader
    from .cli import user_cli
    from .views import bp

    app.register_blueprint(bp)
    # Before the policy's hook (added after every area): an expired session is anonymous there.
    app.before_request(login.bewaak_sessie)
    app.cli.add_command(user_cli)

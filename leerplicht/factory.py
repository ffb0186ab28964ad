"""create_app(): the Flask app with its extensions, areas, access policy and CLI commands."""

from importlib import import_module
from pathlib import Path

from flask import Flask
from flask_login import current_user

from . import AREAS, audit, normenbron, schooljaren  # noqa: F401 - models register themselves
from .config import PROJECT_ROOT, THEMES, default_config
from .database import configure_engine
from .database import register as register_race_handlers
from .extensions import csrf, db, htmx, login_manager


def create_app(config: dict | None = None) -> Flask:
    """Build the app: top-level templates/static/instance, extensions, blueprints, policy."""
    overrides = dict(config or {})
    instance_path = overrides.pop("INSTANCE_PATH", str(PROJECT_ROOT / "instance"))
    app = Flask(
        __package__,  # "leerplicht": the app's name and its logger's
        instance_path=instance_path,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(default_config(Path(app.instance_path), overrides))
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Log in om verder te gaan."
    login_manager.session_protection = "basic"
    with app.app_context():
        configure_engine(db.engine)
    register_race_handlers(app)

    _register_blueprints(app)
    _register_template_helpers(app)
    _register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    """Attach every area and the single access-control hook."""
    from . import health, paginacache, policy, requestlog, security, verzoek

    verzoek.register_converters(app)  # before the first rule: every <int:...> is bounded
    paginacache.init_app(app)  # before the areas' hooks: its data version is read first
    for area in AREAS:
        import_module(f".{area}", __package__).init_app(app)
    health.init_app(app)
    security.register(app)  # its NUL filter runs first, before anything queries the database
    requestlog.register(app)  # before even that: the request id and the clock start first
    app.before_request(policy.enforce)
    policy.check_all_routes_declared(app)


def _register_template_helpers(app: Flask) -> None:
    """Values every template may use: theme, municipality, the user's navigation."""
    from .policy import hoofdmenu
    from .rendering import afbreekbaar, datum, meldingen_bijwerken, tijdstip
    from .scholen.models import Contactrol

    app.jinja_env.filters["afbreekbaar"] = afbreekbaar  # long e-mail addresses wrap at @ and .

    @app.context_processor
    def _globals():
        theme_css, theme_class = THEMES[app.config["THEME"]]
        # The user itself, not the proxy: templates read it dozens of times per page.
        user = current_user._get_current_object()
        return {
            "theme_css": theme_css,
            "theme_class": theme_class,
            "gemeente": app.config["MUNICIPALITY"],
            "user": user,
            # The main menu follows the access rules (policy.hoofdmenu), not role checks here.
            "hoofdmenu": hoofdmenu(user),
        }

    app.after_request(meldingen_bijwerken)  # htmx answers carry the current flash area
    app.jinja_env.filters["datum"] = datum
    app.jinja_env.filters["tijdstip"] = tijdstip
    app.jinja_env.globals["Contactrol"] = Contactrol


def _register_cli(app: Flask) -> None:
    """Add the general leerplicht commands to Flask's CLI group (areas add their own)."""
    from . import migraties
    from .backups import backup_command, restore_command
    from .demo import demo_command

    migraties.register(app)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

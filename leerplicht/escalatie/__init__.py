"""Escalatieroutes, the rode knop and the escalation log."""


def init_app(app) -> None:
    """Register the blueprint, the two dossier sections and the route's yearly carry-over."""
    from ..scholen.dossier import DossierSectie, registreer_sectie
    from ..schooljaren import registreer_jaarovergang
    from . import routes  # noqa: F401 - attaches the route views to the blueprint
    from .models import Routerol
    from .queries import overzichten, route_secties
    from .regels import verleng_routes
    from .views import bp

    app.register_blueprint(bp)
    app.jinja_env.filters["routerol"] = Routerol
    registreer_sectie(DossierSectie(
        naam="escalatieroute", titel="Escalatieroute", template="escalatie/_dossier_route.html",
        laad=route_secties, volgorde=20,
    ))
    registreer_sectie(DossierSectie(
        naam="escalaties", titel="Escalaties", template="escalatie/_dossier_escalaties.html",
        laad=overzichten, volgorde=30, intern=True,
    ))
    registreer_jaarovergang("escalatieroutes", verleng_routes)

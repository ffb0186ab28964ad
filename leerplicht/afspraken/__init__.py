"""The afsprakenlijst: agreements per school per schooljaar, versions, akkoord, rollover."""


def init_app(app) -> None:
    """Register the blueprints, the dossier section and `leerplicht schooljaar`."""
    from ..scholen.dossier import DossierSectie, registreer_sectie
    from .queries import overzichten
    from .schooljaar import bp as schooljaar_bp
    from .schooljaar import schooljaar_cli
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(schooljaar_bp)
    app.cli.add_command(schooljaar_cli)
    registreer_sectie(
        DossierSectie(
            naam="afsprakenlijst",
            titel="Afsprakenlijst",
            template="afspraken/_dossier_sectie.html",
            laad=overzichten,
            volgorde=10,
        )
    )

"""The afsprakenlijst: agreements per school per schooljaar, versions, akkoord, rollover."""


def init_app(app) -> None:
    """Register blueprints, dossier section, `leerplicht schooljaar`; read the standard texts."""
    from ..scholen.dossier import DossierSectie, registreer_sectie
    from .queries import overzichten
    from .schooljaar import bp as schooljaar_bp
    from .schooljaar import schooljaar_cli
    from .sjablonen import laad_sjablonen, standaard_sjablonen_pad
    from .views import bp

    # Read at start-up: a mistake in the file stops the start, not the first new list.
    pad = app.config.get("SJABLONEN_PAD") or standaard_sjablonen_pad()
    app.extensions["leerplicht_sjablonen"] = laad_sjablonen(pad)
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

"""Static export: the public werkafspraken brochure and the schooldossiers (`leerplicht export`)."""


def init_app(app) -> None:
    """Register the brochure page and the `leerplicht export` command."""
    from .cli import export_command
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(export_command)

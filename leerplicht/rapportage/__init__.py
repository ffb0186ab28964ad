"""The jaarverslag: one report per schooljaar (and sector) built from the other areas' domain
functions, shown in the app and written as CSV, XLSX, PDF and a static export."""


def init_app(app) -> None:
    """The jaarverslag's page and downloads."""
    from . import views

    views.init_app(app)

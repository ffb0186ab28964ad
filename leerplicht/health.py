"""GET /health for monitoring: checks the database, needs no login, reveals nothing else."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .policy import Regel, toegang

bp = Blueprint("health", __name__)


@bp.route("/health")
@toegang(Regel.PUBLIEK)
def health():
    """200 {"status": "ok"} when the database answers, else 503 {"status": "fout"}."""
    try:
        db.session.execute(text("SELECT 1"))
        status, code = "ok", 200
    except SQLAlchemyError:
        db.session.rollback()
        # The reason goes to the log, never to the (anonymous) caller.
        current_app.logger.exception("Health check: de database antwoordt niet")
        status, code = "fout", 503
    response = jsonify(status=status)
    response.status_code = code
    return response


def init_app(app) -> None:
    """Register the health endpoint."""
    app.register_blueprint(bp)

"""Structured logs: one JSON line per request, with a request id, on stderr.

Each request gets an id (the proxy's X-Request-ID when it is a plain token, else a new one),
sent back in the X-Request-ID header and put on every log line written during the request.
A line holds the method, the path, the status, the duration, the user id and the client
address; never a query string, form body, cookie, password or token. A path that carries a
secret (the calendar feed's token) is logged as its route pattern.
"""

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

logger = logging.getLogger("leerplicht.verzoek")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# URL variables whose value is a credential: their path is logged as the route pattern.
GEHEIME_ARGUMENTEN = ("token",)


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every record logged while it is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add request_id (None outside a request); never drops a record."""
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


def json_handler() -> logging.Handler:
    """A stderr handler writing one JSON object per line (time, level, logger, message, …)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(
        ["asctime", "levelname", "name", "message"],
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        json_ensure_ascii=False,
    ))
    handler.addFilter(RequestIdFilter())
    return handler


def _start():
    """before_request: the request id and the start time."""
    g.request_start = time.perf_counter()
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    return None


def _pad() -> str:
    """The path to log: the route pattern when a URL variable is a secret."""
    if request.url_rule is not None and any(
        naam in GEHEIME_ARGUMENTEN for naam in (request.view_args or {})
    ):
        return request.url_rule.rule
    return request.path


def _log(response):
    """after_request (runs last): log the request as one line and return the id to the caller."""
    start = g.get("request_start")
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-ID"] = request_id
    user = g.get("_login_user")  # only when this request loaded the user (Flask-Login)
    logger.info(
        "verzoek",
        extra={
            "request_id": request_id,
            "method": request.method,
            "path": _pad(),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - start) * 1000, 1) if start else None,
            "user_id": getattr(user, "id", None),
            "ip": request.remote_addr,
        },
    )
    return response


def register(app: Flask) -> None:
    """Hook the request log in first (start) and last (line), and set up the JSON handler."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    # Flask runs after_request functions in reverse order: the first in the list runs last.
    app.after_request_funcs.setdefault(None, []).insert(0, _log)
    app_logger = logging.getLogger("leerplicht")  # also Flask's app.logger (the app's name)
    app_logger.setLevel(logging.INFO)
    if not any(isinstance(f, RequestIdFilter) for f in app_logger.filters):
        app_logger.addFilter(RequestIdFilter())  # app.logger's own records (errors) get the id
    root = logging.getLogger()
    if app.config.get("LOG_JSON") and not root.handlers:
        # Nobody configured logging (make run, the CLI): JSON lines on stderr. Under gunicorn
        # its logconfig (deploy/gunicorn.conf.py) already put a JSON handler on the root;
        # records of the app reach it by propagation, so each line is written once.
        root.addHandler(json_handler())

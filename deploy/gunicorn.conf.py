"""Gunicorn settings we recommend (used by `make serve` and deploy/leerplicht.service).

Every setting can be changed through the environment, so the systemd unit's environment file
is the one place to tune it:
  LEERPLICHT_BIND     address to listen on (default 127.0.0.1:8000: only the proxy reaches it)
  LEERPLICHT_WORKERS  worker processes (default: 2 per core plus 1, at most 8)
  LEERPLICHT_TIMEOUT  seconds a request may take before its worker is restarted (default 60;
                      the jaarverslag's PDF takes a few seconds)
"""

import multiprocessing
import os

wsgi_app = "leerplicht.wsgi:app"
bind = os.environ.get("LEERPLICHT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("LEERPLICHT_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"  # one request per process: the app and its database sessions are simple
timeout = int(os.environ.get("LEERPLICHT_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A fresh process now and then keeps slow memory growth from ever mattering.
max_requests = 2000
max_requests_jitter = 200
# No preload: each worker opens its own database connections after the fork.
preload_app = False
# The app writes one JSON line per request itself (leerplicht/requestlog.py); gunicorn's own
# access log would only repeat it. Gunicorn's messages (start, stop, worker restarts) go to
# stderr as JSON too, so the log file holds one format.
accesslog = None
errorlog = "-"
loglevel = "info"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "json",
                          "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
    "root": {"level": "WARNING", "handlers": ["error_console"]},
}
# No gunicorn control socket (it would live in the service user's home, which is read-only).
control_socket_disable = True
# Proxy headers are read by the app (LEERPLICHT_TRUSTED_PROXIES, werkzeug's ProxyFix), so
# gunicorn trusts none itself: one place decides which proxy is believed.
forwarded_allow_ips = ""

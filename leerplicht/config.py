"""Configuration: defaults for embedded SQLite, environment overrides, generated secrets."""

import os
import re
import secrets
import stat
import time
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
THEMES = {
    "voorbeeld": ("vendor/voorbeeld-design-tokens-7.4.1/dist/theme.css", "voorbeeld-theme"),
    "denhaag": (
        "vendor/denhaag-design-tokens-components-4.1.0/dist/theme/index.css",
        "denhaag-theme",
    ),
    "utrecht": ("vendor/utrecht-design-tokens-5.0.1/dist/theme.css", "utrecht-theme"),
}


def database_url(instance_path: Path) -> str:
    """Return the SQLAlchemy URL: DATABASE_URL/LEERPLICHT_DATABASE_URL, else instance SQLite."""
    url = os.environ.get("LEERPLICHT_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        instance_folder(instance_path)
        return f"sqlite:///{instance_path / 'leerplicht.sqlite'}"
    return normalise_postgres_url(url)


def normalise_postgres_url(url: str) -> str:
    """Make a plain postgres:// URL use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key(instance_path: Path) -> str:
    """Read the secret key from the environment or instance/secret_key, generating it once."""
    if os.environ.get("LEERPLICHT_SECRET_KEY"):
        return os.environ["LEERPLICHT_SECRET_KEY"]
    path = instance_path / "secret_key"
    instance_folder(instance_path)
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it a moment ago: use that one
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
    owner_only(path, 0o600)
    key = path.read_text().strip()
    if not key:  # read between the other worker's create and write
        time.sleep(0.2)
        key = path.read_text().strip()
    return key


def instance_folder(instance_path: Path) -> None:
    """Make the instance folder (secret key, SQLite database) owner-only: 0700."""
    instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    owner_only(instance_path, 0o700)


def owner_only(path: Path, mode: int) -> None:
    """Take group and other permissions off an existing file or folder (set `mode`)."""
    try:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(mode)
    except FileNotFoundError:
        pass


def env_getal(name: str, default: int, hoogstens: int) -> int:
    """Read a whole number from the environment (ASCII digits, 1..hoogstens); default if unset."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    # Not isdigit(): "²" passes that and then fails int() (see PITFALLS).
    if not re.fullmatch(r"[0-9]{1,6}", value) or not 0 <= int(value) <= hoogstens:
        raise ValueError(f"{name} moet een geheel getal van 0 tot en met {hoogstens} zijn, "
                         f"niet {value!r}.")
    return int(value)


def trusted_proxies() -> int:
    """Read LEERPLICHT_TRUSTED_PROXIES: how many reverse proxies stand in front (default 0)."""
    return env_getal("LEERPLICHT_TRUSTED_PROXIES", 0, 9)


def sessie_duur() -> tuple[timedelta, timedelta]:
    """Session limits: at most LEERPLICHT_SESSIE_UREN after login (default 8), and at most
    LEERPLICHT_SESSIE_INACTIEF_MINUTEN without a request (default 60)."""
    uren = env_getal("LEERPLICHT_SESSIE_UREN", 8, 24 * 7) or 8
    minuten = env_getal("LEERPLICHT_SESSIE_INACTIEF_MINUTEN", 60, 24 * 60) or 60
    return timedelta(hours=uren), timedelta(minutes=minuten)


def default_config(instance_path: Path, overrides: dict) -> dict:
    """Build the configuration for an instance folder; overrides win and skip generated files."""
    theme = os.environ.get("LEERPLICHT_THEME", "voorbeeld")
    sessie_max, sessie_inactief = sessie_duur()
    config = {
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_NAME": "leerplicht_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure cookies by default; only the local development server turns this off.
        "SESSION_COOKIE_SECURE": os.environ.get("LEERPLICHT_INSECURE_COOKIES") != "1",
        # A session ends this long after login, or after SESSIE_INACTIEF without a request
        # (accounts/login.py bewaak_sessie); the cookie itself lives no longer.
        "PERMANENT_SESSION_LIFETIME": sessie_max,
        "SESSIE_INACTIEF": sessie_inactief,
        # JSON request logs on stderr (requestlog.py); tests turn the handler off.
        "LOG_JSON": True,
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        # The CSRF token lives as long as the session, not a fixed hour (see PITFALLS).
        "WTF_CSRF_TIME_LIMIT": None,
        # WTForms' own messages in Dutch without Flask-Babel (see formulieren.py).
        "WTF_I18N_ENABLED": False,
        "THEME": theme if theme in THEMES else "voorbeeld",
        "MUNICIPALITY": os.environ.get("LEERPLICHT_GEMEENTE", "Gemeente Zeevliet"),
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_WINDOW": timedelta(minutes=15),
        "PASSWORD_HASH_FAST": False,
        # Rendered page parts kept per process until the data changes (paginacache.py).
        "PAGINACACHE": os.environ.get("LEERPLICHT_PAGINACACHE", "1").strip() != "0",
        "PAGINACACHE_GROOTTE": env_getal("LEERPLICHT_PAGINACACHE_GROOTTE", 300, 100_000),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # The e-mail digest (`leerplicht herinneringen`): SMTP server as one URL (empty: no
        # mail), the app's public address for the links in the mail, and the sender.
        "LEERPLICHT_SMTP_URL": os.environ.get("LEERPLICHT_SMTP_URL", "").strip(),
        "LEERPLICHT_BASIS_URL": os.environ.get("LEERPLICHT_BASIS_URL", "").strip()
        or "http://127.0.0.1:5000",
        "LEERPLICHT_AFZENDER": os.environ.get("LEERPLICHT_AFZENDER", "").strip()
        or "leerplicht@localhost",
    }
    config.update(overrides)
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = secret_key(instance_path)
    if "SQLALCHEMY_DATABASE_URI" not in config:
        config["SQLALCHEMY_DATABASE_URI"] = database_url(instance_path)
    if "TRUSTED_PROXIES" not in config:
        # Behind a proxy every request comes from the proxy: ProxyFix restores the real
        # client address for the per-IP login throttling (create_app applies it).
        config["TRUSTED_PROXIES"] = trusted_proxies()
    return config

"""Password hashing with argon2id, and the rules a new password must meet."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTE = 12

_standard = PasswordHasher()  # argon2id with the library's recommended parameters
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only


def _hasher() -> PasswordHasher:
    """The configured hasher (fast parameters only when PASSWORD_HASH_FAST is set for tests)."""
    return _fast if current_app.config.get("PASSWORD_HASH_FAST") else _standard


def hash_wachtwoord(wachtwoord: str) -> str:
    """Return the argon2id hash of a password."""
    return _hasher().hash(wachtwoord)


def controleer_wachtwoord(wachtwoord_hash: str | None, wachtwoord: str) -> bool:
    """True when the password matches the hash; without a usable hash, the same work is done."""
    # Exactly one argon2 verify whatever the hash is: an unknown account or one without a
    # password must not answer faster than a real one (timing would reveal which accounts exist).
    bruikbaar = bool(wachtwoord_hash) and wachtwoord_hash.startswith("$argon2")
    try:
        klopt = _hasher().verify(wachtwoord_hash if bruikbaar else dummy_hash(), wachtwoord)
    except (VerificationError, InvalidHashError):
        return False
    return klopt and bruikbaar


# A hash to verify against when there is no usable account, so timing does not reveal accounts.
def dummy_hash() -> str:
    """Return a hash of a random password with the configured parameters (cached per app)."""
    cache = current_app.extensions.setdefault("leerplicht_dummy_hash", {})
    key = bool(current_app.config.get("PASSWORD_HASH_FAST"))
    if key not in cache:
        cache[key] = _hasher().hash(secrets.token_urlsafe(32))
    return cache[key]


def wachtwoord_probleem(wachtwoord: str, email: str = "") -> str | None:
    """Return a Dutch reason why the password is too weak, or None."""
    if len(wachtwoord) < MIN_LENGTE:
        return f"Kies een wachtwoord van minstens {MIN_LENGTE} tekens."
    if len(wachtwoord) > 128:
        return "Kies een wachtwoord van hoogstens 128 tekens."
    naam = email.split("@")[0].lower()
    if len(naam) >= 4 and naam in wachtwoord.lower():
        return "Het wachtwoord mag uw e-mailnaam niet bevatten."
    return None

"""Password hashing with argon2id, and the rules a new password must meet."""

import re
import secrets
import unicodedata
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from ..config import PROJECT_ROOT

MIN_LENGTE = 12
MAX_LENGTE = 128
# Shipped as data (built by tools/wachtwoordlijst.py); read once per process, on first use.
VEELGEBRUIKT_BESTAND = PROJECT_ROOT / "content" / "veelgebruikte-wachtwoorden.txt"
# What people put around a common word to pass a length rule: "Welkom2026!", "!!zomer!!".
_RAND = re.compile(r"^[\W\d_]+|[\W\d_]+$")
# Runs anyone can type without thinking: 123456789012, 987654321098, abcdefghijkl, qwerty…
_REEKSEN = ("0123456789" * 3, "9876543210" * 3, "abcdefghijklmnopqrstuvwxyz" * 2,
            "zyxwvutsrqponmlkjihgfedcba" * 2, "qwertyuiopasdfghjklzxcvbnm")

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


@cache
def veelgebruikte_wachtwoorden() -> frozenset[str]:
    """The common passwords of the shipped list, in the form wachtwoord_probleem compares."""
    regels = VEELGEBRUIKT_BESTAND.read_text(encoding="utf-8").splitlines()
    return frozenset(_vorm(r) for r in regels if r.strip() and not r.startswith("#"))


def _vorm(tekst: str) -> str:
    """The form in which passwords are compared: NFKC, case-folded, outer spaces removed."""
    return unicodedata.normalize("NFKC", tekst).casefold().strip()


def is_veelgebruikt(wachtwoord: str) -> bool:
    """True for a common password, also with digits or signs before or after it ("Welkom01!"),
    one or two characters repeated, or a run of digits, letters or keyboard keys."""
    vorm = _vorm(wachtwoord)
    lijst = veelgebruikte_wachtwoorden()
    return (vorm in lijst or _RAND.sub("", vorm) in lijst or len(set(vorm)) <= 2
            or any(vorm.replace(" ", "") in reeks for reeks in _REEKSEN))


def wachtwoord_probleem(wachtwoord: str, email: str = "") -> str | None:
    """Return a Dutch reason why the password is not good enough, or None.

    Length counts, composition does not (no "one capital, one digit" rules): a long
    sentence is a good password. Common passwords and the own e-mail name are refused.
    """
    lengte = len(unicodedata.normalize("NFKC", wachtwoord))
    if lengte < MIN_LENGTE:
        return f"Kies een wachtwoord van minstens {MIN_LENGTE} tekens."
    if lengte > MAX_LENGTE:
        return f"Kies een wachtwoord van hoogstens {MAX_LENGTE} tekens."
    if is_veelgebruikt(wachtwoord):
        return ("Dit wachtwoord wordt veel gebruikt en is daardoor makkelijk te raden. Kies een "
                "ander, bijvoorbeeld een zin van een paar woorden.")
    naam = email.split("@")[0].lower()
    if len(naam) >= 4 and naam in wachtwoord.lower():
        return "Het wachtwoord mag uw e-mailnaam niet bevatten."
    return None

"""Reading the request: bounded numbers, parsed in one place for URLs and query strings.

Junk must never reach the database as a number: a 25-digit id overflows SQLite's and
PostgreSQL's integers (a 500), and `"²".isdigit()` is True while `int("²")` raises. Every
number the app reads from a URL or a query string goes through this module instead.
"""

import re

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

# The largest PostgreSQL INTEGER: every id column fits, on SQLite as well.
MAX_ID = 2_147_483_647

# Nine ASCII digits always fit MAX_ID; `[0-9]` (not `\d`) refuses Unicode digits like ١٢.
QUERY_NUMBER = re.compile(r"[0-9]{1,9}")


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's `<int:...>` limited to ASCII digits and at most MAX_ID; the rest is a 404.

    Werkzeug's own converter matches `\\d+` of any length (and Unicode digits: `/١٢` would
    be served as id 12). Ten ASCII digits cover MAX_ID; the bounds refuse the rest.
    """

    regex = r"[0-9]{1,10}"

    def __init__(
        self,
        map: Map,  # the names (shadowing builtins) are Werkzeug's: rules pass them by keyword
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        """Werkzeug's options; the bounds default to, and never exceed, a database INTEGER."""
        lowest = -MAX_ID - 1
        low = lowest if min is None or min < lowest else min
        high = MAX_ID if max is None or max > MAX_ID else max
        super().__init__(map, fixed_digits=fixed_digits, min=low, max=high, signed=signed)


def positive_int(value: str | None) -> int | None:
    """The value as a whole number from 1 up to nine ASCII digits; None for anything else."""
    if value is None or not QUERY_NUMBER.fullmatch(value):
        return None
    return int(value) or None


def register_converters(app: Flask) -> None:
    """Make `<int:...>` bounded in every rule of the app; call before any route is added."""
    app.url_map.converters["int"] = BoundedIntConverter

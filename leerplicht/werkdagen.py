"""Werkdagen for termijnen: Monday–Friday minus Atw holidays, 5 May and the sluitingsdagen."""

import operator
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.easter import easter

BEVRIJDINGSDAG = "Bevrijdingsdag"
# The Algemene termijnenwet has counted 5 May every year since 1982 (the year the package's
# own OPTIONAL entry starts); the package only puts it in PUBLIC every fifth year (a CAO custom),
# so we add it ourselves.
BEVRIJDINGSDAG_VANAF = 1982

# Names reden_vrij gives for the weekend, indexed by date.weekday() - 5.
WEEKEND = ("zaterdag", "zondag")
SLUITINGSDAG = "sluitingsdag"


def _weekdag(ordinal: int) -> int:
    """Weekday (0 = Monday) of a date ordinal; ordinal 1, 1 January of year 1, is a Monday."""
    return (ordinal - 1) % 7


def _weekdagen_tot_en_met(ordinal: int) -> int:
    """Number of Mondays–Fridays among the ordinals 1 up to and including `ordinal`."""
    # Each full week from ordinal 1 starts on a Monday; the remainder starts on a Monday too.
    return 5 * (ordinal // 7) + min(ordinal % 7, 5)


@cache
def _feestdagen(jaar: int) -> dict[int, str]:
    """Non-working holidays of a year as {ordinal: Dutch name}; cached, so never mutate it."""
    # language="nl" must be explicit: without it the package picks the language from the
    # process locale (LANG=C.UTF-8 gives English names). observed must stay True (the default):
    # that is what moves Koningsdag from a Sunday 27 April to Saturday 26 April.
    pakket = holidays.country_holidays(
        "NL", years=jaar, categories=(holidays.PUBLIC,), language="nl"
    )
    # The package knows only its own range of years (0.109: 1966–2100) and is silently empty
    # outside it; every year it knows has Nieuwjaarsdag. Counting Christmas as a werkdag would
    # be worse than refusing.
    if not pakket:
        raise ValueError(f"Voor {jaar} zijn geen Nederlandse feestdagen bekend.")
    # Copy into a plain dict right away: the package object grows new years on lookup.
    namen = {dag.toordinal(): naam for dag, naam in pakket.items() if dag.year == jaar}
    # Goede vrijdag is not in the Atw; which category the package puts it in differs between
    # versions (0.109: PUBLIC), so drop it by date. A beheerder can make it a sluitingsdag.
    namen.pop((easter(jaar) - timedelta(days=2)).toordinal(), None)
    if jaar >= BEVRIJDINGSDAG_VANAF:
        vijf_mei = date(jaar, 5, 5).toordinal()
        # 5 May can coincide with Hemelvaartsdag (2016); join names like the package does.
        bestaand = namen.get(vijf_mei)
        delen = set(bestaand.split("; ")) if bestaand else set()
        namen[vijf_mei] = "; ".join(sorted(delen | {BEVRIJDINGSDAG}))
    return namen


class Werkdagkalender:
    """Which days are werkdagen, and termijnen counted in werkdagen, with given sluitingsdagen.

    Years the holidays package does not cover (0.109: before 1966, after 2100) raise ValueError.
    """

    def __init__(self, sluitingsdagen: Iterable[date] = ()) -> None:
        """Build a calendar where the given sluitingsdagen are non-working as well."""
        # Ordinals rather than dates: cheaper to hash, and a datetime counts as its date.
        self._sluitingsdagen = frozenset(dag.toordinal() for dag in sluitingsdagen)
        # Per year: ordinals of the non-working Mondays–Fridays, as a set and as a sorted tuple.
        self._vrij_per_jaar: dict[int, tuple[frozenset[int], tuple[int, ...]]] = {}

    def _vrije_weekdagen(self, jaar: int) -> tuple[frozenset[int], tuple[int, ...]]:
        """Ordinals of the holidays and sluitingsdagen of a year that fall on Monday–Friday."""
        gevonden = self._vrij_per_jaar.get(jaar)
        if gevonden is None:
            eerste, laatste = date(jaar, 1, 1).toordinal(), date(jaar, 12, 31).toordinal()
            kandidaten = set(_feestdagen(jaar))
            kandidaten.update(o for o in self._sluitingsdagen if eerste <= o <= laatste)
            # Only Mondays–Fridays: the weekend is already left out by the weekday arithmetic,
            # so a holiday on a Saturday must not be subtracted a second time.
            gesorteerd = tuple(sorted(o for o in kandidaten if _weekdag(o) < 5))
            gevonden = self._vrij_per_jaar[jaar] = (frozenset(gesorteerd), gesorteerd)
        return gevonden

    def feestdag(self, dag: date) -> str | None:
        """Dutch name of the holiday on dag (including Bevrijdingsdag every year), else None.

        Goede vrijdag is no holiday here; two holidays on one day give 'A; B'.
        """
        return _feestdagen(dag.year).get(dag.toordinal())

    def is_werkdag(self, dag: date) -> bool:
        """Whether dag is a Monday–Friday that is neither a holiday nor a sluitingsdag."""
        ordinal = dag.toordinal()
        return _weekdag(ordinal) < 5 and ordinal not in self._vrije_weekdagen(dag.year)[0]

    def reden_vrij(self, dag: date) -> str | None:
        """Why dag is no werkdag: holiday name, 'zaterdag'/'zondag' or 'sluitingsdag'; else None.

        A holiday wins over the weekend (Koningsdag on Saturday 26 April says 'Koningsdag'), and
        the weekend over a sluitingsdag.
        """
        ordinal = dag.toordinal()
        naam = _feestdagen(dag.year).get(ordinal)
        if naam is not None:
            return naam
        weekdag = _weekdag(ordinal)
        if weekdag >= 5:
            return WEEKEND[weekdag - 5]
        if ordinal in self._sluitingsdagen:
            return SLUITINGSDAG
        return None

    def plus_werkdagen(self, start: date, n: int) -> date:
        """The n-th werkdag strictly after start; start itself never counts, n = 0 gives start.

        This is "binnen n werkdagen na ontvangst": received on Friday, 1 werkdag later is the
        next Monday (if that is a werkdag). start need not be a werkdag. n < 0 is a ValueError.
        """
        # operator.index rejects 1.5 and "3", which would otherwise loop forever or misbehave.
        n = operator.index(n)
        if n < 0:
            raise ValueError(f"n moet 0 of meer zijn, niet {n}")
        if n == 0:
            return start
        ordinal = start.toordinal()
        jaar = start.year
        vrij = self._vrije_weekdagen(jaar)[0]
        jaareinde = date(jaar, 12, 31).toordinal()
        # Step day by day on plain ints: no date objects per day, and the per-year set is only
        # looked up again when the year changes.
        while n:
            ordinal += 1
            if ordinal > jaareinde:
                jaar += 1
                vrij = self._vrije_weekdagen(jaar)[0]
                jaareinde = date(jaar, 12, 31).toordinal()
            if _weekdag(ordinal) < 5 and ordinal not in vrij:
                n -= 1
        return date.fromordinal(ordinal)

    def werkdagen_tussen(self, begin: date, eind: date) -> int:
        """Number of werkdagen d with begin < d <= eind; 0 if equal, negative if eind < begin.

        For eind < begin it is -werkdagen_tussen(eind, begin). It is the inverse of
        plus_werkdagen: werkdagen_tussen(s, plus_werkdagen(s, n)) == n for every n >= 0.
        """
        eerste, laatste = begin.toordinal(), eind.toordinal()
        if laatste < eerste:
            return -self.werkdagen_tussen(eind, begin)
        # Count Mondays–Fridays arithmetically, then subtract the non-working ones per year, so
        # a span of years costs a few bisections instead of a loop over every day.
        aantal = _weekdagen_tot_en_met(laatste) - _weekdagen_tot_en_met(eerste)
        for jaar in range(begin.year, eind.year + 1):
            vrij = self._vrije_weekdagen(jaar)[1]
            aantal -= bisect_right(vrij, laatste) - bisect_right(vrij, eerste)
        return aantal

    def volgende_werkdag(self, dag: date) -> date:
        """dag itself if it is a werkdag, else the first werkdag after it."""
        return dag if self.is_werkdag(dag) else self.plus_werkdagen(dag, 1)

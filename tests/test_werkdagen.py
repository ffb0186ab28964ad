"""Werkdagen: Atw holidays, 5 May every year, Goede vrijdag only as sluitingsdag, termijnen."""

from datetime import date, timedelta

import holidays
import pytest

from leerplicht.werkdagen import Werkdagkalender

STANDAARD = Werkdagkalender()
# A beheerder who closes on Goede vrijdag 2026 and the Friday after Hemelvaartsdag 2026, and
# also enters a Saturday and a holiday (harmless: the weekend/holiday stays the reason).
SLUITINGSDAGEN = (date(2026, 4, 3), date(2026, 5, 15), date(2026, 5, 16), date(2026, 12, 25))
MET_SLUITINGSDAGEN = Werkdagkalender(SLUITINGSDAGEN)


def dagen(begin: date, eind: date):
    """Every date from begin up to and including eind."""
    for i in range((eind - begin).days + 1):
        yield begin + timedelta(days=i)


@pytest.mark.parametrize(
    ("dag", "naam"),
    [
        # Koningsdag on 27 April (a Monday in 2026, a Tuesday in 2027).
        (date(2026, 4, 27), "Koningsdag"),
        (date(2027, 4, 27), "Koningsdag"),
        # 27 April 2025 is a Sunday: Koningsdag moves back to Saturday 26 April.
        (date(2025, 4, 26), "Koningsdag"),
        (date(2025, 4, 27), None),
        # Same rule in 2031 (27 April 2031 is a Sunday too).
        (date(2031, 4, 26), "Koningsdag"),
        (date(2031, 4, 27), None),
        # Easter 2026 is 5 April, Easter 2027 is 28 March.
        (date(2026, 4, 5), "Eerste paasdag"),
        (date(2026, 4, 6), "Tweede paasdag"),
        (date(2027, 3, 29), "Tweede paasdag"),
        # Goede vrijdag is not in the Atw, even though holidays 0.109 has it in PUBLIC.
        (date(2026, 4, 3), None),
        (date(2027, 3, 26), None),
        # Hemelvaartsdag: Easter + 39 days, a Thursday.
        (date(2026, 5, 14), "Hemelvaartsdag"),
        (date(2027, 5, 6), "Hemelvaartsdag"),
        # The Friday after Hemelvaartsdag is no holiday.
        (date(2026, 5, 15), None),
        # Tweede pinksterdag: Easter + 50 days, a Monday.
        (date(2026, 5, 25), "Tweede pinksterdag"),
        (date(2027, 5, 17), "Tweede pinksterdag"),
        # Christmas; 26 December 2026 is a Saturday but still named.
        (date(2026, 12, 25), "Eerste kerstdag"),
        (date(2026, 12, 26), "Tweede kerstdag"),
        (date(2027, 1, 1), "Nieuwjaarsdag"),
        # 5 May every year (the Atw), also in the non-lustrum years 2026 and 2027 ...
        (date(2026, 5, 5), "Bevrijdingsdag"),
        (date(2027, 5, 5), "Bevrijdingsdag"),
        # ... and in a lustrum year, where the package itself has it in PUBLIC.
        (date(2025, 5, 5), "Bevrijdingsdag"),
        # 5 May 2016 was also Hemelvaartsdag: both names, as the package joins them.
        (date(2016, 5, 5), "Bevrijdingsdag; Hemelvaartsdag"),
        # An ordinary Tuesday.
        (date(2026, 4, 28), None),
    ],
)
def test_feestdag(dag, naam):
    assert STANDAARD.feestdag(dag) == naam


@pytest.mark.parametrize(
    ("dag", "werkdag"),
    [
        # Goede vrijdag 2026 and 2027 are werkdagen unless configured.
        (date(2026, 4, 3), True),
        (date(2027, 3, 26), True),
        # The Friday after Hemelvaartsdag is a werkdag unless configured.
        (date(2026, 5, 15), True),
        # Holidays on weekdays.
        (date(2026, 4, 6), False),
        (date(2026, 4, 27), False),
        (date(2026, 5, 5), False),
        (date(2027, 5, 5), False),
        (date(2026, 5, 14), False),
        (date(2026, 5, 25), False),
        (date(2026, 12, 25), False),
        (date(2027, 1, 1), False),
        # Weekend.
        (date(2026, 4, 25), False),
        (date(2026, 4, 26), False),
        # Ordinary weekdays around the holidays.
        (date(2026, 4, 28), True),
        (date(2026, 5, 4), True),
        (date(2026, 12, 24), True),
    ],
)
def test_is_werkdag(dag, werkdag):
    assert STANDAARD.is_werkdag(dag) is werkdag


@pytest.mark.parametrize(
    ("dag", "reden"),
    [
        # Configured Goede vrijdag and Friday after Hemelvaartsdag.
        (date(2026, 4, 3), "sluitingsdag"),
        (date(2026, 5, 15), "sluitingsdag"),
        # A configured Saturday is still just a Saturday.
        (date(2026, 5, 16), "zaterdag"),
        (date(2026, 4, 4), "zaterdag"),
        (date(2026, 4, 12), "zondag"),
        # A holiday wins over the weekend and over a configured sluitingsdag.
        (date(2026, 4, 5), "Eerste paasdag"),
        (date(2025, 4, 26), "Koningsdag"),
        (date(2026, 12, 25), "Eerste kerstdag"),
        (date(2026, 5, 5), "Bevrijdingsdag"),
        # Werkdagen have no reason.
        (date(2026, 4, 28), None),
        (date(2027, 3, 26), None),
    ],
)
def test_reden_vrij(dag, reden):
    assert MET_SLUITINGSDAGEN.reden_vrij(dag) == reden
    assert MET_SLUITINGSDAGEN.is_werkdag(dag) is (reden is None)


def test_reden_vrij_zonder_sluitingsdagen():
    # Without configuration Goede vrijdag is an ordinary werkdag.
    assert STANDAARD.reden_vrij(date(2026, 4, 3)) is None
    assert STANDAARD.reden_vrij(date(2026, 5, 15)) is None


@pytest.mark.parametrize(
    ("start", "n", "uitkomst"),
    [
        # An ordinary step: Wednesday + 1 = Thursday.
        (date(2026, 4, 1), 1, date(2026, 4, 2)),
        # Goede vrijdag counts as a werkdag by default.
        (date(2026, 4, 2), 1, date(2026, 4, 3)),
        # Thursday + 2: Friday, then past the weekend and Tweede paasdag to Tuesday.
        (date(2026, 4, 2), 2, date(2026, 4, 7)),
        # Friday before Koningsdag (Monday 27 April 2026) + 1 = Tuesday.
        (date(2026, 4, 24), 1, date(2026, 4, 28)),
        # 5 werkdagen na ontvangst on Thursday 30 April 2026, with 5 May in between.
        (date(2026, 4, 30), 5, date(2026, 5, 8)),
        # 5 May 2027 (Wednesday) and Hemelvaartsdag (Thursday 6 May) in a row.
        (date(2027, 5, 4), 1, date(2027, 5, 7)),
        # Over Hemelvaartsdag 2026 to the Friday after, which is a werkdag by default.
        (date(2026, 5, 13), 1, date(2026, 5, 15)),
        # Friday before Pinksteren + 1: weekend and Tweede pinksterdag.
        (date(2026, 5, 22), 1, date(2026, 5, 26)),
        # Christmas 2026 (Friday, Saturday) and the weekend, then Monday 28 December.
        (date(2026, 12, 24), 3, date(2026, 12, 30)),
        # Over the year boundary: 31 December (4), not 1 January, weekend, Monday 4 January.
        (date(2026, 12, 24), 5, date(2027, 1, 4)),
        # 2025: Christmas Thursday/Friday, weekend, 29–31 December, 1 January 2026 (Thursday).
        (date(2025, 12, 24), 4, date(2026, 1, 2)),
        # Start on a Saturday: the day of receipt does not count, Monday is the first.
        (date(2026, 3, 28), 1, date(2026, 3, 30)),
        # Start on a Sunday.
        (date(2026, 3, 29), 1, date(2026, 3, 30)),
        # Start on Saturday of Easter weekend: Monday is Tweede paasdag, so Tuesday.
        (date(2026, 4, 4), 1, date(2026, 4, 7)),
        # Start on a holiday: Koningsdag + 1 = Tuesday; Eerste kerstdag + 1 = Monday.
        (date(2026, 4, 27), 1, date(2026, 4, 28)),
        (date(2026, 12, 25), 1, date(2026, 12, 28)),
        # n = 0 returns start unchanged, werkdag or not.
        (date(2026, 4, 28), 0, date(2026, 4, 28)),
        (date(2026, 4, 4), 0, date(2026, 4, 4)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_plus_werkdagen(start, n, uitkomst):
    assert STANDAARD.plus_werkdagen(start, n) == uitkomst


@pytest.mark.parametrize(
    ("start", "n", "uitkomst"),
    [
        # Goede vrijdag configured: Thursday + 1 skips it, the weekend and Tweede paasdag.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        # Friday after Hemelvaartsdag configured: Wednesday + 1 lands on Monday.
        (date(2026, 5, 13), 1, date(2026, 5, 18)),
        # Unconfigured Goede vrijdag 2027 still counts.
        (date(2027, 3, 25), 1, date(2027, 3, 26)),
    ],
)
def test_plus_werkdagen_met_sluitingsdagen(start, n, uitkomst):
    assert MET_SLUITINGSDAGEN.plus_werkdagen(start, n) == uitkomst


def test_plus_werkdagen_negatief():
    with pytest.raises(ValueError):
        STANDAARD.plus_werkdagen(date(2026, 4, 28), -1)


def test_plus_werkdagen_geen_geheel_getal():
    # A float would otherwise never reach exactly 0 in the countdown.
    with pytest.raises(TypeError):
        STANDAARD.plus_werkdagen(date(2026, 4, 28), 1.5)


def test_jaar_buiten_bereik_van_het_pakket():
    # holidays 0.109 knows 1966–2100; beyond that it would silently count Christmas as werkdag.
    with pytest.raises(ValueError):
        STANDAARD.plus_werkdagen(date(2100, 12, 31), 1)


@pytest.mark.parametrize(
    ("begin", "eind", "aantal"),
    [
        # Same day: zero.
        (date(2026, 4, 1), date(2026, 4, 1), 0),
        (date(2026, 4, 4), date(2026, 4, 4), 0),
        # begin itself never counts, eind does.
        (date(2026, 4, 1), date(2026, 4, 2), 1),
        # 2, 3 (Goede vrijdag), 7, 8, 9, 10 April; 6 April is Tweede paasdag.
        (date(2026, 4, 1), date(2026, 4, 10), 6),
        # Saturday to Tweede paasdag: nothing.
        (date(2026, 4, 4), date(2026, 4, 6), 0),
        # Over Christmas and New Year: 28–31 December and 4 January 2027.
        (date(2026, 12, 24), date(2027, 1, 4), 5),
        # All of 2026: 261 weekdays minus 7 holidays on a weekday (26 December is a Saturday).
        (date(2025, 12, 31), date(2026, 12, 31), 254),
        # 2026 and 2027: 2027 has 261 weekdays minus 6 holidays (Christmas is a weekend).
        (date(2025, 12, 31), date(2027, 12, 31), 254 + 255),
        # Backwards: negative.
        (date(2026, 4, 10), date(2026, 4, 1), -6),
        (date(2027, 1, 4), date(2026, 12, 24), -5),
        (date(2026, 4, 6), date(2026, 4, 4), 0),
    ],
)
def test_werkdagen_tussen(begin, eind, aantal):
    assert STANDAARD.werkdagen_tussen(begin, eind) == aantal


def test_werkdagen_tussen_met_sluitingsdagen():
    # Configured Goede vrijdag drops out of 1–10 April 2026.
    assert MET_SLUITINGSDAGEN.werkdagen_tussen(date(2026, 4, 1), date(2026, 4, 10)) == 5
    # The configured Saturday and Eerste kerstdag count no extra: 254 - 2 configured Fridays.
    assert MET_SLUITINGSDAGEN.werkdagen_tussen(date(2025, 12, 31), date(2026, 12, 31)) == 252


@pytest.mark.parametrize(
    ("dag", "uitkomst"),
    [
        # A werkdag is its own next werkdag, Goede vrijdag included by default.
        (date(2026, 4, 28), date(2026, 4, 28)),
        (date(2026, 4, 3), date(2026, 4, 3)),
        # Saturday of Easter weekend: Monday is Tweede paasdag, so Tuesday.
        (date(2026, 4, 4), date(2026, 4, 7)),
        # Koningsdag: the next day.
        (date(2026, 4, 27), date(2026, 4, 28)),
        # Nieuwjaarsdag 2027 is a Friday: Monday 4 January.
        (date(2027, 1, 1), date(2027, 1, 4)),
    ],
)
def test_volgende_werkdag(dag, uitkomst):
    assert STANDAARD.volgende_werkdag(dag) == uitkomst


def test_volgende_werkdag_met_sluitingsdag():
    # Configured Goede vrijdag: the next werkdag is Tuesday after Easter.
    assert MET_SLUITINGSDAGEN.volgende_werkdag(date(2026, 4, 3)) == date(2026, 4, 7)


def test_sluitingsdagen_lekken_niet_naar_andere_kalenders():
    # The holiday cache is shared between calendars; a calendar's sluitingsdagen are not.
    assert MET_SLUITINGSDAGEN.is_werkdag(date(2026, 4, 3)) is False
    assert Werkdagkalender().is_werkdag(date(2026, 4, 3)) is True


@pytest.mark.parametrize("kalender", [STANDAARD, MET_SLUITINGSDAGEN], ids=["standaard", "sluiting"])
@pytest.mark.parametrize("n", [1, 3, 5, 10])
def test_invariant_plus_en_tussen(kalender, n):
    # werkdagen_tussen undoes plus_werkdagen from every start day, werkdag or not.
    for start in dagen(date(2026, 1, 1), date(2027, 12, 31)):
        uitkomst = kalender.plus_werkdagen(start, n)
        assert kalender.is_werkdag(uitkomst), start
        assert kalender.werkdagen_tussen(start, uitkomst) == n, start
        assert kalender.werkdagen_tussen(uitkomst, start) == -n, start
        # No earlier day reaches n: the result is the first one.
        assert kalender.werkdagen_tussen(start, uitkomst - timedelta(days=1)) == n - 1, start


@pytest.mark.parametrize("kalender", [STANDAARD, MET_SLUITINGSDAGEN], ids=["standaard", "sluiting"])
def test_werkdagen_tussen_telt_als_de_definitie(kalender):
    # Cross-check the arithmetic count against counting day by day from the definition.
    sluiting = set(SLUITINGSDAGEN) if kalender is MET_SLUITINGSDAGEN else set()

    def werkdag(dag):
        return dag.weekday() < 5 and kalender.feestdag(dag) is None and dag not in sluiting

    begin = date(2025, 12, 1)
    werkdagen_tot = [0]
    alle = list(dagen(begin, date(2028, 1, 31)))
    for dag in alle[1:]:
        werkdagen_tot.append(werkdagen_tot[-1] + werkdag(dag))
    for i in range(0, len(alle), 3):
        for j in range(i, min(i + 70, len(alle))):
            verwacht = werkdagen_tot[j] - werkdagen_tot[i]
            assert kalender.werkdagen_tussen(alle[i], alle[j]) == verwacht, (alle[i], alle[j])
        assert kalender.is_werkdag(alle[i]) is werkdag(alle[i])


def test_goede_vrijdag_en_5_mei_in_alle_jaren_van_het_pakket():
    # Our own Easter computation must find the package's Goede vrijdag in every year, and 5 May
    # must be non-working every year since it entered the Atw (1982).
    for jaar in range(1982, 2101):
        pakket = holidays.country_holidays(
            "NL", years=jaar, categories=(holidays.PUBLIC, holidays.OPTIONAL), language="nl"
        )
        [goede_vrijdag] = [dag for dag, naam in pakket.items() if naam == "Goede vrijdag"]
        assert STANDAARD.feestdag(goede_vrijdag) is None, jaar
        assert STANDAARD.feestdag(goede_vrijdag + timedelta(days=3)) == "Tweede paasdag", jaar
        assert "Bevrijdingsdag" in STANDAARD.feestdag(date(jaar, 5, 5)), jaar

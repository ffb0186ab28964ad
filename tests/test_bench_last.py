"""bench/last: reading wrk's output and writing the Markdown table (no load is run here)."""

import importlib.util
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "bench" / "last" / "run.py"

WRK_UITVOER = """Running 10s test @ http://127.0.0.1:40123/scholen/21XA00
  2 threads and 20 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.31ms   98.12ms   1.02s    71.20%
    Req/Sec    24.11     10.02    50.00     66.00%
  Latency Distribution
     50%  401.00ms
     75%  470.12ms
     90%  530.77ms
     99%    1.10s
  482 requests in 10.01s, 19.61MB read
  Non-2xx or 3xx responses: 3
Requests/sec:     48.15
Transfer/sec:      1.96MB
"""


@pytest.fixture(scope="module")
def run():
    """The bench/last/run.py module, loaded from its path."""
    spec = importlib.util.spec_from_file_location("bench_last_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_parse_wrk_reads_rate_percentiles_and_errors(run):
    """Requests/s, p50 and p99 in ms (units us/ms/s), non-2xx answers and socket errors."""
    cijfers = run.parse_wrk(WRK_UITVOER)
    assert cijfers == {"rps": 48.15, "p50": 401.0, "p99": 1100.0, "non2xx": 3,
                       "socket_errors": 0}
    snel = WRK_UITVOER.replace("1.10s", "950.00us").replace(
        "  Non-2xx or 3xx responses: 3\n",
        "  Socket errors: connect 0, read 2, write 0, timeout 1\n")
    cijfers = run.parse_wrk(snel)
    assert cijfers["p99"] == pytest.approx(0.95)
    assert cijfers["non2xx"] == 0 and cijfers["socket_errors"] == 3


def test_table_has_one_row_per_page_and_ratio_to_the_static_file(run):
    """The Markdown table: a row per page in order, query counts per database, ratios."""
    resultaten = {}
    for soort, vloer in (("sqlite", 1000.0), ("pg", 500.0)):
        resultaten[soort] = {}
        for index, (naam, _) in enumerate(run.PAGINAS):
            rps = vloer / (index + 1)
            resultaten[soort][naam] = {"rps": rps, "ratio": rps / vloer, "p99": 12.0 * index,
                                       "non2xx": 0, "grootte": 2048 * index,
                                       "queries": index + (soort == "sqlite")}
    regels = run.tabel(resultaten, 250, 10).splitlines()
    kop = [c.strip() for c in regels[2].strip("|").split("|")]
    assert kop[:4] == ["pagina", "queries", "grootte", "SQLite req/s"]
    rijen = [[c.strip() for c in r.strip("|").split("|")] for r in regels[4:]]
    assert [r[0] for r in rijen] == [naam for naam, _ in run.PAGINAS]
    dossier = rijen[1]
    assert dossier[1] == "2/1"  # SQLite/PostgreSQL
    assert dossier[2] == "2.0 KB"
    assert dossier[3:6] == ["500", "0.500", "12 ms"]
    assert dossier[6:9] == ["250", "0.500", "12 ms"]

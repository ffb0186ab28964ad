"""Every app page, every form with errors and every exported page is valid HTML (W3C Nu checker)."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import url_for

from test_access import POLICY, ROLES, _build_world, _requests, url_args

pytestmark = pytest.mark.html

VNU = Path(__file__).parent / "vendor" / "vnu-jar-26.9.27" / "vnu.jar"


KANARIE = """<!DOCTYPE html>
<html lang="nl"><head><title>Kanarie</title></head><body>
<div hx-get="/scholen/">htmx-attribuut zonder data-</div>
<select name="rol" required><option value="llz">Leerlingzaken</option></select>
</body></html>
"""


def _checker() -> list[str]:
    """The command that runs the checker; a missing java or jar fails in CI and skips elsewhere."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        message = ("Java of vnu.jar ontbreekt: apt-get install -y default-jre-headless; "
                   "bash tools/vnu.sh (of make install-test)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always"]


def _bestandsnaam(*delen: str) -> str:
    """A readable, safe file name for a saved page."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", "__".join(delen)).strip("_")[:180] + ".html"


def _bewaar_paginas(app, make_client, world, uit: Path, fouten: list[str]) -> list[Path]:
    """GET every app page as each role that may open it and POST empty forms; save the HTML.

    A page that does not answer as expected is added to `fouten` (all are reported at once).
    """
    args = url_args(app, world)
    bestanden = []
    clients = {}
    for role in ROLES:
        clients[role] = make_client()
        if role != "anoniem":
            clients[role].login(world["emails"][role])
    for rule, method in _requests(app):
        with app.test_request_context():
            url = url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})
        for role, verwacht in zip(ROLES, POLICY[rule.endpoint], strict=True):
            if verwacht != "ok" or rule.endpoint == "accounts.logout":
                continue
            client = clients[role]
            try:
                if method == "GET":
                    response = client.get(url)
                else:
                    # Empty input: the form comes back with its errors (422), nothing changes.
                    response = client.post(url, {})
            except Exception as fout:  # noqa: BLE001 - report every broken page, not the first
                fouten.append(f"{method} {url} als {role}: {type(fout).__name__}: {fout}")
                continue
            if method == "GET" and response.status_code not in (200, 302):
                fouten.append(f"GET {url} als {role}: status {response.status_code}")
            if response.status_code != (200 if method == "GET" else 422):
                continue
            if response.mimetype != "text/html":
                continue
            pad = uit / _bestandsnaam(method, rule.endpoint, role)
            pad.write_text(response.get_data(as_text=True), encoding="utf-8")
            bestanden.append(pad)
    return bestanden


def _fouten(bestanden: list[Path]) -> list[str]:
    """Run the checker once over all files; return its errors as 'file:line: message'."""
    uitvoer = subprocess.run([*_checker(), *map(str, bestanden)], capture_output=True,
                             text=True, check=True)
    berichten = json.loads(uitvoer.stderr or uitvoer.stdout)["messages"]
    return [
        f"{Path(b.get('url', '')).name}:{b.get('lastLine', '?')}: {b['message']}"
        f" [{b.get('extract', '').strip()[:120]}]"
        for b in berichten
        if b["type"] == "error" or b.get("subType") == "fatal"
    ]


def test_alle_paginas_zijn_geldige_html(app, make_client, runner, tmp_path):
    """App pages (each role), forms with errors and the static export: zero checker errors."""
    _checker()
    with app.app_context():
        world = _build_world()
    uit = tmp_path / "paginas"
    uit.mkdir()
    fouten = []
    bestanden = _bewaar_paginas(app, make_client, world, uit, fouten)
    assert len(bestanden) > 100
    assert any(p.name.startswith("POST") for p in bestanden)

    export = tmp_path / "export"
    uitkomst = runner.invoke(args=["export", "--out", str(export)])
    assert uitkomst.exit_code == 0, uitkomst.output
    geexporteerd = sorted(export.rglob("*.html"))
    assert geexporteerd

    # A page with the two errors this test was written for proves the checker really ran.
    kanarie = uit / "kanarie.html"
    kanarie.write_text(KANARIE, encoding="utf-8")
    alles = _fouten([kanarie, *bestanden, *geexporteerd])
    van_kanarie = [fout for fout in alles if fout.startswith("kanarie.html:")]
    assert len(van_kanarie) == 2, alles
    fouten += [fout for fout in alles if fout not in van_kanarie]
    assert not fouten, f"{len(fouten)} HTML-fouten:\n" + "\n".join(fouten)

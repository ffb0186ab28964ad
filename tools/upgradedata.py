"""Dump an SQLite database of Leerplicht to JSON: the fixture of tests/test_upgrade.py.

tests/data/eerste-migratie-demo.json was made from the first landed migration with its demo:
    git worktree add /tmp/oud cec74ca
    cd /tmp/oud && export PYTHONPATH=/tmp/oud LEERPLICHT_DATABASE_URL=sqlite:////tmp/oud.sqlite
    python -c "from leerplicht.cli import main; main()" db upgrade
    python -c "from leerplicht.cli import main; main()" demo
    python /work/main/tools/upgradedata.py /tmp/oud.sqlite > tests/data/eerste-migratie-demo.json
"""

import json
import sqlite3
import sys


def main(path: str) -> None:
    """Print {table: {"columns": [...], "rows": [[...], ...]}} for every table but alembic's."""
    conn = sqlite3.connect(path)
    tables = {}
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    for name in names:
        cursor = conn.execute(f'SELECT * FROM "{name}" ORDER BY 1')
        tables[name] = {"columns": [c[0] for c in cursor.description],
                        "rows": [list(row) for row in cursor]}
    json.dump(tables, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])

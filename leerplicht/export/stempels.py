"""Fingerprints of what exported pages are made of: code, templates, content, database rows.

A page is rendered again only when its fingerprint changes, so the fingerprint must cover every
input. Loading the ORM objects of thousands of dossiers takes seconds; reading the raw rows
takes a fraction of that, so the database part is a hash of raw rows:

- a row belongs to one school when its table has a `school_id` column (the school row itself
  by its `id`), or when it hangs off such a row through a foreign key (an escalation's events);
  it is then an input of that school's pages only;
- every other row (schooljaren, contact persons, sluitingsdagen, default routes) is an input of
  every page: changing it renders all pages again, and only pages whose bytes differ are written.

A section that shows other schools' rows on a school's page (sector figures, say) would break
the first rule; `--volledig` renders everything regardless.
"""

import hashlib
import io
import pickle
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData, Table

# Tables no exported page shows. Accounts and login bookkeeping change at every login; every
# audit row accompanies a change to a table that is fingerprinted itself.
NIET_GETOOND = frozenset(
    {"alembic_version", "auditregel", "gebruiker", "gebruiker_school", "inlogpoging"}
) | frozenset({
    # Shown only by the app's internal dossier sections (termijnen, aanwezigheid, evaluatie:
    # intern=True, never loaded for the export), the Klankbordgroep, the agenda and the
    # reminders. They hold most rows of a municipality (meldingen: ~40 per school a year), so
    # hashing them cost most of the fingerprinting. tests/test_export_stempels.py checks that
    # the dossiers export reads none of them.
    "verzuimmelding", "vraag", "ontwikkeling", "bezoek", "evaluatie", "evaluatiescore",
    "verbeterpunt", "klankbordoverleg", "besluit", "maatregel", "maatregelresultaat",
    "agendatoken", "herinnering", "herinneringsinstelling",
}) | frozenset({
    # The page cache's data version (paginacache.py): a new random token at every commit that
    # wrote anything. No page shows it, and hashing it would render every page again after any
    # change at all; the rows that changed are fingerprinted themselves.
    "dataversie",
})


def digest(*delen) -> str:
    """A short, stable hex fingerprint of strings and bytes (order matters)."""
    h = hashlib.blake2b(digest_size=16)
    for deel in delen:
        h.update(deel if isinstance(deel, bytes) else str(deel).encode())
        h.update(b"\x00")
    return h.hexdigest()


def _inmaken(waarde) -> bytes:
    """Serialise plain row data deterministically (no pickle memo: object identity is not data)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(waarde)
    return buffer.getvalue()


def bronnen_stempel(mappen: list[Path]) -> str:
    """Fingerprint of files and of every file under folders (code, templates, content, static)."""
    h = hashlib.blake2b(digest_size=16)
    for map_ in mappen:
        for pad in [map_] if map_.is_file() else sorted(map_.rglob("*")):
            if pad.is_file() and "__pycache__" not in pad.parts and pad.suffix != ".pyc":
                h.update(str(pad.relative_to(map_.parent)).encode() + b"\x00")
                h.update(pad.read_bytes())
    return h.hexdigest()


@dataclass
class Rijstempels:
    """Fingerprint of the rows that belong to no school, and one per school id."""

    globaal: str
    per_school: dict[int, str]


def _schoolkolom(tabel: Table, eigenaars: dict[str, dict]) -> tuple[str, dict | None] | None:
    """How to find a row's school: (column, None) direct, (column, owners) via a parent row."""
    if tabel.name == "school":
        return "id", None
    if "school_id" in tabel.c:
        return "school_id", None
    for fk in sorted(tabel.foreign_keys, key=lambda fk: fk.parent.name):
        ouder = fk.column.table
        if ouder.name in eigenaars and list(ouder.primary_key.columns) == [fk.column]:
            return fk.parent.name, eigenaars[ouder.name]
    return None


def _deze_of_gedeeld(
    tabel: Table, schoolkolom: tuple[str, dict | None], filters: dict[str, list[str]],
    school_id: int, quote,
) -> list[str]:
    """SQL conditions, mutually exclusive, whose union is: the row belongs to school
    `school_id` or to no school, by the same rule as rijstempels (its own school column, or the
    row it hangs off). Separate conditions joined by UNION ALL, because SQLite scans the whole
    table for `school_id = 1 OR school_id IS NULL` instead of using the index."""
    kolom, via = schoolkolom
    if via is None:
        if tabel.name == "school":
            return [f"{quote(kolom)} = {school_id}"]
        return [f"{quote(kolom)} = {school_id}", f"{quote(kolom)} IS NULL"]
    fk = next(fk for fk in tabel.foreign_keys if fk.parent.name == kolom)
    ouder = fk.column.table
    ouders = " UNION ALL ".join(
        f"SELECT {quote(fk.column.name)} FROM {quote(ouder.name)} WHERE {conditie}"
        for conditie in filters[ouder.name]
    )
    return [f"{quote(kolom)} IS NULL", f"{quote(kolom)} IN ({ouders})"]


def rijstempels(cursor, metadata: MetaData, quote, school_id: int | None = None) -> Rijstempels:
    """Hash every row of every shown table, per school where the row belongs to one.

    `cursor` is a DBAPI cursor inside the export's read transaction (plain tuples, no ORM);
    `quote` quotes an identifier for the database. With `school_id`, rows of other schools are
    left out in SQL: the result has the same `globaal` and the same fingerprint of that school
    (the rows are the same, in the same order), and no other school's (`--school`).
    """
    per_school: dict[int, list] = defaultdict(list)
    globaal: list = []
    eigenaars: dict[str, dict] = {}  # table -> {primary key: school id}, for child tables
    filters: dict[str, list[str]] = {}  # table -> conditions "row of this school or shared"
    for tabel in metadata.sorted_tables:  # parents before children
        if tabel.name in NIET_GETOOND:
            continue
        kolommen = [kolom.name for kolom in tabel.c]
        sleutels = [kolom.name for kolom in tabel.primary_key.columns] or kolommen
        schoolkolom = _schoolkolom(tabel, eigenaars)
        select_ = f"SELECT {', '.join(quote(k) for k in kolommen)} FROM {quote(tabel.name)}"
        if school_id is not None and schoolkolom is not None:
            filters[tabel.name] = _deze_of_gedeeld(
                tabel, schoolkolom, filters, int(school_id), quote
            )
            select_ = " UNION ALL ".join(
                f"{select_} WHERE {conditie}" for conditie in filters[tabel.name]
            )
        cursor.execute(f"{select_} ORDER BY {', '.join(quote(k) for k in sleutels)}")
        rijen = cursor.fetchall()
        naam = str(tabel.name)  # a plain str: SQLAlchemy's quoted_name pickles slowly
        if schoolkolom is None:
            globaal.append((naam, rijen))
            continue
        kolom, via = schoolkolom
        index = kolommen.index(kolom)
        pk = kolommen.index(sleutels[0]) if len(sleutels) == 1 else None
        eigen = eigenaars[tabel.name] = {}
        for rij in rijen:
            eigenaar = rij[index] if via is None else via.get(rij[index])
            if eigenaar is None:
                globaal.append((naam, rij))
                continue
            per_school[eigenaar].append((naam, rij))
            if pk is not None:
                eigen[rij[pk]] = eigenaar
    return Rijstempels(
        globaal=digest(_inmaken(globaal)),
        per_school={eigenaar: digest(_inmaken(rijen)) for eigenaar, rijen in per_school.items()},
    )

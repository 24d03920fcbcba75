"""Whether a database file is whole: every table read to its last block (DuckDB checks each
block's checksum as it reads it), and a fingerprint of its rows to compare two states."""

from __future__ import annotations

import duckdb

from cx.store.sql import ident, sql_text


def tables(cur: duckdb.DuckDBPyConnection) -> list[str]:
    return [str(row[0]) for row in cur.execute(sql_text("tables")).fetchall()]


def fingerprint(cur: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """Table → (rows, order-independent sum of the rows' hashes), over the cursor's current
    database: equal fingerprints, equal contents (up to hash collisions)."""
    found: dict[str, tuple[int, int]] = {}
    for name in tables(cur):
        table = ident(name)  # a name read from the catalog, not from a file
        rows, total = cur.execute(
            f"SELECT count(*), coalesce(sum(hash(r)::HUGEINT), 0) FROM {table} AS r"
        ).fetchall()[0]
        found[name] = (int(rows), int(total))
    return found

"""The release's table beside the file: the privacy layer's published responses (`cx.privacy`)
copied into an in-memory database, read as `responses` on the cursors that ask for it."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

import duckdb

if TYPE_CHECKING:
    import pyarrow as pa

PUBLISHED = "cx_published"  # the in-memory database holding the release's table


class Publisher(Protocol):
    """Whatever gives the release's table (`cx.privacy.Publisher`)."""

    def table(self) -> pa.Table: ...


class PublishedCopy:
    """The release's table in memory beside the file, copied once per release."""

    def __init__(self, con: duckdb.DuckDBPyConnection, main_catalog: str):
        self._con = con
        self._main_catalog = main_catalog  # the file's database, which `responses` hides
        self._lock = threading.Lock()
        self._loaded: pa.Table | None = None

    def read_through(self, cur: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
        """On `cur` only, `responses` means `table`: a read sees what a viewer may."""
        self._load(table)
        # the published copy first, then the file: `companies` and the rest still
        # resolve to the file's tables
        main = self._main_catalog.replace('"', '""')  # the file's name: any character
        cur.execute("SET search_path = $path", {"path": f'{PUBLISHED}.main,"{main}".main'})

    def _load(self, table: pa.Table) -> None:
        """Copy the release's table into an in-memory database beside the file, once per
        release: DuckDB scans its own columns faster than Arrow's (bench/privacy.py)."""
        if self._loaded is table:
            return
        with self._lock, self._con.cursor() as cur:
            if self._loaded is table:
                return
            cur.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {PUBLISHED}")
            cur.register("release_table", table)
            try:
                cur.execute(f"CREATE OR REPLACE TABLE {PUBLISHED}.responses AS "
                            "SELECT * FROM release_table")
            finally:
                cur.unregister("release_table")
            self._loaded = table

"""The release's table beside the file: the privacy layer's published responses (`cx.privacy`),
read as `responses` on the cursors that ask for it. A small release is copied into an
in-memory database; a large one is a file beside its snapshot (`cx/store/release_file.py`),
attached read-only."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import duckdb

from cx.store import release_file

if TYPE_CHECKING:
    import pyarrow as pa

PUBLISHED = "cx_published"  # the in-memory database holding the release's table


class Publisher(Protocol):
    """Whatever gives the release's table (`cx.privacy.Publisher`): in memory, or the file
    that holds it."""

    def table(self) -> pa.Table | Path: ...


class PublishedCopy:
    """The release's table in memory beside the file, copied once per release."""

    def __init__(self, con: duckdb.DuckDBPyConnection, main_catalog: str):
        self._con = con
        self._main_catalog = main_catalog  # the file's database, which `responses` hides
        self._lock = threading.Lock()
        self._loaded: pa.Table | None = None
        self._attached: dict[Path, str] = {}  # release file → its catalog

    def read_through(self, cur: duckdb.DuckDBPyConnection, table: pa.Table | Path) -> None:
        """On `cur` only, `responses` means `table`: a read sees what a viewer may."""
        first = self._attach(table) if isinstance(table, Path) else self._load(table)
        # the published table first, then the file: `companies` and the rest still
        # resolve to the file's tables
        main = self._main_catalog.replace('"', '""')  # the file's name: any character
        cur.execute("SET search_path = $path", {"path": f'{first}.main,"{main}".main'})

    def _attach(self, path: Path) -> str:
        """Attach a release file read-only, once per file (a store reads one snapshot, so one
        file per threshold)."""
        with self._lock:
            if path not in self._attached:
                name = f"{release_file.CATALOG}_{len(self._attached)}"  # a constant name
                with self._con.cursor() as cur:
                    cur.execute(f"ATTACH $path AS {name} (READ_ONLY)", {"path": str(path)})
                self._attached[path] = name
            return self._attached[path]

    def _load(self, table: pa.Table) -> str:
        """Copy the release's table into an in-memory database beside the file, once per
        release: DuckDB scans its own columns faster than Arrow's (bench/privacy.py)."""
        if self._loaded is table:
            return PUBLISHED
        with self._lock, self._con.cursor() as cur:
            if self._loaded is table:
                return PUBLISHED
            cur.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {PUBLISHED}")
            cur.register("release_table", table)
            try:
                cur.execute(f"CREATE OR REPLACE TABLE {PUBLISHED}.responses AS "
                            "SELECT * FROM release_table")
            finally:
                cur.unregister("release_table")
            self._loaded = table
        return PUBLISHED

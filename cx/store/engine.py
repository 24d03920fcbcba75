"""Every DuckDB database this process opens and closes, here, with one configuration.

The allocator's background threads hand the memory a query freed back to the system; without
them a process keeps the peak of its largest query (+450 MB at a million respondents, a GROUP
BY of 750k companies; bench/load --memory). They are a setting of the whole process, and
DuckDB 2.0 stops them whenever any database is closed (a release's description read, a
snapshot checked, a commit's primary closed): `close` starts them again. The architecture test
keeps every connect and close here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import duckdb

CONFIG: dict[str, str | bool | int | float | list[str]] = {
    # offline: no extension is ever fetched or loaded behind our back
    "autoinstall_known_extensions": False, "autoload_known_extensions": False,
    "allocator_background_threads": True}


def connect(database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB database (a file's path, or in memory) with the process's configuration."""
    return duckdb.connect(database, config=CONFIG)


def close(con: duckdb.DuckDBPyConnection) -> None:
    """Close a database opened by `connect`, keeping the allocator's threads running."""
    con.close()
    _keeper().execute("SET allocator_background_threads = true")


@contextmanager
def opened(database: str = ":memory:") -> Iterator[duckdb.DuckDBPyConnection]:
    """A database for the length of a block (`connect`, then `close`)."""
    con = connect(database)
    try:
        yield con
    finally:
        close(con)


@cache
def _keeper() -> duckdb.DuckDBPyConnection:
    # an empty database never closed: what the allocator's setting is set again through
    return connect()

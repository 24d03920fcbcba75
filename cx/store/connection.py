"""The DuckDB file's connection: why it cannot be opened, a cursor per query (concurrent Streamlit
sessions never share one), transactions, the meta table and the settings of the process.
`Store` (`cx/store/core.py`) is this plus the reads and the writes."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Self

import duckdb

from cx.i18n import t
from cx.questionnaire import Questionnaire
from cx.store.published import PublishedCopy, Publisher
from cx.store.schema import response_columns

if TYPE_CHECKING:  # pyarrow loads when a method needs it
    import pyarrow as pa


class StoreError(Exception):
    """The database file cannot be opened; `text(lang)` says why in one sentence (most often:
    another process holds it, since DuckDB lets one process at a time open a file)."""

    def __init__(self, path: Path | str, detail: str):
        detail = re.sub(r"\s*See also https?://\S+", "", detail).strip()
        super().__init__(f"{path}: {detail}")
        self.path = str(path)
        self.detail = detail

    @property
    def locked(self) -> bool:
        return "Could not set lock" in self.detail

    def text(self, lang: str) -> str:
        if not self.locked:
            return t("app.store_error", lang, error=str(self))
        pid = re.search(r"\(PID (\d+)\)", self.detail)
        holder = t("app.store_holder", lang, pid=pid.group(1)) if pid else ""
        return t("app.store_locked", lang, path=self.path, holder=holder)


class Connection:
    """One DuckDB connection, its cursors, transactions and locks (the base of `Store`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, qn: Questionnaire):
        self._con = con
        # gives the published table for reads with `Filters(published=True)`; set by whoever
        # opened the store (cx.privacy.Publisher): without it such reads fail closed
        self.publisher: Publisher | None = None
        self.path = path
        self.qn = qn
        self.columns = response_columns(qn)
        self.write_lock = threading.Lock()
        # held while preserve_insertion_order is off (a direct insert) or relied upon (staging)
        self._insertion_order = threading.Lock()
        with con.cursor() as cur:
            main_catalog = str(cur.execute("SELECT current_database()").fetchall()[0][0])
        self._published = PublishedCopy(con, main_catalog)  # the release copied in memory

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def cursor(self, published: pa.Table | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own. With `published` (the privacy layer's table, `cx.privacy`),
        `responses` means that table on this cursor only: a read sees what a viewer may."""
        cur = self._con.cursor()
        try:
            if published is not None:
                self._published.read_through(cur, published)
            yield cur
        finally:
            cur.close()

    def meta(self, key: str) -> str | None:
        with self.cursor() as cur:
            row = cur.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        return row[0][0] if row else None

    @property
    def schema_version(self) -> int:
        return int(self.meta("schema_version") or 0)

    @property
    def data_version(self) -> int:
        """Bumped by every write: part of every cache key above the store."""
        return int(self.meta("data_version") or 0)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing write; bumps the data version on commit."""
        with self.write_lock, self.cursor() as cur:
            cur.begin()
            try:
                yield cur
                cur.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) "
                            "WHERE key = 'data_version'")
                cur.commit()
            except BaseException:
                cur.rollback()
                raise

    @contextmanager
    def scratch(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside a transaction that is always rolled back: previews write nothing."""
        with self.cursor() as cur:
            cur.begin()
            try:
                yield cur
            finally:
                cur.rollback()

    @contextmanager
    def insertion_order(self) -> Iterator[None]:
        """Held while rows must be stored in the order they are read (staging a CSV, whose
        row numbers come from that order); a direct insert turns the order off meanwhile."""
        with self._insertion_order:
            yield

    def limit_memory(self, limit: str) -> None:
        """Cap DuckDB's memory (e.g. "1GB"): beyond it, work spills to disk. Per process."""
        if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", limit.strip()):
            raise ValueError(f"not a memory size: {limit!r}")
        with self.cursor() as cur:
            cur.execute(f"SET memory_limit = '{limit.strip()}'")  # validated just above

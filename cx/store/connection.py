"""The DuckDB file's connection: why it cannot be opened, a cursor per query (concurrent Streamlit
sessions never share one), transactions, the meta table and the settings of the process.
`Store` (`cx/store/core.py`) is this plus the reads and the writes."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Self

import duckdb

from cx.i18n import t
from cx.questionnaire import Questionnaire
from cx.store import engine, faults
from cx.store.published import PublishedCopy, Publisher
from cx.store.schema import response_columns

if TYPE_CHECKING:  # pyarrow loads when a method needs it
    import pyarrow as pa

    from cx.store.core import Store
    from cx.store.snapshots import Snapshot


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

    @property
    def full(self) -> bool:
        """The disk (or the process's file size limit) left no room for the write."""
        return any(sign in self.detail for sign in FULL_SIGNS)

    @property
    def damaged(self) -> bool:
        """The file is not a whole DuckDB database (truncated, overwritten, a bad block)."""
        return any(sign in self.detail for sign in DAMAGE_SIGNS)

    def text(self, lang: str) -> str:
        if self.full:
            return t("app.store_full", lang, path=self.path)
        if self.damaged:
            return t("app.store_damaged", lang, path=self.path, detail=self.detail)
        if not self.locked:
            return t("app.store_error", lang, error=str(self))
        pid = re.search(r"\(PID (\d+)\)", self.detail)
        holder = t("app.store_holder", lang, pid=pid.group(1)) if pid else ""
        return t("app.store_locked", lang, path=self.path, holder=holder)


# what DuckDB says of a file that is not a whole database
DAMAGE_SIGNS = ("not a valid DuckDB database file", "Could not read enough bytes",
                "Corrupt database file", "checksum", "Serialization Error", "INTERNAL Error")
# what the system says when a write finds no room (ENOSPC, EFBIG, EDQUOT)
FULL_SIGNS = ("No space left on device", "File too large", "Disk quota exceeded")
# a writer: the primary file opened for one write, closed (and published) when it ends
Writer = Callable[[], AbstractContextManager["Store"]]


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back, unless a failed commit already ended the transaction."""
    with suppress(duckdb.TransactionException):
        cur.rollback()


class Connection:
    """One DuckDB connection, its cursors, transactions and locks (the base of `Store`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, qn: Questionnaire,
                 catalog: str | None = None):
        self._con = con
        # a reader's snapshot is attached read-only under this name (`cx/store/snapshots.py`):
        # every cursor starts in it; None for the primary file, the connection's own database
        self._catalog = catalog
        # a reader writes through the primary file (`cx/store/primary.py`); None: it is the primary
        self.writer: Writer | None = None
        # run after each commit, under the write lock: the primary publishes a snapshot
        self.on_commit: Callable[[Connection], None] | None = None
        # set once a write through this reader published a newer snapshot than the one it reads
        self.superseded = False
        self.snapshot: Snapshot | None = None  # what a reader reads; None for the primary
        self._local = threading.local()  # the primary a thread holds in `exclusive`
        # gives the published table for reads with `Filters(published=True)`; set by whoever
        # opened the store (cx.privacy.Publisher): without it such reads fail closed
        self.publisher: Publisher | None = None
        self.path = path
        self.qn = qn
        self.columns = response_columns(qn)
        self.write_lock = threading.Lock()
        # a reader's DuckDB memory limit (`Store.reader`), lifted while an upload is staged
        self.memory_cap: str | None = None
        self._cap_lock = threading.Lock()
        self._uncapping = 0
        # held while preserve_insertion_order is off (a direct insert) or relied upon (staging)
        self._insertion_order = threading.Lock()
        with self.cursor() as cur:
            main_catalog = str(cur.execute("SELECT current_database()").fetchall()[0][0])
        self._published = PublishedCopy(con, main_catalog)  # the release copied in memory

    def close(self) -> None:
        engine.close(self._con)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def cursor(self, published: pa.Table | Path | None = None
               ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own. With `published` (the privacy layer's table, `cx.privacy`),
        `responses` means that table on this cursor only: a read sees what a viewer may."""
        held = self.held()
        if held is not None:  # inside `exclusive`: this thread reads the primary
            with held.cursor(published) as cur:
                yield cur
            return
        cur = self._con.cursor()
        try:
            if self._catalog is not None:
                cur.execute(f"USE {self._catalog}")  # a constant name (`snapshots.CATALOG`)
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
        """Bumped by every write: part of every cache key above the store. A snapshot's never
        changes (its name carries it), so a reader does not ask DuckDB each time."""
        held = self.held()
        if held is not None:
            return held.data_version
        if self.snapshot is not None:
            return self.snapshot.version
        return int(self.meta("data_version") or 0)

    def held(self) -> Store | None:
        """The primary this thread holds (`exclusive`), else None."""
        found: Store | None = getattr(self._local, "primary", None)
        return found

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """For a reader, the block reads and writes the primary file, holding it: checks that
        must see the latest rows (a file already uploaded, a later upload) and the write they
        allow, with no other writer in between. On the primary itself, nothing to do."""
        if self.writer is None or self.held() is not None:
            yield
            return
        with self.writer() as primary:
            self._local.primary = primary
            try:
                yield
            finally:
                self._local.primary = None
        self.superseded = True

    @contextmanager
    def on_primary(self) -> Iterator[Store]:
        """A reader's write: the primary, held for the block (`exclusive`)."""
        with self.exclusive():
            held = self.held()
            assert held is not None
            yield held

    def advance_version(self, beyond: int) -> None:
        """Make the data version greater than `beyond` (a rebuilt or restored file published
        after a newer one): caches keyed on it never take it for an older state."""
        with self.cursor() as cur:
            cur.execute("UPDATE meta SET value = CAST($v AS VARCHAR) WHERE key = 'data_version' "
                        "AND CAST(value AS INTEGER) < $v", {"v": beyond + 1})

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing write; bumps the data version on commit. A reader writes on the
        primary file, which publishes the result as a new snapshot before the block ends."""
        if self.writer is not None:
            with self.on_primary() as primary, primary.transaction() as cur:
                yield cur
            return
        with self.write_lock:
            with self.cursor() as cur:
                cur.begin()
                try:
                    yield cur
                    cur.execute("UPDATE meta SET value = "
                                "CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) "
                                "WHERE key = 'data_version'")
                    faults.point("commit:before")
                    cur.commit()
                except BaseException as exc:
                    _rollback(cur)
                    if isinstance(exc, duckdb.Error | OSError) and \
                            any(sign in str(exc) for sign in FULL_SIGNS):
                        raise StoreError(self.path, str(exc)) from exc
                    raise
            faults.point("commit:after")
            if self.on_commit is not None:
                self.on_commit(self)

    @contextmanager
    def scratch(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside a transaction that is always rolled back: previews write nothing.
        An upload staged here may need more memory than a reader keeps (its checks take the
        histogram of every column): the cap is lifted meanwhile."""
        with self._uncapped(), self.cursor() as cur:
            cur.begin()
            try:
                yield cur
            finally:
                cur.rollback()

    @contextmanager
    def _uncapped(self) -> Iterator[None]:
        """DuckDB's own memory limit while the block runs, then `memory_cap` again once no
        other block needs it lifted (the limit is the whole connection's)."""
        if self.memory_cap is None:
            yield
            return
        with self._cap_lock:
            self._uncapping += 1
            if self._uncapping == 1:
                with self._con.cursor() as cur:
                    cur.execute("RESET memory_limit")
        try:
            yield
        finally:
            with self._cap_lock:
                self._uncapping -= 1
                if self._uncapping == 0:
                    with self._con.cursor() as cur:
                        cur.execute("SET memory_limit = $limit", {"limit": self.memory_cap})

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
        self.memory_cap = None  # asked for: staging does not lift it
        with self.cursor() as cur:
            cur.execute("SET memory_limit = $limit", {"limit": limit.strip()})

"""The DuckDB file as one object, `Store`: its connection (`cx/store/connection.py`), reads
(`cx/store/reads.py`) and writes (`cx/store/writes.py`), and the uploads staged on it
(`cx/store/upload/`). The release's table is read beside it (`cx/store/published.py`).

`Store.open` is the primary file, read and written; `Store.reader` a published snapshot of it
(`cx/store/snapshots.py`), read-only, whose writes go to the primary (`cx/store/primary.py`):
what the app and the commands use, so any number of them run beside one writer.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from cx.questionnaire import Questionnaire, questionnaire
from cx.store import engine, schema
from cx.store.connection import Connection, StoreError
from cx.store.reads import Reads
from cx.store.snapshots import CATALOG, Snapshot, Snapshots
from cx.store.themes import ThemeEdits
from cx.store.writes import Writes

if TYPE_CHECKING:
    from cx.store.upload.session import Staging


def _staging(store: Store, cur: duckdb.DuckDBPyConnection) -> Staging:
    from cx.store.upload.session import Staging

    return Staging(store, cur)


READ_MEMORY_ENV = "CX_READ_MEMORY"  # what each snapshot's DuckDB may keep, e.g. 1GB
# DuckDB keeps the blocks a query freed for the next one, up to its limit (80% of the machine's
# memory by default): an app process kept 400 MB after one sort of a million rows. Under a
# limit, what does not fit spills to a temporary folder instead.
READ_MEMORY = "512MB"


@cache
def _spill_dir() -> Path:
    """Where this process's snapshot readers spill what exceeds their memory limit (created by
    DuckDB when needed, removed at exit)."""
    spill = Path(tempfile.gettempdir()) / f"cx-spill-{os.getpid()}-{secrets.token_hex(3)}"
    atexit.register(shutil.rmtree, spill, True)
    return spill


def publish(primary: Connection) -> None:
    """After each commit of a served primary: readers get what was just written."""
    Snapshots(primary.path).publish(primary)


class Store(Reads, Writes, ThemeEdits):
    """One DuckDB file. Create with `Store.open(path)`; close with `close()`."""

    @classmethod
    def open(cls, path: Path | str, qn: Questionnaire | None = None) -> Store:
        """The primary file, read and written. Once readers use snapshots of it, each commit
        publishes a new one."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = engine.connect(str(path))
        except duckdb.Error as exc:
            raise StoreError(path, str(exc)) from exc
        try:
            store = cls(con, path, qn or questionnaire())
            schema.ensure(store)
        except duckdb.Error as exc:  # a file that opens but whose catalog cannot be read
            engine.close(con)
            raise StoreError(path, str(exc)) from exc
        if Snapshots(path).served:
            store.on_commit = publish
        return store

    @classmethod
    def reader(cls, path: Path | str, qn: Questionnaire | None = None,
               snapshot: Snapshot | None = None) -> Store:
        """The current (or the given) snapshot of the primary at `path`, read-only; its
        writes go to the primary and publish a newer snapshot. Publishes the first one."""
        from cx.store import primary

        path = Path(path)
        for _ in range(5):  # a snapshot pruned between reading the pointer and opening it
            found = snapshot or Snapshots(path).current()
            if found is None:
                primary.publish_now(path, qn)
                continue
            try:
                store = cls._attach(found, path, qn)
            except FileNotFoundError:
                snapshot = None
                continue
            store.writer = lambda: primary.writing(path, qn)
            return store
        raise StoreError(path, "no published snapshot could be opened")

    @classmethod
    def _attach(cls, found: Snapshot, path: Path, qn: Questionnaire | None) -> Store:
        if not found.path.exists():
            raise FileNotFoundError(found.path)
        con = engine.connect()
        try:
            limit = os.environ.get(READ_MEMORY_ENV, "").strip() or READ_MEMORY
            con.execute("SET memory_limit = $limit", {"limit": limit})
            con.execute("SET temp_directory = $dir", {"dir": str(_spill_dir())})
            con.execute(f"ATTACH $path AS {CATALOG} (READ_ONLY)", {"path": str(found.path)})
            store = cls(con, path, qn or questionnaire(), catalog=CATALOG)
            store.memory_cap = limit
        except duckdb.Error as exc:
            engine.close(con)
            raise StoreError(found.path, str(exc)) from exc
        store.snapshot = found
        return store

    @contextmanager
    def staging(self) -> Iterator[Staging]:
        """An upload staged and checked, then rolled back: a preview writes nothing."""
        with self.scratch() as cur:
            yield _staging(self, cur)

    @contextmanager
    def writing(self) -> Iterator[Staging]:
        """An upload staged, checked and written in one all-or-nothing transaction (by a
        reader: on the primary, whose rows the checks then see)."""
        if self.writer is not None:
            with self.on_primary() as primary, primary.writing() as staging:
                yield staging
            return
        with self.transaction() as cur:
            yield _staging(self, cur)

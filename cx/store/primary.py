"""The primary file: the one place rows are written. A write opens it, commits, publishes a
snapshot and closes it, so the file is locked only while something is being written; another
writer (the app's upload, `python -m cx ingest` in a terminal) waits for its turn."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from cx.store.connection import StoreError
from cx.store.integrity import fingerprint
from cx.store.snapshots import Snapshots

if TYPE_CHECKING:
    from cx.questionnaire import Questionnaire
    from cx.store.core import Store

ROOM, SLACK = 1.25, 8 << 20  # a write needs room for a copy of the file, grown by a quarter
DEFAULT_WAIT = 120.0  # seconds a write waits for another one (a large upload) to finish
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def write_wait() -> float:
    """`CX_WRITE_WAIT` seconds, else `DEFAULT_WAIT`."""
    try:
        return max(0.0, float(os.environ.get("CX_WRITE_WAIT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def _process_lock(db: Path) -> threading.Lock:
    """DuckDB's file lock keeps other processes out; inside one process the connections to a
    file share one database, so threads take turns here."""
    key = str(db.resolve())
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def open_primary(db: Path, qn: Questionnaire | None = None, wait: float | None = None) -> Store:
    """The primary file opened for writing, waiting up to `wait` seconds while another process
    writes to it. A damaged file raises `StoreError` at once."""
    from cx.store.core import Store

    deadline = time.monotonic() + (write_wait() if wait is None else wait)
    pause = 0.02
    while True:
        try:
            return Store.open(db, qn)
        except StoreError as exc:
            if not exc.locked or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


@contextmanager
def held(db: Path, qn: Questionnaire | None = None, wait: float | None = None) -> Iterator[Store]:
    """The primary, opened for writing (waiting for its turn) and closed when the block ends."""
    with _process_lock(db):
        store = open_primary(db, qn, wait)
        try:
            yield store
        finally:
            store.close()


@contextmanager
def writing(db: Path, qn: Questionnaire | None = None) -> Iterator[Store]:
    """The primary for one write: its commits publish a snapshot; closed when the block ends."""
    from cx.store.core import publish

    with held(db, qn) as store:
        store.on_commit = publish  # served from now on, if it was not yet
        Snapshots(db).publish(store)  # what a writer killed after its commit left behind
        _room(db)
        yield store


def _room(db: Path) -> None:
    """Refuse a write before it starts when the disk cannot hold its publication: a copy of
    the file, plus room for it to grow."""
    need = int(db.stat().st_size * ROOM) + SLACK
    free = shutil.disk_usage(db.parent).free
    if free < need:
        raise StoreError(db, f"No space left on device: {free >> 20} MB free, "
                             f"about {need >> 20} MB needed")


def publish_now(db: Path, qn: Questionnaire | None = None, wait: float | None = None,
                force: bool = False) -> None:
    """Publish the primary if its snapshot is missing or behind (the first reader), or always
    with `force`."""
    with held(db, qn, wait) as store:
        Snapshots(db).publish(store, force)


def recover(db: Path, qn: Questionnaire | None = None) -> None:
    """At a process's start: check the primary is whole (a damaged file is named now, not at
    the first upload) and publish what a writer killed between its commit and its publication
    left behind. When a writer holds the file it publishes itself: this does not wait."""
    try:
        with held(db, qn, wait=0.0) as store:
            with store.cursor() as cur:
                try:
                    fingerprint(cur)
                except duckdb.Error as exc:
                    raise StoreError(db, str(exc)) from exc
            Snapshots(db).publish(store)
    except StoreError as exc:
        if not exc.locked:
            raise


def prepare(db: Path, fill: Callable[[Store], None] | None = None) -> None:
    """Once per process: create the primary if absent (and `fill` it), publish it, or recover
    it (`recover`) when it is already served."""
    if db.exists() and Snapshots(db).served:
        recover(db)
        return
    absent = not db.exists()
    with held(db) as store:
        # whoever took the lock first created it: another process may have won the race
        if absent and fill is not None and store.data_version == 0:
            fill(store)
        Snapshots(db).publish(store)


def open_reader(db: Path, fill: Callable[[Store], None] | None = None) -> Store:
    """`prepare`, then the current snapshot (`Store.reader`)."""
    from cx.store.core import Store

    prepare(db, fill)
    return Store.reader(db)


def forget(db: Path) -> None:
    """Remove a database a command created and did not fill, with its snapshots."""
    db.unlink(missing_ok=True)
    Path(f"{db}.wal").unlink(missing_ok=True)
    shutil.rmtree(Snapshots(db).dir, ignore_errors=True)

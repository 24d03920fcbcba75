"""A backup of the primary file and its restoration, both checked whole before they count: a
backup is a checkpointed copy read back in full; a restore keeps the state it replaces beside
the file (`cx.duckdb.before-restore`) and publishes the restored one to every reader."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from cx.store import faults, primary
from cx.store.connection import StoreError
from cx.store.integrity import fingerprint
from cx.store.snapshots import PublicationError, copy_file, read_fingerprint, verify_copy

Fingerprint = dict[str, tuple[int, int]]


def backup(db: Path, out: Path) -> Fingerprint:
    """Copy the primary to `out` (replaced atomically, never half-written); waits for a
    running write to finish. Returns what the copy holds."""
    with primary.held(db) as store:
        with store.cursor() as cur:
            cur.execute("CHECKPOINT")
            expected = fingerprint(cur)
        _place(db, out, expected)
    return expected


def _place(source: Path, target: Path, expected: Fingerprint) -> None:
    partial = target.with_name(target.name + ".partial")
    try:
        copy_file(source, partial)
        verify_copy(partial, expected)
        faults.point("backup:copied")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def inspect(source: Path) -> Fingerprint:
    """What a backup holds, read whole; `StoreError` if it is not a database of this app."""
    try:
        found = read_fingerprint(source)
    except PublicationError as exc:
        raise StoreError(source, str(exc.__cause__ or exc)) from exc
    if "meta" not in found or "responses" not in found:
        raise StoreError(source, "not a database of Osservatorio CX")
    return found


def restore(db: Path, source: Path) -> Fingerprint:
    """Make `source` (a backup) the primary: checked whole first, the current state kept as
    `<db>.before-restore`, then published. Waits for a running write to finish."""
    found = inspect(source)
    try:
        with primary.held(db) as store:
            with store.cursor() as cur:
                cur.execute("CHECKPOINT")  # the WAL emptied: none left to replay on the new file
                _place(db, before_restore(db), _whole(db, cur))
            _place(source, db, found)  # renamed over the file this connection still has open
            Path(f"{db}.wal").unlink(missing_ok=True)
    except StoreError as exc:
        if not exc.damaged:
            raise
        # what a backup is for: nobody can write to a damaged file, kept as it is
        copy_file(db, before_restore(db))
        Path(f"{db}.wal").unlink(missing_ok=True)
        _place(source, db, found)
    primary.publish_now(db, force=True)  # a newer data version than any cached: readers switch
    return found


def _whole(db: Path, cur: duckdb.DuckDBPyConnection) -> Fingerprint:
    try:
        return fingerprint(cur)
    except duckdb.Error as exc:
        raise StoreError(db, str(exc)) from exc


def before_restore(db: Path) -> Path:
    return db.with_name(db.name + ".before-restore")


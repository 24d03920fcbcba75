"""The release stored beside its snapshot: the privacy layer's published table and what it
says about itself, written once per snapshot (and threshold) by whichever process first needs
it, then read from disk by every process. At a million respondents the release is 0.8 GB in
pandas and takes a minute to make; a file lets each app process read it through DuckDB's
buffer manager instead of holding it, and lets one process make it for all.

A release file is `<snapshot>.release-<tag>` (no `.duckdb` suffix: pruning lists snapshots by
it), written under `.writing` (not `.partial`, which a publication sweeps), flushed and
renamed, so a reader finds a whole one or none; one maker at a time per file (`making`, whose
lock also clears what a killed maker left). It goes with its snapshot (`Snapshots.prune`)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cx.store import engine

if TYPE_CHECKING:
    import pyarrow as pa

    from cx.store.snapshots import Snapshot

SUFFIX = ".release-"
TABLE = "responses"  # what published reads see as `responses`
CATALOG = "cx_release"  # the name a reader attaches the file under


def path_for(snapshot: Snapshot, tag: str) -> Path:
    """Where the release of `snapshot` made under `tag` (its threshold, its format) lives."""
    return snapshot.path.with_name(f"{snapshot.name}{SUFFIX}{tag}")


def of_snapshot(snapshot_file: Path) -> list[Path]:
    """Every release file of a snapshot file (pruned with it)."""
    return sorted(snapshot_file.parent.glob(f"{snapshot_file.name}{SUFFIX}*"))


def orphans(folder: Path, snapshots: set[Path]) -> list[Path]:
    """The release files in `folder` whose snapshot is not one of `snapshots`."""
    return [f for f in sorted(folder.glob(f"*{SUFFIX}*"))
            if f.with_name(f.name.split(SUFFIX, 1)[0]) not in snapshots]


@contextmanager
def making(path: Path) -> Iterator[None]:
    """One maker at a time for `path`; another process waits here, then finds it made."""
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def write(path: Path, table: pa.Table, about: bytes) -> None:
    """Write the published `table` and `about` (the release's description) to `path`,
    atomically: a reader opens the whole file or finds none."""
    partial = path.with_name(path.name + ".writing")
    partial.unlink(missing_ok=True)
    with engine.opened(str(partial)) as con:
        con.register("release_table", table)
        con.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM release_table")
        con.unregister("release_table")
        con.execute("CREATE TABLE about (body BLOB)")
        con.execute("INSERT INTO about VALUES ($body)", {"body": about})
        con.execute("CHECKPOINT")
    from cx.store.snapshots import fsync  # here: snapshots imports this module

    try:
        fsync(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_about(path: Path) -> bytes:
    """The description written with the release at `path`."""
    with engine.opened() as con:
        con.execute(f"ATTACH $path AS {CATALOG} (READ_ONLY)", {"path": str(path)})
        rows = con.execute(f"SELECT body FROM {CATALOG}.about").fetchall()
    return bytes(rows[0][0])

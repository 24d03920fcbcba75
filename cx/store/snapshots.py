"""Published snapshots of the database: many readers, one writer.

Every app process (and every command's reads) opens the current snapshot read-only; DuckDB lets
any number of processes do that at once. A write opens the primary file, commits, and publishes
a new snapshot: the checkpointed file copied beside it under a temporary name, flushed to disk,
checked, renamed into place, and only then named by the pointer file `CURRENT`, itself replaced
atomically. A reader therefore opens the old snapshot or the new one, never a half-written one;
a publication killed halfway leaves a temporary file that the next one removes.

The directory sits beside the primary (`cx.duckdb.snapshots/`), so a shared volume holding both
serves several machines the same way (docs/deploy.md).
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from cx.store import engine, faults, release_file
from cx.store.integrity import fingerprint

if TYPE_CHECKING:
    from cx.store.connection import Connection

CATALOG = "cx"  # the name a reader attaches its snapshot under
POINTER = "CURRENT"
CHUNK = 1 << 20
KEEP = 2  # the current snapshot and the one before it: readers switching still find theirs


def keep() -> int:
    """`CX_SNAPSHOTS_KEEP` (at least 2), else `KEEP`: more on a shared volume, where another
    machine may still be opening an older one."""
    try:
        return max(KEEP, int(os.environ.get("CX_SNAPSHOTS_KEEP", KEEP)))
    except ValueError:
        return KEEP


@dataclass(frozen=True)
class Snapshot:
    """One published, immutable copy of the database at a data version."""

    path: Path
    version: int

    @property
    def name(self) -> str:
        return self.path.name


class PublicationError(Exception):
    """The copy did not match the primary (a disk that lied, or was full): nothing published."""


def fsync(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_file(source: Path, target: Path) -> None:
    """Copy and flush: the bytes are on disk before the file gets its final name."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
            faults.point("publish:copying")
        dst.flush()
        os.fsync(dst.fileno())


def verify_copy(copy: Path, expected: dict[str, tuple[int, int]]) -> None:
    """The copy holds exactly the rows of `expected` (DuckDB also checks each block's sum)."""
    found = read_fingerprint(copy)
    if found != expected:
        raise PublicationError(f"{copy}: the copy differs from what was copied")


def read_fingerprint(path: Path) -> dict[str, tuple[int, int]]:
    """Open a database file read-only and read it whole (`integrity.fingerprint`)."""
    try:
        with engine.opened() as con:
            con.execute(f"ATTACH $path AS {CATALOG} (READ_ONLY)", {"path": str(path)})
            con.execute(f"USE {CATALOG}")
            return fingerprint(con)
    except duckdb.Error as exc:
        raise PublicationError(f"{path}: {exc}") from exc


class Snapshots:
    """The snapshots of one primary file: which is current, publishing, pruning."""

    def __init__(self, db: Path | str):
        self.db = Path(db)
        self.dir = self.db.with_name(self.db.name + ".snapshots")

    @property
    def served(self) -> bool:
        """Whether readers use snapshots of this file (its first reader published one)."""
        return self.dir.is_dir()

    def current(self) -> Snapshot | None:
        """The snapshot the pointer names, or None before the first publication."""
        try:
            found = json.loads((self.dir / POINTER).read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError):
            return None
        return Snapshot(self.dir / str(found["file"]), int(found["version"]))

    def named(self, name: str) -> Snapshot:
        """A snapshot by file name (its version is in the name)."""
        return Snapshot(self.dir / name, int(name[1:].split("-", 1)[0]))

    def stale(self, primary: Connection) -> bool:
        now = self.current()
        return now is None or now.version != primary.data_version or not now.path.exists()

    def publish(self, primary: Connection, force: bool = False) -> Snapshot:
        """A new snapshot of `primary`, which the caller holds open for writing (so no other
        process writes or publishes meanwhile). Idempotent: an up-to-date one is kept, unless
        `force` (a restored file may carry the version of another state)."""
        if not force and not self.stale(primary):
            found = self.current()
            assert found is not None
            return found
        self.dir.mkdir(parents=True, exist_ok=True)
        self._sweep()
        before = self.current()
        if before is not None and primary.data_version <= before.version:
            primary.advance_version(before.version)
        with primary.cursor() as cur:
            cur.execute("CHECKPOINT")  # every committed row in the file itself, none in the WAL
            expected = fingerprint(cur)
        faults.point("publish:checkpointed")
        version = primary.data_version
        final = self.dir / f"v{version:08d}-{secrets.token_hex(4)}.duckdb"
        partial = final.with_name(final.name + ".partial")
        try:
            copy_file(self.db, partial)
            verify_copy(partial, expected)
            faults.point("publish:copied")
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        faults.point("publish:renamed")
        self._point(final, version)
        faults.point("publish:pointed")
        self.prune()
        return Snapshot(final, version)

    def _point(self, snapshot: Path, version: int) -> None:
        pointer = self.dir / POINTER
        staged = self.dir / f".{POINTER}.{secrets.token_hex(4)}"
        body = {"file": snapshot.name, "version": version,
                "published_at": datetime.now(UTC).isoformat(timespec="seconds")}
        staged.write_text(json.dumps(body), encoding="utf-8")
        fsync(staged)
        os.replace(staged, pointer)  # atomic: readers see the old pointer or the new one
        fsync(self.dir)

    def prune(self) -> list[Path]:
        """Remove snapshots older than the last `keep()`. A process still reading one keeps its
        open file (POSIX): the space is freed when it lets go."""
        now = self.current()
        files = sorted(self.dir.glob("v*.duckdb"))
        kept = set(files[-keep():]) | ({now.path} if now else set())
        gone = [f for f in files if f not in kept]
        for f in gone:
            f.unlink(missing_ok=True)
        # releases go with their snapshot, with their locks and leftovers (also one made
        # late by a reader of a snapshot already gone)
        for release in release_file.orphans(self.dir, set(files) - set(gone)):
            release.unlink(missing_ok=True)
        return gone

    def _sweep(self) -> None:
        """Leftovers of a publication killed halfway (only a writer calls this, holding the
        primary: no other publication is running)."""
        for left in [*self.dir.glob("*.partial"), *self.dir.glob(f".{POINTER}.*")]:
            left.unlink(missing_ok=True)

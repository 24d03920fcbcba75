"""Atomic publication of a static site: each build is written into a temporary directory
beside the published ones, renamed whole, and `current` (a relative symlink) is switched to it
with one os.replace. A reader (nginx) resolves `current` to a complete build, the new or the
previous one (kept for readers still on it); older builds and a crashed build's temporary
directory are removed by the next build. Builders take `lock` first: one at a time."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CURRENT = "current"
VERSION = "version.txt"
SETTINGS = "settings.txt"  # what else the page was built with (k, addresses)
BUILD, TEMP = "build-", ".tmp-"
LOCK = ".lock"


@contextmanager
def lock(out_root: Path) -> Iterator[bool]:
    """Whether this process holds the builders' lock (never waits: False when another does).
    flock is released by the kernel when its holder dies, so no stale lock survives a crash."""
    out_root.mkdir(parents=True, exist_ok=True)
    with open(out_root / LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def published_version(out_root: Path) -> str | None:
    """The data version the published site was built from, None before the first build."""
    return _read(out_root / CURRENT / VERSION)


def published_settings(out_root: Path) -> str | None:
    """The settings the published site was built with, None before the first build."""
    return _read(out_root / CURRENT / SETTINGS)


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8").strip()
    except OSError:
        return None


@contextmanager
def staging(out_root: Path, version: str, settings: str = "") -> Iterator[Path]:
    """A temporary directory to write a build into; when the block ends without error the
    build is published, else the directory is removed (a crash leaves it to `sweep`)."""
    out_root.mkdir(parents=True, exist_ok=True)
    sweep(out_root, keep=_published(out_root))
    temp = Path(tempfile.mkdtemp(prefix=TEMP, dir=out_root))
    try:
        yield temp
        (temp / VERSION).write_text(version + "\n", "utf-8")
        (temp / SETTINGS).write_text(settings + "\n", "utf-8")
        switch(out_root, temp, f"{BUILD}{version}-{time.time_ns()}")
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def switch(out_root: Path, temp: Path, name: str) -> None:
    """Rename the finished build and point `current` at it atomically; keep the previous."""
    previous = _published(out_root)
    temp.chmod(0o755)  # mkdtemp makes it private; the proxy's user reads it
    temp.rename(out_root / name)
    link = out_root / f"{TEMP}{CURRENT}-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(name)  # relative: the folder can be mounted anywhere
    os.replace(link, out_root / CURRENT)
    sweep(out_root, keep={name} | previous)


def sweep(out_root: Path, keep: set[str]) -> None:
    """Remove builds other than `keep`, and temporary directories left by a crash."""
    for path in out_root.iterdir():
        if path.name.startswith((BUILD, TEMP)) and path.name not in keep:
            if path.is_symlink() or not path.is_dir():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)


def _published(out_root: Path) -> set[str]:
    current = out_root / CURRENT
    return {os.readlink(current)} if current.is_symlink() else set()

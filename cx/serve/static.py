"""Streamlit's front end, compressed once: a mirror of its `static/` folder (links to the
originals) with a `.gz` beside each text file, so nginx's `gzip_static` sends the smaller file
without compressing 20 MB of JavaScript again for every phone in the room."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

COMPRESSED = frozenset({".js", ".css", ".svg", ".json", ".map", ".txt", ".html"})
MIN_BYTES = 1024  # below this gzip saves nothing worth a file


def mirror_name(source: Path) -> str:
    """One mirror per Streamlit build: its index.html names every hashed bundle."""
    digest = hashlib.sha256((source / "index.html").read_bytes()).hexdigest()[:12]
    return f"static-{digest}"


def precompressed_static(source: Path, cache: Path) -> Path:
    """The mirror of `source` (Streamlit's static folder) in `cache`, built if missing: written
    aside and renamed into place, so a half-built mirror is never served."""
    target = cache / mirror_name(source)
    if target.is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".static-", dir=cache))
    try:
        for path in (source / "static").rglob("*"):
            if path.is_file():
                _mirror_file(path, work / path.relative_to(source))
        os.rename(work, target)
    except OSError:
        if not target.is_dir():  # another launcher may have won the rename: use its copy
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _mirror_file(path: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(path)
    if path.suffix in COMPRESSED and path.stat().st_size >= MIN_BYTES:
        data = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        link.with_name(link.name + ".gz").write_bytes(data)

"""The original bytes of an upload, kept in the database compressed (zlib at its fastest
level: a 350 MB export becomes about 75 MB). Compressed in a background thread while the upload
is staged and checked; zlib releases the GIL, so the two overlap."""

from __future__ import annotations

import threading
import zlib
from pathlib import Path

READ = 16 * 1024 * 1024  # bytes read at a time: memory stays bounded by the compressed size


class Packing:
    """Start compressing `path` now; `parts()` waits for the compressed stream's parts."""

    def __init__(self, path: Path, read: int = READ):
        self._parts: list[bytes] = []
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._pack, args=(path, read), daemon=True,
                                        name="cx-pack-upload")
        self._thread.start()

    def _pack(self, path: Path, read: int) -> None:
        packer = zlib.compressobj(1)
        try:
            with open(path, "rb") as fh:
                while piece := fh.read(read):
                    if out := packer.compress(piece):
                        self._parts.append(out)
        except OSError as exc:  # reported by parts(), in the caller's thread
            self._error = exc
        self._parts.append(packer.flush())

    def parts(self) -> list[bytes]:
        """The parts of one zlib stream (join them, then decompress)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._parts

"""The original bytes of an upload, kept in the database compressed with Zstandard at level 1
(through pyarrow, already installed with Streamlit): smaller and faster than zlib's fastest
level (figures in bench/ingest.py). Compressed in a background thread while the upload is
read and checked (`cx.background`); the codec releases the GIL."""

from __future__ import annotations

import zlib
from pathlib import Path

from cx import background

CODEC = "zstd"
LEVEL = 1
READ = 16 * 1024 * 1024  # bytes read at a time: memory stays bounded by the compressed size


class Packing:
    """Start compressing `path` now; `parts()` waits for the compressed parts (one Zstandard
    frame each: joined, they are one stream)."""

    def __init__(self, path: Path, read: int | None = None):
        self._parts = background.run(_pack, path, read or READ)

    def parts(self) -> list[bytes]:
        """The compressed parts, in order."""
        return self._parts.result()


def _pack(path: Path, read: int) -> list[bytes]:
    import pyarrow as pa  # loaded on the packing thread, beside the upload's other steps

    codec = pa.Codec(CODEC, compression_level=LEVEL)
    parts = []
    with open(path, "rb") as fh:
        while piece := fh.read(read):
            parts.append(codec.compress(piece, asbytes=True))
    return parts


def unpack(data: bytes, codec: str) -> bytes:
    """The original bytes of joined parts stored with `codec` (zstd; zlib or raw: older
    uploads)."""
    if codec == "zstd":
        import pyarrow as pa

        unpacked: bytes = pa.input_stream(pa.py_buffer(data), compression="zstd").read()
        return unpacked
    if codec == "zlib":
        return zlib.decompress(data)
    return data

"""The one pass over every byte of an upload: its SHA-256, what DuckDB would read otherwise than
the importer does (NUL bytes; empty lines between rows), and the CSV records counted without
DuckDB, to check its read against (`cx.ingest.records`). Run beside the other steps, on another
thread (`cx.ingest.upload`)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cx.ingest.encoding import pieces, utf16
from cx.ingest.records import RecordCount

TAIL_BYTES = 1024 * 1024  # the end of a file searched for its last text
# an empty line: "\n\n" or "\n\r\n", in one byte per character or in two (UTF-16 LE or BE)
_BLANK_LINE = re.compile(rb"\n\r?\n")
_BLANK_LINE_WIDE = re.compile(rb"\n\x00(?:\r\x00)?\n\x00|\x00\n(?:\x00\r)?\x00\n")
_SPACE = b" \t\r\n\x00"


@dataclass(frozen=True)
class Scan:
    """What one pass over every byte of a file tells."""

    sha256: str
    blank_lines: bool | None  # an empty line before the last row (DuckDB would skip it)
    binary: bool  # a NUL byte in a file that is not UTF-16
    records: int | None = None  # the CSV records, when counted (`cx.ingest.records`)


def scan(path: Path, piece_size: int = 1 << 24, lines: bool = True,
         records: bool = False) -> Scan:
    """The file's SHA-256; whether it holds a NUL byte while not UTF-16 (DuckDB would read
    those as text); with `lines` (else None), whether an empty line stands between its rows
    (DuckDB skips those, which would number every later row one too low: see `cx.ingest.body`);
    with `records` (else None), how many CSV records it holds (`cx.ingest.records`)."""
    with open(path, "rb") as fh:
        wide = utf16(fh.read(4096)) is not None
    pattern = _BLANK_LINE_WIDE if wide else _BLANK_LINE
    digest, blank, seen, tail, binary = hashlib.sha256(), None, 0, b"", False
    count = RecordCount() if records else None
    for piece in pieces(path, piece_size):
        digest.update(piece)
        if count is not None:
            count.feed(piece)
        binary = binary or (not wide and b"\x00" in piece)
        if lines and blank is None:
            edge = pattern.search(tail + piece[:8])  # across the border of two pieces
            found = pattern.search(piece)
            if edge:
                blank = seen - len(tail) + edge.start()
            elif found:
                blank = seen + found.start()
        seen += len(piece)
        tail = piece[-8:]
    blank_lines = blank is not None and blank < _last_text(path, seen) if lines else None
    return Scan(digest.hexdigest(), blank_lines, binary,
                count.total() if count is not None else None)


def _last_text(path: Path, size: int) -> int:
    """The offset just after the last byte that is not blank (trailing empty lines aside)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, size - TAIL_BYTES))
        end = fh.read()
    return size - (len(end) - len(end.rstrip(_SPACE))) if end.strip(_SPACE) else size

"""How many records a UTF-8 CSV holds, counted without DuckDB: the check that DuckDB's reader
lost no line (issue 17: a line longer than its `max_line_size` is skipped without a reject).

The fast count reads quotes and line feeds only: a line feed ends a record when the quotes
before it are even (RFC 4180 doubles a quote inside a quoted field); empty lines are no record
(DuckDB skips them). A quote inside an unquoted field (`5" pollici`, which both DuckDB and
Python read as text) throws that parity off, so a count that disagrees with DuckDB's is
checked again with Python's own CSV parser before the file is refused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cx.ingest.encoding import pieces

QUOTE, LF, CR = 34, 10, 13


@dataclass
class RecordCount:
    """The records counted so far, and the state carried from one piece of the file to the
    next (`feed` each piece in order, then `total`)."""

    records: int = 0
    inside: int = 0  # within a quoted field
    pending: bool = False  # bytes other than CR since the last record ended

    def feed(self, piece: bytes) -> None:
        """Count the records that end in `piece`."""
        import numpy as np  # loaded by the first piece, on the thread that counts beside DuckDB

        data = np.frombuffer(piece, dtype=np.uint8)
        at = np.flatnonzero((data == QUOTE) | (data == LF))
        marks = data[at]
        parity = (np.cumsum(marks == QUOTE, dtype=np.int64) + self.inside) & 1
        ends = at[(marks == LF) & (parity == 0)]
        if len(ends):
            starts = np.concatenate(([0], ends[:-1] + 1))
            gap = ends - starts  # the bytes of each record before its line feed
            cr = np.zeros(len(ends), dtype=bool)
            cr[gap == 1] = data[starts[gap == 1]] == CR
            empty = (gap == 0) | cr
            empty[0] &= not self.pending  # the first record may have begun in a piece before
            self.records += int(np.count_nonzero(~empty))
            self.pending = bool(piece[int(ends[-1]) + 1:].strip(b"\r"))
        else:
            self.pending = self.pending or bool(piece.strip(b"\r"))
        self.inside = int(parity[-1]) if len(parity) else self.inside

    def total(self) -> int:
        return self.records + int(self.pending)


def count_records(src: Path | bytes) -> int:
    """The records of a UTF-8 CSV (empty lines aside), by the parity of quotes."""
    return count_pieces(pieces(src))


def count_pieces(pieces: Iterable[bytes]) -> int:
    """`count_records` of the bytes given piece by piece."""
    counter = RecordCount()
    for piece in pieces:
        counter.feed(piece)
    return counter.total()


def head_records(path: Path, lines: int) -> int:
    """The records in the first `lines` physical lines (the header DuckDB skips)."""
    with open(path, "rb") as fh:
        head = b"".join(fh.readline() for _ in range(lines))
    return count_records(head)


@dataclass(frozen=True)
class Exact:
    """Python's reading of a CSV body: its records (empty lines aside), and the first line
    of a record longer than `long` characters (0: none)."""

    records: int
    long_line: int


def exact_records(path: Path, delimiter: str, skip: int, long: int) -> Exact:
    """The records after the first `skip` lines, as Python's CSV parser reads them."""
    records, long_line = 0, 0
    with open(path, encoding="utf-8-sig", newline="", errors="replace") as fh:
        for _ in range(skip):
            fh.readline()
        reader = csv.reader(fh, delimiter=delimiter)
        start = skip + 1
        try:
            for row in reader:
                if row:
                    records += 1
                    if not long_line and sum(map(len, row)) + len(row) > long:
                        long_line = start
                start = skip + reader.line_num + 1
        except csv.Error:  # DuckDB would have refused the line: count what was read
            pass
    return Exact(records, long_line)

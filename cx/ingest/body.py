"""The body of a large CSV as DuckDB reads it: a UTF-8 file whose rows keep their numbers (the
original when it already is one; else written again, its encoding made UTF-8, each empty line
a row of empty cells)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cx.ingest.encoding import ENCODING_NAMES, chunks
from cx.ingest.grid import Grid
from cx.ingest.problems import Refused


def utf8_body(path: Path, grid: Grid, directory: Path) -> Path:
    """A UTF-8 file of the whole CSV for DuckDB: the original when it is already UTF-8 (a BOM
    sits in the header line, which DuckDB skips) and has no empty line between rows; else
    written again, each empty line as a row of empty cells (DuckDB keeps those, so rows keep
    their numbers; they are dropped later as blank)."""
    if grid.encoding in ("utf-8", "utf-8-sig") and not grid.blank_lines and not grid.bare_cr:
        return path
    out = directory / "body.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        if grid.blank_lines or grid.bare_cr:  # row by row, each ending in a line feed
            _fill_blank_lines(path, grid, fh)
        else:
            for piece in chunks(path, grid.encoding or "utf-8"):
                fh.write(piece.lstrip("\ufeff"))
    return out


def _fill_blank_lines(path: Path, grid: Grid, out: io.TextIOBase) -> None:
    """Copy the CSV row by row (Python's parser tells an empty line from a line break inside
    quotes), an empty line becoming a row of empty cells."""
    encoding = grid.encoding or "utf-8"
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=grid.delimiter or ",", strict=True)
        # CRLF: a writer quotes the cells holding either character (a lone CR inside a cell)
        writer = csv.writer(out, delimiter=grid.delimiter or ",", lineterminator="\r\n")
        width = len(grid.rows[grid.offset]) if grid.rows else 1
        try:
            for row in reader:
                writer.writerow(row or [""] * width)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8":
                raise NotUtf8(reader.line_num + 1) from exc
            raise Refused("bad_bom", line=reader.line_num + 1,
                          encoding=ENCODING_NAMES.get(encoding, encoding)) from exc
        except csv.Error as exc:
            code = "truncated" if "end of data" in str(exc) else "bad_quotes"
            raise Refused(code, line=reader.line_num) from exc


class NotUtf8(Exception):
    """A large CSV whose head looked like UTF-8 holds other bytes further on."""

    def __init__(self, line: int):
        super().__init__(f"not UTF-8 at line {line}")
        self.line = line

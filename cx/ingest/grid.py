"""The cells of a file as text, whatever the file (`cx.ingest.read` for a CSV, `cx.ingest.sheets`
for a workbook): what the rest of the importer reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Grid:
    """The cells of a file as text. `rows` holds every row when `complete`, else only the first
    rows (a large CSV, whose body DuckDB reads: `cx.ingest.body`)."""

    kind: str
    rows: tuple[tuple[str, ...], ...]
    complete: bool
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    row_lines: tuple[int, ...] = ()  # CSV: the physical line on which each row ends
    offset: int = 0  # blank rows before the header
    blank_lines: bool = False  # a large CSV with empty lines between rows (see utf8_body)
    bare_cr: bool = False  # a large CSV whose lines end in CR alone (old Mac), see utf8_body


def leading_blank(rows: Iterable[Iterable[str]]) -> int:
    """How many rows before the first one with any text."""
    n = 0
    for row in rows:
        if any(c.strip() for c in row):
            return n
        n += 1
    return n


def trim_empty_trailing_columns(rows: list[list[str]]) -> list[list[str]]:
    """The rows without the empty columns at their end (the first column always stays)."""
    width = len(rows[0]) if rows else 0
    while width > 1 and not any(r[width - 1].strip() for r in rows):
        width -= 1
    return [r[:width] for r in rows]

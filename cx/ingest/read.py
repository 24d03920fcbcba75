"""Bytes → rows of text. Detects the kind of file (CSV, XLSX, legacy XLS) and reads a CSV here:
its encoding (`cx.ingest.encoding`), its delimiter, its rows (of a large one, only the first:
DuckDB reads its body, `cx.ingest.body`); a workbook is read by `cx.ingest.sheets`. Never a
traceback: whatever cannot be read becomes a `Refused` with one sentence (and the line)."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import replace
from pathlib import Path

from cx.ingest import sheets
from cx.ingest.encoding import ENCODING_NAMES, chunks, detect_encoding, whole_characters
from cx.ingest.grid import Grid, leading_blank, trim_empty_trailing_columns
from cx.ingest.problems import Refused

LARGE_CSV = 16 * 1024 * 1024  # bigger CSVs: the body is parsed by DuckDB, not in Python
HEAD_ROWS = 12  # rows parsed in Python to recognise the layout of a large CSV
HEAD_CHARS = 256 * 1024
HEAD_BYTES = 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf",
                b"Rar!", b"\x7fELF", b"MZ", b"BZh")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def file_kind(head: bytes) -> str:
    """csv, xlsx or xls, from the first bytes (the file name may lie)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    if head.startswith(BINARY_MAGIC):
        raise Refused("binary")
    return "csv"


def text_file(path: Path) -> bool:
    """Whether the file's first bytes are those of a text file (a CSV), not of a workbook or
    another binary format."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    try:
        return bool(head) and file_kind(head) == "csv"
    except Refused:
        return False


def read_grid(path: Path, sheet: str | None = None, large: int | None = None) -> Grid:
    """Rows of text of a CSV or spreadsheet (`sheet`: by name, else the one holding the data).
    A CSV over `large` bytes is streamed: only its first rows are parsed here."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise Refused("empty")
    kind = file_kind(head)
    if kind == "xlsx":
        return sheets.xlsx_grid(path.read_bytes(), sheet)
    if kind == "xls":
        return sheets.xls_grid(path.read_bytes(), sheet)
    if path.stat().st_size > (LARGE_CSV if large is None else large):
        return _csv_head_grid(path, head)
    return _csv_grid(path.read_bytes())


def _checked(text: str) -> str:
    if _CONTROL.search(text[:HEAD_CHARS]):
        raise Refused("binary")
    return text.lstrip("\ufeff")


FIELD_LIMIT = 64 * 1024 * 1024  # longer cells than Python's default 128 KB: long answers


def sniff_delimiter(head: str) -> str:
    """The delimiter that splits the first lines into the most, most consistent fields."""
    csv.field_size_limit(FIELD_LIMIT)  # process-wide; set before any reader, not after one

    def score(delimiter: str) -> tuple[float, int]:
        try:
            rows = [r for r in csv.reader(io.StringIO(head, newline=""),
                                          delimiter=delimiter)][:-1]
        except csv.Error:  # this delimiter does not read the head: not the file's
            return (0.0, 0)
        rows = [r for r in rows if any(c.strip() for c in r)][:30] or [[""]]
        width = len(rows[0])
        if width < 2:
            return (0.0, 0)
        return (sum(len(r) == width for r in rows) / len(rows), width)
    return max(DELIMITERS, key=score)


def _parse(text: str, delimiter: str, limit: int | None = None) -> tuple[list[list[str]],
                                                                          list[int]]:
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num)
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:
        code = "truncated" if "end of data" in str(exc) else "bad_quotes"
        raise Refused(code, line=(lines[-1] if lines else 0) + 1) from exc
    return rows, lines


def _rectangular(rows: list[list[str]], lines: list[int], ends_cleanly: bool) -> list[list[str]]:
    """Pad short rows; refuse rows longer than the header and a cut-off last row."""
    width = len(rows[leading_blank(rows)])
    for i, row in enumerate(rows):
        start = (lines[i - 1] if i else 0) + 1
        if len(row) > width:
            if any(c.strip() for c in row[width:]):
                raise Refused("ragged", line=start, found=len(row), expected=width)
            del row[width:]
        elif len(row) < width:
            if i == len(rows) - 1 and not ends_cleanly and len(row) > 1:
                raise Refused("truncated", line=start)
            row.extend([""] * (width - len(row)))
    return rows


def _csv_grid(data: bytes) -> Grid:
    encoding = detect_encoding(data, data[:HEAD_BYTES])
    text = _checked("".join(chunks(data, encoding)))
    delimiter = sniff_delimiter(text[:HEAD_CHARS])
    rows, lines = _parse(text, delimiter)
    if leading_blank(rows) == len(rows):
        raise Refused("empty")
    rows = trim_empty_trailing_columns(_rectangular(rows, lines, text.endswith(("\n", "\r"))))
    return Grid("csv", tuple(map(tuple, rows)), True, encoding, delimiter,
                row_lines=tuple(lines), offset=leading_blank(rows))


def _csv_head_grid(path: Path, head: bytes) -> Grid:
    """A large CSV: the first rows parsed. The encoding is told by the first megabyte; a file
    that looks like UTF-8 there is confirmed by DuckDB as it reads the body (a pass over every
    byte in Python would slow the ingest), and found by `confirmed` if it is not. NUL
    bytes past the head are found by `cx.ingest.scan`, beside the staging."""
    encoding = detect_encoding(whole_characters(head), head)
    if encoding in ("cp1252", "latin-1"):  # not UTF-8 already in its head: check every byte
        encoding = detect_encoding(path, head)
    text = _checked(next(iter(chunks(head, encoding)), ""))
    delimiter = sniff_delimiter(text[:HEAD_CHARS])
    rows, lines = _parse(text[:HEAD_CHARS], delimiter, HEAD_ROWS)
    bare_cr = "\r" in text and "\n" not in text  # DuckDB's reader fails on these
    return Grid("csv", tuple(map(tuple, rows)), False, encoding, delimiter,
                row_lines=tuple(lines), offset=leading_blank(rows), bare_cr=bare_cr)


def confirmed(path: Path, grid: Grid, line: int) -> Grid:
    """The grid of a large CSV whose body turned out not to be UTF-8 at `line`: with the
    encoding found over every byte (Windows-1252 or Latin-1; refused when UTF-8 is mixed with
    another, or when a BOM promised UTF-8)."""
    if grid.encoding != "utf-8":
        raise Refused("bad_bom", line=line, encoding=ENCODING_NAMES[grid.encoding or "utf-8"])
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    return replace(grid, encoding=detect_encoding(path, head))

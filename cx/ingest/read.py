"""Bytes → rows of text. Detects the kind of file (CSV, XLSX, legacy XLS), the encoding (UTF-8
with or without BOM, UTF-16, Windows-1252, Latin-1), the delimiter and the sheet. Never a
traceback: whatever cannot be read becomes a `Refused` with one sentence (and the line)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, cast
from xml.etree.ElementTree import ParseError

from cx.ingest import workbook
from cx.ingest.problems import Refused

if TYPE_CHECKING:
    from xlrd.book import Book
    from xlrd.sheet import Sheet

LARGE_CSV = 16 * 1024 * 1024  # bigger CSVs: the body is parsed by DuckDB, not in Python
HEAD_ROWS = 12  # rows parsed in Python to recognise the layout of a large CSV
HEAD_CHARS = 256 * 1024
HEAD_BYTES = 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf",
                b"Rar!", b"\x7fELF", b"MZ", b"BZh")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16",
                  "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "cp1252": "Windows-1252",
                  "latin-1": "Latin-1"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class Grid:
    """The cells of a file as text. `rows` holds every row when `complete`, else only the first
    rows (a large CSV, whose body DuckDB reads from `utf8_body`)."""

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
        return _xlsx_grid(path.read_bytes(), sheet)
    if kind == "xls":
        return _xls_grid(path.read_bytes(), sheet)
    if path.stat().st_size > (LARGE_CSV if large is None else large):
        return _csv_head_grid(path, head)
    return _csv_grid(path.read_bytes())


Source = bytes | Path


def pieces(src: Source, size: int = 1 << 24) -> Iterator[bytes]:
    """The bytes of a file (or of bytes in memory) in pieces: never the whole file twice."""
    if isinstance(src, Path):
        with open(src, "rb") as fh:
            while piece := fh.read(size):
                yield piece
        return
    view = memoryview(src)
    for start in range(0, len(src), size):
        yield bytes(view[start:start + size])


def line_of(src: Source, offset: int) -> int:
    """The line (1-based) holding the byte at `offset`."""
    lines, seen = 1, 0
    for piece in pieces(src):
        lines += piece.count(b"\n", 0, max(0, offset - seen))
        seen += len(piece)
        if seen >= offset:
            break
    return lines


def detect_encoding(src: Source, head: bytes) -> str:
    """The codec that reads these bytes: BOMs first, then UTF-8, Windows-1252, Latin-1."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    wide = utf16(head)
    if wide:
        return wide
    if any(b"\x00" in piece for piece in pieces(src)):
        raise Refused("binary")
    bad = _first_error(src, "utf-8")
    if bad is None:
        return "utf-8"
    if any(_UTF8_MULTIBYTE.search(piece) for piece in pieces(src)):  # UTF-8 beside other bytes
        raise Refused("mixed_encoding", line=line_of(src, bad))
    return "cp1252" if _first_error(src, "cp1252") is None else "latin-1"


def utf16(head: bytes) -> str | None:
    """The UTF-16 codec these first bytes announce (a BOM, or the NUL bytes of ASCII text)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) == 0:
        return "utf-16-le"
    if sample[0::2].count(0) > len(sample) // 4 and sample[1::2].count(0) == 0:
        return "utf-16-be"
    return None


def _first_error(src: Source, encoding: str) -> int | None:
    """Offset of the first byte that `encoding` cannot decode (None: it all decodes)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    seen = 0
    for piece in pieces(src):
        try:
            decoder.decode(piece)
        except UnicodeDecodeError as exc:
            return seen + exc.start
        seen += len(piece)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return seen
    return None


def _chunks(src: Source, encoding: str) -> Iterator[str]:
    """The text piece by piece; a BOM that promised an encoding the bytes break is refused."""
    decoder = codecs.getincrementaldecoder(encoding)()
    seen = 0
    try:
        for piece in pieces(src):
            yield decoder.decode(piece)
            seen += len(piece)
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise Refused("bad_bom", line=line_of(src, seen + exc.start),
                      encoding=ENCODING_NAMES.get(encoding, encoding)) from exc


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


def leading_blank(rows: Iterable[Iterable[str]]) -> int:
    """How many rows before the first one with any text."""
    n = 0
    for row in rows:
        if any(c.strip() for c in row):
            return n
        n += 1
    return n


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


def _trim_empty_trailing_columns(rows: list[list[str]]) -> list[list[str]]:
    width = len(rows[0]) if rows else 0
    while width > 1 and not any(r[width - 1].strip() for r in rows):
        width -= 1
    return [r[:width] for r in rows]


def _csv_grid(data: bytes) -> Grid:
    encoding = detect_encoding(data, data[:HEAD_BYTES])
    text = _checked("".join(_chunks(data, encoding)))
    delimiter = sniff_delimiter(text[:HEAD_CHARS])
    rows, lines = _parse(text, delimiter)
    if leading_blank(rows) == len(rows):
        raise Refused("empty")
    rows = _trim_empty_trailing_columns(_rectangular(rows, lines, text.endswith(("\n", "\r"))))
    return Grid("csv", tuple(map(tuple, rows)), True, encoding, delimiter,
                row_lines=tuple(lines), offset=leading_blank(rows))


def _csv_head_grid(path: Path, head: bytes) -> Grid:
    """A large CSV: the first rows parsed. The encoding is told by the first megabyte; a file
    that looks like UTF-8 there is confirmed by DuckDB as it reads the body (a pass over every
    byte in Python would slow the ingest), and found by `confirmed` if it is not. NUL
    bytes past the head are found by `scan`, beside the staging."""
    encoding = detect_encoding(_whole_characters(head), head)
    if encoding in ("cp1252", "latin-1"):  # not UTF-8 already in its head: check every byte
        encoding = detect_encoding(path, head)
    text = _checked(next(iter(_chunks(head, encoding)), ""))
    delimiter = sniff_delimiter(text[:HEAD_CHARS])
    rows, lines = _parse(text[:HEAD_CHARS], delimiter, HEAD_ROWS)
    bare_cr = "\r" in text and "\n" not in text  # DuckDB's reader fails on these
    return Grid("csv", tuple(map(tuple, rows)), False, encoding, delimiter,
                row_lines=tuple(lines), offset=leading_blank(rows), bare_cr=bare_cr)


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


def scan(path: Path, piece_size: int = 1 << 24, lines: bool = True) -> Scan:
    """The file's SHA-256; whether it holds a NUL byte while not UTF-16 (DuckDB would read
    those as text); with `lines` (else None), whether an empty line stands between its rows
    (DuckDB skips those, which would number every later row one too low: see `utf8_body`)."""
    with open(path, "rb") as fh:
        wide = utf16(fh.read(4096)) is not None
    pattern = _BLANK_LINE_WIDE if wide else _BLANK_LINE
    digest, blank, seen, tail, binary = hashlib.sha256(), None, 0, b"", False
    for piece in pieces(path, piece_size):
        digest.update(piece)
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
    return Scan(digest.hexdigest(), blank_lines, binary)


def _last_text(path: Path, size: int) -> int:
    """The offset just after the last byte that is not blank (trailing empty lines aside)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, size - HEAD_BYTES))
        end = fh.read()
    return size - (len(end) - len(end.rstrip(_SPACE))) if end.strip(_SPACE) else size


def _whole_characters(head: bytes) -> bytes:
    """The head up to its last whole UTF-8 character (the cut may split one in two)."""
    for i in range(len(head) - 1, max(len(head) - 4, -1), -1):
        if head[i] & 0xC0 != 0x80:  # not a continuation byte: a character starts here
            return head[:i] if head[i] >= 0xC0 else head
    return head


def confirmed(path: Path, grid: Grid, line: int) -> Grid:
    """The grid of a large CSV whose body turned out not to be UTF-8 at `line`: with the
    encoding found over every byte (Windows-1252 or Latin-1; refused when UTF-8 is mixed with
    another, or when a BOM promised UTF-8)."""
    if grid.encoding != "utf-8":
        raise Refused("bad_bom", line=line, encoding=ENCODING_NAMES[grid.encoding or "utf-8"])
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    return replace(grid, encoding=detect_encoding(path, head))


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
            for piece in _chunks(path, grid.encoding or "utf-8"):
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


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _table(rows: Iterable[Iterable[object]]) -> list[list[str]]:
    table = [[cell_text(v) for v in row] for row in rows]
    while table and not any(c.strip() for c in table[-1]):
        table.pop()
    width = max((len(r) for r in table), default=0)
    return [r + [""] * (width - len(r)) for r in table]


def _filled(table: list[list[str]]) -> int:
    return sum(1 for row in table for c in row if c.strip())


def _sheet_grid(kind: str, rows: list[list[str]], choice: workbook.Choice) -> Grid:
    if not rows or not _filled(rows):
        raise Refused("empty")
    rows = _trim_empty_trailing_columns(rows)
    return Grid(kind, tuple(map(tuple, rows)), True, sheet=choice.sheet, sheets=choice.sheets,
                offset=leading_blank(rows))


EXCEL_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError,
                ParseError, EOFError, AttributeError)


def _xlsx_grid(data: bytes, sheet: str | None) -> Grid:
    from openpyxl import load_workbook

    choice = workbook.xlsx_choice(data, sheet)  # checked and measured before openpyxl opens it
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except EXCEL_ERRORS as exc:
        raise Refused("bad_excel") from exc
    try:
        # bounded by the cells in use (openpyxl pads to the declared dimension), and the parser
        # is left after the last row with data: nothing past it is parsed
        rows = book[choice.sheet].iter_rows(max_row=choice.area.rows,
                                            max_col=choice.area.columns, values_only=True)
        table = _table(islice(rows, choice.area.rows))
    except EXCEL_ERRORS as exc:
        raise Refused("bad_excel") from exc
    finally:
        book.close()
    return _sheet_grid("xlsx", table, choice)


def _xls_grid(data: bytes, sheet: str | None) -> Grid:
    import xlrd
    from xlrd.biffh import XLRDError  # xlrd's own, which its stubs do not re-export

    workbook.check_xls(len(data))
    try:  # on demand: one sheet in memory at a time; ragged: rows are not padded by xlrd
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
        choice = workbook.choose(book.sheet_names(), sheet,
                                 lambda name: workbook.xls_area(book, name))
        table = _table(_xls_rows(book, book.sheet_by_name(choice.sheet)))
    except (XLRDError, *EXCEL_ERRORS, AssertionError) as exc:
        raise Refused("bad_excel") from exc
    return _sheet_grid("xls", table, choice)


def _xls_rows(book: Book, ws: Sheet) -> Iterable[list[object]]:
    import xlrd

    for r in range(ws.nrows):
        row: list[object] = []
        for cell in ws.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                serial = cast(float, cell.value)  # a date cell holds its serial number
                row.append(xlrd.xldate_as_datetime(serial, book.datemode))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                row.append(None)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(bool(cell.value))
            else:
                row.append(cell.value)
        yield row

"""The rows of a workbook (XLSX or legacy XLS) as text: the sheet to read chosen on counts taken
before openpyxl or xlrd parse anything (`cx.ingest.sheet_area`, within `cx.ingest.workbook`'s
limits), then that sheet alone read, only as far as its cells in use."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from typing import TYPE_CHECKING, cast
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from cx.ingest import workbook, xlsx_parts
from cx.ingest.grid import Grid, leading_blank, trim_empty_trailing_columns
from cx.ingest.problems import Refused
from cx.ingest.sheet_area import Area, blank_strings, sheet_area, xls_area

if TYPE_CHECKING:
    from xlrd.book import Book
    from xlrd.sheet import Sheet

# sheets that describe the data (the template's own among them), never read as answers
NOTE_SHEETS = {"opzioni", "options", "glossario", "glossary", "istruzioni", "instructions",
               "legenda", "legend", "readme"}
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, OSError, ValueError, EOFError,
              expat.ExpatError, NotImplementedError, RuntimeError, OverflowError)
EXCEL_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError,
                ParseError, EOFError, AttributeError)


@dataclass(frozen=True)
class Choice:
    """The sheet to read, every sheet of the workbook (in order) and the chosen sheet's area."""

    sheet: str
    sheets: tuple[str, ...]
    area: Area


def choose(names: Sequence[str], sheet: str | None, area_of: Callable[[str], Area]) -> Choice:
    """The sheet named, else the one with the most non-blank cells, notes and option lists
    aside; only the sheets compared are measured (`area_of`), and an empty one is refused."""
    if not names:
        raise Refused("empty")
    if sheet is not None and sheet not in names:
        raise Refused("unknown_sheet", sheet=sheet, sheets=", ".join(names))
    data = [sheet] if sheet is not None else (
        [n for n in names if n.strip().casefold() not in NOTE_SHEETS] or list(names))
    areas = {name: area_of(name) for name in data}
    chosen = max(data, key=lambda name: areas[name].filled)
    if not areas[chosen].filled:
        raise Refused("empty")
    return Choice(chosen, tuple(names), areas[chosen])


def xlsx_choice(data: bytes, sheet: str | None) -> Choice:
    """The sheet of an XLSX to read and its area, once the zip, the shared strings and the
    sheets compared have passed the limits; a damaged file is refused as such."""
    workbook.check_directory(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _xlsx_choice(zf, sheet)
    except ZIP_ERRORS as exc:
        raise Refused("bad_excel") from exc


def _xlsx_choice(zf: zipfile.ZipFile, sheet: str | None) -> Choice:
    infos = zf.infolist()
    workbook.check_sizes(infos)
    book, strings = xlsx_parts.package(zf)
    parts = xlsx_parts.sheet_parts(zf, book)
    workbook.check_parts(infos, {*parts.values(), strings})
    blank = blank_strings(zf, strings) if strings else frozenset()
    return choose(list(parts), sheet, lambda name: sheet_area(zf, name, parts[name], blank))


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


def _sheet_grid(kind: str, rows: list[list[str]], choice: Choice) -> Grid:
    if not rows or not _filled(rows):
        raise Refused("empty")
    rows = trim_empty_trailing_columns(rows)
    return Grid(kind, tuple(map(tuple, rows)), True, sheet=choice.sheet, sheets=choice.sheets,
                offset=leading_blank(rows))


EXCEL_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError,
                ParseError, EOFError, AttributeError)


def xlsx_grid(data: bytes, sheet: str | None) -> Grid:
    from openpyxl import load_workbook

    choice = xlsx_choice(data, sheet)  # checked and measured before openpyxl opens it
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


def xls_grid(data: bytes, sheet: str | None) -> Grid:
    import xlrd
    from xlrd.biffh import XLRDError  # xlrd's own, which its stubs do not re-export

    workbook.check_xls(len(data))
    try:  # on demand: one sheet in memory at a time; ragged: rows are not padded by xlrd
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
        choice = choose(book.sheet_names(), sheet,
                                 lambda name: xls_area(book, name))
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

"""What a sheet's cells span, counted as they stream past (`cx.ingest.xlsx_parts`) or as xlrd
loads them, so that the sheet to read is chosen, and refused over `cx.ingest.workbook`'s limits,
before openpyxl or xlrd read any of it."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from cx.ingest import workbook
from cx.ingest.xlsx_parts import Stream

if TYPE_CHECKING:
    from xlrd.book import Book
    from xlrd.sheet import Sheet


@dataclass(frozen=True)
class Area:
    """What a sheet's non-blank cells span (the last row and column holding one, 1-based) and
    how many there are."""

    rows: int = 0
    columns: int = 0
    filled: int = 0


class _Strings(Stream):
    """The shared strings as they stream past: each text checked as it grows, their number
    checked, the indices of blank ones kept (a cell pointing there holds nothing)."""

    STARTS: ClassVar[dict[str, str]] = {"sst": "_table", "si": "_string", "t": "_text",
                                        "rPh": "_phonetic"}
    ENDS: ClassVar[dict[str, str]] = {"si": "_end_string", "t": "_end_text",
                                      "rPh": "_end_phonetic"}

    def __init__(self) -> None:
        super().__init__()
        self.count = self.length = 0
        self.reading = self.phonetic = self.nonblank = False
        self.blank: set[int] = set()

    def _table(self, attrs: dict[str, str]) -> None:
        declared = attrs.get("uniqueCount", "")  # a lie is found by counting
        if declared.isdecimal():
            workbook.check_strings(int(declared))

    def _string(self, attrs: dict[str, str]) -> None:
        self.length, self.nonblank = 0, False

    def _text(self, attrs: dict[str, str]) -> None:
        self.reading = not self.phonetic  # a reading aid (rPh) is not the text

    def _phonetic(self, attrs: dict[str, str]) -> None:
        self.phonetic = True

    def _end_text(self) -> None:
        self.reading = False

    def _end_phonetic(self) -> None:
        self.phonetic = False

    def _end_string(self) -> None:
        if not self.nonblank:
            self.blank.add(self.count)
        self.count += 1
        workbook.check_strings(self.count)

    def text(self, data: str) -> None:
        if self.reading:
            self.length += len(data)
            workbook.check_text(self.length)
            self.nonblank = self.nonblank or not data.isspace()


def blank_strings(zf: zipfile.ZipFile, part: str) -> frozenset[int]:
    strings = _Strings()
    strings.read(zf, part, strings.text)
    return frozenset(strings.blank)


class _Cells(Stream):
    """A worksheet's cells as they stream past: the area its non-blank cells span and how many
    there are, counted as openpyxl would read them (a formula, a number, a date, a boolean, an
    error, a text that is not blank); refused as soon as it declares or spans too much."""

    STARTS: ClassVar[dict[str, str]] = {
        "row": "_row", "c": "_cell", "v": "_value", "f": "_formula", "is": "_inline",
        "t": "_inline_text", "rPh": "_phonetic", "dimension": "_dimension"}
    ENDS: ClassVar[dict[str, str]] = {"c": "_end_cell", "v": "_end_text", "t": "_end_text",
                                      "is": "_end_inline", "rPh": "_end_phonetic"}

    def __init__(self, sheet: str, blank: frozenset[int]) -> None:
        super().__init__()
        self.sheet, self.blank = sheet, blank
        self.rows = self.columns = self.filled = self.row = self.column = self.length = 0
        self.kind = self.target = self.value = ""  # target: the text read ("v", "t" or none)
        self.in_cell = self.formula = self.inline = self.phonetic = False
        self.has_value = self.value_nonblank = self.inline_nonblank = False
        self.letters: dict[str, int] = {}

    def text(self, data: str) -> None:
        if not self.target:
            return
        self.length += len(data)
        workbook.check_text(self.length)
        if self.target == "v":
            self.has_value = True
            self.value = self.value + data if len(self.value) < 32 else self.value
            self.value_nonblank = self.value_nonblank or not data.isspace()
        else:
            self.inline_nonblank = self.inline_nonblank or not data.isspace()

    def _row(self, attrs: dict[str, str]) -> None:
        r = attrs.get("r")
        self.row = int(float(r)) if r else self.row + 1
        self.column = 0

    def _cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        self.column = self._column(ref.rstrip("0123456789")) if ref else self.column + 1
        self.kind, self.value, self.in_cell = attrs.get("t", "n"), "", True
        self.formula = self.has_value = self.value_nonblank = self.inline_nonblank = False

    def _value(self, attrs: dict[str, str]) -> None:
        if self.in_cell:
            self.target, self.length = "v", 0

    def _formula(self, attrs: dict[str, str]) -> None:
        self.formula = self.formula or self.in_cell

    def _inline(self, attrs: dict[str, str]) -> None:
        if self.in_cell:
            self.inline, self.length = True, 0

    def _inline_text(self, attrs: dict[str, str]) -> None:
        if self.inline and not self.phonetic:  # a reading aid (rPh) is not the text
            self.target = "t"

    def _phonetic(self, attrs: dict[str, str]) -> None:
        self.phonetic = True

    def _end_text(self) -> None:
        self.target = ""

    def _end_inline(self) -> None:
        self.inline = False

    def _end_phonetic(self) -> None:
        self.phonetic = False

    def _dimension(self, attrs: dict[str, str]) -> None:
        try:
            first, _, last = attrs.get("ref", "").partition(":")
            (top, left), (bottom, right) = _cell_ref(first), _cell_ref(last or first)
        except ValueError:
            return  # openpyxl judges a malformed dimension
        workbook.check_cells(self.sheet, bottom - top + 1, right - left + 1, "declared_cells")

    def _column(self, letters: str) -> int:
        if letters not in self.letters:
            self.letters[letters] = _column_number(letters)
        return self.letters[letters]

    def _end_cell(self) -> None:
        if self.in_cell and self._is_filled():
            self.filled += 1
            if self.row > self.rows or self.column > self.columns:
                self.rows, self.columns = max(self.rows, self.row), max(self.columns, self.column)
                workbook.check_cells(self.sheet, self.rows, self.columns)
        self.in_cell, self.target, self.inline, self.phonetic = False, "", False, False

    def _is_filled(self) -> bool:
        if self.formula:
            return True
        if self.kind == "inlineStr":
            return self.inline_nonblank
        if not self.has_value:
            return False
        if self.kind == "s":  # an index that is not one: openpyxl refuses it when read
            index = self.value.strip()
            return not index.isdecimal() or int(index) not in self.blank
        return self.kind in ("n", "b", "e", "d") or self.value_nonblank


def _column_number(letters: str) -> int:
    """A column's letters as its number: A → 1, XFD → 16,384 (ZZZ at most, as openpyxl)."""
    letters = letters.strip("$").upper()
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
        raise ValueError(f"not a column: {letters!r}")
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _cell_ref(ref: str) -> tuple[int, int]:
    """"XFD1048576" → (1048576, 16384)."""
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters):]), _column_number(letters)


def sheet_area(zf: zipfile.ZipFile, sheet: str, part: str, blank: frozenset[int]) -> Area:
    cells = _Cells(sheet, blank)
    cells.read(zf, part, cells.text)
    return Area(cells.rows, cells.columns, cells.filled)


def xls_area(book: Book, name: str) -> Area:
    """The area of one sheet of an xlrd workbook opened `on_demand` with `ragged_rows`: loaded
    alone (then let go when there are others), refused over `MAX_CELLS` before any padding."""
    ws = book.sheet_by_name(name)
    workbook.check_cells(name, ws.nrows, ws.ncols)
    area = Area(ws.nrows, ws.ncols, _xls_filled(ws))
    if book.nsheets > 1:
        book.unload_sheet(name)
    return area


def _xls_filled(ws: Sheet) -> int:
    import xlrd

    filled = (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE, xlrd.XL_CELL_BOOLEAN)
    return sum(kind in filled or (kind == xlrd.XL_CELL_TEXT and bool(str(value).strip()))
               for r in range(ws.nrows)
               for kind, value in zip(ws.row_types(r), ws.row_values(r), strict=True))

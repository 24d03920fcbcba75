"""Workbooks checked before openpyxl or xlrd parse them (issue 17, item 10), and the sheet to read
chosen on streamed counts: a hostile file is refused in one sentence, in seconds and a few MB,
instead of growing to gigabytes. Reads nothing but the zip's directory and streamed XML.

The limits, each stated in its refusal:

- `MAX_DIRECTORY` 1 MB: the zip's directory (some 10,000 parts; a workbook has tens), since
  zipfile makes an object of every entry before anything can be checked;
- `MAX_UNPACKED` 200 MB: all the parts of an XLSX once decompressed, as the directory declares
  them (zipfile never yields more than declared: a part that lies fails its CRC);
- `MAX_PART` 20 MB: one XML part other than the sheets and shared strings (workbook, styles,
  relationships…), which openpyxl parses whole;
- `MAX_RATIO` 100: a part over `RATIO_FROM` (8 MB) that decompresses to more than 100 times its
  size is a zip bomb (real sheets: 5 to 30 times);
- `MAX_TEXT` 1,000,000 characters: one text, shared or in a cell (Excel holds 32,767 at most
  in a cell; no survey answer is longer);
- `MAX_TAG` 4 MB: the bytes of one XML tag or text (expat holds each whole; past it the file is
  refused as damaged);
- `MAX_STRINGS` 5,000,000 shared strings: a sheet within `MAX_CELLS` cannot use more;
- `MAX_CELLS` 5,000,000: rows × columns of a sheet, as its `<dimension>` declares them or as
  its non-blank cells span them (Excel allows 1,048,576 × 16,384; a survey export needs far
  less, and each cell becomes a Python string), XLSX and XLS alike;
- `MAX_XLS` 50 MB: a legacy XLS file (not compressed: xlrd holds it, and its strings, whole).

Columns over the importer's limit (2,000) are refused by the pipeline, once the sheet, bounded
by `MAX_CELLS`, is read.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar
from xml.parsers import expat

from cx.ingest.problems import Refused

if TYPE_CHECKING:
    from xlrd.book import Book
    from xlrd.sheet import Sheet

MB = 1024 * 1024
MAX_DIRECTORY = MB
MAX_UNPACKED = 200 * MB
MAX_PART = 20 * MB
MAX_RATIO = 100
RATIO_FROM = 8 * MB
MAX_TEXT = 1_000_000
MAX_TAG = 4 * MB
MAX_STRINGS = 5_000_000
MAX_CELLS = 5_000_000
MAX_XLS = 50 * MB

NOTE_SHEETS = {"opzioni", "options", "istruzioni", "instructions", "legenda", "legend", "readme"}
PIECE = MB  # bytes of a part parsed at a time
WORKBOOK_TYPES = tuple(f"application/vnd.{kind}.main+xml" for kind in (  # openpyxl's order
    "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
    "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet"))
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, OSError, ValueError, EOFError,
              expat.ExpatError, NotImplementedError, RuntimeError, OverflowError)


class Count(int):
    """A number whose thousands are grouped as the reader's language does: `{n:.}` gives
    1.048.576 (Italian), `{n:,}` 1,048,576 (English). Refusals keep numbers, not text."""

    def __format__(self, spec: str) -> str:
        if spec == ".":
            return f"{int(self):,}".replace(",", ".")
        return format(int(self), spec)


def _mb(size: int) -> Count:
    return Count(-(-size // MB))  # rounded up: 200.1 MB is not "200 MB, over 200 MB"


@dataclass(frozen=True)
class Area:
    """What a sheet's non-blank cells span (the last row and column holding one, 1-based) and
    how many there are."""

    rows: int = 0
    columns: int = 0
    filled: int = 0


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


def check_cells(sheet: str, rows: int, columns: int, code: str = "used_cells") -> None:
    """Refuse a sheet spanning more than `MAX_CELLS` (declared, or found so far)."""
    if rows * columns > MAX_CELLS:
        raise Refused(code, sheet=sheet, rows=Count(rows), columns=Count(columns),
                      limit=Count(MAX_CELLS))


def xlsx_choice(data: bytes, sheet: str | None) -> Choice:
    """The sheet of an XLSX to read and its area, once the zip, the shared strings and the
    sheets compared have passed the limits; a damaged file is refused as such."""
    _check_directory(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _xlsx_choice(zf, sheet)
    except ZIP_ERRORS as exc:
        raise Refused("bad_excel") from exc


def _xlsx_choice(zf: zipfile.ZipFile, sheet: str | None) -> Choice:
    infos = zf.infolist()
    _check_sizes(infos)
    book, strings = _package(zf)
    parts = _sheet_parts(zf, book)
    _check_parts(infos, {*parts.values(), strings})
    blank = _blank_strings(zf, strings) if strings else frozenset()
    return choose(list(parts), sheet, lambda name: _sheet_area(zf, name, parts[name], blank))


def _check_directory(data: bytes) -> None:
    """Refuse a zip whose directory (the zip64 one when there is one, as zipfile reads it)
    lists more parts than a workbook has."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0:
        return  # not a zip after all: zipfile says so
    size = int.from_bytes(data[end + 12:end + 16], "little")
    record = end - 20 - 56  # zipfile looks for the zip64 end record just before its locator
    if record >= 0 and data[end - 20:end - 16] == b"PK\x06\x07" \
            and data[record:record + 4] == b"PK\x06\x06":
        size = int.from_bytes(data[record + 40:record + 48], "little")
    if size > MAX_DIRECTORY:
        raise Refused("workbook_parts", size=Count(-(-size // 1024)),
                      limit=Count(MAX_DIRECTORY // 1024))


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED:
        raise Refused("workbook_unpacked", size=_mb(total), limit=Count(MAX_UNPACKED // MB))
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
            raise Refused("workbook_ratio", part=info.filename, limit=Count(MAX_RATIO),
                          ratio=Count(info.file_size // max(1, info.compress_size)))


def _check_parts(infos: list[zipfile.ZipInfo], large: set[str | None]) -> None:
    """The XML parts openpyxl parses whole (all but the sheets and shared strings)."""
    for info in infos:
        if info.filename.endswith((".xml", ".rels")) and info.filename not in large:
            _check_part(info)


def _check_part(info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_PART:
        raise Refused("workbook_part", part=info.filename, size=_mb(info.file_size),
                      limit=Count(MAX_PART // MB))


def _parser(start: Callable[[str, dict[str, str]], None] | None = None,
            end: Callable[[str], None] | None = None,
            text: Callable[[str], None] | None = None,
            namespaces: bool = True) -> expat.XMLParserType:
    """An expat parser; with `namespaces`, names are "namespace local" (else as written, which
    parses faster). A DOCTYPE (entities, a billion laughs) is refused; names are not interned
    (expat would keep every distinct one: millions, in a hostile part)."""
    parser = expat.ParserCreate(namespace_separator=" " if namespaces else None, intern=None)
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    return parser


def _no_doctype(*_: object) -> None:
    raise ValueError("a workbook part never declares a DOCTYPE")


def _feed(zf: zipfile.ZipFile, part: str, parser: expat.XMLParserType) -> None:
    """Stream one part through `parser`, a piece at a time: never the whole part in memory, nor
    a tag or a text (expat holds one whole) much longer than `MAX_TAG`."""
    since = 0  # bytes since the last "<", which neither a tag nor a text holds
    with zf.open(part) as fh:
        while piece := fh.read(PIECE):
            first = piece.find(b"<")
            if since + (first if first >= 0 else len(piece)) > MAX_TAG:
                raise ValueError(f"{part}: over {MAX_TAG} bytes without a tag")
            since = len(piece) - piece.rfind(b"<") if first >= 0 else since + len(piece)
            parser.Parse(piece, False)
    parser.Parse(b"", True)


def _elements(zf: zipfile.ZipFile, part: str) -> list[tuple[str, dict[str, str]]]:
    """The elements of a small part: (local name, attributes)."""
    _check_part(zf.getinfo(part))
    found: list[tuple[str, dict[str, str]]] = []
    _feed(zf, part, _parser(lambda name, attrs: found.append((_local(name), attrs))))
    return found


def _local(name: str) -> str:
    """"namespace c", "x:c" or "c" → "c"."""
    return name.rpartition(" ")[2].rpartition(":")[2]


def _package(zf: zipfile.ZipFile) -> tuple[str, str | None]:
    """The workbook part and the shared strings part, found as openpyxl finds them."""
    types: dict[str, str] = {}
    defaults: set[str] = set()
    for tag, attrs in _elements(zf, "[Content_Types].xml"):
        if tag == "Override":
            types.setdefault(attrs.get("ContentType", ""), attrs.get("PartName", "")[1:])
        elif tag == "Default":
            defaults.add(attrs.get("ContentType", ""))
    book = next((types[kind] for kind in WORKBOOK_TYPES if kind in types), None)
    if book is None and defaults & set(WORKBOOK_TYPES):
        book = "xl/workbook.xml"
    if book is None:
        raise KeyError("no workbook part")
    return book, types.get(STRINGS_TYPE)


def _sheet_parts(zf: zipfile.ZipFile, book: str) -> dict[str, str]:
    """Sheet name → part, in the workbook's order, for the sheets openpyxl lists as worksheets
    (a chart sheet or a sheet whose part is missing is not one)."""
    folder, name = posixpath.split(book)
    rels = {attrs.get("Id"): attrs for tag, attrs in
            _elements(zf, posixpath.join(folder, "_rels", name + ".rels"))
            if tag == "Relationship"}
    present = set(zf.namelist())
    parts: dict[str, str] = {}
    for tag, attrs in _elements(zf, book):
        if tag != "sheet" or not attrs.get(RELATIONSHIP_ID):
            continue
        rel = rels[attrs[RELATIONSHIP_ID]]
        part = _target(folder, rel)
        if part in present and "chartsheet" not in rel.get("Type", ""):
            parts[attrs.get("name", "")] = part
    return parts


def _target(folder: str, rel: dict[str, str]) -> str:
    target = rel.get("Target", "")
    if rel.get("TargetMode") == "External":
        return target
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(folder, target))


class _Stream:
    """Expat handlers by local name (`STARTS`, `ENDS`: name → method), looked up once for each
    of the first `NAMES` names as written: millions of elements go by."""

    NAMES = 64  # "c", "x:c"…: a part has a few; a hostile one, millions

    STARTS: ClassVar[dict[str, str]] = {}
    ENDS: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        self._starts: dict[str, Callable[[dict[str, str]], None]] = {}
        self._ends: dict[str, Callable[[], None]] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        handler = self._starts.get(name) or self._handler(self._starts, self.STARTS, name)
        handler(attrs)

    def end(self, name: str) -> None:
        handler = self._ends.get(name) or self._handler(self._ends, self.ENDS, name)
        handler()

    def _handler(self, seen: dict[str, Callable[..., None]], names: dict[str, str],
                 name: str) -> Callable[..., None]:
        handler: Callable[..., None] = getattr(self, names.get(_local(name), "_skip"))
        if len(seen) < self.NAMES:
            seen[name] = handler
        return handler

    def _skip(self, *_: object) -> None:
        pass

    def read(self, zf: zipfile.ZipFile, part: str, text: Callable[[str], None]) -> None:
        _feed(zf, part, _parser(self.start, self.end, text, namespaces=False))


class _Strings(_Stream):
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
        if declared.isdecimal() and int(declared) > MAX_STRINGS:
            raise Refused("many_strings", limit=Count(MAX_STRINGS))

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
        if self.count > MAX_STRINGS:
            raise Refused("many_strings", limit=Count(MAX_STRINGS))

    def text(self, data: str) -> None:
        if self.reading:
            self.length += len(data)
            if self.length > MAX_TEXT:
                raise Refused("long_text", limit=Count(MAX_TEXT))
            self.nonblank = self.nonblank or not data.isspace()


def _blank_strings(zf: zipfile.ZipFile, part: str) -> frozenset[int]:
    strings = _Strings()
    strings.read(zf, part, strings.text)
    return frozenset(strings.blank)


class _Cells(_Stream):
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
        if self.length > MAX_TEXT:
            raise Refused("long_text", limit=Count(MAX_TEXT))
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
        check_cells(self.sheet, bottom - top + 1, right - left + 1, "declared_cells")

    def _column(self, letters: str) -> int:
        if letters not in self.letters:
            self.letters[letters] = _column_number(letters)
        return self.letters[letters]

    def _end_cell(self) -> None:
        if self.in_cell and self._is_filled():
            self.filled += 1
            if self.row > self.rows or self.column > self.columns:
                self.rows, self.columns = max(self.rows, self.row), max(self.columns, self.column)
                check_cells(self.sheet, self.rows, self.columns)
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


def _sheet_area(zf: zipfile.ZipFile, sheet: str, part: str, blank: frozenset[int]) -> Area:
    cells = _Cells(sheet, blank)
    cells.read(zf, part, cells.text)
    return Area(cells.rows, cells.columns, cells.filled)


def check_xls(size: int) -> None:
    """Refuse a legacy XLS over `MAX_XLS` before xlrd reads it."""
    if size > MAX_XLS:
        raise Refused("xls_too_large", size=_mb(size), limit=Count(MAX_XLS // MB))


def xls_area(book: Book, name: str) -> Area:
    """The area of one sheet of an xlrd workbook opened `on_demand` with `ragged_rows`: loaded
    alone (then let go when there are others), refused over `MAX_CELLS` before any padding."""
    ws = book.sheet_by_name(name)
    check_cells(name, ws.nrows, ws.ncols)
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

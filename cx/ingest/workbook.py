"""The limits a workbook must pass before openpyxl or xlrd parse it (issue 17, item 10), each
checked here and stated in its refusal: a hostile file is refused in one sentence, in seconds and
a few MB, instead of growing to gigabytes. The parts are streamed by `cx.ingest.xlsx_parts`,
counted by `cx.ingest.sheet_area`; `cx.ingest.sheets` reads the sheet chosen.

The limits:

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

import zipfile

from cx.ingest.problems import Refused

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


class Count(int):
    """A number whose thousands are grouped as the reader's language does: `{n:.}` gives
    1.048.576 (Italian), `{n:,}` 1,048,576 (English). Refusals keep numbers, not text."""

    def __format__(self, spec: str) -> str:
        if spec == ".":
            return f"{int(self):,}".replace(",", ".")
        return format(int(self), spec)


def _mb(size: int) -> Count:
    return Count(-(-size // MB))  # rounded up: 200.1 MB is not "200 MB, over 200 MB"


def check_cells(sheet: str, rows: int, columns: int, code: str = "used_cells") -> None:
    """Refuse a sheet spanning more than `MAX_CELLS` (declared, or found so far)."""
    if rows * columns > MAX_CELLS:
        raise Refused(code, sheet=sheet, rows=Count(rows), columns=Count(columns),
                      limit=Count(MAX_CELLS))


def check_text(length: int) -> None:
    """Refuse a text (shared, or in a cell) over `MAX_TEXT` characters, as it streams past."""
    if length > MAX_TEXT:
        raise Refused("long_text", limit=Count(MAX_TEXT))


def check_strings(count: int) -> None:
    """Refuse shared strings over `MAX_STRINGS`, declared or counted so far."""
    if count > MAX_STRINGS:
        raise Refused("many_strings", limit=Count(MAX_STRINGS))


def check_directory(data: bytes) -> None:
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


def check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse parts that unpack to too much, together or (a zip bomb) one by one."""
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED:
        raise Refused("workbook_unpacked", size=_mb(total), limit=Count(MAX_UNPACKED // MB))
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
            raise Refused("workbook_ratio", part=info.filename, limit=Count(MAX_RATIO),
                          ratio=Count(info.file_size // max(1, info.compress_size)))


def check_parts(infos: list[zipfile.ZipInfo], large: set[str | None]) -> None:
    """The XML parts openpyxl parses whole (all but the sheets and shared strings)."""
    for info in infos:
        if info.filename.endswith((".xml", ".rels")) and info.filename not in large:
            check_part(info)


def check_part(info: zipfile.ZipInfo) -> None:
    """Refuse one XML part that openpyxl would parse whole, over `MAX_PART`."""
    if info.file_size > MAX_PART:
        raise Refused("workbook_part", part=info.filename, size=_mb(info.file_size),
                      limit=Count(MAX_PART // MB))


def check_xls(size: int) -> None:
    """Refuse a legacy XLS over `MAX_XLS` before xlrd reads it."""
    if size > MAX_XLS:
        raise Refused("xls_too_large", size=_mb(size), limit=Count(MAX_XLS // MB))

"""An XLSX package read as openpyxl reads it, but streamed: its parts found from the content types
and relationships, each XML part fed to expat a piece at a time (never whole, never a DOCTYPE),
so that `cx.ingest.workbook`'s limits are checked before openpyxl holds anything."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from typing import ClassVar
from xml.parsers import expat

from cx.ingest import workbook

PIECE = workbook.MB  # bytes of a part parsed at a time
WORKBOOK_TYPES = tuple(f"application/vnd.{kind}.main+xml" for kind in (  # openpyxl's order
    "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
    "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet"))
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"


def parser(start: Callable[[str, dict[str, str]], None] | None = None,
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


def feed(zf: zipfile.ZipFile, part: str, parser: expat.XMLParserType) -> None:
    """Stream one part through `parser`, a piece at a time: never the whole part in memory, nor
    a tag or a text (expat holds one whole) much longer than `MAX_TAG`."""
    since = 0  # bytes since the last "<", which neither a tag nor a text holds
    with zf.open(part) as fh:
        while piece := fh.read(PIECE):
            first = piece.find(b"<")
            if since + (first if first >= 0 else len(piece)) > workbook.MAX_TAG:
                raise ValueError(f"{part}: over {workbook.MAX_TAG} bytes without a tag")
            since = len(piece) - piece.rfind(b"<") if first >= 0 else since + len(piece)
            parser.Parse(piece, False)
    parser.Parse(b"", True)


def elements(zf: zipfile.ZipFile, part: str) -> list[tuple[str, dict[str, str]]]:
    """The elements of a small part: (local name, attributes)."""
    workbook.check_part(zf.getinfo(part))
    found: list[tuple[str, dict[str, str]]] = []
    feed(zf, part, parser(lambda name, attrs: found.append((local(name), attrs))))
    return found


def local(name: str) -> str:
    """"namespace c", "x:c" or "c" → "c"."""
    return name.rpartition(" ")[2].rpartition(":")[2]


def package(zf: zipfile.ZipFile) -> tuple[str, str | None]:
    """The workbook part and the shared strings part, found as openpyxl finds them."""
    types: dict[str, str] = {}
    defaults: set[str] = set()
    for tag, attrs in elements(zf, "[Content_Types].xml"):
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


def sheet_parts(zf: zipfile.ZipFile, book: str) -> dict[str, str]:
    """Sheet name → part, in the workbook's order, for the sheets openpyxl lists as worksheets
    (a chart sheet or a sheet whose part is missing is not one)."""
    folder, name = posixpath.split(book)
    rels = {attrs.get("Id"): attrs for tag, attrs in
            elements(zf, posixpath.join(folder, "_rels", name + ".rels"))
            if tag == "Relationship"}
    present = set(zf.namelist())
    parts: dict[str, str] = {}
    for tag, attrs in elements(zf, book):
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


class Stream:
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
        handler: Callable[..., None] = getattr(self, names.get(local(name), "_skip"))
        if len(seen) < self.NAMES:
            seen[name] = handler
        return handler

    def _skip(self, *_: object) -> None:
        pass

    def read(self, zf: zipfile.ZipFile, part: str, text: Callable[[str], None]) -> None:
        feed(zf, part, parser(self.start, self.end, text, namespaces=False))

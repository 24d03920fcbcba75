"""Bytes and the codec that reads them: a file's bytes in pieces (never the whole file twice), the
encoding told from a BOM, NUL bytes or what decodes (UTF-8, Windows-1252, Latin-1), and the text
decoded piece by piece, a broken promise refused with its line."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from cx.ingest.problems import Refused

ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16",
                  "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "cp1252": "Windows-1252",
                  "latin-1": "Latin-1"}
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


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
    bad = first_error(src, "utf-8")
    if bad is None:
        return "utf-8"
    if any(_UTF8_MULTIBYTE.search(piece) for piece in pieces(src)):  # UTF-8 beside other bytes
        raise Refused("mixed_encoding", line=line_of(src, bad))
    return "cp1252" if first_error(src, "cp1252") is None else "latin-1"


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


def first_error(src: Source, encoding: str) -> int | None:
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


def chunks(src: Source, encoding: str) -> Iterator[str]:
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


def whole_characters(head: bytes) -> bytes:
    """The head up to its last whole UTF-8 character (the cut may split one in two)."""
    for i in range(len(head) - 1, max(len(head) - 4, -1), -1):
        if head[i] & 0xC0 != 0x80:  # not a continuation byte: a character starts here
            return head[:i] if head[i] >= 0xC0 else head
    return head

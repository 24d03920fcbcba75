"""The columns of a file as its header rows describe them, whatever the tool's layout (one row;
ids over texts; questions over options; a question over placeholder columns), each with a
unique name; and the header's shape, which keys a saved mapping."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cx.ingest.sources import (
    FLAT,
    IDS_TEXTS,
    QUESTION_OPTION,
    SM_SECOND_ROW,
    Layout,
    is_placeholder,
    norm,
)

Rows = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Column:
    """A column of the file: its position, its (unique) name, and what its header rows say."""

    index: int
    name: str
    texts: tuple[str, ...]
    question: str = ""
    option: str = ""


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for j, name in enumerate(names):
        name = name.strip() or f"column_{j + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def columns(header: Rows, layout: Layout, body: Rows = ()) -> tuple[Column, ...]:
    """The columns described by the header rows of this layout (and, where the header does not
    name an option, by the text its cells hold: the first rows of `body`)."""
    first = header[0] if header else ()
    # a second header row shorter than the first (a large CSV's head is not padded): blanks
    second = tuple(header[1][:len(first)]) + ("",) * (len(first) - len(header[1])) \
        if len(header) > 1 else ("",) * len(first)
    if layout.style == QUESTION_OPTION and len(header) > 1:
        return _question_option_columns(first, second)
    if layout.style == FLAT:
        return _flat_columns(first, body)
    second = second if layout.style == IDS_TEXTS else ("",) * len(first)
    names = _unique([a if a.strip() else b for a, b in zip(first, second)])
    return tuple(Column(j, names[j], tuple(t for t in (first[j], second[j]) if t.strip()),
                        option=_own_option(names[j], body, j))
                 for j in range(len(first)))


def lone_value(body: Rows, j: int) -> str:
    """The one text that column `j` holds (besides blanks), or "" when it holds several."""
    found = ""
    for row in body:
        cell = row[j].strip() if j < len(row) else ""
        if cell and cell != found:
            if found:
                return ""
            found = cell
    return found


def _own_option(name: str, body: Rows, j: int) -> str:
    """A column named after an option that holds that option or nothing (Typeform)."""
    return name if body and norm(lone_value(body, j)) == norm(name) else ""


def _flat_columns(first: tuple[str, ...], body: Rows) -> tuple[Column, ...]:
    """A question over a named column and the placeholder columns after it; each column of
    such a group holds one option's text (or nothing), which names its option."""
    names = _unique(list(first))
    out, question = [], ""
    for j, cell in enumerate(first):
        placeholder = is_placeholder(cell)
        question = question if placeholder else cell.strip()
        grouped = placeholder or (j + 1 < len(first) and is_placeholder(first[j + 1]))
        lone = lone_value(body, j) if grouped else ""
        if grouped and lone:
            out.append(Column(j, names[j], (), question, lone))
        else:
            out.append(Column(j, names[j], () if placeholder else (cell,)))
    return tuple(out)


def _question_option_columns(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[Column,
                                                                                          ...]:
    questions, current = [], ""
    for cell in first:
        current = cell.strip() or current
        questions.append(current)
    spans = {q: questions.count(q) for q in questions}
    raw = []
    for q, option in zip(questions, second):
        option = option.strip()
        single = spans[q] == 1 and (not option or norm(option) in SM_SECOND_ROW)
        raw.append(q if single else f"{q} [{option}]")
    names = _unique(raw)
    return tuple(Column(j, names[j], (names[j],), questions[j], second[j].strip())
                 for j in range(len(first)))


def shape(cols: tuple[Column, ...]) -> str:
    """A fingerprint of the header: files of the same shape reuse a saved mapping."""
    text = "\x1f".join(norm(c.name) for c in cols)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

"""An analyst's edits of the themes of one question: a theme renamed (its label in Italian and
English) or merged into another (its answers then belong to the other, each respondent counted
once). Kept in the store (`theme_edits`), applied in the order they were made: the same edits
give the same themes. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Action = Literal["rename", "merge"]
ACTIONS: tuple[Action, ...] = ("rename", "merge")
UNSAFE = re.compile(r"[^\w\s'’.,;:()/&+%-]")  # Markdown's syntax and HTML left out
MAX_LABEL = 80


@dataclass(frozen=True)
class Edit:
    theme: str
    action: Action
    target: str | None = None  # the theme a merged one joins
    label_it: str | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class Edited:
    """The themes of each answer after the edits, and the analyst's label of each theme."""

    themes: dict[str, frozenset[str]]
    labels: dict[str, tuple[str, str]]  # theme → (Italian, English)


def edits_of(rows: Iterable[Mapping[str, object]]) -> tuple[Edit, ...]:
    """The edits of the store's rows (in the order read: by time made), unknown actions left
    out."""
    out = []
    for r in rows:
        action = str(r["action"])
        if action in ACTIONS:
            out.append(Edit(str(r["theme"]), "merge" if action == "merge" else "rename",
                            _text(r.get("target")), _text(r.get("label_it")),
                            _text(r.get("label_en"))))
    return tuple(out)


def _text(value: object) -> str | None:
    """A name as an analyst typed it, kept to letters, digits, spaces and plain punctuation:
    it is shown in Markdown, chart labels and file names."""
    if value is None:
        return None
    kept = " ".join(UNSAFE.sub(" ", str(value)).split())[:MAX_LABEL]
    return kept or None


def apply_edits(themes: Mapping[str, frozenset[str]], edits: Iterable[Edit]) -> Edited:
    """The edits applied one after the other. A merge rewrites every answer's themes (so a
    later merge of the target moves them on); an edit of a theme no answer has is ignored."""
    current = dict(themes)
    labels: dict[str, tuple[str, str]] = {}
    for e in edits:
        present = any(e.theme in ts for ts in current.values())
        if not present:
            continue
        if e.action == "merge" and e.target and e.target != e.theme:
            current = {a: frozenset(e.target if x == e.theme else x for x in ts)
                       for a, ts in current.items()}
            labels.pop(e.theme, None)
        elif e.action == "rename" and (e.label_it or e.label_en):
            label_it = e.label_it or e.label_en or e.theme
            labels[e.theme] = (label_it, e.label_en or label_it)
    return Edited(current, labels)

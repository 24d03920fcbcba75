"""What can be wrong with an upload, as codes translated only when shown: a refusal of the whole
file (`ingest.refusal.*`) or a problem in one cell (`ingest.reason.*`); and what the importer
changed in the cells it kept (`Recoded`, `ingest.recode.*`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from cx import fmt
from cx.i18n import t
from cx.questionnaire import questionnaire

SHOWN_OPTIONS = 12
UNKNOWN_ANSWER = ("unknown_option", "unknown_part")  # reasons whose text lists the answers allowed


def _params(params: dict[str, object]) -> tuple[tuple[str, object], ...]:
    return tuple(sorted(params.items()))


@dataclass(frozen=True)
class Problem:
    """One cell: the file's row number (header rows included, 1-based), column and value."""

    row: int
    column: str
    value: str | None
    reason: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def unknown_answer(self) -> bool:
        return self.reason in UNKNOWN_ANSWER

    @property
    def question(self) -> str | None:
        return str(dict(self.params).get("question", "")) or None

    def text(self, lang: str, allowed: bool = True) -> str:
        """Why, in `lang`; an unknown answer also lists the answers allowed, a number below a
        scale how to read it as «not applicable» (unless `allowed` is False: the page says
        those once, below its table)."""
        params = dict(self.params)
        if self.unknown_answer:
            params["allowed"] = t("ingest.reason.allowed", lang, options=allowed_options(
                self.question or "", lang)) if allowed else ""
        if self.reason == "below_scale":  # the page says how once, below its table
            params["hint"] = t("ingest.reason.below_scale_hint", lang,
                               value=params["value"]) if allowed else ""
        return t(f"ingest.reason.{self.reason}", lang, **params)

    def as_dict(self, lang: str) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "value": self.value,
                "reason": self.text(lang), "code": self.reason}

    @classmethod
    def from_json(cls, row: int, column: str, value: str | None, reason: str,
                  params: str) -> Problem:
        return cls(int(row), column, value, reason, _params(json.loads(params or "{}")))


SHOWN_VALUES = 3


@dataclass(frozen=True)
class Recoded:
    """What the importer did to one column's cells of one kind (`cx.ingest.recode` notes:
    no_answer, not_applicable, label, number): how many cells, and the values as written
    with their counts, most frequent first."""

    column: str
    question: str
    note: str
    cells: int
    values: tuple[tuple[str, int], ...]

    def text(self, lang: str) -> str:
        """«club_csat: 3 celle con «0» lette come «non applicabile»»."""
        quoted = [t("ingest.reason.quoted", lang, text=v) for v, _ in self.values[:SHOWN_VALUES]]
        more = len(self.values) - SHOWN_VALUES
        values = ", ".join(quoted) + (t("ingest.recode.more", lang, n=more) if more > 0 else "")
        return t(f"ingest.recode.{self.note}", lang, column=self.column,
                 n=fmt.number(self.cells, lang), values=values)

    def as_dict(self, lang: str) -> dict[str, object]:
        return {"column": self.column, "question": self.question, "kind": self.note,
                "cells": self.cells, "values": dict(self.values), "text": self.text(lang)}


def allowed_options(qid: str, lang: str) -> str:
    """The answers a question takes, as the analyst would write them: «A», «B», … (the first
    ones, and how many in all, for a long list)."""
    return _allowed_options(qid, lang, SHOWN_OPTIONS)


@lru_cache(maxsize=256)  # the same list for each of a file's (maybe 100,000) unknown answers
def _allowed_options(qid: str, lang: str, limit: int) -> str:
    qn = questionnaire()
    if qid not in qn:
        return qid
    labels = [t("ingest.reason.quoted", lang, text=o.label(lang)) for o in qn[qid].options]
    shown = ", ".join(labels[:limit])
    if len(labels) > limit:
        return t("ingest.reason.more_options", lang, shown=shown, n=len(labels))
    return shown


class Refused(Exception):
    """The whole file is refused; nothing is written. `text(lang)` says why in one sentence."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params

    def text(self, lang: str) -> str:
        return t(f"ingest.refusal.{self.code}", lang, **self.params)

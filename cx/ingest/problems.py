"""What can be wrong with an upload, as codes translated only when shown: a refusal of the whole
file (`ingest.refusal.*`) or a problem in one cell (`ingest.reason.*`)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cx.i18n import t


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

    def text(self, lang: str) -> str:
        return t(f"ingest.reason.{self.reason}", lang, **dict(self.params))

    def as_dict(self, lang: str) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "value": self.value,
                "reason": self.text(lang), "code": self.reason}

    @classmethod
    def from_json(cls, row: int, column: str, value: str | None, reason: str,
                  params: str) -> Problem:
        return cls(int(row), column, value, reason, _params(json.loads(params or "{}")))


class Refused(Exception):
    """The whole file is refused; nothing is written. `text(lang)` says why in one sentence."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params

    def text(self, lang: str) -> str:
        return t(f"ingest.refusal.{self.code}", lang, **self.params)

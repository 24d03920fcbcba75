"""What the analyst chose for an upload (`Options`), and how the choices that are remembered or
given for every row are written: a saved mapping, the codes read as "not applicable" (and, with
the file's source, `BelowScale`), the values given for every row, staged as columns of their
own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cx.ingest.problems import Refused
from cx.ingest.written import number_text, parse_number
from cx.questionnaire import Questionnaire

FIXED = "="  # a value given for every row (`Options.values`) is staged as a column "=<id>"
NOT_FIXED = ("respondent_id", "wave")
NOT_APPLICABLE_KEY = "=not_applicable"  # in a saved mapping: the codes read as such


@dataclass(frozen=True)
class Options:
    """What the analyst chose: wave, mode, sheet, column → target overrides, values given for
    every row (question id → value, e.g. the company of a file from one company; "" removes a
    saved one), partial import, and the whole numbers below a rating scale that mean "not
    applicable" in this file (e.g. "0"; None: as saved for files of this shape, else none)."""

    wave: int | None = None
    mode: str = "append"
    sheet: str | None = None
    mapping: tuple[tuple[str, str], ...] = ()
    accept_partial: bool = False
    values: tuple[tuple[str, str], ...] = ()
    not_applicable: tuple[str, ...] | None = None
    repeats: str | None = None  # rows already loaded, found again: "skip" or "keep" them


def fixed_name(qid: str) -> str:
    """The name of the staged column holding a value given for every row."""
    return FIXED + qid


def split_saved(saved: dict[str, str] | None) -> tuple[dict[str, str], tuple[str, ...] | None]:
    """A saved mapping as (column → target, codes below a scale that mean "not applicable",
    None when none were saved). Values given for every row are no longer saved; one saved by
    an older version is ignored (issue 17). Keys starting with "=" are never a column's name
    (a file's header cell is staged under its own name, but "=" + qid names fixed values)."""
    saved = saved or {}
    columns = {k: v for k, v in saved.items() if not k.startswith(FIXED)}
    codes = saved.get(NOT_APPLICABLE_KEY)
    return columns, (tuple(c for c in codes.split("|") if c) if codes is not None else None)


def not_applicable_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes the analyst gave for "not applicable": whole numbers, written as the recoder
    writes them ("0", "-1"); anything else is refused."""
    out = []
    for code in codes:
        value = parse_number(str(code))
        if value is None or not value.is_integer():
            raise Refused("bad_not_applicable", value=code)
        out.append(number_text(value))
    return tuple(dict.fromkeys(out))


def fixed_values(chosen: dict[str, str], qn: Questionnaire) -> dict[str, str]:
    """The values the analyst gave for every row ("" gives none)."""
    values = {k: v.strip() for k, v in chosen.items()}
    for qid in values:
        if qid not in qn or qid in NOT_FIXED:
            raise Refused("bad_fixed", question=qid)
    return {qid: v for qid, v in values.items() if v}


@dataclass(frozen=True)
class BelowScale:
    """Which whole numbers below a rating scale mean "not applicable" in one file: the codes
    the analyst named (`codes`, e.g. "0"), and every negative one when the file's source codes
    its non-substantive options so (Qualtrics: -1, -99 "seen, unanswered"). Anything else
    below the scale is out of range."""

    codes: frozenset[str] = frozenset()
    negative: bool = False

    def means_not_applicable(self, value: float) -> bool:
        return value.is_integer() and (number_text(value) in self.codes
                                       or (self.negative and value < 0))


STRICT = BelowScale()

"""Staging an upload: a CSV body read by DuckDB (its rejected lines as refusals), and the
recoding of each column's distinct values in Python (`cx.ingest.recode`) into the lookup the
store's SQL joins (`cx.store.upload`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from cx.ingest.body import NotUtf8
from cx.ingest.options import STRICT, BelowScale
from cx.ingest.problems import Recoded, Refused
from cx.ingest.recode import Coded, recoder
from cx.questionnaire import Question, Questionnaire
from cx.store import csv_source
from cx.store.upload import Plan, Staging
from cx.store.upload.staged import UNREADABLE

if TYPE_CHECKING:  # pandas loads on the thorough path only
    import pandas as pd

_INTEGER = r"-?\d+"
_DECIMAL = r"-?\d+(\.\d+)?"


def max_line_mb() -> int:
    """DuckDB's line limit in MB, read when refusing (tests lower it)."""
    return csv_source.MAX_LINE // (1024 * 1024)


def load_csv(staging: Staging, path: Path, width: int, skip: int, delimiter: str) -> None:
    """Stage a CSV body read by DuckDB; a malformed line refuses the file."""
    rejects = staging.load_csv(str(path), width, delimiter, skip)
    if rejects:
        line, kind, _ = rejects[0]
        if kind == UNREADABLE:
            raise Refused("unreadable_csv")
        if kind.upper() == "INVALID ENCODING":
            raise NotUtf8(line)  # read again in its encoding
        if "COLUMNS" in kind.upper():
            raise Refused("ragged_line", line=line)
        if "LINE SIZE" in kind.upper():
            raise Refused("line_too_long", line=line, limit=max_line_mb())
        raise Refused("bad_quotes", line=line)


def _identity(q: Question, raw: str, coded: Coded) -> bool:
    """Whether the raw text, cast by DuckDB, is already the coded answer (no lookup needed)."""
    if coded.reason is not None or coded.value is None:
        return False
    if q.sql_type == "VARCHAR":
        return raw == coded.value
    pattern = _INTEGER if q.sql_type == "INTEGER" else _DECIMAL
    return re.fullmatch(pattern, raw) is not None and float(raw) == float(coded.value)


def recode_table(plan: Plan, qn: Questionnaire, distinct: dict[int, dict[str, int]],
                 below: BelowScale = STRICT) -> tuple[pd.DataFrame, set[int], tuple[Recoded, ...]]:
    """The lookup of every value that needs one, the columns that need none, and what was
    recoded (per column and kind of recode)."""
    rows: list[tuple[int, str, str | None, str | None, str]] = []
    identity: set[int] = set()
    recoded: list[Recoded] = []
    for qid, col in plan.whole:
        q = qn[qid]
        if q.qtype.free:
            continue
        counts = distinct.get(col, {})
        coded = {raw: recoder(q, below).code(raw) for raw in counts}
        odd = [(raw, c) for raw, c in coded.items() if not _identity(q, raw, c)]
        if not odd:
            identity.add(col)
        rows += [(col, raw, c.value, c.reason, json.dumps(dict(c.params))) for raw, c in odd]
        recoded += _recoded(plan.names[col], qid, dict(odd), counts)
    for qid, opts in plan.options:
        for code, col in opts:
            values = list(distinct.get(col, {}))
            flags = recoder(qn[qid]).flags(values, code, plan.names[col])
            rows += [(col, raw, c.value, c.reason, json.dumps(dict(c.params)))
                     for raw, c in flags.items()]
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["col", "raw", "value", "reason", "params"])
    return frame.astype({"col": "int64"}), identity, tuple(recoded)


def _recoded(column: str, qid: str, coded: dict[str, Coded],
             counts: dict[str, int]) -> list[Recoded]:
    """The recodes of one column (values read as they are written, as DuckDB casts them,
    are none)."""
    by_note: dict[str, list[tuple[str, int]]] = {}
    for raw, c in coded.items():
        if c.note is not None and c.reason is None:
            by_note.setdefault(c.note, []).append((raw, counts[raw]))
    return [Recoded(column, qid, note, sum(n for _, n in found),
                    tuple(sorted(found, key=lambda v: (-v[1], v[0]))))
            for note, found in sorted(by_note.items())]

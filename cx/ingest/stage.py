"""The upload as set-based SQL, on one cursor inside the caller's transaction.

The file's cells sit in a temp table (`raw_upload`, VARCHAR columns c0, c1, … whatever the
header said); each column's *distinct* values are recoded in Python (`cx.ingest.recode`) into a
small table; answers, problems and writes are then single queries, so a million rows never
become Python objects. Identifiers are generated (c<n>, question ids from the questionnaire);
every value, file column name included, is a bound parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

import cx.store
from cx.ingest.problems import Recoded, Refused
from cx.ingest.read import NotUtf8
from cx.ingest.recode import STRICT, BelowScale, Coded, recoder
from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire
from cx.store import Store

_INTEGER = r"-?\d+"
_DECIMAL = r"-?\d+(\.\d+)?"


@dataclass(frozen=True)
class Plan:
    """Where each question's answers are in the staged file."""

    names: tuple[str, ...]
    whole: tuple[tuple[str, int], ...]  # (question id, column) answered in one column
    options: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (multi id, ((code, col), ..))
    wave: int | None
    id_prefix: str
    mode: str

    @property
    def whole_map(self) -> dict[str, int]:
        return dict(self.whole)

    @property
    def mapped(self) -> set[int]:
        return {c for _, c in self.whole} | {c for _, opts in self.options for _, c in opts}

    @property
    def unmapped(self) -> tuple[int, ...]:
        return tuple(j for j in range(len(self.names)) if j not in self.mapped)


def max_line_mb() -> int:
    """DuckDB's line limit in MB, read when refusing (tests lower it)."""
    return cx.store.MAX_LINE // (1024 * 1024)


def _c(j: int) -> str:
    return f"c{int(j)}"


# ---------------------------------------------------------------------------- staging
def load_rows(cur, rows: Sequence[Sequence[str]], width: int) -> None:
    """Stage rows parsed in Python (empty cells become NULL, as DuckDB reads a CSV)."""
    frame = pd.DataFrame({_c(j): pd.array([(r[j] if r[j] != "" else None) for r in rows],
                                          dtype="string") for j in range(width)})
    cur.register("upload_frame", frame)
    try:
        cols = ", ".join(f"CAST({_c(j)} AS VARCHAR) AS {_c(j)}" for j in range(width))
        cur.execute(f"CREATE OR REPLACE TEMP TABLE raw_upload AS SELECT {cols} FROM upload_frame")
    finally:
        cur.unregister("upload_frame")


def load_csv(store: Store, cur, path, width: int, skip: int, delimiter: str) -> None:
    """Stage a CSV body read by DuckDB; a malformed line refuses the file."""
    rejects = store.stage_csv(cur, path, width, delimiter, skip)
    if rejects:
        line, kind, _ = rejects[0]
        if kind.upper() == "INVALID ENCODING":
            raise NotUtf8(line)  # read again in its encoding
        if "COLUMNS" in kind.upper():
            raise Refused("ragged_line", line=line)
        if "LINE SIZE" in kind.upper():
            raise Refused("line_too_long", line=line, limit=max_line_mb())
        raise Refused("bad_quotes", line=line)


def staged_rows(cur) -> int:
    """The rows staged so far (blank ones too)."""
    return int(cur.execute("SELECT count(*) FROM raw_upload").fetchall()[0][0])


def finish(cur, width: int, first_row: int) -> int:
    """Number the rows as in the file, drop entirely blank ones; returns the respondents."""
    base = cur.execute("SELECT min(rowid) FROM raw_upload").fetchall()[0][0]
    if base is None:
        return 0
    blank = " AND ".join(f"({_c(j)} IS NULL OR trim({_c(j)}) = '')" for j in range(width))
    cur.execute(f"DELETE FROM raw_upload WHERE {blank}")
    cur.execute(f"CREATE OR REPLACE TEMP VIEW upload_rows AS SELECT rowid - {int(base)} + "
                f"{int(first_row)} AS row_no, * FROM raw_upload")
    return int(cur.execute("SELECT count(*) FROM raw_upload").fetchall()[0][0])


def distinct_values(cur, cols: Sequence[int]) -> dict[int, dict[str, int]]:
    """The distinct non-empty values of each column with how many cells hold each, all in one
    scan of the upload (the counts let the preview say how many cells each recode touched)."""
    wanted = list(dict.fromkeys(cols))
    if not wanted:
        return {}
    lists = ", ".join(f"histogram({_c(j)}) FILTER (WHERE {_c(j)} IS NOT NULL)" for j in wanted)
    found = cur.execute(f"SELECT {lists} FROM raw_upload").fetchall()[0]
    return {j: dict(sorted((counts or {}).items())) for j, counts in zip(wanted, found)}


# ---------------------------------------------------------------------------- recoding
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
        if q.type in ("text", "id"):
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


def store_recode(cur, frame: pd.DataFrame) -> None:
    cur.register("upload_recode_frame", frame)
    try:
        cur.execute("CREATE OR REPLACE TEMP TABLE upload_recode AS SELECT CAST(col AS INTEGER) "
                    "AS col, CAST(raw AS VARCHAR) AS raw, CAST(value AS VARCHAR) AS value, "
                    "CAST(reason AS VARCHAR) AS reason, CAST(params AS VARCHAR) AS params "
                    "FROM upload_recode_frame")
    finally:
        cur.unregister("upload_recode_frame")


# ---------------------------------------------------------------------------- answers
def _join(col: int) -> str:
    return (f"LEFT JOIN upload_recode r{int(col)} ON r{int(col)}.col = {int(col)} "
            f"AND r{int(col)}.raw = s.{_c(col)}")


def _whole(q: Question, col: int, identity: set[int]) -> tuple[str, str | None]:
    """(expression, join) of a question answered in one column."""
    c = f"s.{_c(col)}"
    if q.type in ("text", "id"):
        return f"nullif(trim({c}), '')", None
    if col in identity:
        return f"TRY_CAST(nullif({c}, '') AS {q.sql_type})", None
    value = f"CASE WHEN r{int(col)}.raw IS NULL THEN nullif({c}, '') ELSE r{int(col)}.value END"
    return f"TRY_CAST({value} AS {q.sql_type})", _join(col)


def company_renames(store: Store, cur, plan: Plan) -> bool:
    """Whether some company names of the upload are spellings to store as another
    (`Store.company_renames`, temp table `company_renames`): «Caffe Borbone» after «Caffè
    Borbone», or a company already in the database (of two new spellings, the first in the file
    is kept)."""
    name = _company(plan)
    first = (f"SELECT {name} AS name, min(s.row_no) AS seen FROM upload_rows s "
             f"WHERE {name} IN (SELECT name FROM company_suspects) GROUP BY 1")
    return store.company_renames(cur, f"SELECT {name} AS name FROM upload_rows s",
                                 order=first) > 0


def _company(plan: Plan) -> str:
    """The company name as the text answer it is (see `_whole`)."""
    return f"nullif(trim(s.{_c(plan.whole_map['company'])}), '')"


def answers(cur, plan: Plan, qn: Questionnaire, identity: set[int],
            renamed: bool = False) -> None:
    """The view `upload_answers`: row number and every question id, recoded and typed. A view,
    so that each later query computes only the answers it needs. The few values it uses are
    session variables (a view cannot take bound parameters; a one-row table joined in would
    keep DuckDB from writing the rows in parallel). `renamed`: company names are looked up in
    `company_renames` (see `company_renames`)."""
    set_variables(cur, plan)
    exprs, joins = ["s.row_no AS row_no"], []
    whole, options = plan.whole_map, dict(plan.options)
    for q in qn.questions:
        if q.id == "company" and renamed:
            expr = f"CASE WHEN cr.name IS NULL THEN {_company(plan)} ELSE cr.company END"
            joins.append(f"LEFT JOIN company_renames cr ON cr.name = {_company(plan)}")
        elif q.id in whole:
            expr, join = _whole(q, whole[q.id], identity)
            joins += [join] if join else []
        elif q.id in options:
            parts = [f"r{int(col)}.value" for _, col in options[q.id]]
            joins += [_join(col) for _, col in options[q.id]]
            expr = f"nullif(concat_ws({_var('sep')}, {', '.join(parts)}), '')"
        else:
            expr = f"CAST(NULL AS {q.sql_type})"
        if q.id == "respondent_id":
            expr = f"coalesce({expr}, {_var('prefix')} || CAST(s.row_no AS VARCHAR))"
        if q.id == "wave" and plan.wave is not None:
            exprs.append(f"{expr} AS _file_wave")
            expr = wave_value()
        exprs.append(f'{expr} AS "{q.id}"')
    cur.execute(f"CREATE OR REPLACE TEMP VIEW upload_answers AS SELECT {', '.join(exprs)} "
                f"FROM upload_rows s {' '.join(joins)}")


def set_variables(cur, plan: Plan) -> None:
    """The upload's constants as session variables, read by `wave_value` and the like."""
    for name, value in (("sep", MULTI_SEPARATOR), ("prefix", plan.id_prefix),
                        ("wave", plan.wave)):
        cur.execute(f"SET VARIABLE cx_upload_{name} = CAST($value AS "
                    f"{'INTEGER' if name == 'wave' else 'VARCHAR'})", {"value": value})


def wave_value() -> str:
    """The wave chosen for the whole upload."""
    return _var("wave")


def _var(name: str) -> str:
    return f"getvariable('cx_upload_{name}')"

"""Staging: the file's cells into `raw_upload`, numbered as in the file; the recode lookup;
the view of typed answers (`upload_answers`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb

from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire
from cx.store.csv_source import csv_body
from cx.store.sql import col, ident
from cx.store.upload.plan import Plan

if TYPE_CHECKING:  # pandas loads on the thorough path only: a file already in codes
    import pandas as pd  # goes in without it (`cx.store.upload.direct`)

Cursor = duckdb.DuckDBPyConnection
UNREADABLE = "UNREADABLE FILE"  # the kind of reject `load_csv` reports when DuckDB gives up


def load_rows(cur: Cursor, rows: Sequence[Sequence[str]], width: int) -> None:
    """Stage rows parsed in Python (empty cells become NULL, as DuckDB reads a CSV)."""
    import pandas as pd

    frame = pd.DataFrame({col(j): pd.array([(r[j] if r[j] != "" else None) for r in rows],
                                           dtype="string") for j in range(width)})
    cur.register("upload_frame", frame)
    try:
        cols = ", ".join(f"CAST({col(j)} AS VARCHAR) AS {col(j)}" for j in range(width))
        cur.execute(f"CREATE OR REPLACE TEMP TABLE raw_upload AS SELECT {cols} FROM upload_frame")
    finally:
        cur.unregister("upload_frame")


def load_csv(cur: Cursor, path: str, width: int, delimiter: str,
             skip: int) -> list[tuple[int, str, str]]:
    """Read a UTF-8 CSV body (after `skip` lines) into `raw_upload`; the rejected lines as
    (line, error type, message), bytes that are not UTF-8 first. The caller holds the store's
    insertion-order lock: rows keep the file's order, their numbers come from it."""
    for table in ("reject_errors", "reject_scans"):  # kept by DuckDB from a read before
        cur.execute(f"DROP TABLE IF EXISTS temp.{table}")
    source, params = csv_body(path, width, delimiter, skip, rejects=True)
    try:
        cur.execute(f"CREATE OR REPLACE TEMP TABLE raw_upload AS SELECT * FROM {source}",
                    params)
    except duckdb.Error as exc:  # the reader gave up on the whole file, not on a line
        return [(0, UNREADABLE, str(exc))]
    return [(int(line), str(kind), str(message)) for line, kind, message in cur.execute(
        "SELECT line, error_type, error_message FROM reject_errors "
        "ORDER BY error_type = 'INVALID ENCODING' DESC, line LIMIT 5").fetchall()]


def add_fixed(cur: Cursor, width: int, values: Sequence[str]) -> None:
    """Values given for every row, as staged columns after the file's own."""
    for j, value in enumerate(values, start=width):
        cur.execute(f"ALTER TABLE raw_upload ADD COLUMN {col(j)} VARCHAR")
        cur.execute(f"UPDATE raw_upload SET {col(j)} = $value", {"value": value})


def staged_rows(cur: Cursor) -> int:
    """The rows staged so far (blank ones too)."""
    return int(cur.execute("SELECT count(*) FROM raw_upload").fetchall()[0][0])


def finish(cur: Cursor, width: int, first_row: int) -> int:
    """Number the rows as in the file, drop entirely blank ones; returns the respondents."""
    base = cur.execute("SELECT min(rowid) FROM raw_upload").fetchall()[0][0]
    if base is None:
        return 0
    # blank as Python's str.strip() reads the head: spaces, tabs and line breaks alike
    blank = " AND ".join(f"({col(j)} IS NULL OR regexp_full_match({col(j)}, '\\s*'))"
                         for j in range(width))
    cur.execute(f"DELETE FROM raw_upload WHERE {blank}")
    cur.execute(f"CREATE OR REPLACE TEMP VIEW upload_rows AS SELECT rowid - {int(base)} + "
                f"{int(first_row)} AS row_no, * FROM raw_upload")
    return staged_rows(cur)


def distinct_values(cur: Cursor, cols: Sequence[int]) -> dict[int, dict[str, int]]:
    """The distinct non-empty values of each column with how many cells hold each, all in one
    scan of the upload (the counts let the preview say how many cells each recode touched)."""
    wanted = list(dict.fromkeys(cols))
    if not wanted:
        return {}
    lists = ", ".join(f"histogram({col(j)}) FILTER (WHERE {col(j)} IS NOT NULL)"
                      for j in wanted)
    found = cur.execute(f"SELECT {lists} FROM raw_upload").fetchall()[0]
    return {j: dict(sorted((counts or {}).items())) for j, counts in zip(wanted, found)}


def store_recode(cur: Cursor, frame: pd.DataFrame) -> None:
    """The lookup (col, raw, value, reason, params) of every value that needs one."""
    cur.register("upload_recode_frame", frame)
    try:
        cur.execute("CREATE OR REPLACE TEMP TABLE upload_recode AS SELECT CAST(col AS INTEGER) "
                    "AS col, CAST(raw AS VARCHAR) AS raw, CAST(value AS VARCHAR) AS value, "
                    "CAST(reason AS VARCHAR) AS reason, CAST(params AS VARCHAR) AS params "
                    "FROM upload_recode_frame")
    finally:
        cur.unregister("upload_recode_frame")


def _join(j: int) -> str:
    return (f"LEFT JOIN upload_recode r{int(j)} ON r{int(j)}.col = {int(j)} "
            f"AND r{int(j)}.raw = s.{col(j)}")


def _whole(q: Question, j: int, identity: set[int]) -> tuple[str, str | None]:
    """(expression, join) of a question answered in one column."""
    c = f"s.{col(j)}"
    if q.qtype.free:
        return f"nullif(trim({c}), '')", None
    if j in identity:
        return f"TRY_CAST(nullif({c}, '') AS {q.sql_type})", None
    value = f"CASE WHEN r{int(j)}.raw IS NULL THEN nullif({c}, '') ELSE r{int(j)}.value END"
    return f"TRY_CAST({value} AS {q.sql_type})", _join(j)


def company(plan: Plan) -> str:
    """The company name as the text answer it is (see `_whole`)."""
    return f"nullif(trim(s.{col(plan.whole_map['company'])}), '')"


def company_names(plan: Plan) -> tuple[str, str]:
    """(every company name of the upload, each suspect one with the first row it is on), as
    the queries `Store.company_renames` takes."""
    name = company(plan)
    first = (f"SELECT {name} AS name, min(s.row_no) AS seen FROM upload_rows s "
             f"WHERE {name} IN (SELECT name FROM company_suspects) GROUP BY 1")
    return f"SELECT {name} AS name FROM upload_rows s", first


def answers(cur: Cursor, plan: Plan, qn: Questionnaire, identity: set[int],
            renamed: bool = False) -> None:
    """The view `upload_answers`: row number and every question id, recoded and typed. A view,
    so that each later query computes only the answers it needs. The few values it uses are
    session variables (a view cannot take bound parameters; a one-row table joined in would
    keep DuckDB from writing the rows in parallel). `renamed`: company names are looked up in
    `company_renames` (`Store.company_renames`)."""
    set_variables(cur, plan)
    exprs, joins = ["s.row_no AS row_no"], []
    whole, options = plan.whole_map, dict(plan.options)
    for q in qn.questions:
        if q.id == "company" and renamed:
            expr = f"CASE WHEN cr.name IS NULL THEN {company(plan)} ELSE cr.company END"
            joins.append(f"LEFT JOIN company_renames cr ON cr.name = {company(plan)}")
        elif q.id in whole:
            expr, join = _whole(q, whole[q.id], identity)
            joins += [join] if join else []
        elif q.id in options:
            parts = [f"r{int(j)}.value" for _, j in options[q.id]]
            joins += [_join(j) for _, j in options[q.id]]
            expr = f"nullif(concat_ws({_var('sep')}, {', '.join(parts)}), '')"
        else:
            expr = f"CAST(NULL AS {q.sql_type})"
        if q.id == "respondent_id":
            expr = f"coalesce({expr}, {_var('prefix')} || CAST(s.row_no AS VARCHAR))"
        if q.id == "wave" and plan.wave is not None:
            exprs.append(f"{expr} AS _file_wave")
            expr = wave_value()
        exprs.append(f"{expr} AS {ident(q.id)}")
    cur.execute(f"CREATE OR REPLACE TEMP VIEW upload_answers AS SELECT {', '.join(exprs)} "
                f"FROM upload_rows s {' '.join(joins)}")


def set_variables(cur: Cursor, plan: Plan) -> None:
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


def valid_waves(cur: Cursor) -> list[int]:
    """The waves of the rows without problems."""
    return [int(w) for (w,) in cur.execute(
        "SELECT DISTINCT wave FROM upload_answers WHERE wave IS NOT NULL AND row_no NOT IN "
        "(SELECT row_no FROM upload_problem_list) ORDER BY 1").fetchall()]


def answer_frame(cur: Cursor, qids: Sequence[str], cols: Sequence[int],
                 compared: Sequence[str] = (), limit: int | None = None) -> pd.DataFrame:
    """Per row, in the file's order: its number, the recoded answers to `qids`, the cells of
    the file's columns `cols` as written (named `c<j>`) and, with `compared`, one hash of the
    answers to those questions (`_answers`) and how many it answered (`_answered`): rows are
    compared on them without bringing every answer into Python (the quality flags)."""
    fields = ["a.row_no", *(f"a.{ident(q)}" for q in qids), *(f"s.{col(j)}" for j in cols)]
    if compared:
        packed = ", ".join(f"{ident(q)} := a.{ident(q)}" for q in compared)
        counted = " + ".join(f"CAST(a.{ident(q)} IS NOT NULL AS INTEGER)" for q in compared)
        fields += [f"hash(struct_pack({packed})) AS _answers", f"{counted} AS _answered"]
    join = " JOIN upload_rows s USING (row_no)" if cols else ""
    first = " LIMIT $limit" if limit is not None else ""  # the preview's first rows
    return cur.execute(f"SELECT {', '.join(fields)} FROM upload_answers a{join} "
                       f"ORDER BY a.row_no{first}",
                       {"limit": limit} if limit is not None else None).df()

"""The problems of single cells, found with set-based queries over the staged upload:
`upload_problem_list` (row_no, col, value, reason, params)."""

from __future__ import annotations

import duckdb

from cx.questionnaire import Questionnaire
from cx.store.sql import Params, col, ident
from cx.store.upload.plan import Plan

Cursor = duckdb.DuckDBPyConnection
FORMULA_STARTS = "=+-@\t\r"  # after any spaces: a spreadsheet would run the cell
FORMULA = "^ *[" + "".join("\\" + c if c in "-]\\^" else c for c in FORMULA_STARTS) + "]"
MARKUP = r"<\s*/?\s*[a-zA-Z!?][^>]*>"
PROBLEM_COLUMNS = "row_no, col, value, reason, params"
Row = tuple[int, int, str | None, str, str]


def _bad_values(cols: list[int]) -> list[str]:
    return [f"SELECT s.row_no, {int(j)}, s.{col(j)}, r.reason, r.params FROM upload_rows s "
            f"JOIN upload_recode r ON r.col = {int(j)} AND r.raw = s.{col(j)} "
            "WHERE r.reason IS NOT NULL" for j in cols]


def _required(qid: str, j: int) -> str:
    return (f"SELECT s.row_no, {int(j)}, s.{col(j)}, 'required', '{{}}' FROM upload_rows s "
            f"JOIN upload_answers a USING (row_no) LEFT JOIN upload_recode r ON r.col = {int(j)} "
            f"AND r.raw = s.{col(j)} WHERE a.{ident(qid)} IS NULL AND r.reason IS NULL")


def text_checks(v: str, p: Params) -> tuple[str, str]:
    """(formula, markup): whether the text cell `v` starts like a spreadsheet formula, or
    holds HTML/script tags."""
    formula = f"regexp_matches({v}, {p(FORMULA)})"
    markup = f"(contains({v}, '<') AND regexp_matches({v}, {p(MARKUP)}))"
    return formula, markup


def _text(j: int, p: Params) -> str:
    v = f"s.{col(j)}"
    formula, markup = text_checks(v, p)
    return (f"SELECT s.row_no, {int(j)}, {v}, CASE WHEN {formula} THEN 'formula' "
            f"ELSE 'markup' END, '{{}}' FROM upload_rows s WHERE {formula} OR {markup}")


def _duplicates_in_file(j: int) -> str:
    rid = f"trim(s.{col(j)})"
    return (f"SELECT s.row_no, {int(j)}, s.{col(j)}, 'duplicate_in_file', "
            f"CAST(json_object('first', d.first) AS VARCHAR) FROM upload_rows s JOIN ("
            f"SELECT {rid} AS rid, min(s.row_no) AS first FROM upload_rows s "
            f"WHERE nullif({rid}, '') IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d "
            f"ON {rid} = d.rid WHERE s.row_no > d.first")


def _duplicates_in_wave(j: int) -> str:
    return (f"SELECT a.row_no, {int(j)}, a.respondent_id, 'duplicate_in_wave', "
            f"CAST(json_object('wave', a.wave) AS VARCHAR) FROM upload_answers a "
            f"JOIN responses r ON r.respondent_id = a.respondent_id AND r.wave = a.wave")


def _wave_mismatch(j: int, wave: int, p: Params) -> str:
    return (f"SELECT a.row_no, {int(j)}, s.{col(j)}, 'wave_mismatch', "
            f"CAST(json_object('wave', {p(wave)}) AS VARCHAR) FROM upload_answers a "
            f"JOIN upload_rows s USING (row_no) WHERE a._file_wave <> {p(wave)}")


def _exclusive(qid: str, code: str, j: int, label: str, p: Params) -> str:
    wrapped = f"'|' || a.{ident(qid)} || '|'"
    return (f"SELECT a.row_no, {int(j)}, s.{col(j)}, 'exclusive_option', "
            f"CAST(json_object('option', {p(label)}) AS VARCHAR) FROM upload_answers a "
            f"JOIN upload_rows s USING (row_no) WHERE contains({wrapped}, {p('|' + code + '|')}) "
            f"AND a.{ident(qid)} <> {p(code)}")


def _queries(plan: Plan, qn: Questionnaire, bad_cols: list[int], p: Params) -> list[str]:
    whole = plan.whole_map
    parts = _bad_values(bad_cols)
    parts += [_required(qid, whole[qid]) for qid in ("company", "wave")
              if qid in whole and not (qid == "wave" and plan.wave is not None)]
    parts += [_text(j, p) for qid, j in plan.whole if qn[qid].qtype.free]
    if "respondent_id" in whole:
        parts.append(_duplicates_in_file(whole["respondent_id"]))
        if plan.mode == "append":
            parts.append(_duplicates_in_wave(whole["respondent_id"]))
    if "wave" in whole and plan.wave is not None:
        parts.append(_wave_mismatch(whole["wave"], plan.wave, p))
    for qid, opts in plan.options:
        by_code = dict(opts)
        parts += [_exclusive(qid, code, by_code[code], qn[qid].option(code).label("it"), p)
                  for code in qn[qid].exclusive if code in by_code]
    return parts


def find_problems(cur: Cursor, plan: Plan, qn: Questionnaire, bad_cols: list[int]) -> None:
    """Materialise `upload_problem_list`."""
    p = Params()
    parts = _queries(plan, qn, bad_cols, p)
    empty = ("SELECT CAST(NULL AS BIGINT) AS row_no, CAST(NULL AS INTEGER) AS col, "
             "CAST(NULL AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS reason, "
             "CAST(NULL AS VARCHAR) AS params WHERE false")
    union = " UNION ALL ".join([empty, *parts])
    cur.execute(f"CREATE OR REPLACE TEMP TABLE upload_problem_list AS {union}", dict(p))


def problem_counts(cur: Cursor) -> tuple[int, int]:
    """(problems, rows with problems)."""
    found = cur.execute("SELECT count(*), count(DISTINCT row_no) FROM upload_problem_list")
    n, rows = found.fetchall()[0]
    return int(n), int(rows)


def first_problems(cur: Cursor, limit: int) -> list[Row]:
    """The first problems as (row, column index, value, reason, params as JSON)."""
    return cur.execute(f"SELECT {PROBLEM_COLUMNS} FROM upload_problem_list "
                       "ORDER BY row_no, col, reason LIMIT $n", {"n": limit}).fetchall()

"""Rows already loaded, found again in an upload (`cx.ingest.copies` says why): a row says
the same as a stored row of its wave when every answer and every kept cell are equal."""

from __future__ import annotations

import duckdb

from cx.questionnaire import Questionnaire
from cx.store.sql import Params, col, ident
from cx.store.upload.plan import Plan

Cursor = duckdb.DuckDBPyConnection
_EXTRA = "STRUCT(c VARCHAR, v VARCHAR)[]"


def _answers(qn: Questionnaire, alias: str) -> str:
    fields = ", ".join(f"{ident(q.id)} := {alias}.{ident(q.id)}" for q in qn.questions
                       if q.id not in ("respondent_id", "wave"))
    return f"struct_pack({fields})"


def _file_extras(plan: Plan, p: Params) -> str:
    """The non-empty cells of the columns that match no question, as (column, value), sorted
    (as `upload_extras` keeps them)."""
    cells = [f"struct_pack(c := {p(plan.names[j])}, v := s.{col(j)})" for j in plan.unmapped]
    if not cells:
        return f"CAST([] AS {_EXTRA})"
    return (f"CAST(list_sort(list_filter([{', '.join(cells)}], lambda x: trim(x.v) <> '')) "
            f"AS {_EXTRA})")


def find(cur: Cursor, plan: Plan, qn: Questionnaire) -> int:
    """Materialise `upload_copies` (row_no, upload_id): each row without problems that says
    what a stored row of its wave says, with the first upload holding such a row; returns
    how many."""
    p = Params()
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE upload_copies AS "
        f"WITH fresh AS (SELECT a.row_no, a.wave, {_answers(qn, 'a')} AS answers, "
        f"{_file_extras(plan, p)} AS extras FROM upload_answers a JOIN upload_rows s "
        "USING (row_no) WHERE a.row_no NOT IN (SELECT row_no FROM upload_problem_list)), "
        "kept AS (SELECT upload_id, respondent_id, "
        f"CAST(list_sort(list(struct_pack(c := \"column\", v := value))) AS {_EXTRA}) AS extras "
        "FROM upload_extras WHERE upload_id IN (SELECT DISTINCT upload_id FROM responses "
        "WHERE wave IN (SELECT wave FROM fresh)) GROUP BY ALL), "
        f"stored AS (SELECT r.wave, r.upload_id, {_answers(qn, 'r')} AS answers, "
        f"coalesce(k.extras, CAST([] AS {_EXTRA})) AS extras FROM responses r "
        "LEFT JOIN kept k USING (upload_id, respondent_id) "
        "WHERE r.wave IN (SELECT wave FROM fresh)) "
        "SELECT f.row_no, min(s.upload_id) AS upload_id FROM fresh f JOIN stored s "
        "ON s.wave = f.wave AND hash(s.answers, s.extras) = hash(f.answers, f.extras) "
        "WHERE s.answers IS NOT DISTINCT FROM f.answers AND s.extras = f.extras "
        "GROUP BY f.row_no", dict(p))
    return int(cur.execute("SELECT count(*) FROM upload_copies").fetchall()[0][0])


def uploads(cur: Cursor) -> list[str]:
    """The uploads holding the rows found again, first loaded first."""
    return [r[0] for r in cur.execute(
        "SELECT upload_id FROM upload_copies GROUP BY 1 ORDER BY 1").fetchall()]


def leave_out(cur: Cursor, plan: Plan) -> None:
    """Each row found again becomes a problem of its company cell (to quarantine)."""
    j = int(plan.whole_map["company"])
    cur.execute(f"INSERT INTO upload_problem_list SELECT c.row_no, {j}, s.{col(j)}, "
                "'repeated_row', CAST(json_object('upload', c.upload_id) AS VARCHAR) "
                "FROM upload_copies c JOIN upload_rows s USING (row_no)")

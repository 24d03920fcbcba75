"""Committing a staged upload: its number, the rows without problems (scored in SQL), the
quarantine, the columns that match no question, and the names of the file's columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb

from cx.questionnaire import Questionnaire
from cx.store import original
from cx.store.scores import practice_lookups, scored_select
from cx.store.sql import col, ident, sql_text
from cx.store.upload.plan import Plan

Cursor = duckdb.DuckDBPyConnection


def next_id(cur: Cursor) -> str:
    n = cur.execute("SELECT count(*) FROM uploads").fetchall()[0][0]
    return f"UP-{int(n) + 1:04d}"


def names(cur: Cursor, columns: Sequence[str]) -> None:
    """The temp table `upload_names` (col, cname, name) of the staged columns."""
    import pandas as pd  # the thorough path's: a file already in codes goes in without it

    frame = pd.DataFrame({"col": range(len(columns)),
                          "cname": [col(j) for j in range(len(columns))],
                          "name": list(columns)})
    cur.register("upload_names_frame", frame)
    try:
        cur.execute("CREATE OR REPLACE TEMP TABLE upload_names AS SELECT CAST(col AS INTEGER) "
                    "AS col, CAST(cname AS VARCHAR) AS cname, CAST(name AS VARCHAR) AS name "
                    "FROM upload_names_frame")
    finally:
        cur.unregister("upload_names_frame")


def good_rows(cur: Cursor, qn: Questionnaire, upload_id: str,
              skip: bool) -> tuple[list[str], str, dict[str, object]]:
    """(columns, SELECT, parameters) of the rows without problems with their scores (`skip`:
    some have; without a join to leave them out, DuckDB writes the rows in parallel)."""
    ids = ", ".join(ident(q) for q in qn.ids)
    inner = f"SELECT {ids}, $upload_id AS upload_id FROM upload_answers"
    if skip:
        inner += " WHERE row_no NOT IN (SELECT row_no FROM upload_problem_list)"
    practice_lookups(cur, "upload_answers", qn)
    columns, select, params = scored_select(inner, qn, extra=("upload_id",), lookups=True)
    return columns, select, {**params, "upload_id": upload_id}


def quarantine(cur: Cursor, columns: Sequence[str], upload_id: str) -> int:
    """The rows with problems as they were in the file, and their problems."""
    pairs = ", ".join(f"$n{j}, s.{col(j)}" for j in range(len(columns)))
    params: dict[str, object] = {f"n{j}": name for j, name in enumerate(columns)}
    params["upload_id"] = upload_id
    n = cur.execute(f"INSERT INTO quarantine SELECT $upload_id, s.row_no, "
                    f"CAST(json_object({pairs}) AS VARCHAR) FROM upload_rows s "
                    "WHERE s.row_no IN (SELECT row_no FROM upload_problem_list)",
                    params).fetchall()[0][0]
    cur.execute("INSERT INTO upload_problems SELECT $upload_id, p.row_no, n.name, p.value, "
                "p.reason, p.params FROM upload_problem_list p JOIN upload_names n USING (col)",
                {"upload_id": upload_id})
    return int(n)


def extras(cur: Cursor, plan: Plan, upload_id: str) -> None:
    """Columns that match no question: kept with the upload, one row per non-empty cell."""
    if not plan.unmapped:
        return
    cols = ", ".join(col(j) for j in plan.unmapped)
    cur.execute(f"INSERT INTO upload_extras SELECT $upload_id, u.row_no, a.respondent_id, "
                f"n.name, u.value FROM (UNPIVOT (SELECT row_no, {cols} FROM upload_rows) "
                f"ON {cols} INTO NAME cname VALUE value) u JOIN upload_names n USING (cname) "
                "JOIN upload_answers a USING (row_no) WHERE trim(u.value) <> ''",
                {"upload_id": upload_id})


def archive_waves(cur: Cursor, columns: Iterable[str], waves: list[int], upload_id: str) -> int:
    """Move the responses of `waves` to the archive, tagged with the replacing upload."""
    cols = ", ".join(ident(c) for c in columns)
    cur.execute(f"INSERT INTO archived_responses ({cols}, replaced_by) "
                f"SELECT {cols}, $upload FROM responses WHERE list_contains($waves, wave)",
                {"upload": upload_id, "waves": waves})
    return int(cur.execute("DELETE FROM responses WHERE list_contains($waves, wave)",
                           {"waves": waves}).fetchall()[0][0])


def log_upload(cur: Cursor, entry: dict[str, object], packed: Iterable[bytes]) -> None:
    """Record an upload (see `uploads` in schema.sql) and keep its original bytes: the
    compressed parts (`cx.store.original`)."""
    cur.execute(sql_text("upload_insert"), entry)
    for part, content in enumerate(packed):
        cur.execute("INSERT INTO upload_files VALUES ($id, $part, $content, $codec)",
                    {"id": entry["upload_id"], "part": part, "content": content,
                     "codec": original.CODEC})

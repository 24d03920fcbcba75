"""The direct path's INSERT: every question straight from a CSV written in the questionnaire's
codes, with DuckDB's `error()` stopping the statement at the first cell the thorough path
would read otherwise (`cx.ingest.direct` decides when to try it and what a miss means)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from cx.questionnaire import Question, Questionnaire
from cx.store.csv_source import csv_body
from cx.store.scores import canonical_lookups, scored_select
from cx.store.sql import Params, col, ident
from cx.store.upload.checks import text_checks
from cx.store.upload.plan import Plan
from cx.store.upload.staged import set_variables, wave_value

Cursor = duckdb.DuckDBPyConnection
MISS = "cx-direct-miss"  # the message of the error() that stops the INSERT
REQUIRED = ("respondent_id", "company", "wave")  # an empty one needs the thorough path
PLAIN = r"-?[0-9]+(\.[0-9]+)?"  # a decimal as the thorough path reads it…
GROUPED = r"-?[0-9]{1,3}(\.[0-9]{3})+"  # …unless it looks like thousands (1.234)
Kept = Callable[[Question, float | str], bool]  # whether the recoder keeps a code as written


class _Params(Params):
    prefix = "d"  # apart from the scores' parameters, in the same statement


def _miss() -> str:
    return f"error('{MISS}')"


def listed(q: Question) -> bool:
    """Whether `_answer` lists every code it lets through (then they need no check after)."""
    return q.sql_type == "INTEGER" and bool(q.options)


def _answer(q: Question, c: str, p: Params, kept: Kept) -> str:
    """The typed answer of cell `c`, or error() when the thorough path might read it
    otherwise."""
    if q.qtype.free:
        formula, markup = text_checks(c, p)
        expr = f"CASE WHEN {formula} OR {markup} THEN {_miss()} ELSE nullif(trim({c}), '') END"
    elif listed(q):  # a Likert: one of its codes, as written
        whens = " ".join(f"WHEN {p(code)} THEN CAST({p(int(code))} AS INTEGER)"
                         for code in q.codes if kept(q, int(code)))
        expr = f"CASE {c} {whens} ELSE CASE WHEN {c} IS NULL THEN NULL ELSE {_miss()} END END"
    elif q.sql_type == "INTEGER":  # digit for digit as DuckDB would print it: not 05, 5.0, ' 5'
        typed = f"TRY_CAST({c} AS INTEGER)"
        expr = (f"CASE WHEN {c} IS NULL THEN NULL WHEN CAST({typed} AS VARCHAR) = {c} "
                f"THEN {typed} ELSE {_miss()} END")
    elif q.sql_type == "DOUBLE":  # plain decimals; 1.234 would be read as thousands
        plain = f"regexp_full_match({c}, {p(PLAIN)})"
        grouped = f"regexp_full_match({c}, {p(GROUPED)})"
        expr = (f"CASE WHEN {c} IS NULL THEN NULL WHEN {plain} AND NOT {grouped} "
                f"THEN CAST({c} AS DOUBLE) ELSE {_miss()} END")
    else:  # codes as written: the caller asks the recoder about each distinct one
        expr = f"nullif({c}, '')"
    return f"coalesce({expr}, {_miss()})" if q.id in REQUIRED else expr


@dataclass(frozen=True)
class DirectInsert:
    """What the direct INSERT reads and writes: where each question's answers are (`plan`),
    whether the recoder keeps a written code (`kept`), the upload's id, and the CSV: its path,
    width, delimiter and the lines before its body."""

    plan: Plan
    kept: Kept
    upload_id: str
    path: str
    width: int
    delimiter: str
    skip: int


def answers_select(insert: DirectInsert, qn: Questionnaire) -> tuple[str, dict[str, object]]:
    """(SELECT of every question id and the upload id, straight from the CSV, parameters)."""
    p = _Params()
    whole = insert.plan.whole_map
    exprs = []
    for q in qn.questions:
        if q.id in whole:
            expr = _answer(q, col(whole[q.id]), p, insert.kept)
        elif q.id == "wave":
            expr = wave_value()
        else:
            expr = f"CAST(NULL AS {q.sql_type})"
        exprs.append(f"{expr} AS {ident(q.id)}")
    source, params = csv_body(insert.path, insert.width, insert.delimiter, insert.skip)
    exprs.append(f"{p(insert.upload_id)} AS upload_id")
    return f"SELECT {', '.join(exprs)} FROM {source}", {**params, **p}


def select(cur: Cursor, insert: DirectInsert,
           qn: Questionnaire) -> tuple[list[str], str, dict[str, object]]:
    """(columns, SELECT, parameters) of the rows with their scores, for `Store`'s insert."""
    set_variables(cur, insert.plan)
    inner, params = answers_select(insert, qn)
    columns, scored, scored_params = scored_select(inner, qn, extra=("upload_id",),
                                                   lookups=canonical_lookups(cur, qn))
    return columns, scored, {**params, **scored_params}

"""The direct path: a CSV whose cells are already written in the questionnaire's codes
(the app's own template, an export of the app) goes from the file into `responses` in one
INSERT, checked as DuckDB reads it, with no staged copy of its cells.

It commits exactly what the thorough path (`cx.ingest.pipeline.prepare`) would, or nothing: a
cell the thorough path would recode, question or read differently (a label, `05`, `5.5`, a
formula, a missing company) aborts the INSERT through DuckDB's `error()`; afterwards every
distinct code written must be one the recoder keeps as it is, no respondent id may repeat, and
no company name may be another spelling of a company (`cx.naming`: accents, case, invisible
characters, spaces), which the thorough path would store as that company. Any miss rolls the
transaction back and the caller takes the thorough path, which names every problem. Only the
time differs: a clean file of any size is written in one pass (a million rows: 1.8 × DuckDB's
own CREATE TABLE AS read_csv; the thorough path, 2.7 ×).
"""

from __future__ import annotations

from cx.ingest import stage
from cx.ingest.pipeline import Head
from cx.ingest.recode import number_text, recoder
from cx.ingest.scores import Params, canonical_lookups, scored_select
from cx.ingest.validate import text_checks
from cx.questionnaire import Question, Questionnaire
from cx.store import Store, csv_body

MISS = "cx-direct-miss"  # the message of the error() that stops the INSERT
REQUIRED = ("respondent_id", "company", "wave")  # an empty one needs the thorough path
PLAIN = r"-?[0-9]+(\.[0-9]+)?"  # a decimal as the thorough path reads it…
GROUPED = r"-?[0-9]{1,3}(\.[0-9]{3})+"  # …unless it looks like thousands (1.234)


class _Params(Params):
    prefix = "d"  # apart from the scores' parameters, in the same statement


class Missed(Exception):
    """The upload is not for the direct path: roll back, take the thorough one."""


def eligible(head: Head, values: tuple) -> bool:
    """A UTF-8 CSV (its head read, its body left to DuckDB), every column mapped to a whole
    question, ids given, the wave either in the file or chosen (not both: the thorough path
    compares them), appended, or replacing a chosen wave; `values`: those given for every row
    (none here)."""
    grid, plan = head.grid, head.plan
    whole = plan.whole_map
    return (grid.kind == "csv" and grid.encoding in ("utf-8", "utf-8-sig")
            and not values and not plan.options
            and not plan.unmapped and "respondent_id" in whole
            and (plan.wave is None) == ("wave" in whole)
            and (plan.mode == "append" or plan.wave is not None))


def _miss() -> str:
    return f"error('{MISS}')"


def _answer(q: Question, c: str, p: Params) -> str:
    """The typed answer of cell `c`, or error() when the thorough path might read it
    otherwise."""
    if q.type in ("text", "id"):
        formula, markup = text_checks(c, p)
        expr = f"CASE WHEN {formula} OR {markup} THEN {_miss()} ELSE nullif(trim({c}), '') END"
    elif _listed(q):  # a Likert: one of its codes, as written
        whens = " ".join(f"WHEN {p(code)} THEN CAST({p(int(code))} AS INTEGER)"
                         for code in q.codes if _kept(q, int(code)))
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
    else:  # codes as written: `verify` asks the recoder about each distinct one
        expr = f"nullif({c}, '')"
    return f"coalesce({expr}, {_miss()})" if q.id in REQUIRED else expr


def answers_select(head: Head, qn: Questionnaire, upload_id: str,
                   path: str) -> tuple[str, dict[str, object]]:
    """(SELECT of every question id and the upload id, straight from the CSV, parameters)."""
    p = _Params()
    whole = head.plan.whole_map
    exprs = []
    for q in qn.questions:
        if q.id in whole:
            expr = _answer(q, f"c{int(whole[q.id])}", p)
        elif q.id == "wave":
            expr = stage.wave_value()
        else:
            expr = f"CAST(NULL AS {q.sql_type})"
        exprs.append(f'{expr} AS "{q.id}"')
    source, params = csv_body(path, head.width, head.grid.delimiter or ",", head.skip)
    exprs.append(f"{p(upload_id)} AS upload_id")
    return f"SELECT {', '.join(exprs)} FROM {source}", {**params, **p}


def insert(store: Store, cur, head: Head, upload_id: str, path: str) -> int:
    """Write the rows with their scores; Missed at the first cell not as the thorough path
    would write it (the transaction must then be rolled back)."""
    qn = store.qn
    stage.set_variables(cur, head.plan)
    inner, params = answers_select(head, qn, upload_id, path)
    columns, select, scored = scored_select(inner, qn, extra=("upload_id",),
                                            lookups=canonical_lookups(cur, qn))
    written = store.try_insert_responses(cur, columns, select, {**params, **scored})
    if written is None:  # our error(), a malformed line, bytes that are not UTF-8
        raise Missed("insert")
    return written


def _listed(q: Question) -> bool:
    """Whether `_answer` lists every code it lets through (then `verify` need not ask)."""
    return q.sql_type == "INTEGER" and bool(q.options)


def _kept(q: Question, value: object) -> bool:
    """Whether the recoder keeps this written code as it is (the thorough path's identity)."""
    text = number_text(float(value)) if q.sql_type == "DOUBLE" else str(value)
    coded = recoder(q).code(text)
    if coded.reason is not None or coded.value is None:
        return False
    if q.sql_type == "VARCHAR":
        return coded.value == value
    return float(coded.value) == float(value)


def verify(store: Store, cur, head: Head, upload_id: str) -> None:
    """Missed unless every distinct code written is kept as it is by the recoder, no
    respondent id repeats, in the file or (appending) in its wave, and every company name is
    stored as written (`cx.naming`: no other spelling of it in the file or the database)."""
    qn = store.qn
    coded = [qn[qid] for qid, _ in head.plan.whole
             if qn[qid].type not in ("text", "id") and not _listed(qn[qid])]
    found = store.upload_distinct(cur, upload_id, [q.id for q in coded])
    for q, values in zip(coded, found):
        if not all(_kept(q, v) for v in values):
            raise Missed(q.id)
    if store.upload_repeats(cur, upload_id, same_wave=head.plan.mode == "append"):
        raise Missed("respondent_id")
    if store.upload_renames(cur, upload_id):  # the thorough path picks the first spelling
        raise Missed("company")

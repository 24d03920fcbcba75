"""The per-respondent scores of `cx.respondent_scores.respondent_scores` as SQL generated from the
questionnaire, so that DuckDB scores a million uploaded rows without a pandas frame. Same
formulas, same order of operations (tests compare both on the sample). Identifiers are question
ids (safe by the questionnaire's invariants); every constant is a bound parameter."""

from __future__ import annotations

from itertools import compress, product
from typing import TYPE_CHECKING

from cx.questionnaire import MULTI_SEPARATOR, PILLARS, PYRAMID_LEVELS, Question, Questionnaire
from cx.score_columns import (
    CHOICE_FLAGS,
    MIN_ANSWERED_WEIGHT,
    OPTION_FLAGS,
    PILLAR_COLUMNS,
    PYRAMID_COLUMNS,
    STAGE_CUTS,
    STAGES,
)
from cx.store.sql import Params, ident

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection as Cursor


def _double(p: Params, value: float) -> str:
    return f"CAST({p(float(value))} AS DOUBLE)"


def construct(items: tuple[Question, ...], p: Params) -> str:
    """Mean of the answered Likert items, rescaled 1–5 → 0–100."""
    if not items:
        return "CAST(NULL AS DOUBLE)"
    total = " + ".join(f"coalesce(CAST({ident(q.id)} AS DOUBLE), 0.0)" for q in items)
    count = " + ".join(f"CAST({ident(q.id)} IS NOT NULL AS INTEGER)" for q in items)
    mean = f"(({total}) / nullif({count}, 0))"
    return f"((({mean} - {_double(p, 1)}) / {_double(p, 4)}) * {_double(p, 100)})"


def _wrapped(qid: str) -> str:
    """The column holding `|a|b|` for a multiple-choice answer `a|b` (built once per row)."""
    return f'"_w_{qid}"'


def _contains(qid: str, code: str, p: Params) -> str:
    return f"contains({_wrapped(qid)}, {p(MULTI_SEPARATOR + code + MULTI_SEPARATOR)})"


def practice(q: Question, p: Params) -> str:
    """Score 0..1 of one practice answer (NULL when unanswered)."""
    col = ident(q.id)
    if q.qtype.positional:
        return f"((CAST({col} AS DOUBLE) - {_double(p, 1)}) / {_double(p, len(q.options) - 1)})"
    if not q.qtype.multiple:
        whens = " ".join(f"WHEN {p(o.code)} THEN {_double(p, o.score or 0.0)}" for o in q.options)
        return f"(CASE {col} {whens} END)"
    terms = " + ".join(f"(CASE WHEN {_contains(q.id, o.code, p)} THEN "
                       f"{_double(p, o.score or 0.0)} ELSE 0.0 END)" for o in q.options)
    return (f"(CASE WHEN {col} IS NULL OR {col} = '' THEN NULL "
            f"ELSE least(0.0 + {terms}, {_double(p, 1)}) END)")


def _scored(q: Question, p: Params) -> str:
    """The practice's score column; 0 where the questionnaire skipped it (`asked_if` answered
    otherwise, the practice blank), as `cx.respondent_scores.skipped_by_rule`."""
    column = f'"_p_{q.id}"'
    if q.asked_if is None:
        return column
    condition, answers = q.asked_if
    # `|a|b|` holds one of the answers (a single answer is a one-item list)
    chosen = f"({p(MULTI_SEPARATOR)} || {ident(condition)} || {p(MULTI_SEPARATOR)})"
    asked = " OR ".join(f"contains({chosen}, {p(MULTI_SEPARATOR + a + MULTI_SEPARATOR)})"
                        for a in answers)
    skipped = (f"coalesce({ident(condition)}, '') <> '' AND NOT ({asked}) "
               f"AND ({ident(q.id)} IS NULL OR {ident(q.id)} = '')")
    return f"(CASE WHEN {skipped} THEN 0.0 ELSE {column} END)"


def maturity(qn: Questionnaire, p: Params) -> str:
    """Σ wᵢ·sᵢ / Σ wᵢ × 100 over answered practices, when half of the weight is answered.
    Expects the practice scores as columns `_p_<id>`."""
    weighted = " + ".join(f"coalesce({_scored(q, p)}, 0.0) * {_double(p, q.weight)}"
                          for q in qn.practices)
    answered = " + ".join(f"CAST({_scored(q, p)} IS NOT NULL AS DOUBLE) * {_double(p, q.weight)}"
                          for q in qn.practices)
    total = 0.0
    for q in qn.practices:
        total += q.weight
    return (f"(CASE WHEN (0.0 + {answered}) >= {_double(p, MIN_ANSWERED_WEIGHT * total)} "
            f"THEN ((0.0 + {weighted}) / nullif(0.0 + {answered}, 0.0)) * {_double(p, 100)} END)")


def stage(column: str, p: Params) -> str:
    whens = " ".join(f"WHEN {column} < {_double(p, cut)} THEN {p(name)}"
                     for cut, name in zip(STAGE_CUTS, STAGES))
    return f"(CASE WHEN {column} IS NULL THEN NULL {whens} ELSE {p(STAGES[-1])} END)"


def flags(p: Params) -> dict[str, str]:
    out = {}
    for flag, (qid, codes) in CHOICE_FLAGS.items():
        out[flag] = (f"(CASE WHEN {ident(qid)} IS NULL THEN NULL "
                     f"ELSE list_contains({p(list(codes))}, {ident(qid)}) END)")
    for flag, (qid, code) in OPTION_FLAGS.items():
        col = ident(qid)
        out[flag] = (f"(CASE WHEN {col} IS NULL OR {col} = '' THEN NULL "
                     f"ELSE {_contains(qid, code, p)} END)")
    return out


def lookup_table(q: Question) -> str:
    """The temp table of a multiple-choice practice's score for each answer given."""
    return f"upload_practice_{q.id}"


def practice_lookups(cur: Cursor, source: str, qn: Questionnaire) -> None:
    """Score each multiple-choice practice once per distinct answer in `source` (a few hundred
    combinations), with the same expression: searching every option in every one of a million
    answers was a third of the scoring."""
    for q in qn.practices:
        if q.qtype.multiple:
            _lookup(cur, q, f"SELECT DISTINCT {ident(q.id)} FROM {source}", {})


def canonical_lookups(cur: Cursor, qn: Questionnaire, most: int = 12) -> bool:
    """The lookups of `practice_lookups` over every answer a multiple-choice practice can have
    written in its codes (options in the questionnaire's order: 2ⁿ − 1), for rows not read yet;
    False (nothing made) when a practice has more than `most` options."""
    multi = [q for q in qn.practices if q.qtype.multiple]
    if any(len(q.options) > most for q in multi):
        return False
    for q in multi:
        answers = [MULTI_SEPARATOR.join(compress(q.codes, chosen))
                   for chosen in product((False, True), repeat=len(q.codes)) if any(chosen)]
        _lookup(cur, q, f"SELECT unnest($answers) AS {ident(q.id)}", {"answers": answers})
    return True


def _lookup(cur: Cursor, q: Question, answers: str, params: dict[str, object]) -> None:
    p = Params(params)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {lookup_table(q)} AS SELECT {ident(q.id)}, "
                f'{practice(q, p)} AS "_p_{q.id}" FROM (SELECT {ident(q.id)}, '
                f"{p(MULTI_SEPARATOR)} || {ident(q.id)} || {p(MULTI_SEPARATOR)} AS "
                f"{_wrapped(q.id)} FROM ({answers}))", dict(p))


def scored_select(inner: str, qn: Questionnaire, extra: tuple[str, ...] = (),
                  lookups: bool = False) -> tuple[list[str], str, Params]:
    """(output columns, SQL, parameters): every question of `inner` (which must yield each
    question id, and the `extra` columns) followed by every score column. `lookups`: the
    multiple-choice practices are scored by `practice_lookups`, made beforehand."""
    p = Params()
    looked_up = [q for q in qn.practices if lookups and q.qtype.multiple]
    practices = ["*", *(f'{practice(q, p)} AS "_p_{q.id}"' for q in qn.practices
                        if q not in looked_up)]
    joins = " ".join(f"LEFT JOIN {lookup_table(q)} USING ({ident(q.id)})" for q in looked_up)
    scores = {col: construct(qn.pyramid_items(level), p)
              for level, col in zip(PYRAMID_LEVELS, PYRAMID_COLUMNS)}
    scores |= {col: construct(qn.pillar_items(pillar), p)
               for pillar, col in zip(PILLARS, PILLAR_COLUMNS)}
    scores["maturity_index"] = maturity(qn, p)
    scores |= flags(p)
    answers = [*qn.ids, *extra]
    middle = ", ".join([*map(ident, answers),
                        *(f"{sql} AS {ident(c)}" for c, sql in scores.items())])
    outer = [*answers, *scores, "maturity_stage"]
    sep = p(MULTI_SEPARATOR)
    wrapped = ", ".join(f"{sep} || {ident(q.id)} || {sep} AS {_wrapped(q.id)}"
                        for q in qn.questions if q.qtype.multiple)
    select = (f"SELECT {', '.join(map(ident, outer[:-1]))}, {stage(ident('maturity_index'), p)} "
              f"AS maturity_stage FROM (SELECT {middle} FROM (SELECT {', '.join(practices)} "
              f"FROM (SELECT *, {wrapped} FROM ({inner}) answers_) wrapped_ {joins}) practices_) "
              "scores_")
    return outer, select, p

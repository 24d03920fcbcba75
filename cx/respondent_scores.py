"""Each respondent's scores, stored beside their answers (the store computes the same in SQL,
`cx/store/scores.py`): pure functions over pandas objects.

* Pyramid level and pillar: mean of the respondent's answered items, rescaled 1–5 → 0–100.
* Maturity index: Σ wᵢ·sᵢ / Σ wᵢ × 100 over the answered practices (sᵢ ∈ 0..1 from the option
  scores in the questionnaire; Likert (v−1)/4; multiple choice sums its options, capped at 1),
  only when at least half of the total weight is answered; a practice the questionnaire did not
  ask (`asked_if`) scores 0. Stages cut at 20, 40, 60, 80.
* Flags: a journey map drawn, the real journey checked, the NPS measured.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

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

Frame = TypeVar("Frame", pd.Series, pd.DataFrame)


def rescale_likert(values: Frame, top: int = 5) -> Frame:
    """1..top → 0..100."""
    return (values - 1) / (top - 1) * 100


def _construct_score(answers: pd.DataFrame, items: tuple[Question, ...]) -> pd.Series:
    cols = [q.id for q in items if q.id in answers]
    if not cols:
        return pd.Series(np.nan, index=answers.index)
    block: pd.DataFrame = answers[cols].apply(pd.to_numeric, errors="coerce")
    return rescale_likert(block.mean(axis=1, skipna=True)).astype(float)


def practice_score(answers: pd.Series, q: Question) -> pd.Series:
    """Score 0..1 of one practice question per respondent (NaN when unanswered)."""
    if q.qtype.positional:
        return (pd.to_numeric(answers, errors="coerce") - 1) / (len(q.options) - 1)
    scores = {o.code: float(o.score or 0.0) for o in q.options}
    text = answers.astype("string")
    if not q.qtype.multiple:
        return text.map(scores).astype(float)
    total = pd.Series(0.0, index=answers.index)
    for code, points in scores.items():
        chosen = _has_option(text, code)
        total = total + chosen.astype(float) * points
    return total.clip(upper=1.0).where(text.notna() & (text != ""))


def _has_option(text: pd.Series, code: str) -> pd.Series:
    wrapped = MULTI_SEPARATOR + text.fillna("") + MULTI_SEPARATOR
    return wrapped.str.contains(f"{MULTI_SEPARATOR}{code}{MULTI_SEPARATOR}", regex=False)


def has_option(answers: pd.Series, code: str) -> pd.Series:
    """Whether a multiple-choice answer includes `code` (NA where unanswered)."""
    text = answers.astype("string")
    return _has_option(text, code).astype("boolean").where(text.notna() & (text != ""))


def skipped_by_rule(answers: pd.DataFrame, q: Question) -> pd.Series:
    """Respondents who were not asked `q` (its `asked_if` answered otherwise) and left it
    blank: a structural skip, which scores 0 as a practice."""
    if q.asked_if is None or q.asked_if[0] not in answers:
        return pd.Series(False, index=answers.index)
    qid, wanted = q.asked_if
    condition = answers[qid].astype("string")
    # a multiple-choice condition holds when any of its answers is among those chosen
    asked = pd.Series(False, index=answers.index)
    for code in wanted:
        asked |= _has_option(condition, code)
    blank = answers[q.id].isna() | (answers[q.id].astype("string") == "")
    return (condition.notna() & (condition != "") & ~asked & blank).fillna(False)


def maturity_index(answers: pd.DataFrame, qn: Questionnaire) -> pd.Series:
    weighted = pd.Series(0.0, index=answers.index)
    answered = pd.Series(0.0, index=answers.index)
    total = 0.0
    for q in qn.practices:
        total += q.weight
        if q.id not in answers:
            continue
        s = practice_score(answers[q.id], q).where(~skipped_by_rule(answers, q), 0.0)
        weighted += s.fillna(0.0) * q.weight
        answered += s.notna() * q.weight
    index = weighted / answered.replace(0.0, np.nan) * 100
    return index.where(answered >= MIN_ANSWERED_WEIGHT * total).astype(float)


def maturity_stage(index: pd.Series) -> pd.Series:
    """Stage code from the index: <20 iniziale … ≥80 ottimizzata."""
    bins = [-np.inf, *STAGE_CUTS, np.inf]
    stage = pd.cut(index, bins=bins, labels=list(STAGES), right=False)
    return stage.astype("string")


def respondent_scores(answers: pd.DataFrame, qn: Questionnaire) -> pd.DataFrame:
    """Per-respondent derived scores (0–100) from the raw answers."""
    out = pd.DataFrame(index=answers.index)
    for level, col in zip(PYRAMID_LEVELS, PYRAMID_COLUMNS):
        out[col] = _construct_score(answers, qn.pyramid_items(level))
    for pillar, col in zip(PILLARS, PILLAR_COLUMNS):
        out[col] = _construct_score(answers, qn.pillar_items(pillar))
    out["maturity_index"] = maturity_index(answers, qn)
    out["maturity_stage"] = maturity_stage(out["maturity_index"])
    for flag, (qid, codes) in CHOICE_FLAGS.items():
        out[flag] = answers[qid].isin(list(codes)).astype("boolean").where(answers[qid].notna())
    for flag, (qid, code) in OPTION_FLAGS.items():
        out[flag] = has_option(answers[qid], code)
    return out


SCORE_COLUMNS = (
    *PYRAMID_COLUMNS, *PILLAR_COLUMNS, "maturity_index", "maturity_stage",
    "has_journey_map", "checks_real_journey", "measures_nps",
)

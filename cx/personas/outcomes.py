"""What distinguishes each Buyer Persona in outcomes: maturity, Club NPS, pyramid and pillars
per persona against the rest of the Club, with Welch's t-test, Holm-adjusted, the difference
with its 95% interval and Hedges' g; an outcome
computed from the answers the personas are built from is shown but not tested. Pure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cx import effects, scoring
from cx.questionnaire import PILLARS, PYRAMID_LEVELS, Question, Questionnaire
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS

OUTCOMES = ("maturity_index", "club_nps", *PYRAMID_COLUMNS, *PILLAR_COLUMNS)
ALPHA = 0.05
COLUMNS = ("persona", "measure", "value", "low", "high", "n", "suppressed", "rest", "rest_n", "t",
           "p", "club", "club_n", "tested", "diff", "diff_low", "diff_high", "g")


def nps_points(values: pd.Series) -> pd.Series:
    """Each respondent's contribution to the NPS: +100 promoter, −100 detractor, 0 passive."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    return pd.Series(np.select([v >= 9, v <= 6], [100.0, -100.0], 0.0),
                     index=v.index).where(v.notna())


def welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float] | None:
    """Welch's t statistic and two-sided p-value, or None when it cannot be computed."""
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2 or (np.var(a) == 0 and np.var(b) == 0):
        return None
    result = stats.ttest_ind(a, b, equal_var=False)
    return float(result.statistic), float(result.pvalue)


def holm(p: np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (NaN where no test was run)."""
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    order = valid[np.argsort(p[valid], kind="stable")]
    m = len(order)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adjusted, 1.0)
    return out


def _ids(questions: tuple[Question, ...]) -> frozenset[str]:
    return frozenset(q.id for q in questions)


def outcome_sources(qn: Questionnaire) -> dict[str, frozenset[str]]:
    """The questions each outcome is computed from."""
    sources = {"maturity_index": _ids(qn.practices), "club_nps": frozenset({"club_nps"})}
    sources |= {c: _ids(qn.pyramid_items(lv)) for lv, c in zip(PYRAMID_LEVELS, PYRAMID_COLUMNS)}
    sources |= {c: _ids(qn.pillar_items(p)) for p, c in zip(PILLARS, PILLAR_COLUMNS)}
    return sources


def built_from(qn: Questionnaire, questions: frozenset[str]) -> frozenset[str]:
    """The outcomes computed from any of `questions`: across personas built from those answers
    they differ by construction, so a test of them would be significant whatever the data."""
    return frozenset(m for m, used in outcome_sources(qn).items() if used & questions)


def _aggregate(measure: str, values: pd.Series, k: int) -> scoring.Aggregate:
    return scoring.nps(values, k) if measure == "club_nps" else scoring.mean(values, k)


def _outcome_row(measure: str, values: pd.Series, tested: pd.Series | None,
                 members: np.ndarray, k: int) -> dict[str, object]:
    mine, rest = _aggregate(measure, values[members], k), _aggregate(measure, values[~members], k)
    a, b = (tested[members].to_numpy(float), tested[~members].to_numpy(float)) \
        if tested is not None else (np.empty(0), np.empty(0))
    test = welch(a, b) if tested is not None and mine.shown and rest.n >= k else None
    return {"measure": measure, "value": mine.value, "low": mine.low, "high": mine.high,
            "n": mine.n, "suppressed": mine.suppressed, "rest": rest.value, "rest_n": rest.n,
            "t": test[0] if test else np.nan, "p": test[1] if test else np.nan,
            **_effect(a, b, test is not None)}


def _effect(a: np.ndarray, b: np.ndarray, tested: bool) -> dict[str, float]:
    """The persona − the rest with its 95% Welch interval, and Hedges' g (NaN untested)."""
    if not tested:
        return {"diff": np.nan, "diff_low": np.nan, "diff_high": np.nan, "g": np.nan}
    mine, rest = effects.sample(a[~np.isnan(a)]), effects.sample(b[~np.isnan(b)])
    interval = effects.welch_interval(mine, rest)
    return {"diff": interval.estimate, "diff_low": interval.low, "diff_high": interval.high,
            "g": effects.hedges_g(mine, rest)}


def persona_outcomes(labels: np.ndarray, answers: pd.DataFrame, k: int,
                     untested: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Maturity, Club NPS, pyramid and pillars per persona against the rest of the Club:
    Welch's t-test per cell (on the NPS points for the NPS), Holm-adjusted over the table;
    the `untested` outcomes (see `built_from`) are shown without a test."""
    rows = []
    for measure in (m for m in OUTCOMES if m in answers):
        values = pd.to_numeric(answers[measure], errors="coerce").astype(float)
        tested = None if measure in untested else \
            nps_points(answers[measure]) if measure == "club_nps" else values
        club = _aggregate(measure, values, k)
        for i in range(int(labels.max()) + 1 if len(labels) else 0):
            row = _outcome_row(measure, values, tested, labels == i, k)
            rows.append({"persona": i, **row, "club": club.value, "club_n": club.n,
                         "tested": tested is not None})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["p_holm"] = holm(frame["p"].to_numpy()) if len(frame) else []
    direction = np.sign(frame["t"].fillna(0.0))
    frame["signif"] = np.where(frame["p_holm"] < ALPHA, direction, 0).astype(int)
    return frame

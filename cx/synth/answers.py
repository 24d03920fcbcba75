"""The synthetic answers, drawn column by column from the companies' profiles and latent
maturity: single and ordered choices, Likert items, checklists, practices, KPIs and free texts.
Vectorised; every draw comes from the `rng` it is given, in a fixed order."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cx.questionnaire import MULTI_SEPARATOR, Questionnaire
from cx.synth.profiles import PROFILES

TEXT_ANSWER_RATE = 0.7


def profile_choice(rng: np.random.Generator, profile_idx: np.ndarray, key: str) -> np.ndarray:
    """Draw one option per row from its profile's weights (`Profile.<key>`) over the codes."""
    out = np.empty(len(profile_idx), dtype=object)
    for p, profile in enumerate(PROFILES):
        mask = profile_idx == p
        table = getattr(profile, key)
        codes = list(table)
        probs = np.asarray([table[c] for c in codes], dtype=float)
        probs = probs / probs.sum()
        out[mask] = np.asarray(codes, dtype=object)[rng.choice(len(codes), mask.sum(), p=probs)]
    return out


def ordinal(rng: np.random.Generator, m: np.ndarray, codes: tuple[str, ...],
            noise: float = 0.3) -> np.ndarray:
    """An ordered option per row, at the level of its maturity `m` (0–1) give or take `noise`."""
    k = len(codes)
    level: NDArray[np.int_] = np.clip(np.rint(m * (k - 1) + rng.normal(0, noise, len(m))), 0,
                                      k - 1).astype(int)
    options: NDArray[np.object_] = np.asarray(codes, dtype=object)
    return options[level]


def likert(rng: np.random.Generator, m: np.ndarray, offset: float, top: int = 5) -> np.ndarray:
    """A 1…top rating per row, rising with its maturity `m` (0–1), shifted by `offset`."""
    latent = 0.22 + 0.62 * m + offset + rng.normal(0, 0.14, len(m))
    return np.clip(np.rint(1 + (top - 1) * latent), 1, top).astype(int)


def multi(chosen: dict[str, np.ndarray]) -> np.ndarray:
    """Checklist answers: per row, the codes whose column in `chosen` is true, joined."""
    codes = list(chosen)
    matrix = np.column_stack([chosen[c] for c in codes])
    code_arr = np.asarray(codes, dtype=object)
    joined = np.array([MULTI_SEPARATOR.join(code_arr[row]) for row in matrix], dtype=object) \
        if len(matrix) < 50_000 else _join_fast(matrix, code_arr)
    return joined


def _join_fast(matrix: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Join chosen codes per row by unique pattern (few distinct patterns at scale)."""
    weights = 1 << np.arange(matrix.shape[1])
    keys = matrix.astype(np.int64) @ weights
    uniq, inverse = np.unique(keys, return_inverse=True)
    labels = np.array(
        [MULTI_SEPARATOR.join(codes[[(u >> j) & 1 == 1 for j in range(len(codes))]]) for u in uniq],
        dtype=object,
    )
    return labels[inverse]


def practices(rng: np.random.Generator, m: np.ndarray, qn: Questionnaire,
              profile_idx: np.ndarray) -> dict[str, np.ndarray]:
    """The CX practices: journey work, indicators, touchpoints, stages, omnichannel."""
    n = len(m)
    cols: dict[str, np.ndarray] = {}
    for qid in ("cj_ideal_map", "cj_real_checks", "cj_training", "buyer_personas", "big_data",
                "improvement_plans", "cx_role"):
        shift = {"cj_real_checks": -0.12, "cj_training": -0.08, "big_data": -0.1}.get(qid, 0.0)
        cols[qid] = ordinal(rng, np.clip(m + shift, 0, 1), qn[qid].codes)
    indicators = {c: rng.random(n) < p for c, p in
                  {"csi": 0.1 + 0.45 * m, "nps": 0.05 + 0.85 * m, "csat": 0.15 + 0.6 * m,
                   "ces": 0.02 + 0.5 * m}.items()}
    indicators["none"] = ~np.any(np.column_stack(list(indicators.values())), axis=1)
    cols["cx_indicators"] = multi(indicators)
    codes = qn["touchpoints"].codes
    touch_p = np.array([[p.touch.get(c, 0.3) for c in codes] for p in PROFILES])[profile_idx]
    touch = rng.random(touch_p.shape) < touch_p
    touch[~touch.any(axis=1), 1] = True  # everyone has at least a web site
    cols["touchpoints"] = multi(dict(zip(codes, touch.T)))
    stage_p = 0.15 + 0.8 * m
    stages = {c: rng.random(n) < stage_p * f for c, f in
              zip(qn["journey_stages"].codes, (1.0, 0.95, 1.1, 0.8, 0.7, 0.55))}
    joined = multi(stages)
    # numpy's stubs refuse None as a value, which np.where takes for an object array
    cols["journey_stages"] = np.where(  # type: ignore[call-overload]
        cols["cj_ideal_map"] == "none", None, joined)
    cols["journey_stages"] = np.where(  # type: ignore[call-overload]
        cols["journey_stages"] == "", None, cols["journey_stages"])
    cols["omnichannel"] = likert(rng, m, -0.05)
    return cols


def kpis(rng: np.random.Generator, m: np.ndarray, indicators: np.ndarray) -> dict[str, np.ndarray]:
    """The declared NPS, CSAT and CES, for the respondents whose indicators include them."""
    n = len(m)
    text = pd.Series(indicators, dtype="string").fillna("")
    nps = np.clip(np.rint(-25 + 75 * m + rng.normal(0, 12, n)), -100, 100)
    csat = np.clip(np.rint(55 + 40 * m + rng.normal(0, 6, n)), 0, 100)
    ces = np.clip(np.round(2.4 + 3.6 * m + rng.normal(0, 0.5, n), 1), 1, 7)
    return {
        "kpi_nps": np.where(text.str.contains("nps").to_numpy(), nps, np.nan),
        "kpi_csat": np.where(text.str.contains("csat").to_numpy(), csat, np.nan),
        "kpi_ces": np.where(text.str.contains("ces").to_numpy(), ces, np.nan),
    }


def free_texts(rng: np.random.Generator, profile_idx: np.ndarray, attr: str) -> np.ndarray:
    """A free text per row from its profile's pool (`Profile.<attr>`); some left unanswered."""
    out = np.empty(len(profile_idx), dtype=object)
    for p, profile in enumerate(PROFILES):
        mask = profile_idx == p
        pool = np.asarray(getattr(profile, attr), dtype=object)
        out[mask] = pool[rng.integers(0, len(pool), mask.sum())]
    out[rng.random(len(out)) > TEXT_ANSWER_RATE] = None
    return out

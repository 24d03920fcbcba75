"""A whole synthetic survey: companies and their profiles, every question's answers, a few
answers left blank, and the canonical CSV it is written as."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cx.questionnaire import Questionnaire, questionnaire
from cx.synth.answers import free_texts, kpis, likert, ordinal, practices, profile_choice
from cx.synth.names import company_names
from cx.synth.profiles import PROFILES

MISSING_RATE = 0.03


def synthesize(respondents: int, waves: tuple[int, ...], seed: int,
               qn: Questionnaire | None = None, with_profile: bool = False) -> pd.DataFrame:
    """A canonical frame of `respondents` synthetic answers (one column per question id).

    `with_profile` adds the latent profile index as `_profile` (to test that clustering finds it).
    """
    qn = qn or questionnaire()
    rng = np.random.default_rng(seed)
    n = int(respondents)
    n_companies = max(1, round(n / 1.32))
    company_idx = np.concatenate([np.arange(min(n, n_companies)),
                                  rng.integers(0, n_companies, max(0, n - n_companies))])
    company_idx = rng.permutation(company_idx)
    company_profile = rng.choice(len(PROFILES), n_companies, p=[0.22, 0.3, 0.26, 0.22])
    base_m = np.array([p.maturity for p in PROFILES])[company_profile]
    company_m = np.clip(base_m + rng.normal(0, 0.08, n_companies), 0, 1)
    profile_idx = company_profile[company_idx]
    m = np.clip(company_m[company_idx] + rng.normal(0, 0.05, n), 0, 1)
    wave_weights = np.linspace(1.0, 1.25, len(waves))
    cols: dict[str, np.ndarray] = {
        "respondent_id": np.char.add("R", np.char.zfill(np.arange(1, n + 1).astype(str), 6)),
        "wave": np.asarray(waves)[rng.choice(len(waves), n, p=wave_weights / wave_weights.sum())],
        "company": company_names(n_companies)[company_idx],
    }
    # company-level profile answers stay stable across that company's respondents
    for key in ("sector", "size_band", "market", "region"):
        cols[key] = profile_choice(rng, company_profile, key)[company_idx]
    size_level = pd.Series(cols["size_band"]).map(
        {c: i for i, c in enumerate(qn["size_band"].codes)}).to_numpy()
    revenue = np.clip(size_level + rng.integers(-1, 2, n), 0, 4)
    cols["revenue_band"] = np.asarray(qn["revenue_band"].codes, dtype=object)[revenue]
    cols["role"] = profile_choice(rng, profile_idx, "role")
    cols["seniority"] = ordinal(rng, rng.random(n), qn["seniority"].codes, noise=0.3)
    cols.update(practices(rng, m, qn, profile_idx))
    offsets = {"needs": 0.12, "ease": 0.0, "enjoyment": -0.12}
    for q in qn.with_construct("pyramid:"):
        assert q.construct is not None  # with_construct() picked it by its construct
        cols[q.id] = likert(rng, m, offsets[q.construct.split(":")[1]])
    for q in qn.with_construct("pillar:"):
        cols[q.id] = likert(rng, m, rng.normal(0, 0.03))
    cols.update(kpis(rng, m, cols["cx_indicators"]))
    cols["pain_point"] = free_texts(rng, profile_idx, "pains")
    cols["cx_priority"] = free_texts(rng, profile_idx, "priorities")
    cols["club_nps"] = np.clip(np.rint(5.8 + 3.4 * m + rng.normal(0, 1.5, n)), 0, 10).astype(int)
    cols["club_csat"] = likert(rng, m, 0.05)
    cols["club_ces"] = likert(rng, m, 0.0, top=7)
    frame = _with_missing(rng, pd.DataFrame({q.id: cols[q.id] for q in qn.questions}), qn)
    if with_profile:
        frame["_profile"] = profile_idx
    return frame


def _with_missing(rng: np.random.Generator, frame: pd.DataFrame, qn: Questionnaire) -> pd.DataFrame:
    """Blank a few answers at random, as real respondents skip questions."""
    keep = {"respondent_id", "wave", "company", "sector", "size_band", "region"}
    for q in qn.questions:
        if q.id in keep or q.qtype.name == "text":
            continue
        mask = rng.random(len(frame)) < MISSING_RATE
        col = frame[q.id]
        if q.is_numeric:
            frame[q.id] = pd.array(np.where(mask, np.nan, col.astype(float)),
                                   dtype="Int64" if q.integer else "Float64")
        else:
            frame[q.id] = col.where(~mask, None)
    return frame


def write_canonical_csv(frame: pd.DataFrame, out: Path | str) -> None:
    """Write a canonical CSV (UTF-8, comma, LF, integers without decimals)."""
    frame.to_csv(out, index=False, lineterminator="\n")

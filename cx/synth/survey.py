"""A whole synthetic survey: companies and their profiles, every question's answers, a few
answers left blank, and the canonical CSV it is written as."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cx.questionnaire import Questionnaire, questionnaire
from cx.respondent_scores import respondent_scores
from cx.synth.answers import free_texts, kpis, likert, ordinal, practices, profile_choice
from cx.synth.later import later_answers
from cx.synth.names import company_names
from cx.synth.profiles import PROFILES

MISSING_RATE = 0.03


def synthesize(respondents: int, waves: tuple[int, ...], seed: int,
               qn: Questionnaire | None = None, with_profile: bool = False) -> pd.DataFrame:
    """A canonical frame of `respondents` synthetic answers (one column per question id).

    `with_profile` adds the latent profile index as `_profile` (to test that clustering finds it).
    """
    full = qn or questionnaire()
    # the original questions drawn as they always were; those asked later (`since`) after
    qn = full.original()
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
    cols.update(_respondents(rng, m, profile_idx, qn))
    frame = _with_missing(rng, pd.DataFrame({q.id: cols[q.id] for q in qn.questions}), qn)
    frame = _later(frame, m, full, seed)
    if with_profile:
        frame["_profile"] = profile_idx
    return frame


def _respondents(rng: np.random.Generator, m: np.ndarray, profile_idx: np.ndarray,
                 qn: Questionnaire) -> dict[str, np.ndarray]:
    """Each respondent's own answers (role to the Club's scores), in a fixed order of draws."""
    n = len(m)
    cols = {"role": profile_choice(rng, profile_idx, "role"),
            "seniority": ordinal(rng, rng.random(n), qn["seniority"].codes, noise=0.3)}
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
    return cols


COMPANY_COLUMNS = ("company", "sector", "size_band", "market", "region", "revenue_band")


def next_wave(previous: pd.DataFrame, wave: int, respondents: int, seed: int,
              qn: Questionnaire | None = None) -> pd.DataFrame:
    """A later wave of the same Club: `respondents` answers from companies of `previous`
    (drawn with `with_profile`), each with its profile answers as before and a latent maturity
    a little higher; the questions of `wave` included (`since`)."""
    full = qn or questionnaire()
    rng = np.random.default_rng([seed, wave])
    firms = previous.drop_duplicates("company", keep="last").reset_index(drop=True)
    base = full.original()
    maturity = respondent_scores(previous[list(base.ids)], base)["maturity_index"]
    level = (maturity.groupby(previous["company"]).mean() / 100).reindex(firms["company"])
    n_companies = min(len(firms), max(1, round(respondents / 1.32)))
    chosen = rng.choice(len(firms), n_companies, replace=False)
    company_idx = np.concatenate([chosen, rng.choice(chosen, max(0, respondents - n_companies))])
    company_idx = rng.permutation(company_idx[:respondents])
    profile_idx = firms["_profile"].to_numpy()[company_idx]
    start = level.fillna(level.mean()).to_numpy()[company_idx]
    m = np.clip(start + 0.03 + rng.normal(0, 0.05, respondents), 0, 1)
    cols: dict[str, np.ndarray] = {
        "respondent_id": np.char.add(f"R{wave}-", np.char.zfill(
            np.arange(1, respondents + 1).astype(str), 5)),
        "wave": np.full(respondents, wave)}
    cols |= {c: firms[c].to_numpy(dtype=object)[company_idx] for c in COMPANY_COLUMNS}
    cols |= _respondents(rng, m, profile_idx, base)
    frame = _with_missing(rng, pd.DataFrame({q.id: cols[q.id] for q in base.questions}), base)
    return _later(frame, m, full, seed)


def _later(frame: pd.DataFrame, m: np.ndarray, full: Questionnaire, seed: int) -> pd.DataFrame:
    """The answers to what later waves asked, for their rows, from a generator of their own."""
    waves = sorted(int(w) for w in frame["wave"].unique())
    asked_by = {q.id: [w for w in waves if q.asked_in(w)] for q in full.questions}
    first = min((q.since for q in full.questions if q.since and asked_by[q.id]), default=None)
    if first is None:
        return frame
    rng = np.random.default_rng([seed, first])
    asked = frame["wave"].to_numpy() >= first
    cols = {c: frame[c].to_numpy(dtype=object) for c in frame.columns}
    new = later_answers(rng, m, cols, full, asked)
    out = frame.assign(**{c: v for c, v in new.items() if c in frame.columns})
    added = pd.DataFrame({c: v for c, v in new.items() if c not in frame.columns},
                         index=frame.index)
    later_qn = full.as_of(max(waves))
    added = _with_missing(rng, added, later_qn, only=tuple(added.columns))
    both = pd.concat([out, added], axis=1)
    return both[[q.id for q in full.questions if asked_by[q.id]]]


def _with_missing(rng: np.random.Generator, frame: pd.DataFrame, qn: Questionnaire,
                  only: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Blank a few answers at random, as real respondents skip questions (`only` these)."""
    keep = {"respondent_id", "wave", "company", "sector", "size_band", "region"}
    for q in qn.questions:
        if q.id in keep or q.qtype.name == "text" or (only is not None and q.id not in only):
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

"""The answers to what the questionnaire asks from 2027 (`since`): the seeds' real Customer
Journey per touchpoint, pain points, tone, training content and audience, listening, the
declared CSI, and the options added to earlier questions. Drawn from their own generator, after
every earlier answer, so that the 2025–2026 sample stays byte for byte what it was.

Relations, as the seeds would have them: companies that check the journey in the field apply
it better at their touchpoints and collect more pain points; more mature companies listen in
more ways and train more broadly."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cx.questionnaire import MULTI_SEPARATOR, Questionnaire
from cx.respondent_scores import has_option
from cx.synth.answers import likert, multi
from cx.touchpoints import PAIN_AT

# how far a check in the field lifts application at the touchpoints (0–1 latent scale)
CHECK_LIFT = {"never": -0.12, "yearly": 0.0, "half_yearly": 0.1, "quarterly": 0.18}


def _kept(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """`values` where `mask`, else a blank (None)."""
    kept: np.ndarray = pd.Series(values, dtype=object).where(mask, None).to_numpy()
    return kept


def _has(answers: np.ndarray, code: str) -> np.ndarray:
    chosen: np.ndarray = has_option(pd.Series(answers), code).fillna(False).to_numpy(dtype=bool)
    return chosen


def _added(rng: np.random.Generator, answers: np.ndarray, chance: np.ndarray,
           code: str, before: str | None = None) -> np.ndarray:
    """`answers` with `code` added where a draw falls under `chance` (before `before`, e.g.
    the exclusive «none», which it then replaces)."""
    out = answers.copy()
    given = pd.Series(answers, dtype="string").fillna("").to_numpy() != ""  # blanks stay blank
    for i in np.flatnonzero((rng.random(len(answers)) < chance) & given):
        parts = [p for p in str(out[i] or "").split(MULTI_SEPARATOR) if p and p != before]
        out[i] = MULTI_SEPARATOR.join([*parts, code])
    return out


def later_answers(rng: np.random.Generator, m: np.ndarray, cols: dict[str, np.ndarray],
                  qn: Questionnaire, asked: np.ndarray) -> dict[str, np.ndarray]:
    """The new columns (and the earlier checklists with their new options) for the rows where
    `asked` is true; other rows keep their answers and get none to the new questions."""
    n = len(m)
    out: dict[str, np.ndarray] = {}
    touch = cols["touchpoints"].copy()
    for option in (o for o in qn["touchpoints"].options if o.since is not None):
        touch = np.where(asked, _added(rng, touch, 0.25 + 0.35 * m, option.code), touch)
    out["touchpoints"] = touch
    indicators = _added(rng, cols["cx_indicators"], np.full(n, 0.08), "other", before="none")
    out["cx_indicators"] = np.where(asked, indicators, cols["cx_indicators"])
    checks = pd.Series(cols["cj_real_checks"]).map(CHECK_LIFT).fillna(0.0).to_numpy()
    for o in qn["touchpoints"].options:
        used = asked & _has(touch, o.code)
        rating = likert(rng, np.clip(m + checks, 0, 1), -0.08).astype(float)
        out[f"tp_apply_{o.code}"] = np.where(used, rating, np.nan)
    collected = {PAIN_AT + o.code: _has(touch, o.code)
                 & (rng.random(n) < 0.15 + 0.45 * m + checks)
                 for o in qn["touchpoints"].options}
    collected["none"] = ~np.any(np.column_stack(list(collected.values())), axis=1)
    out["tp_pain_points"] = _kept(asked, multi(collected))
    for code, offset in (("appropriate", 0.1), ("relevant", 0.05), ("meaningful", -0.02),
                         ("engaging", -0.12)):
        out[f"tone_{code}"] = np.where(asked, likert(rng, m, offset).astype(float), np.nan)
    trained = asked & (pd.Series(cols["cj_training"]).fillna("never").to_numpy() != "never")
    content = {"cx_projects": rng.random(n) < 0.45 + 0.4 * m,
               "moment_of_truth": rng.random(n) < 0.3 + 0.5 * m}
    audience = {"front_line": rng.random(n) < 0.55 + 0.35 * m,
                "managers": rng.random(n) < 0.5 + 0.2 * m,
                "all_staff": rng.random(n) < 0.05 + 0.35 * m}
    out["cj_training_content"] = _kept(trained, multi(content))
    out["cj_training_audience"] = _kept(trained, multi(audience))
    listening = {"qualitative": rng.random(n) < 0.25 + 0.45 * m,
                 "real_time": rng.random(n) < 0.2 + 0.5 * m,
                 "co_creation": rng.random(n) < 0.05 + 0.35 * m,
                 "internal_groups": rng.random(n) < 0.1 + 0.45 * m}
    listening["none"] = ~np.any(np.column_stack(list(listening.values())), axis=1)
    out["listening"] = _kept(asked, multi(listening))
    csi = np.clip(np.rint(48 + 40 * m + rng.normal(0, 7, n)), 0, 100)
    out["kpi_csi"] = np.where(asked & _has(out["cx_indicators"], "csi"), csi, np.nan)
    for key in ("tp_pain_points", "cj_training_content", "cj_training_audience", "listening"):
        out[key] = _kept(out[key] != "", out[key])
    return out

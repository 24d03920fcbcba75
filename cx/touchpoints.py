"""The real Customer Journey as the seeds define it: how far the ideal journey is applied at
each touchpoint a company manages (questionnaire 2027), its gap to full application, and where
pain points are collected; per touchpoint and per family (marketing off-line, on-line,
contact). Pure: on one row per respondent.

Application is the 1–5 answer rescaled to 0–100 («completamente» = 100); the gap is 100 minus
it. Intervals are company-clustered t intervals (`cx.scoring.mean`), n counts the respondents
whose company manages the touchpoint, and a touchpoint under k of them is withheld."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cx import scoring
from cx.questionnaire import Questionnaire
from cx.respondent_scores import has_option

APPLY = "tp_apply_"
PAIN = "tp_pain_points"
PAIN_AT = "at_"  # a pain-point option's code: "at_" + its touchpoint's code
COLUMNS = ("touchpoint", "family", "value", "low", "high", "n", "companies", "gap", "pain",
           "pain_n", "suppressed")


def columns(qn: Questionnaire) -> list[str]:
    """The answers the real journey is computed from."""
    return ["company", "touchpoints", PAIN,
            *(f"{APPLY}{code}" for code in qn["touchpoints"].codes if f"{APPLY}{code}" in qn)]


def _chosen(answers: pd.Series, code: str) -> np.ndarray:
    chosen: np.ndarray = has_option(answers, code).fillna(False).to_numpy(dtype=bool)
    return chosen


def application(frame: pd.DataFrame, qn: Questionnaire, k: int,
                with_pains: bool = True) -> pd.DataFrame:
    """Per touchpoint asked about (one row each, the largest gap first): application 0–100
    with its interval and n, the gap, and the share of its users who collect pain points
    there (NaN without `with_pains`). Empty when no wave in `frame` asked it."""
    rows = []
    companies = scoring.cluster_labels(frame["company"]) if len(frame) else np.array([])
    pains = frame[PAIN] if PAIN in frame and with_pains else pd.Series(pd.NA, index=frame.index)
    for option in qn["touchpoints"].options:
        column = f"{APPLY}{option.code}"
        if column not in frame or not frame[column].notna().any():
            continue
        rating = pd.to_numeric(frame[column], errors="coerce")
        agg = scoring.mean((rating - 1) / 4 * 100, k, companies)
        users = pains.notna().to_numpy() & _chosen(frame["touchpoints"], option.code)
        pain = scoring.proportion(
            pd.Series(_chosen(pains, PAIN_AT + option.code), dtype=float).where(users), k,
            companies)
        rows.append({"touchpoint": option.code, "family": option.family, "value": agg.value,
                     "low": agg.low, "high": agg.high, "n": agg.n, "companies": agg.companies,
                     "gap": None if agg.value is None else 100 - agg.value,
                     "pain": pain.value, "pain_n": pain.n, "suppressed": not agg.shown})
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return table.sort_values(["suppressed", "gap"], ascending=[True, False],
                             na_position="last", kind="stable").reset_index(drop=True)


def by_family(frame: pd.DataFrame, qn: Questionnaire, k: int) -> pd.DataFrame:
    """Application per family: each respondent's mean over the touchpoints of that family they
    rated, then the clustered mean of those (family, value, low, high, n)."""
    families = dict.fromkeys(o.family for o in qn["touchpoints"].options if o.family)
    companies = scoring.cluster_labels(frame["company"]) if len(frame) else np.array([])
    rows = []
    for family in families:
        cols = [f"{APPLY}{o.code}" for o in qn["touchpoints"].options
                if o.family == family and f"{APPLY}{o.code}" in frame]
        if not cols:
            continue
        ratings = frame[cols].apply(pd.to_numeric, errors="coerce")
        agg = scoring.mean((ratings.mean(axis=1) - 1) / 4 * 100, k, companies)
        rows.append({"family": family, "value": agg.value, "low": agg.low, "high": agg.high,
                     "n": agg.n, "suppressed": not agg.shown})
    return pd.DataFrame(rows, columns=["family", "value", "low", "high", "n", "suppressed"])

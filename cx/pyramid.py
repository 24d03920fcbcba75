"""The CX pyramid (Forrester): needs at the base, ease in the middle, enjoyment on top.
Level scores 0–100 with n and 95% CI for the Club, a segment or a company, and the
"fondamenta deboli" rule. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cx import scoring
from cx.companies import hide
from cx.questionnaire import PYRAMID_LEVELS
from cx.score_columns import PYRAMID_COLUMNS

LEVEL_OF = dict(zip(PYRAMID_COLUMNS, PYRAMID_LEVELS))
PROFILE_COLUMNS = ["panel", "level", "value", "low", "high", "n", "suppressed"]


def level_profile(scores: pd.DataFrame, k: int) -> pd.DataFrame:
    """Mean, 95% CI and n of each level over these respondents, base first."""
    profile = scoring.club_profile(scores, PYRAMID_COLUMNS, k)
    # a t interval on two or three answers can leave the 0–100 scale
    profile[["low", "high"]] = profile[["low", "high"]].astype(float).clip(0, 100)
    return profile.assign(level=profile["measure"].map(LEVEL_OF)).drop(columns="measure")


def from_measures(profile: pd.DataFrame) -> pd.DataFrame:
    """The pyramid rows of a measure profile (measure, value, …) as level rows."""
    rows = profile[profile["measure"].isin(PYRAMID_COLUMNS)]
    return rows.assign(level=rows["measure"].map(LEVEL_OF)).drop(columns="measure")


def segment_profiles(scores: pd.DataFrame, by: str, k: int,
                     min_companies: int | None = None) -> pd.DataFrame:
    """One pyramid per value of `by` (a panel per segment, in the column's order).

    A segment with fewer than k respondents, or fewer than `min_companies` companies, is
    suppressed: its values are dropped and only its n remains.
    """
    frames = []
    for segment, group in scores.groupby(by, observed=True, sort=True):
        profile = level_profile(group, k)
        few = min_companies is not None and group["company"].nunique() < min_companies
        frames.append(hide(profile, few).assign(panel=str(segment)))
    if not frames:
        return pd.DataFrame(columns=PROFILE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[PROFILE_COLUMNS]


@dataclass(frozen=True)
class WeakFoundation:
    """A higher level scoring above a lower one: the pyramid stands on weak foundations."""

    upper: str
    lower: str
    upper_value: float
    lower_value: float


def weak_foundations(levels: pd.DataFrame) -> list[WeakFoundation]:
    """Every pair (higher level, lower level) where the higher one outscores the lower.

    Values are compared as shown (rounded to whole points), so the warning never says that
    62 beats 62. Suppressed levels are never compared.
    """
    shown = levels[~levels["suppressed"].astype(bool)].dropna(subset=["value"])
    value = dict(zip(shown["level"], shown["value"].astype(float)))
    found = []
    for i, lower in enumerate(PYRAMID_LEVELS):
        for upper in PYRAMID_LEVELS[i + 1:]:
            if lower in value and upper in value and round(value[upper]) > round(value[lower]):
                found.append(WeakFoundation(upper, lower, value[upper], value[lower]))
    return found

"""The CX pyramid (Forrester): needs at the base, ease in the middle, enjoyment on top.
Level scores 0–100 with n and 95% CI for the Club, a segment or a company, and the
"fondamenta deboli" rule, stated only where a paired test carries it. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from cx import scoring, standing
from cx.companies import hide
from cx.effects import Interval
from cx.questionnaire import PYRAMID_LEVELS
from cx.score_columns import LEVEL_PAIRS, PYRAMID_COLUMNS
from cx.standing import Paired
from cx.stats import ALPHA

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
    """A higher level scoring above a lower one beyond chance: weak foundations."""

    upper: str
    lower: str
    upper_value: float
    lower_value: float
    difference: Interval  # upper − lower over the respondents who have both, 95%
    dz: float  # the difference over the SD of the differences


def foundation_tests(scores: pd.DataFrame) -> tuple[Paired, ...]:
    """Each higher level − lower level over the same respondents (`LEVEL_PAIRS`): paired
    t-tests, Holm-corrected across the three pairs."""
    return standing.paired_family(scores, LEVEL_PAIRS)


def weak_foundations(tests: Sequence[Paired], levels: pd.DataFrame) -> list[WeakFoundation]:
    """Every pair (higher level, lower level) whose test says the higher one outscores the
    lower (`foundation_tests`), its values as shown in `levels` (level, value, suppressed).
    Suppressed levels are never compared."""
    shown = levels[~levels["suppressed"].astype(bool)].dropna(subset=["value"])
    value = dict(zip(shown["level"], shown["value"].astype(float)))
    found = []
    for test in tests:
        upper, lower = LEVEL_OF[test.first], LEVEL_OF[test.second]
        if test.holds and upper in value and lower in value:
            found.append(WeakFoundation(upper, lower, value[upper], value[lower], test.interval,
                                        test.dz))
    return found


def lowest_level(tests: Sequence[Paired]) -> str | None:
    """The level below both others beyond chance (the pyramid's top, as a rule), or None."""
    for level in PYRAMID_COLUMNS:
        against = [t for t in tests if level in (t.first, t.second)]
        below = [t.p_holm < ALPHA and (t.interval.estimate < 0) == (t.first == level)
                 for t in against]
        if against and all(below):
            return LEVEL_OF[level]
    return None

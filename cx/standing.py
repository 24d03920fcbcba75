"""Who leads and who trails among scores the same respondents all have: paired differences
(the mean of the differences with its t interval, the paired t-test and d_z = mean / SD of the
differences), a family of them Holm-corrected, and the standing they support. Pure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from cx.effects import NAN_INTERVAL, Interval
from cx.stats import ALPHA, holm


@dataclass(frozen=True)
class Paired:
    """Two scores of the same respondents: `first` − `second` over those who have both, with
    its 95% interval, the paired t-test's p (raw and Holm-corrected in its family) and d_z."""

    first: str
    second: str
    interval: Interval
    p: float
    p_holm: float
    dz: float
    n: int

    @property
    def holds(self) -> bool:
        """`first` is above `second`, beyond chance (after Holm's correction)."""
        return self.p_holm < ALPHA and self.interval.estimate > 0


def paired_difference(first: ArrayLike, second: ArrayLike) -> tuple[Interval, float, float, int]:
    """Mean of first − second over the pairs with both, its 95% t interval, the paired
    t-test's two-sided p and d_z."""
    d = np.asarray(first, dtype=float) - np.asarray(second, dtype=float)
    d = d[~np.isnan(d)]
    n = len(d)
    if n < 2:
        return NAN_INTERVAL, math.nan, math.nan, n
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    if not sd > 0:
        # every pair differs alike (two or three respondents on a coarse scale): no spread
        # to judge chance by, so no claim
        return NAN_INTERVAL, math.nan, math.nan, n
    se = sd / math.sqrt(n)
    half = float(stats.t.ppf(1 - ALPHA / 2, n - 1)) * se
    p = float(2 * stats.t.sf(abs(mean / se), n - 1))
    return Interval(mean, mean - half, mean + half), p, mean / sd, n


def paired_family(scores: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> tuple[Paired, ...]:
    """Each pair of columns' paired difference, Holm-corrected across the pairs."""
    raw = [paired_difference(scores[a].to_numpy(dtype=float), scores[b].to_numpy(dtype=float))
           for a, b in pairs]
    adjusted = holm([p for _, p, _, _ in raw]) if raw else np.array([])
    return tuple(Paired(a, b, interval, p, float(adj), dz, n)
                 for (a, b), (interval, p, dz, n), adj in zip(pairs, raw, adjusted))


@dataclass(frozen=True)
class Standing:
    """Scores the same respondents all have, from the highest mean: the leader and the last,
    each followed by those not significantly apart from it (paired t-tests of the leader
    against each other score, Holm-corrected; the same for the last)."""

    order: tuple[str, ...]
    means: tuple[float, ...]
    top: tuple[str, ...]
    bottom: tuple[str, ...]
    lead: Paired | None  # the leader against the closest other score, when the lead holds
    trail: Paired | None  # the closest other score against the last, when it holds

    @property
    def leader(self) -> str | None:
        """The one highest score, when the data carry it."""
        return self.top[0] if len(self.top) == 1 else None

    @property
    def last(self) -> str | None:
        return self.bottom[0] if len(self.bottom) == 1 else None

    @property
    def all_tied(self) -> bool:
        return len(self.top) == len(self.order)

    def mean(self, column: str) -> float:
        return self.means[self.order.index(column)]


def standing(scores: pd.DataFrame, columns: Sequence[str]) -> Standing | None:
    """Which of `columns` lead and trail, and which are tied with them; None under two."""
    means = scores[list(columns)].astype(float).mean()
    means = means.dropna().sort_values(ascending=False, kind="stable")
    order = tuple(str(c) for c in means.index)
    if len(order) < 2:
        return None
    leader, last = order[0], order[-1]
    ahead = paired_family(scores, [(leader, c) for c in order[1:]])
    behind = paired_family(scores, [(c, last) for c in order[:-1]])
    top = (leader, *(p.second for p in ahead if not p.holds))
    bottom = (last, *(p.first for p in reversed(behind) if not p.holds))
    lead = ahead[0] if len(top) == 1 else None
    trail = behind[-1] if len(bottom) == 1 else None
    return Standing(order, tuple(float(v) for v in means), top, bottom, lead, trail)


def category_standing(values: pd.Series) -> Standing | None:
    """Which answers of a single-choice question are the most (and least) common, and which
    are tied with them: each respondent gives one answer, so two answers' shares are compared
    over the same respondents (paired t-tests on the 0/1 indicators, Holm-corrected)."""
    given = values.dropna().astype(str)
    codes = list(dict.fromkeys(given))
    flags = pd.DataFrame({c: (given == c).to_numpy(dtype=float) for c in codes})
    return standing(flags, codes)

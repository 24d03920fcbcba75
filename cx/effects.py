"""How large a difference is, beside whether it is significant (`cx.stats`); paired scores
and who leads are in `cx.standing`. Pure: numpy and scipy, no I/O, no words.

* Two means: the difference with Welch's interval (the Welch–Satterthwaite t quantile), or
  Student's (pooled variance) for a few respondents against many, and
  Hedges' g = J·(m₁ − m₂)/s_pooled, J = Γ(df/2) / (√(df/2)·Γ((df − 1)/2)), df = n₁ + n₂ − 2.
* Several means: ω² = (SS_between − (k − 1)·MS_within) / (SS_total + MS_within), 0 when negative.
* Two shares: the difference with Newcombe's hybrid score interval (his method 10: Wilson
  intervals, no continuity correction).
* Answers in categories: Cramér's V = √(χ² / (N·min(r − 1, c − 1))), χ² without Yates'
  correction; Bergsma's bias-corrected V on request.
* Magnitude (Cohen 1988): |g| below 0.2 negligible, 0.5 small, 0.8 medium, else large;
  ω² below 0.01, 0.06, 0.14; V below 0.1, 0.3, 0.5 divided by √min(r − 1, c − 1).
* Several groups: the largest gap between two of them, its interval Bonferroni-corrected for
  the number of gaps it was picked from (95% when there is only one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from cx.stats import ALPHA, Sample, trim_table

Magnitude = Literal["negligible", "small", "medium", "large"]
Size = Literal["hedges_g", "omega_squared", "cramers_v", "cramers_v_max"]
Unit = Literal["mean", "nps", "share"]
MAGNITUDES: tuple[Magnitude, ...] = ("negligible", "small", "medium", "large")
G_CUTS = (0.2, 0.5, 0.8)
OMEGA_CUTS = (0.01, 0.06, 0.14)
V_CUTS = (0.1, 0.3, 0.5)  # for one degree of freedom; Cohen's w over √min(r − 1, c − 1)
LEVEL = 1 - ALPHA


def magnitude(value: float, cuts: tuple[float, ...]) -> Magnitude:
    """The conventional name of an effect of this size."""
    return MAGNITUDES[sum(abs(value) >= c for c in cuts)]


def v_cuts(df: int) -> tuple[float, ...]:
    """Cramér's V thresholds for a table with min(r − 1, c − 1) = df."""
    return tuple(c / math.sqrt(df) for c in V_CUTS)


@dataclass(frozen=True)
class Interval:
    """An estimated difference and its confidence interval."""

    estimate: float
    low: float
    high: float
    level: float = LEVEL

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0

    def flipped(self) -> Interval:
        return Interval(-self.estimate, -self.high, -self.low, self.level)


NAN_INTERVAL = Interval(math.nan, math.nan, math.nan)


def sample(values: ArrayLike) -> Sample:
    """Size, mean and variance (ddof 1) of the non-missing values."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    var = float(v.var(ddof=1)) if len(v) > 1 else math.nan
    return Sample(len(v), float(v.mean()) if len(v) else math.nan, var)


def welch_interval(a: Sample, b: Sample, level: float = LEVEL) -> Interval:
    """a − b with Welch's interval (unequal variances)."""
    se1, se2 = a.var / a.n, b.var / b.n
    se = se1 + se2
    diff = a.mean - b.mean
    if a.n < 2 or b.n < 2 or not se > 0:
        return NAN_INTERVAL
    df = se**2 / (se1**2 / (a.n - 1) + se2**2 / (b.n - 1))
    half = float(stats.t.ppf(1 - (1 - level) / 2, df)) * math.sqrt(se)
    return Interval(diff, diff - half, diff + half, level)


def student_interval(a: Sample, b: Sample, level: float = LEVEL) -> tuple[Interval, float]:
    """a − b with Student's interval and two-sided p (one variance pooled from both): for a
    handful of respondents against many, whose own variance says little (three equal answers
    would give Welch a variance of zero)."""
    df = a.n + b.n - 2
    if a.n < 1 or b.n < 1 or df < 1:
        return NAN_INTERVAL, math.nan
    pooled = (max(a.n - 1, 0) * np.nan_to_num(a.var) + max(b.n - 1, 0) * np.nan_to_num(b.var)) / df
    se = math.sqrt(pooled * (1 / a.n + 1 / b.n))
    diff = a.mean - b.mean
    if not se > 0:
        return NAN_INTERVAL, math.nan
    half = float(stats.t.ppf(1 - (1 - level) / 2, df)) * se
    p = float(2 * stats.t.sf(abs(diff / se), df))
    return Interval(diff, diff - half, diff + half, level), p


def small_sample_correction(df: float) -> float:
    """Hedges' J: the exact factor that removes the bias of d in small samples."""
    return float(np.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2))
                 / math.sqrt(df / 2))


def hedges_g(a: Sample, b: Sample) -> float:
    """(mean a − mean b) over the pooled standard deviation, times J."""
    df = a.n + b.n - 2
    if a.n < 2 or b.n < 2:
        return math.nan
    pooled = ((a.n - 1) * a.var + (b.n - 1) * b.var) / df
    if not pooled > 0:
        return math.nan
    return (a.mean - b.mean) / math.sqrt(pooled) * small_sample_correction(df)


def omega_squared(samples: Sequence[Sample]) -> float:
    """ω² of a one-way layout: the share of the variance the groups explain, unbiased."""
    n = np.array([s.n for s in samples], dtype=float)
    means = np.array([s.mean for s in samples])
    variances = np.array([s.var for s in samples])
    total, k = n.sum(), len(samples)
    if k < 2 or total <= k:
        return math.nan
    grand = (n * means).sum() / total
    between = float((n * (means - grand) ** 2).sum())
    within = float(((n - 1) * variances).sum())
    mean_within = within / float(total - k)
    denominator = between + within + mean_within
    if not denominator > 0:
        return math.nan
    return max(float((between - (k - 1) * mean_within) / denominator), 0.0)


def cramers_v(table: ArrayLike, bias_corrected: bool = False) -> float:
    """Cramér's V of a table of counts (all-zero rows and columns dropped)."""
    obs = trim_table(table)
    if obs.ndim != 2 or min(obs.shape) < 2:
        return math.nan
    n = obs.sum()
    phi2 = float(stats.chi2_contingency(obs, correction=False).statistic) / n
    r, c = obs.shape
    if not bias_corrected:
        return math.sqrt(phi2 / (min(r, c) - 1))
    # Bergsma (2013): φ² and the table's dimensions shrunk by their expected bias
    phi2 = max(phi2 - (r - 1) * (c - 1) / (n - 1), 0.0)
    rows, cols = r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)
    return math.sqrt(phi2 / min(rows - 1, cols - 1))


def table_df(table: ArrayLike) -> int:
    """min(r − 1, c − 1) of the table without its empty rows and columns."""
    obs = trim_table(table)
    return int(min(obs.shape) - 1) if obs.ndim == 2 else 0


def wilson_bounds(x: float, n: float, level: float = LEVEL) -> tuple[float, float]:
    """Wilson's score interval for the proportion x / n (as proportions)."""
    z = float(stats.norm.ppf(1 - (1 - level) / 2))
    p = x / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n * n)) / denominator
    return centre - half, centre + half


def newcombe_interval(x1: float, n1: float, x2: float, n2: float,
                      level: float = LEVEL) -> Interval:
    """p₁ − p₂ with Newcombe's hybrid score interval."""
    if n1 <= 0 or n2 <= 0:
        return NAN_INTERVAL
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = wilson_bounds(x1, n1, level), wilson_bounds(x2, n2, level)
    diff = p1 - p2
    return Interval(float(diff), float(diff - math.hypot(p1 - l1, u2 - p2)),
                    float(diff + math.hypot(u1 - p1, p2 - l2)), level)


@dataclass(frozen=True)
class Gap:
    """The largest difference between two groups, `first` − `second` (`code`: the answer whose
    shares differ), with its interval; `compared`: how many gaps it was the largest of (its
    interval is Bonferroni-corrected for them)."""

    first: str
    second: str
    interval: Interval
    compared: int
    code: str | None = None

    def flipped(self) -> Gap:
        return Gap(self.second, self.first, self.interval.flipped(), self.compared, self.code)


@dataclass(frozen=True)
class Effect:
    """How large a comparison's difference is: its effect size, the size's conventional name,
    and the largest gap between two groups in the question's own unit."""

    size: Size
    value: float
    magnitude: Magnitude
    gap: Gap | None
    unit: Unit

    def flipped(self) -> Effect:
        """The same effect with the gap read the other way (and g's sign with it)."""
        value = -self.value if self.size == "hedges_g" else self.value
        gap = None if self.gap is None else self.gap.flipped()
        return Effect(self.size, value, self.magnitude, gap, self.unit)


def corrected_level(compared: int) -> float:
    """The confidence level of one of `compared` intervals (Bonferroni)."""
    return 1 - ALPHA / max(compared, 1)


def means_effect(groups: Sequence[ArrayLike], names: Sequence[str], unit: Unit,
                 deff: float = 1.0) -> Effect | None:
    """Hedges' g (two groups) or ω² (more), and the largest gap between two group means (its
    interval on effective sizes n / deff: respondents nested in companies)."""
    samples = [sample(g) for g in groups]
    kept = [(s, name) for s, name in zip(samples, names) if s.n >= 2]
    if len(kept) < 2:
        return None
    pairs = list(combinations(kept, 2))
    (a, first), (b, second) = max(pairs, key=lambda p: abs(p[0][0].mean - p[1][0].mean))
    if a.mean < b.mean:
        (a, first), (b, second) = (b, second), (a, first)
    interval = welch_interval(a._replace(n=a.n / deff), b._replace(n=b.n / deff),
                              corrected_level(len(pairs)))
    if len(kept) == 2:
        size: Size = "hedges_g"
        value, cuts = hedges_g(a, b), G_CUTS
    else:
        size, value, cuts = "omega_squared", omega_squared([s for s, _ in kept]), OMEGA_CUTS
    if math.isnan(value):
        return None
    gap = Gap(first, second, interval, len(pairs))
    return Effect(size, float(value), magnitude(value, cuts), gap, unit)


def _share_gap(counts: NDArray[np.float64], bases: NDArray[np.float64], codes: Sequence[str],
               names: Sequence[str], per_answer: int) -> Gap | None:
    """The answer and pair of groups with the largest difference in share."""
    pairs = [(i, j) for i, j in combinations(range(len(names)), 2)
             if bases[i] > 0 and bases[j] > 0]
    rows = [r for r in range(len(codes)) if counts[r].sum() > 0]
    if not pairs or not rows:
        return None
    shares = counts / np.where(bases > 0, bases, 1)
    row, (i, j) = max(((r, p) for r in rows[:per_answer] for p in pairs),
                      key=lambda rp: abs(shares[rp[0], rp[1][0]] - shares[rp[0], rp[1][1]]))
    if shares[row, i] < shares[row, j]:
        i, j = j, i
    compared = min(per_answer, len(rows)) * len(pairs)
    interval = newcombe_interval(counts[row, i], bases[i], counts[row, j], bases[j],
                                 corrected_level(compared))
    return Gap(names[i], names[j], interval, compared, codes[row])


def choices_effect(counts: ArrayLike, codes: Sequence[str], names: Sequence[str]
                   ) -> Effect | None:
    """One answer per respondent (codes × groups): Cramér's V, magnitude by the table's
    degrees of freedom, and the largest gap in share (percentage points)."""
    table = np.asarray(counts, dtype=float)
    value, df = cramers_v(table), table_df(table)
    if math.isnan(value) or df < 1:
        return None
    given = table.sum(axis=1) > 0
    answers = table[given]
    # with two answers the second's gaps mirror the first's: one gap per pair of groups
    per_answer = 1 if len(answers) == 2 else len(answers)
    gap = _share_gap(answers, table.sum(axis=0), [c for c, g in zip(codes, given) if g], names,
                     per_answer)
    return Effect("cramers_v", value, magnitude(value, v_cuts(df)), gap, "share")


def options_effect(chosen: ArrayLike, bases: ArrayLike, codes: Sequence[str],
                   names: Sequence[str]) -> Effect | None:
    """Several answers per respondent (options × groups, each group's respondents as base):
    the largest of the options' Cramér's V (chosen / not chosen × group) and the largest gap
    in the share choosing an option."""
    table = np.asarray(chosen, dtype=float)
    base = np.asarray(bases, dtype=float)
    values = [cramers_v(np.vstack([row, base - row])) for row in table]
    tested = [v for v in values if not math.isnan(v)]
    if not tested:
        return None
    value = max(tested)
    gap = _share_gap(table, base, codes, names, len(codes))
    return Effect("cramers_v_max", float(value), magnitude(value, v_cuts(1)), gap, "share")

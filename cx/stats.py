"""Significance tests for comparisons between groups. Pure: numpy and scipy, no I/O.

* Answers in categories: chi-square test of independence, without Yates' correction (it
  over-corrects 2×2 tables, making them look less different than they are). When expected
  counts are small (any below 1, or more than 20% below 5: Cochran's rule) Fisher's exact test
  instead: exact for 2×2 tables; for larger tables the Fisher–Freeman–Halton p-value,
  estimated from 9,999 random tables with the observed margins (scipy's Monte-Carlo method
  with a fixed seed, so the same data always gives the same answer).
* Cells that differ from the rest: adjusted standardised residuals (Haberman), two-sided p-values
  Holm-corrected across the cells, and only when the table as a whole differs significantly.
* Means: Welch's t-test for two groups, Welch's ANOVA for more; each group against the rest of
  the sample with Welch's t, Holm-corrected, again only when the overall test is significant.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, TypeVar, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

ALPHA = 0.05
MC_RESAMPLES = 9_999
SEED = 2026
Verdict = Literal["significant", "not_significant", "untestable"]
T = TypeVar("T")


@dataclass(frozen=True)
class Significance:
    """The outcome of one test: its name, statistic, p-value and the verdict in one word."""

    test: str  # chi2 | fisher | fisher_mc | per_option | welch_t | welch_anova | anova | none
    statistic: float | None
    p: float | None
    verdict: Verdict
    df: float | None = None

    @property
    def significant(self) -> bool:
        return self.verdict == "significant"


class Sample(NamedTuple):
    """A sample as Welch's t needs it: its size, mean and variance (ddof 1)."""

    n: float
    mean: float
    var: float


UNTESTABLE = Significance("none", None, None, "untestable")


def _scalar(value: object) -> float | None:
    """A test's statistic or p as a float: scipy returns some as one-element arrays (e.g. the
    Monte-Carlo Fisher test of larger tables)."""
    if value is None:
        return None
    flat = np.asarray(value, dtype=float).reshape(-1)
    return float(flat[0]) if flat.size == 1 else None


def _result(test: str, statistic: object, p: object, df: float | None = None) -> Significance:
    statistic, p = _scalar(statistic), _scalar(p)
    if p is None or not np.isfinite(p):
        return UNTESTABLE
    verdict: Verdict = "significant" if p < ALPHA else "not_significant"
    stat = float(statistic) if statistic is not None and np.isfinite(statistic) else None
    return Significance(test, stat, float(p), verdict, None if df is None else float(df))


def trim_table(table: ArrayLike) -> NDArray[np.float64]:
    """The table without its all-zero rows and columns (they carry no information)."""
    obs: NDArray[np.float64] = np.asarray(table, dtype=float)
    trimmed: NDArray[np.float64] = obs[obs.sum(axis=1) > 0][:, obs.sum(axis=0) > 0]
    return trimmed


def expected_counts(table: ArrayLike) -> NDArray[np.float64]:
    """Counts expected under independence: row total × column total / grand total."""
    obs: NDArray[np.float64] = np.asarray(table, dtype=float)
    expected: NDArray[np.float64] = (obs.sum(axis=1, keepdims=True)
                                     @ obs.sum(axis=0, keepdims=True) / obs.sum())
    return expected


def small_expected(expected: np.ndarray) -> bool:
    """Cochran's rule: the chi-square approximation is unsafe."""
    return bool((expected < 1).any() or (expected < 5).mean() > 0.2)


def contingency_test(table: ArrayLike) -> Significance:
    """Chi-square test of independence, or Fisher's exact test when expected counts are small."""
    obs = trim_table(table)
    if obs.ndim != 2 or obs.shape[0] < 2 or obs.shape[1] < 2:
        return UNTESTABLE
    if not small_expected(expected_counts(obs)):
        # no Yates correction: it over-corrects 2×2 tables (the method text says so)
        chi = stats.chi2_contingency(obs, correction=False)
        return _result("chi2", chi.statistic, chi.pvalue, chi.dof)
    counts = np.rint(obs).astype(int)
    if counts.shape == (2, 2):
        exact = stats.fisher_exact(counts)
        return _result("fisher", exact.statistic, exact.pvalue)
    return _result("fisher_mc", None, fisher_monte_carlo(counts))


def fisher_monte_carlo(counts: np.ndarray) -> float:
    """Fisher's exact test of an r×c table by Monte-Carlo: tables drawn with the same margins
    under independence; p = share of them at most as probable as the observed one (seeded).

    The same computation as scipy's `fisher_exact(counts, method=MonteCarloMethod(...))`, which
    in scipy 1.17 fails once the table's total exceeds resamples × cells (it takes a batch of
    drawn tables for one table): a comparison across a hundred thousand respondents hit it."""
    tables = stats.random_table(counts.sum(axis=1), counts.sum(axis=0),
                                seed=np.random.default_rng(SEED))

    def drawn(size: tuple[int, ...]) -> np.ndarray:
        return tables.rvs(size=size[0]).reshape(size)

    def probability(flat: np.ndarray, axis: int) -> NDArray[np.float64]:
        # a batch of tables in, an array out (scipy's stubs also allow a scalar, for one table)
        shaped = flat.reshape((*flat.shape[:-1], *counts.shape))
        return cast(NDArray[np.float64], tables.pmf(shaped))

    result = stats.monte_carlo_test(counts.ravel(), drawn, probability, vectorized=True,
                                    n_resamples=MC_RESAMPLES, alternative="less")
    return float(np.asarray(result.pvalue).reshape(-1)[0])


def adjusted_residuals(table: ArrayLike) -> np.ndarray:
    """Haberman's adjusted standardised residuals (O − E) / √(E·(1 − row/N)·(1 − col/N))."""
    obs = np.asarray(table, dtype=float)
    n = obs.sum()
    if n == 0:
        return np.zeros_like(obs)
    row = obs.sum(axis=1, keepdims=True) / n
    col = obs.sum(axis=0, keepdims=True) / n
    expected = row @ col * n
    variance = expected * (1 - row) * (1 - col)
    with np.errstate(divide="ignore", invalid="ignore"):
        residuals = (obs - expected) / np.sqrt(variance)
    return np.where(variance > 0, residuals, 0.0)


def holm(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (same shape; NaN counts as 1)."""
    p = np.nan_to_num(np.asarray(pvalues, dtype=float), nan=1.0)
    flat = p.ravel()
    m = flat.size
    order = np.argsort(flat, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * flat[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted.reshape(p.shape)


def residual_marks(table: ArrayLike, overall: Significance) -> np.ndarray:
    """+1 / −1 for cells significantly above / below what independence predicts, else 0."""
    obs = np.asarray(table, dtype=float)
    residuals = adjusted_residuals(obs)
    if not overall.significant:
        return np.zeros(residuals.shape, dtype=int)
    # only the cells of non-empty rows and columns are tested (and counted by Holm)
    cells = (obs.sum(axis=1) > 0)[:, None] & (obs.sum(axis=0) > 0)[None, :]
    adjusted = np.ones(obs.shape)
    adjusted[cells] = holm(2 * stats.norm.sf(np.abs(residuals[cells])))
    return np.where(adjusted < ALPHA, np.sign(residuals), 0).astype(int)


def _quietly(test: Callable[..., T], *samples: np.ndarray, **options: object) -> T:
    """Run a scipy test without its precision warning for groups that answered (almost) all
    alike: the statistic is still defined by the other groups' variance, and an undefined p
    is reported as untestable or counted as 1 by holm()."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return test(*samples, **options)


def _usable(groups: Sequence[np.ndarray]) -> list[np.ndarray]:
    return [np.asarray(g, dtype=float) for g in groups if len(g) > 0]


def means_test(groups: Sequence[np.ndarray], deff: float = 1.0) -> Significance:
    """Welch's t-test (two groups) or Welch's ANOVA (more); classic ANOVA when a group has no
    variance (Welch's weights are undefined then). With a design effect above 1 (respondents
    nested in companies, `cx.results.design`) each group counts n / deff respondents."""
    samples = _usable(groups)
    if len(samples) < 2 or any(len(g) < 2 for g in samples):
        return UNTESTABLE
    if all(np.ptp(g) == 0 for g in samples):
        return UNTESTABLE
    if deff > 1 and not any(np.ptp(g) == 0 for g in samples):
        return welch_summary([_effective(g, deff) for g in samples])
    if len(samples) == 2:
        welch = _quietly(stats.ttest_ind, *samples, equal_var=False)
        return _result("welch_t", welch.statistic, welch.pvalue, welch.df)
    if any(np.ptp(g) == 0 for g in samples):
        anova = _quietly(stats.f_oneway, *samples)
        return _result("anova", anova.statistic, anova.pvalue, len(samples) - 1)
    anova = _quietly(stats.f_oneway, *samples, equal_var=False)
    return _result("welch_anova", anova.statistic, anova.pvalue, len(samples) - 1)


def _effective(values: np.ndarray, deff: float) -> Sample:
    return Sample(len(values) / deff, float(values.mean()), float(values.var(ddof=1)))


def welch_summary(samples: Sequence[Sample]) -> Significance:
    """Welch's t (two samples) or Welch's ANOVA (more) from each sample's size, mean and
    variance: what scipy's ttest_ind(equal_var=False) and f_oneway(equal_var=False) compute,
    for sizes that need not be whole (effective sizes)."""
    if len(samples) == 2:
        t, df, p = welch_t(*samples)
        return _result("welch_t", t, p, df)
    n = np.array([s.n for s in samples])
    w = n / np.array([s.var for s in samples])
    means = np.array([s.mean for s in samples])
    k, total = len(samples), w.sum()
    centre = (w * means).sum() / total
    spread = ((1 - w / total) ** 2 / (n - 1)).sum()
    f = ((w * (means - centre) ** 2).sum() / (k - 1)) / (1 + 2 * (k - 2) / (k**2 - 1) * spread)
    df2 = (k**2 - 1) / (3 * spread)
    return _result("welch_anova", f, stats.f.sf(f, k - 1, df2), k - 1)


def welch_t(a: Sample, b: Sample) -> tuple[float, float, float]:
    """Welch's t statistic, its Welch–Satterthwaite degrees of freedom and two-sided p, from
    each sample's size, mean and variance: what scipy's ttest_ind(equal_var=False) computes,
    without rebuilding the samples."""
    se1, se2 = a.var / a.n, b.var / b.n
    se = se1 + se2
    if a.n < 2 or b.n < 2 or se <= 0:
        return math.nan, math.nan, math.nan
    t = (a.mean - b.mean) / math.sqrt(se)
    df = se**2 / (se1**2 / (a.n - 1) + se2**2 / (b.n - 1))
    return t, df, float(2 * stats.t.sf(abs(t), df))


def group_marks(groups: Sequence[np.ndarray], overall: Significance,
                deff: float = 1.0) -> np.ndarray:
    """+1 / −1 for groups whose mean is significantly above / below the rest of the sample
    (Welch's t on effective sizes n / deff, Holm-corrected), else 0. The rest's mean and
    variance come from the groups' own, so no sample is copied."""
    samples = [np.asarray(g, dtype=float) for g in groups]
    if not overall.significant:
        return np.zeros(len(samples), dtype=int)
    n = np.array([len(g) for g in samples], dtype=float)
    means = np.array([g.mean() if len(g) else 0.0 for g in samples])
    squares = np.array([((g - g.mean()) ** 2).sum() if len(g) else 0.0 for g in samples])
    pvalues, signs = [], []
    for i in range(len(samples)):
        rest = np.arange(len(samples)) != i
        n_rest = n[rest].sum()
        mean_rest = (n[rest] * means[rest]).sum() / n_rest
        # within-group squares plus each group's distance from the rest's mean
        ss_rest = (squares[rest] + n[rest] * (means[rest] - mean_rest) ** 2).sum()
        var_i = squares[i] / (n[i] - 1) if n[i] > 1 else math.nan
        _, _, p = welch_t(Sample(n[i] / deff, means[i], var_i),
                          Sample(n_rest / deff, mean_rest, ss_rest / (n_rest - 1)))
        pvalues.append(p)
        signs.append(np.sign(means[i] - mean_rest))
    return np.where(holm(pvalues) < ALPHA, signs, 0).astype(int)


def multi_response_test(chosen: np.ndarray, bases: np.ndarray) -> tuple[Significance, np.ndarray]:
    """Multiple choice by group: each option tested on its own (chosen / not chosen × group),
    one verdict from the smallest Holm-adjusted p, and +1 / −1 marks for the cells of the options
    that differ whose adjusted residual stays significant after Holm across all cells."""
    chosen = np.asarray(chosen, dtype=float)
    bases = np.asarray(bases, dtype=float)
    tests = [contingency_test(np.vstack([row, bases - row])) for row in chosen]
    raw = np.array([np.nan if r.p is None else r.p for r in tests])
    tested = ~np.isnan(raw)
    marks = np.zeros(chosen.shape, dtype=int)
    if not tested.any():
        return UNTESTABLE, marks
    option_p = np.ones(len(raw))
    option_p[tested] = holm(raw[tested])
    overall = _result("per_option", None, float(option_p.min()))
    if not overall.significant:
        return overall, marks
    residuals = np.array([adjusted_residuals(np.vstack([row, bases - row]))[0] for row in chosen])
    cells = tested[:, None] & np.ones(chosen.shape, dtype=bool)
    cell_p = np.ones(chosen.shape)
    cell_p[cells] = holm(2 * stats.norm.sf(np.abs(residuals[cells])))
    significant = (cell_p < ALPHA) & (option_p[:, None] < ALPHA)
    return overall, np.where(significant, np.sign(residuals), 0).astype(int)


def partially_paired_t(first: ArrayLike, second: ArrayLike, pairs: ArrayLike) -> Significance:
    """Two samples that share some units (companies in both waves): Derrick, Russ, Toher and
    White's (2017) partially overlapping samples t-test, Welch-type (T_new2). `first` and
    `second` hold the units seen in one sample only; `pairs` (m × 2) those seen in both, each
    compared with itself. Without unpaired units it is the paired t-test; it needs two pairs
    (with none, callers keep Welch's t-test, which the formula then becomes)."""
    only_a, only_b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    paired = np.asarray(pairs, dtype=float).reshape(-1, 2)
    m = len(paired)
    a, b = np.concatenate([only_a, paired[:, 0]]), np.concatenate([only_b, paired[:, 1]])
    if m < 2 or len(a) < 2 or len(b) < 2:
        return UNTESTABLE
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    constant = np.ptp(paired[:, 0]) == 0 or np.ptp(paired[:, 1]) == 0
    r = 0.0 if constant else float(np.corrcoef(paired[:, 0], paired[:, 1])[0, 1])
    se2 = va + vb - 2 * r * math.sqrt(va * vb) * m / math.sqrt(len(a) * len(b))
    if not se2 > 0:
        return UNTESTABLE
    t = (a.mean() - b.mean()) / math.sqrt(se2)
    unpaired = len(only_a) + len(only_b)
    welch = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    df = (m - 1) + (welch - m + 1) / (unpaired + 2 * m) * unpaired
    return _result("partial_paired_t", t, 2 * stats.t.sf(abs(t), df), df)

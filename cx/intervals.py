"""95% confidence intervals: the formulas behind every interval the app shows. Pure numpy
(scipy's t quantile is imported when a mean needs it).

* NPS: adjusted Wald (Rocks 2016, «Interval estimation for the "Net Promoter Score"», The
  American Statistician 70(4), the variant with n + 3): ¾ of a respondent added to the
  promoters and to the detractors, 1½ to the passives, then the Wald interval of a difference
  of two proportions. It never collapses to a point, even when everyone is a promoter.
* Shares: Wilson score interval.
* Means: Student's t; the standard deviation is taken as at least step/√n, the least a sample
  of n answers on the scale can vary without being constant (one answer one step away), so
  that equal answers still get an interval.
* Respondents nested in companies: the mean's CR1 sandwich variance
  G/(G−1) · Σ_g (Σ_{i∈g} (yᵢ − ȳ))² / n² over G companies, with G − 1 degrees of freedom; its
  ratio to the variance under independence is the design effect (deff). NPS and shares take it
  through the effective sample size n / deff (Kish; Korn & Graubard 1998). Where deff comes out
  below 1 it counts as 1: an interval is never narrower than under independence.
* What the clustered variance adds to the independent one is a sum over the respondents of
  companies with two or more of them. When those number fewer than k besides the largest such
  company it would describe fewer than k respondents (docs/privacy.md), so the bound that uses
  no answer is taken instead: every company answering as one, deff = Σ n_g² / n (Kish's
  1 + (m − 1)·ρ at ρ = 1).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

Z95 = 1.959963984540054
# pseudo-respondents added to promoters, passives and detractors (Rocks 2016, n + 3)
NPS_PSEUDO = (0.75, 1.5, 0.75)

Array = NDArray[np.float64]


def wilson(successes: float, n: float) -> tuple[float, float]:
    """95% Wilson score interval for a proportion, in %; `successes` and `n` may be effective
    (fractional) counts."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(max(p * (1 - p), 0.0) / n + Z95**2 / (4 * n * n)) / denom
    return (max(centre - half, 0.0) * 100, min(centre + half, 1.0) * 100)


def nps_interval(promoters: float, detractors: float, n: float) -> tuple[float, float]:
    """95% adjusted Wald interval of the NPS (−100…100) from the counts of promoters and
    detractors among n (effective counts may be fractional)."""
    plus, _, minus = NPS_PSEUDO
    total = n + sum(NPS_PSEUDO)
    pro, det = (promoters + plus) / total, (detractors + minus) / total
    centre = pro - det
    half = Z95 * math.sqrt((pro + det - centre**2) / total)
    return (max(centre - half, -1.0) * 100, min(centre + half, 1.0) * 100)


def t_quantile(df: float) -> float:
    """The two-sided 95% quantile of Student's t."""
    from scipy import stats  # here: scipy.stats takes a second to import, and the store and
    # the command line import the modules above this one for their column names alone

    return float(stats.t.ppf(0.975, df))


def floored_variance(values: Array, step: float) -> float:
    """The sample variance (ddof 1), at least step²/n: that of n answers with one a step away
    from the others, the least a sample that is not constant can vary."""
    n = len(values)
    return max(float(np.var(values, ddof=1)), step**2 / n)


def cluster_variance(values: Array, clusters: ArrayLike) -> float:
    """CR1 sandwich variance of the mean of `values` with observations clustered by `clusters`
    (what statsmodels' OLS on a constant reports with cov_type="cluster"); NaN under two
    clusters."""
    codes, groups = cluster_codes(clusters)
    if groups < 2:
        return math.nan
    n = len(values)
    sums = np.bincount(codes, weights=values - values.mean(), minlength=groups)
    return groups / (groups - 1) * float(np.sum(sums**2)) / n**2


def design_effect(values: Array, clusters: ArrayLike) -> float:
    """The clustered variance of the mean over its variance under independence (NaN when
    either is undefined: under two clusters, or answers all alike)."""
    n = len(values)
    independent = float(np.var(values, ddof=1)) / n if n > 1 else math.nan
    if not independent > 0:
        return math.nan
    return cluster_variance(values, clusters) / independent


def cluster_codes(clusters: ArrayLike) -> tuple[NDArray[np.intp], int]:
    """Each observation's cluster as 0..G−1, and G (a missing cluster is one cluster).
    Integer labels are factorised as they are: turning 100k names into objects first cost
    milliseconds on every aggregate of a page."""
    if isinstance(clusters, pd.Series):  # factorised as stored: a million names never
        found = pd.factorize(clusters, use_na_sentinel=False)  # become objects
        return found[0].astype(np.intp), len(found[1])
    labels = np.asarray(clusters)
    if labels.dtype.kind not in "iu":
        labels = labels.astype(object)
    codes, uniques = pd.factorize(labels, use_na_sentinel=False)
    return codes.astype(np.intp), len(uniques)


def cluster_sizes(clusters: ArrayLike) -> NDArray[np.intp]:
    """Observations per cluster."""
    codes, count = cluster_codes(clusters)
    sizes: NDArray[np.intp] = np.bincount(codes, minlength=count)
    return sizes


def shares_few(sizes: NDArray[np.intp], k: int) -> bool:
    """Whether the clusters of two or more observations hold fewer than k of them besides the
    largest such cluster, but some: then their clustered variance describes too few."""
    shared = sizes[sizes > 1]
    return len(shared) > 0 and int(shared.sum() - shared.max()) < k


def size_bound(sizes: NDArray[np.intp]) -> float:
    """The design effect were every cluster answering as one (ρ = 1): Σ n_g² / n."""
    return float(np.sum(sizes.astype(float) ** 2) / sizes.sum())

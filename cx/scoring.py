"""Scores and indicators: pure functions over pandas objects.

Formulas (documented in the app, tested against hand-computed tables; the intervals are
`cx.intervals`'):

* NPS = % promoters (9–10) − % detractors (0–6), on −100…100; 95% adjusted Wald interval.
* CSAT = % of answers 4–5 on a 1–5 scale, 95% Wilson interval.
* CES and every other mean: arithmetic mean, 95% Student-t interval that never collapses.
* Given the respondents' companies, every interval is company-clustered (CR1; the effective
  sample size for NPS and shares). Under `cx.config.INDICATIVE_N` respondents a figure is
  indicative.

Each respondent's own scores (pyramid, pillars, maturity) are `cx.respondent_scores`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeAlias, TypeVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cx import config, intervals
from cx.intervals import wilson as wilson  # re-exported: Risultati and the journey use it
from cx.rounding import difference_parts, largest_remainder
from cx.score_columns import (
    STAGES,
)

# answers or 0/1 flags; whatever is not a number counts as missing
Values: TypeAlias = "pd.Series[Any] | NDArray[Any] | Sequence[object]"
Frame = TypeVar("Frame", pd.Series, pd.DataFrame)
CLUSTER = "company"  # respondents of one company answer alike: the unit intervals cluster on


@dataclass(frozen=True)
class Aggregate:
    """One number shown to users, with its base and 95% confidence interval; `companies` and
    `deff` when the interval is company-clustered (the design effect estimated)."""

    value: float | None
    n: int
    low: float | None = None
    high: float | None = None
    suppressed: bool = False
    companies: int | None = None
    deff: float | None = None

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.value is not None

    @property
    def indicative(self) -> bool:
        """Shown, but on fewer than `cx.config.INDICATIVE_N` respondents."""
        return self.shown and config.indicative(self.n)


@dataclass(frozen=True)
class NPS(Aggregate):
    promoters: float | None = None
    passives: float | None = None
    detractors: float | None = None

    @property
    def shown_parts(self) -> tuple[float, float]:
        """Promoters and detractors in whole % whose difference is the NPS as shown, for a
        sentence that gives all three (`cx.rounding.difference_parts`)."""
        assert self.promoters is not None and self.detractors is not None
        return difference_parts(self.promoters, self.detractors)


A = TypeVar("A", bound=Aggregate)


def _valid(values: Values) -> NDArray[np.float64]:
    arr: NDArray[np.float64] = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(
        dtype=float)
    return arr[~np.isnan(arr)]


def _valid_clustered(values: Values, clusters: Values | None
                     ) -> tuple[NDArray[np.float64], NDArray[Any] | None]:
    """The numeric values and, aligned, their clusters (None when not clustered)."""
    if clusters is None:
        return _valid(values), None
    arr = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    keep = ~np.isnan(arr)
    return arr[keep], cluster_labels(clusters)[keep]


def cluster_labels(clusters: Values) -> NDArray[np.intp]:
    """Companies as integer labels: factorised once, so that each interval's clustering
    reads integers (a missing company is a company of its own, as in intervals)."""
    labels = clusters if isinstance(clusters, pd.Series) else np.asarray(clusters)
    if labels.dtype.kind in "iu":
        return np.asarray(labels, dtype=np.intp)
    return intervals.cluster_codes(labels)[0]


def _clustering(points: NDArray[np.float64], clusters: NDArray[Any] | None, k: int
                ) -> tuple[int | None, float | None]:
    """(companies, design effect) of clustered values; (None, None) when not clustered. With
    too few respondents in companies of several (`intervals.shares_few`), the bound that
    reads no answer."""
    if clusters is None:
        return None, None
    sizes = intervals.cluster_sizes(clusters)
    if len(sizes) < 2:
        return len(sizes), None
    if intervals.shares_few(sizes, k):
        return len(sizes), intervals.size_bound(sizes)
    deff = intervals.design_effect(points, clusters)
    return len(sizes), None if math.isnan(deff) else deff


def _effective(n: int, deff: float | None) -> float:
    """Kish's effective sample size, never above n (a design effect under 1 counts as 1)."""
    return n / max(deff or 1.0, 1.0)


def widened(agg: A, deff: float) -> A:
    """The aggregate with its interval widened by √deff around its value (respondents nested
    in companies, a design effect measured across the groups of a comparison)."""
    if deff <= 1 or agg.value is None or agg.low is None or agg.high is None:
        return agg
    root = math.sqrt(deff)
    low = agg.value - (agg.value - agg.low) * root
    high = agg.value + (agg.high - agg.value) * root
    if isinstance(agg, NPS):  # an NPS stays on its scale
        low, high = max(low, -100.0), min(high, 100.0)
    return replace(agg, low=low, high=high, deff=deff)


def suppressed(n: int) -> Aggregate:
    """A figure withheld: only its n remains."""
    return Aggregate(None, n, suppressed=True)


def nps(values: Values, k: int = 1, clusters: Values | None = None) -> NPS:
    """Net Promoter Score of 0–10 answers, with shares in % and a 95% adjusted Wald interval
    (company-clustered when `clusters` gives each answer's company)."""
    v, groups = _valid_clustered(values, clusters)
    n = len(v)
    if n == 0 or n < k:
        return NPS(None, n, suppressed=n > 0 or k > 0)
    pro = float(np.mean(v >= 9))
    det = float(np.mean(v <= 6))
    points = np.where(v >= 9, 1.0, np.where(v <= 6, -1.0, 0.0))
    companies, deff = _clustering(points, groups, k)
    effective = _effective(n, deff)
    low, high = intervals.nps_interval(pro * effective, det * effective, effective)
    return NPS((pro - det) * 100, n, low, high, companies=companies, deff=deff,
               promoters=pro * 100, passives=(1 - pro - det) * 100, detractors=det * 100)


def proportion(flags: Values, k: int = 1, clusters: Values | None = None) -> Aggregate:
    """Share (in %) of true values among the non-missing ones, with a Wilson interval
    (company-clustered when `clusters` gives each answer's company)."""
    v, groups = _valid_clustered(flags, clusters)
    n = len(v)
    if n == 0 or n < k:
        return suppressed(n)
    hits = (v > 0).astype(float)
    share = float(hits.mean())
    companies, deff = _clustering(hits, groups, k)
    effective = _effective(n, deff)
    low, high = wilson(share * effective, effective)
    return Aggregate(share * 100, n, low, high, companies=companies, deff=deff)


def csat(values: Values, k: int = 1, top: tuple[int, ...] = (4, 5),
         clusters: Values | None = None) -> Aggregate:
    """CSAT: % of answers in the top two boxes of a 1–5 scale."""
    arr = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    flags = np.where(np.isnan(arr), np.nan, np.isin(arr, top).astype(float))
    return proportion(flags, k, clusters)


def mean(values: Values, k: int = 1, clusters: Values | None = None,
         step: float = 1.0) -> Aggregate:
    """Mean with a 95% Student-t interval (CES, pyramid, pillars, maturity) that never
    collapses: `step` is the smallest difference between two answers (one point of a scale,
    one point of a 0–100 score). With `clusters`, the CR1 company-clustered interval, on
    G − 1 degrees of freedom."""
    v, groups = _valid_clustered(values, clusters)
    n = len(v)
    if n == 0 or n < k:
        return suppressed(n)
    m = float(np.mean(v))
    if n < 2:
        return Aggregate(m, n)
    variance, df = intervals.floored_variance(v, step) / n, n - 1.0
    companies, deff = _clustering(v, groups, k)
    if groups is not None and companies is not None and companies >= 2:
        variance *= max(deff or 1.0, 1.0)
        df = companies - 1.0
    half = intervals.t_quantile(df) * math.sqrt(variance)
    return Aggregate(m, n, m - half, m + half, companies=companies, deff=deff)


ces = mean


def stage_distribution(stages: pd.Series, k: int = 1) -> pd.DataFrame:
    """Count and % of respondents per maturity stage (all five stages, in order); `shown` is
    the % rounded so that the stages add up to 100 and any two of them to their rounded sum,
    which is what the bars and the sentences that add stages show."""
    valid = stages.dropna()
    n = len(valid)
    counts = valid.value_counts().reindex(list(STAGES), fill_value=0)
    frame = pd.DataFrame({"stage": list(STAGES), "count": counts.to_numpy()})
    frame["pct"] = frame["count"] / n * 100 if n else 0.0
    frame["shown"] = largest_remainder(frame["pct"].tolist()) if n else 0.0
    frame.attrs["n"] = n
    frame.attrs["suppressed"] = n < k
    return frame


def company_mean(values: Values, clusters: Values, k: int = 1) -> Aggregate:
    """The mean per company: each company's mean over its respondents, then the mean of those
    (each company weighs one), with a t interval over companies. Its n counts companies;
    withheld under k of them."""
    v, groups = _valid_clustered(values, clusters)
    assert groups is not None
    codes, count = intervals.cluster_codes(groups)
    means = np.bincount(codes, v, count) / np.bincount(codes, None, count)
    return replace(mean(means, k), companies=count)


def club_profile(scores: pd.DataFrame, columns: tuple[str, ...], k: int,
                 by_company: bool = False) -> pd.DataFrame:
    """Mean (per respondent), interval and n of each score column, suppressed under k
    respondents. With a `company` column the interval is company-clustered (`companies`,
    `deff`); with `by_company` the mean per company too (from k companies)."""
    clusters = scores.get(CLUSTER)
    if clusters is not None:  # factorised once for all the columns
        clusters = pd.Series(cluster_labels(clusters), index=scores.index)
    rows = []
    for col in columns:
        agg = mean(scores[col], k, clusters)
        row = {"measure": col, "value": agg.value, "low": agg.low, "high": agg.high,
               "n": agg.n, "suppressed": agg.suppressed, "companies": agg.companies,
               "deff": agg.deff}
        if by_company and clusters is not None:
            row["by_company"] = company_mean(scores[col], clusters, k).value
        rows.append(row)
    return pd.DataFrame(rows)


def group_scores(scores: pd.DataFrame, by: str | list[str], columns: tuple[str, ...],
                 k: int) -> pd.DataFrame:
    """Mean score per group (e.g. per company and wave), with n; groups under k are dropped
    from what is shown unless `k` is 1 (the analyst's own export)."""
    grouped = scores.groupby(by, observed=True, dropna=False)
    out = grouped[list(columns)].mean()
    out.insert(0, "n", grouped.size())
    return out[out["n"] >= k].reset_index()

"""Weighted figures beside the unweighted ones: the ratio estimate Σwy / Σw, its variance by
Taylor linearisation with respondents clustered by company (with-replacement, CR1:
G/(G−1) Σ_g (Σ_{i∈g} wᵢ(yᵢ − ȳ_w)/Σw)²). Shares and NPS take it through their effective n
(n / deff, deff = that variance over the unweighted independent one) in the app's Wilson and
adjusted Wald intervals; means through Student's t on G − 1 degrees of freedom. Below k
respondents nothing is shown, as unweighted. Pure numpy."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cx import intervals, scoring
from cx.coverage.design import Weighting
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.scoring import NPS, Aggregate

Array = NDArray[np.float64]


def _valid(values: object, weights: Array, companies: NDArray[np.intp]
           ) -> tuple[Array, Array, NDArray[np.intp]]:
    y = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    keep = ~np.isnan(y) & (weights > 0)
    return y[keep], weights[keep], companies[keep]


def linearised_variance(y: Array, w: Array, companies: NDArray[np.intp]) -> float:
    """Variance of the weighted mean Σwy/Σw, clustered by company (NaN under two)."""
    codes, groups = intervals.cluster_codes(companies)
    if groups < 2:
        return math.nan
    estimate = float(np.sum(w * y) / np.sum(w))
    z = w * (y - estimate) / np.sum(w)
    totals = np.bincount(codes, weights=z, minlength=groups)
    return groups / (groups - 1) * float(np.sum(totals**2))


def _deff(y: Array, w: Array, companies: NDArray[np.intp], step: float) -> tuple[float, int]:
    """The design effect of the weighted mean (weights and companies together), at least 1,
    and the companies."""
    n = len(y)
    groups = intervals.cluster_codes(companies)[1]
    variance = linearised_variance(y, w, companies)
    independent = intervals.floored_variance(y, step) / n if n > 1 else math.nan
    if math.isnan(variance) or not independent > 0:
        return 1.0, groups
    return max(variance / independent, 1.0), groups


def weighted_nps(values: object, weights: Array, companies: NDArray[np.intp], k: int) -> NPS:
    y, w, c = _valid(values, weights, companies)
    n = len(y)
    if n == 0 or n < k:
        return NPS(None, n, suppressed=True)
    pro = float(np.sum(w * (y >= 9)) / w.sum())
    det = float(np.sum(w * (y <= 6)) / w.sum())
    points = np.where(y >= 9, 1.0, np.where(y <= 6, -1.0, 0.0))
    deff, groups = _deff(points, w, c, 1.0)
    effective = n / deff
    low, high = intervals.nps_interval(pro * effective, det * effective, effective)
    return NPS((pro - det) * 100, n, low, high, companies=groups, deff=deff,
               promoters=pro * 100, passives=(1 - pro - det) * 100, detractors=det * 100)


def weighted_proportion(flags: object, weights: Array, companies: NDArray[np.intp],
                        k: int) -> Aggregate:
    y, w, c = _valid(flags, weights, companies)
    n = len(y)
    if n == 0 or n < k:
        return scoring.suppressed(n)
    hits = (y > 0).astype(float)
    share = float(np.sum(w * hits) / w.sum())
    deff, groups = _deff(hits, w, c, 1.0)
    low, high = intervals.wilson(share * n / deff, n / deff)
    return Aggregate(share * 100, n, low, high, companies=groups, deff=deff)


def weighted_mean(values: object, weights: Array, companies: NDArray[np.intp], k: int,
                  step: float = 1.0) -> Aggregate:
    y, w, c = _valid(values, weights, companies)
    n = len(y)
    if n == 0 or n < k:
        return scoring.suppressed(n)
    m = float(np.sum(w * y) / w.sum())
    deff, groups = _deff(y, w, c, step)
    half = intervals.t_quantile(max(groups - 1.0, 1.0)) * math.sqrt(
        deff * intervals.floored_variance(y, step) / n)
    return Aggregate(m, n, m - half, m + half, companies=groups, deff=deff)


@dataclass(frozen=True)
class WeightedOverview:
    """Panoramica's headline figures weighted to the member mix, and the weights' cost."""

    weighting: Weighting
    nps: NPS
    csat: Aggregate
    ces: Aggregate
    maturity: Aggregate
    journey_map: Aggregate
    measures_nps: Aggregate
    profile: tuple[tuple[str, Aggregate], ...] = ()  # pyramid levels and pillars, 0–100


def weighted_overview(scores: pd.DataFrame, weighting: Weighting, k: int) -> WeightedOverview:
    """The headline figures of `scores` (the rows the weights were computed for)."""
    w = weighting.weights
    c = scoring.cluster_labels(scores["company"])
    csat = pd.to_numeric(scores["club_csat"], errors="coerce")
    return WeightedOverview(
        weighting,
        nps=weighted_nps(scores["club_nps"], w, c, k),
        csat=weighted_proportion(csat.where(csat.isna(), csat.isin((4, 5)).astype(float)),
                                 w, c, k),
        ces=weighted_mean(scores["club_ces"], w, c, k),
        maturity=weighted_mean(scores["maturity_index"], w, c, k),
        journey_map=weighted_proportion(scores["has_journey_map"].astype("Float64"), w, c, k),
        measures_nps=weighted_proportion(scores["measures_nps"].astype("Float64"), w, c, k),
        profile=tuple((m, weighted_mean(scores[m], w, c, k))
                      for m in (*PYRAMID_COLUMNS, *PILLAR_COLUMNS) if m in scores))

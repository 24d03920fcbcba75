"""Order statistics that never publish one respondent's value. Pure.

A median or quartile of a few values *is* one of them (a company's exact score disguised as a
quartile). Here a quantile is the mean of the k values around its rank (τ-ARGUS and the
statistical offices' «dominance-safe» quantiles): it describes at least k respondents, and
for large groups it is the usual quantile to within a fraction of a point.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def smoothed_quantiles(values: Sequence[float] | np.ndarray, qs: Sequence[float], k: int
                       ) -> list[float]:
    """For each q in `qs`, the mean of the k sorted values centred on rank q·(n−1); NaN when
    fewer than k values are given (missing values are ignored)."""
    v = np.sort(np.asarray(values, dtype=float))
    v = v[~np.isnan(v)]
    n, width = len(v), max(1, int(k))
    if n < width:
        return [float("nan")] * len(qs)
    sums = np.concatenate([[0.0], np.cumsum(v)])
    out = []
    for q in qs:
        start = int(np.clip(round(q * (n - 1) - (width - 1) / 2), 0, n - width))
        out.append(float((sums[start + width] - sums[start]) / width))
    return out


def smoothed_median(values: Sequence[float] | np.ndarray, k: int) -> float:
    return smoothed_quantiles(values, (0.5,), k)[0]

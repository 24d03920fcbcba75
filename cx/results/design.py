"""The design effect of a comparison between groups whose respondents are nested in companies.

Respondents of one company answer alike, so a group's mean or share varies more than if its
respondents were independent. The comparison's tests and intervals are run on effective sample
sizes n / deff (Kish), with deff estimated from the residuals within groups, clustered by
company: Σ_c (Σ_{i∈c} r_i)² / Σ_i r_i². For a chi-square this is the first-order Rao–Scott
correction (X² / δ̄, δ̄ the mean design effect of the cells). Never below 1: a comparison is never
made more confident than one of independent respondents. Pure; on tallies (value, group,
company, n)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cx import intervals


def deff(residuals: np.ndarray, weights: np.ndarray, companies: np.ndarray) -> float:
    """Σ_c (Σ_{i∈c} wᵢrᵢ)² / Σ wᵢrᵢ², each row of a tally standing for wᵢ respondents with the
    same residual; 1 when there is no variance or no company has two respondents."""
    return _deff(residuals, weights, intervals.cluster_codes(companies)[0])


def _deff(residuals: np.ndarray, weights: np.ndarray, clusters: np.ndarray) -> float:
    """`deff` with the companies as codes 0..G−1 (a missing company is one cluster)."""
    r, w = np.asarray(residuals, dtype=float), np.asarray(weights, dtype=float)
    within = float((w * r**2).sum())
    if not within > 0:
        return 1.0
    totals = np.bincount(clusters, w * r)
    return max(1.0, float((totals**2).sum()) / within)


def _within(values: np.ndarray, weights: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each row's value minus its group's (weighted) mean."""
    frame = pd.DataFrame({"v": values * weights, "w": weights, "g": groups})
    sums = frame.groupby("g", sort=False)[["v", "w"]].transform("sum")
    means = (sums["v"] / sums["w"]).to_numpy(dtype=float)
    residuals: np.ndarray = np.asarray(values, dtype=float) - means
    return residuals


def numbers_deff(values: np.ndarray, weights: np.ndarray, groups: np.ndarray,
                 companies: np.ndarray) -> float:
    """The design effect of group means (values per tally row, `weights` its n)."""
    return deff(_within(values, weights, groups), weights, companies)


def choices_deff(flags: np.ndarray, weights: np.ndarray, groups: np.ndarray,
                 companies: np.ndarray) -> float:
    """The mean design effect over the answers (columns of `flags`, 0/1 per tally row) that
    vary within the groups: δ̄ of the first-order Rao–Scott correction."""
    clusters = intervals.cluster_codes(companies)[0]  # once, not once per answer
    found = [_deff(_within(column, weights, groups), weights, clusters)
             for column in np.asarray(flags, dtype=float).T
             if np.ptp(column) > 0]
    return float(np.mean(found)) if found else 1.0

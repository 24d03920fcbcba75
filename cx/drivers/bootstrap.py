"""Correlation matrices of a sample and of its company bootstrap. Pure numpy.

Respondents of one company answer alike, so the bootstrap resamples companies with
replacement (a cluster bootstrap), each drawn company bringing all its respondents. Each
company's sums (count, Σx, Σxx') are taken once; a replicate is a weighted sum of them with
the company's draw count as weight — one matrix product for every replicate, whatever n.
Seeded: the same data give the same intervals on every run.

Beyond `UNITS` companies the bootstrap resamples `UNITS` random groups of whole companies
instead (`units`): groups of independent companies are independent too, so resampling them
estimates the same variance (the random groups of survey variance estimation), from sums of
50k rows instead of one per company (at a million respondents, 750k: 210 MB).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
REPLICATES = 200
SEED = 21
LEVEL = 0.95
CHUNK = 25  # replicates drawn together: 25 rows of counts over the companies
UNITS = 50_000  # the most units a replicate draws (`units`)
CELLS = 2_000_000  # but no more counts than this at once (750k companies: 2 rows, 50 MB)


def units(companies: NDArray[np.intp], count: int, seed: int = SEED
          ) -> tuple[NDArray[np.intp], int]:
    """What the bootstrap resamples, as 0..U−1 per observation, and U: the companies, or
    beyond `UNITS` of them, `UNITS` random groups of whole companies of nearly equal numbers
    (seeded: the same data, the same groups)."""
    if count <= UNITS:
        return companies, count
    group = np.random.default_rng(seed).permutation(count) % UNITS
    return group[companies], UNITS


def company_sums(values: Array, companies: NDArray[np.intp], count: int) -> Array:
    """Per company: [n, Σx (q), Σxᵢxⱼ for i ≤ j (q(q+1)/2)] as one row, summed into the result
    one column at a time. At a million respondents there is a company per respondent in
    practice: the result is then 210 MB (each product once: the full q·q held 350 MB)."""
    q = values.shape[1]
    out = np.empty((count, 1 + q + q * (q + 1) // 2))
    out[:, 0] = np.bincount(companies, minlength=count)
    for i in range(q):
        out[:, 1 + i] = np.bincount(companies, values[:, i], minlength=count)
    rows, cols = np.triu_indices(q)
    for column, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True), start=1 + q):
        out[:, column] = np.bincount(companies, values[:, i] * values[:, j], minlength=count)
    return out


def correlations(sums: Array, q: int) -> Array:
    """Correlation matrices (…, q, q) from summed rows (…, 1 + q + q(q+1)/2)."""
    n = sums[..., :1]
    mean = sums[..., 1:1 + q] / n
    upper = np.triu_indices(q)
    second = np.empty((*sums.shape[:-1], q, q))
    second[..., upper[0], upper[1]] = sums[..., 1 + q:] / n
    second[..., upper[1], upper[0]] = second[..., upper[0], upper[1]]
    cov = second - mean[..., :, None] * mean[..., None, :]
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=-2, axis2=-1), 1e-300, None))
    corr: Array = cov / (sd[..., :, None] * sd[..., None, :])
    return corr


def draws(companies: int, replicates: int, rng: np.random.Generator) -> Array:
    """How many times each company is drawn in each replicate (replicates × companies): as
    many draws with replacement as there are companies."""
    picks = rng.integers(0, companies, size=(replicates, companies))
    picks += np.arange(replicates)[:, None] * companies
    counts = np.bincount(picks.ravel(), minlength=replicates * companies)
    return counts.reshape(replicates, companies).astype(float)


def replicate_correlations(sums: Array, q: int, replicates: int = REPLICATES,
                           seed: int = SEED) -> Array:
    """The correlation matrix of each bootstrap replicate (replicates × q × q), drawn
    `CHUNK` replicates at a time (a replicate is a row of counts as long as the companies)."""
    rng = np.random.default_rng(seed)
    chunk = max(1, min(CHUNK, CELLS // max(len(sums), 1)))
    summed = [draws(len(sums), min(chunk, replicates - start), rng) @ sums
              for start in range(0, replicates, chunk)]
    return correlations(np.vstack(summed), q)


def percentile(samples: Array, level: float = LEVEL) -> tuple[Array, Array]:
    """Percentile interval over the first axis (replicates); NaN replicates left out."""
    tail = (1 - level) / 2 * 100
    low = np.nanpercentile(samples, tail, axis=0)
    high = np.nanpercentile(samples, 100 - tail, axis=0)
    return np.asarray(low), np.asarray(high)

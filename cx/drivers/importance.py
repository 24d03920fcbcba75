"""Relative importance of correlated drivers from a correlation matrix. Pure numpy.

* R² of every subset of drivers, R²(S) = r_S' R_SS⁻¹ r_S (standardized least squares), all
  2^p of them at once, batched by subset size.
* LMG (Lindeman, Merenda & Gold 1980), the Shapley value of R²: each driver's contribution is
  the average, over every order in which drivers could enter the model, of the R² it adds;
  the contributions add up to the full model's R².
* Johnson's relative weights (2000): the drivers replaced by their closest orthogonal
  counterparts Z = X·R^(-1/2), whose squared weights are split back by Λ = R^(1/2); they add
  up to R² too, and are an approximation of LMG for many drivers.

Every function accepts a stack of matrices (bootstrap replicates) in its leading axes.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from math import factorial

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
RIDGE = 1e-9  # keeps a singular block (a driver that is a copy of another) solvable
MAX_EXACT = 12  # drivers up to which LMG is computed exactly over all 2^p subsets


@lru_cache(maxsize=32)
def _subsets(p: int, size: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The subsets of `size` drivers out of p: their members (subsets × size) and bitmasks."""
    members = np.array(list(combinations(range(p), size)), dtype=np.intp).reshape(-1, size)
    masks = (np.left_shift(1, members)).sum(axis=1).astype(np.intp)
    return members, masks


def subset_r2(corr: Array) -> Array:
    """R² of every subset of drivers, indexed by bitmask (…, 2^p). `corr` (…, p+1, p+1) is the
    correlation matrix of the drivers followed by the outcome, last."""
    p = corr.shape[-1] - 1
    lead = corr.shape[:-2]
    out = np.zeros((*lead, 1 << p))
    for size in range(1, p + 1):
        members, masks = _subsets(p, size)
        block = corr[..., members[:, :, None], members[:, None, :]]  # (…, m, s, s)
        r = corr[..., members, p]  # (…, m, s)
        block = block + RIDGE * np.eye(size)
        beta = np.linalg.solve(block, r[..., None])[..., 0]
        out[..., masks] = np.clip((beta * r).sum(axis=-1), 0.0, 1.0)
    return out


@lru_cache(maxsize=32)
def _lmg_plan(p: int) -> tuple[NDArray[np.intp], NDArray[np.intp], Array]:
    """For each driver j: the subsets without j, the same with j, and their Shapley weights
    |S|!(p−|S|−1)!/p! (drivers × 2^(p−1))."""
    every = np.arange(1 << p, dtype=np.intp)
    sizes = np.array([bin(m).count("1") for m in range(1 << p)])
    without, with_, weights = [], [], []
    for j in range(p):
        rest = every[(every >> j) & 1 == 0]
        without.append(rest)
        with_.append(rest | (1 << j))
        weights.append(np.array([factorial(s) * factorial(p - s - 1) / factorial(p)
                                 for s in sizes[rest]]))
    return np.array(without), np.array(with_), np.array(weights)


def lmg(corr: Array) -> Array:
    """Each driver's LMG contribution to R² (…, p): they add up to the full R²."""
    p = corr.shape[-1] - 1
    if p > MAX_EXACT:
        raise ValueError(f"{p} drivers: exact LMG stops at {MAX_EXACT} (use johnson)")
    r2 = subset_r2(corr)
    without, with_, weights = _lmg_plan(p)
    gains = r2[..., with_] - r2[..., without]  # (…, p, 2^(p−1))
    contributions: Array = (gains * weights).sum(axis=-1)
    return contributions


def _sqrt_psd(matrix: Array) -> Array:
    """The symmetric square root of positive semi-definite matrices."""
    values, vectors = np.linalg.eigh(matrix)
    root = np.sqrt(np.clip(values, 0.0, None))
    return np.asarray((vectors * root[..., None, :]) @ np.swapaxes(vectors, -1, -2))


def johnson(corr: Array) -> Array:
    """Johnson's relative weights (…, p): they add up to the full R²."""
    p = corr.shape[-1] - 1
    rxx = corr[..., :p, :p] + RIDGE * np.eye(p)
    rxy = corr[..., :p, p]
    lam = _sqrt_psd(rxx)
    beta = np.linalg.solve(lam, rxy[..., None])[..., 0]  # Λ⁻¹ r: weights of the orthogonal Z
    weights: Array = (lam ** 2 * (beta ** 2)[..., None, :]).sum(axis=-1)
    return weights


def contributions(corr: Array) -> tuple[Array, str]:
    """LMG when exact is affordable, otherwise Johnson's weights; and which ("lmg", "johnson")."""
    p = corr.shape[-1] - 1
    return (lmg(corr), "lmg") if p <= MAX_EXACT else (johnson(corr), "johnson")


def full_r2(corr: Array) -> Array:
    """R² of the model with every driver (…)."""
    p = corr.shape[-1] - 1
    rxx = corr[..., :p, :p] + RIDGE * np.eye(p)
    r = corr[..., :p, p]
    beta = np.linalg.solve(rxx, r[..., None])[..., 0]
    return np.asarray(np.clip((beta * r).sum(axis=-1), 0.0, 1.0))

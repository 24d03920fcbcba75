"""Weights that bring the responding companies to the Club's member mix. Pure numpy.

* Post-stratification: when the members per sector × size cell are known, each responding
  company of cell h weighs N_h / r_h (members over responding companies). Cells with fewer
  than `least` responding companies are first merged with a neighbour (`collapse`): a cell
  with no respondent cannot be weighted, and a thin one would give a few companies a large
  weight (and, beside the unweighted figure, describe them).
* Raking (iterative proportional fitting): when only the margins are known (members per
  sector, per size), the weights are multiplied in turn to match each margin until neither
  moves by more than `tol`; weights above `cap` times their mean are trimmed and the margins
  matched again (Deming & Stephan 1940; Kalton & Flores-Cervantes 2003).
* Kish's design effect of the weights: deff = n Σw² / (Σw)², the effective n = n / deff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
CAP = 5.0  # largest raked weight, in times the mean weight (trimming)
TOL = 1e-9
MAX_ITER = 500


class NotConverged(ArithmeticError):
    """The margins could not be matched (e.g. a category with members but no respondent)."""


@dataclass(frozen=True)
class Raked:
    weights: Array  # one per unit, summing to the population total
    iterations: int
    trimmed: int  # units whose weight was capped


def kish_deff(weights: Array) -> float:
    """Kish's design effect of unequal weights: n Σw² / (Σw)² (1 for equal weights)."""
    w = np.asarray(weights, dtype=float)
    total = float(w.sum())
    return float(len(w) * np.sum(w**2) / total**2) if total > 0 else float("nan")


def effective_n(weights: Array) -> float:
    """(Σw)² / Σw²: the sample size that unweighted would be as precise."""
    w = np.asarray(weights, dtype=float)
    squares = float(np.sum(w**2))
    return float(w.sum() ** 2 / squares) if squares > 0 else 0.0


def poststratify(cells: NDArray[np.intp], totals: Array) -> Array:
    """Weight of each unit whose cell is `cells[i]`: totals[h] / (units in h). Every cell of
    a unit must have a positive total (collapse first)."""
    counts = np.bincount(cells, minlength=len(totals)).astype(float)
    if np.any(totals[cells] <= 0):
        raise NotConverged("a responding unit in a cell without members")
    return np.asarray(totals[cells] / counts[cells], dtype=float)


def _fit(weights: Array, margins: Sequence[tuple[NDArray[np.intp], Array]]) -> float:
    """One pass over the margins, in place; the largest relative change of a margin."""
    worst = 0.0
    for codes, target in margins:
        have = np.bincount(codes, weights=weights, minlength=len(target))
        if np.any((have <= 0) & (target > 0)):
            raise NotConverged("a margin category with members has no respondent")
        ratio = np.divide(target, have, out=np.ones_like(target), where=have > 0)
        worst = max(worst, float(np.max(np.abs(ratio - 1.0))))
        weights *= ratio[codes]
    return worst


def rake(margins: Sequence[tuple[NDArray[np.intp], Array]], cap: float = CAP,
         tol: float = TOL, max_iter: int = MAX_ITER) -> Raked:
    """Raking of units to the margins (codes of each unit per dimension, totals per
    category), starting from equal weights; weights above `cap` × their mean are trimmed
    and the margins fitted again, until both hold."""
    n = len(margins[0][0])
    total = float(margins[0][1].sum())
    weights = np.full(n, total / n)
    trimmed = np.zeros(n, dtype=bool)
    for iteration in range(1, max_iter + 1):
        change = _fit(weights, margins)
        limit = cap * weights.mean()
        over = weights > limit * (1 + tol)
        trimmed |= over
        weights[over] = limit
        if change < tol and not over.any():
            return Raked(weights, iteration, int(trimmed.sum()))
    raise NotConverged(f"raking did not converge in {max_iter} iterations")


def _neighbour(group: int, groups: list[set[tuple[int, int]]], counts: list[int]) -> int:
    """The group a thin one joins: the thinnest sharing its sector, else its size, else any."""
    mine = groups[group]
    for axis in (0, 1):
        keys = {cell[axis] for cell in mine}
        near = [g for g in range(len(groups)) if g != group
                and any(cell[axis] in keys for cell in groups[g])]
        if near:
            return min(near, key=lambda g: (counts[g], g))
    return min((g for g in range(len(groups)) if g != group), key=lambda g: (counts[g], g))


def collapse(responding: dict[tuple[int, int], int], least: int) -> dict[tuple[int, int], int]:
    """Groups of sector × size cells (cell → responding companies; the cells with members or
    respondents) such that every group holds at least `least` responding companies: the
    thinnest group joins `_neighbour` until none is thin. Cell → group number (0…)."""
    cells = sorted(responding)
    groups = [{c} for c in cells]
    counts = [int(responding[c]) for c in cells]
    while len(groups) > 1 and min(counts) < least:
        thin = min(range(len(groups)), key=lambda g: (counts[g], g))
        other = _neighbour(thin, groups, counts)
        groups[other] |= groups[thin]
        counts[other] += counts[thin]
        del groups[thin], counts[thin]
    return {cell: g for g, members in enumerate(groups) for cell in members}


def collapse_margin(responding: NDArray[np.int64], least: int,
                    ordered: bool) -> NDArray[np.intp]:
    """Categories of one margin merged until each holds `least` responding companies: the
    thinnest joins its thinner neighbour in order (`ordered`, sizes) or the thinnest other
    (sectors). Category → group number."""
    groups = [[c] for c in range(len(responding))]
    counts = [int(r) for r in responding]
    while len(groups) > 1 and min(counts) < least:
        thin = min(range(len(groups)), key=lambda g: (counts[g], g))
        if ordered:
            near = [g for g in (thin - 1, thin + 1) if 0 <= g < len(groups)]
        else:
            near = [g for g in range(len(groups)) if g != thin]
        other = min(near, key=lambda g: (counts[g], g))
        groups[other] += groups[thin]
        counts[other] += counts[thin]
        del groups[thin], counts[thin]
    out = np.zeros(len(responding), dtype=np.intp)
    for g, members in enumerate(groups):
        out[members] = g
    return out

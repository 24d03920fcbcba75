"""The linking check: can any linear combination of published figures isolate fewer than k
respondents? Pure (numpy, scipy's MILP solver).

Every published figure is a sum over a *margin*: the respondents of one wave and one group
of one dimension (a persona: over all waves). Respondents sharing every such group form an
*atom*; any figure a viewer can compute by adding and subtracting published ones is a sum over
a vector in the span of the margins' indicator vectors. A union of atoms with 1..k−1
respondents whose indicator lies in that span is disclosed: the solver looks for one (binary
choice of small atoms, free real coefficients of margins), its respondents are withheld, and
the search runs again until none is left (τ-ARGUS's audit of linked tables, done exactly).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, hstack

WAVE = "wave"


def codes_of(keys: pd.DataFrame) -> np.ndarray:
    """Each column of `keys` as small integers (rows × columns)."""
    return np.column_stack([pd.factorize(keys[c].to_numpy())[0] for c in keys.columns]) \
        if len(keys.columns) else np.zeros((len(keys), 0), dtype=np.int64)


def _cells(codes: np.ndarray, positions: Sequence[int]) -> np.ndarray:
    """Each row's cell of the margin over `positions`, numbered 0, 1, … without gaps."""
    return np.unique(_dense(codes, positions), return_inverse=True)[1].ravel()


def _indicators(atoms: np.ndarray, margins: Sequence[Sequence[int]]) -> csr_matrix:
    """Atoms × margin cells: 1 where the atom belongs to the cell."""
    blocks = []
    for positions in margins:
        cells = _cells(atoms, positions)
        blocks.append(csr_matrix((np.ones(len(atoms)), (np.arange(len(atoms)), cells)),
                                 shape=(len(atoms), int(cells.max(initial=-1)) + 1)))
    return hstack(blocks).tocsr()


def small_union_in_span(span: csr_matrix, sizes: np.ndarray, k: int
                        ) -> tuple[np.ndarray, np.ndarray] | None:
    """A union of rows of `span` (atoms, with their respondents in `sizes`) of 1..k−1
    respondents whose indicator is a linear combination of `span`'s columns: (the atoms, the
    coefficients), or None when there is none. A MILP: binary atoms, free coefficients."""
    small = np.flatnonzero(sizes < k)
    if not len(small):
        return None
    pick = csr_matrix((np.ones(len(small)), (small, np.arange(len(small)))),
                      shape=(span.shape[0], len(small)))
    m = span.shape[1]
    weights = np.concatenate([np.zeros(m), sizes[small].astype(float)])
    found = milp(
        c=weights,
        constraints=[LinearConstraint(hstack([span, -pick]).tocsr(), 0, 0),
                     LinearConstraint(weights[None, :], 1, k - 1)],
        integrality=np.concatenate([np.zeros(m), np.ones(len(small))]),
        bounds=Bounds(np.concatenate([np.full(m, -np.inf), np.zeros(len(small))]),
                      np.concatenate([np.full(m, np.inf), np.ones(len(small))])))
    if found.x is None:
        return None
    return small[found.x[m:] > 0.5], found.x[:m]


def disclosed_atoms(atoms: np.ndarray, sizes: np.ndarray, margins: Sequence[Sequence[int]],
                    k: int) -> np.ndarray:
    """Positions of small atoms whose union (1..k−1 respondents) is in the span of the
    margins; empty when there is none. `atoms`: one row of key codes per atom."""
    if not (sizes < k).any():
        return np.empty(0, dtype=int)
    found = small_union_in_span(_indicators(atoms, margins), sizes, k)
    return np.empty(0, dtype=int) if found is None else found[0]


def withheld(keys: pd.DataFrame, margins: Sequence[tuple[str, ...]], k: int,
             companies: np.ndarray | None = None) -> np.ndarray:
    """Rows (by position) to withhold so that no union of 1..k−1 of the remaining rows can be
    computed from the margins. `keys` holds each row's margin columns (no missing values);
    `companies` (one code per row) adds the insider's view: a manager knows their own
    company's answers, so a margin cell must hold k respondents besides its largest company."""
    where = {c: i for i, c in enumerate(keys.columns)}
    return withheld_codes(codes_of(keys), [[where[c] for c in m] for m in margins], k,
                          companies)


def withheld_codes(codes: np.ndarray, margins: Sequence[Sequence[int]], k: int,
                   companies: np.ndarray | None = None) -> np.ndarray:
    """`withheld` over key codes (rows × columns of small integers, see `codes_of`), with each
    margin as the positions of its columns: the form `publish` calls once per answered
    pattern, without converting the keys again."""
    out = np.zeros(len(codes), dtype=bool)
    if not len(codes):
        return out
    # each margin's cell of each row, and each row's atom (one integer per combination of
    # keys): counted by bincount from here on, no sorting
    cells = [_dense(codes, positions) for positions in margins]
    atom_of = _dense(codes, range(codes.shape[1]))
    first = np.zeros(int(atom_of.max()) + 1, dtype=np.int64)
    first[atom_of[::-1]] = np.arange(len(atom_of))[::-1]
    atom_keys = codes[first]
    while True:
        if companies is not None:  # again each round: withholding changes who is left
            out |= _insider_small(cells, np.asarray(companies), k, out)
        sizes = np.bincount(atom_of[~out], minlength=len(atom_keys))
        present = np.flatnonzero(sizes)
        if not len(present):
            return out
        atoms, counts = atom_keys[present], sizes[present]
        found = _small_margin_atoms(atoms, counts, margins, k)
        if not len(found):
            found = disclosed_atoms(atoms, counts, margins, k)
        if not len(found):
            return out
        out |= np.isin(atom_of, present[found])


def _dense(codes: np.ndarray, positions: Sequence[int]) -> np.ndarray:
    """One small integer per row for its combination of the columns at `positions` (mixed
    radix; renumbered by sorting only when the radix space is too large to count)."""
    cell = np.zeros(len(codes), dtype=np.int64)
    space = 1
    for p in positions:
        radix = int(codes[:, p].max(initial=0)) + 1
        cell, space = cell * radix + codes[:, p], space * radix
    return cell if space <= 4 * len(codes) + 1024 else \
        np.unique(cell, return_inverse=True)[1].ravel()


def _insider_small(cells: Sequence[np.ndarray], companies: np.ndarray, k: int,
                   withheld_already: np.ndarray) -> np.ndarray:
    """Rows in a margin cell whose respondents outside its largest company number 1..k−1,
    among those not withheld already (repeated until no cell changes)."""
    out = withheld_already.copy()
    biggest = int(np.bincount(pd.factorize(companies)[0]).max(initial=0)) if len(companies) \
        else 0
    changed = True
    while changed:
        changed = False
        for cell in cells:
            kept = ~out
            totals = np.bincount(cell[kept], minlength=int(cell.max(initial=-1)) + 1)
            maybe = (totals > 0) & (totals < k + biggest)
            if not maybe.any():
                continue
            rows = np.flatnonzero(kept & maybe[cell])
            pairs = pd.DataFrame({"cell": cell[rows], "company": companies[rows]})
            largest = pairs.groupby(["cell", "company"]).size().groupby(level=0).max()
            size = pairs.groupby("cell").size()
            others = size - largest.reindex(size.index)
            bad = others.index[(others > 0) & (others < k)]
            if len(bad):
                out[rows[np.isin(cell[rows], bad.to_numpy())]] = True
                changed = True
    return out


def _small_margin_atoms(atoms: np.ndarray, sizes: np.ndarray,
                        margins: Sequence[Sequence[int]], k: int) -> np.ndarray:
    """Atoms in a margin cell of 1..k−1 respondents (published on its own): found without the
    solver, the common case."""
    hit = np.zeros(len(atoms), dtype=bool)
    for positions in margins:
        cells = _cells(atoms, positions)
        totals = np.bincount(cells, weights=sizes)[cells]
        hit |= (totals > 0) & (totals < k)
    return np.flatnonzero(hit)

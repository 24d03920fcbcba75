"""Buyer Persona traits: the answers on which a persona differs from the rest of the Club, shown
only when the difference is both large (|z| ≥ TRAIT_Z) and significant after Holm's correction
over every persona × feature. Pure: no I/O, no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

from cx.personas.model import Personas
from cx.personas.outcomes import ALPHA, holm
from cx.stats import Sample, welch_t

TRAITS_MAX = 5  # a card has room for five
TRAIT_Z = 0.5  # floor: half a Club standard deviation between the persona and the Club
COCHRAN_MIN = 5  # below this expected count a 2 × 2 table takes Fisher's exact test


@dataclass(frozen=True)
class Trait:
    """A feature on which a persona differs from the Club."""

    question: str
    option: str | None
    kind: str
    value: float  # share 0–1 for a category or option, mean level for a scale
    club: float
    z: float  # difference in the Club's standard deviations
    p: float  # Holm-adjusted p-value of the persona against the rest of the Club
    # ordered options (size bands…): the persona's most common option, by its code, and its
    # share 0–1 in the persona and in the Club; a mean of option positions means nothing aloud
    mode: str | None = None
    mode_share: float = 0.0
    mode_club: float = 0.0


def share_test(a: Sample, b: Sample) -> float:
    """Two-sided p-value of a 0/1 feature's share in `a` against `b` (sizes and shares):
    Pearson's chi-square on the 2 × 2 table, or Fisher's exact test when an expected count is
    below 5 (Cochran's rule). NaN when everyone answers alike."""
    ones = np.array([round(a.n * a.mean), round(b.n * b.mean)], dtype=float)
    table = np.column_stack([ones, np.array([a.n, b.n]) - ones])
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    if (expected == 0).any():
        return float("nan")
    if expected.min() < COCHRAN_MIN:
        return float(stats.fisher_exact(table.astype(int)).pvalue)
    return float(stats.chi2_contingency(table, correction=False).pvalue)


def _samples(model: Personas, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per persona × feature: members, sum and sum of squares (the rest's are the Club's
    minus these)."""
    rows = [raw[model.labels_ == i] for i in range(model.k_)]
    n = np.array([len(r) for r in rows], dtype=float)
    sums = np.vstack([r.sum(axis=0) for r in rows])
    return n, sums, np.vstack([(r**2).sum(axis=0) for r in rows])


def _sample(n: float, total: float, squares: float) -> Sample:
    mean = total / n if n else 0.0
    return Sample(n, mean, (squares - n * mean**2) / (n - 1) if n > 1 else 0.0)


def trait_p_values(model: Personas, raw: np.ndarray) -> np.ndarray:
    """Per persona × feature, the Holm-adjusted p-value of the persona against the rest of the
    Club (`share_test` for a 0/1 column, Welch's t for a scale), over every persona × feature.
    Only features at least TRAIT_Z from the Club are tested; the others count in the
    correction as not significant (p = 1), which can only make it stricter."""
    z = model.deviations_
    n, sums, squares = _samples(model, raw)
    p = np.ones_like(z)
    for i, j in zip(*np.nonzero(np.abs(z) >= TRAIT_Z)):
        mine = _sample(n[i], sums[i, j], squares[i, j])
        rest = _sample(n.sum() - n[i], sums[:, j].sum() - sums[i, j],
                       squares[:, j].sum() - squares[i, j])
        value = welch_t(mine, rest)[2] if model.features[j].kind == "scale" \
            else share_test(mine, rest)
        p[i, j] = 1.0 if np.isnan(value) else value
    return holm(p.ravel()).reshape(p.shape)


def modal_option(model: Personas, raw: np.ndarray, i: int, j: int,
                 codes: tuple[str, ...]) -> tuple[str, float, float]:
    """Persona `i`'s most common option on the ordered question of column `j` (positions 0…;
    a missing answer's median fill counts at its nearest option), with its share in the
    persona and in the whole Club."""
    positions = np.clip(np.rint(raw[:, j]), 0, len(codes) - 1).astype(int)
    mine = positions[model.labels_ == i]
    mode = int(np.bincount(mine, minlength=len(codes)).argmax())
    return codes[mode], float((mine == mode).mean()), float((positions == mode).mean())


def persona_traits(model: Personas, p_holm: np.ndarray, i: int,
                   raw: np.ndarray | None = None) -> tuple[Trait, ...]:
    """Up to TRAITS_MAX features, one per question, on which persona `i` differs from the Club
    by at least TRAIT_Z standard deviations with a Holm-adjusted p below ALPHA; largest first.
    None when nothing passes: a persona is never given a trait the data do not support."""
    z = model.deviations_[i]
    best: dict[str, int] = {}
    for j, feature in enumerate(model.features):
        if abs(z[j]) < TRAIT_Z or not p_holm[i, j] < ALPHA:
            continue
        current = best.get(feature.question)
        if current is None or abs(z[j]) > abs(z[current]):
            best[feature.question] = j
    chosen = sorted(best.values(), key=lambda j: -abs(z[j]))[:TRAITS_MAX]
    centre, club = model.raw_centers_[i], model.mean_
    ordered = {q.id: q.codes for q in model.questions if q.qtype.single and q.ordered}
    out = []
    for j in chosen:
        f = model.features[j]
        trait = Trait(f.question, f.option, f.kind, _value(centre[j], f.kind),
                      _value(club[j], f.kind), float(z[j]), float(p_holm[i, j]))
        if raw is not None and f.kind == "scale" and f.question in ordered:
            mode, mine, whole = modal_option(model, raw, i, j, ordered[f.question])
            trait = replace(trait, mode=mode, mode_share=mine, mode_club=whole)
        out.append(trait)
    return tuple(out)


def _value(value: float, kind: str) -> float:
    # shares are means of 0/1 columns: clip the float noise of the mean
    return float(value) if kind == "scale" else float(np.clip(value, 0.0, 1.0))

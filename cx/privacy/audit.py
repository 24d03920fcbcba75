"""The disclosure auditor: does any combination of published figures isolate fewer than k
respondents? Pure; the tests run it on what a visitor can reach (`visitor_figures`).

A figure is recorded with its variable and the set of respondents whose answers enter it (a
question's distribution in a filter covers the filter's respondents who answered it; a group
of a comparison covers that group's; a count of respondents is the variable `respondents`).
The auditor fails a publication when a figure covers 1..k−1 respondents (a row about one
respondent included) or when a linear combination of figures of the same variable (A − B,
A − B − C + D, and any other, whatever its number of terms) covers 1..k−1: it looks for a
small set whose indicator lies in the span of the figures' sets, with the same exact solver
as the linking check, over the atoms of the sets recorded (not the layer's margins).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from cx.filters import Filters
from cx.privacy.admission import FIELDS, admit, allowed_breakdowns
from cx.privacy.linking import small_union_in_span
from cx.privacy.publication import DIMENSIONS, JOINT, PERSONA, SEGMENTS, Publication
from cx.privacy.release import Release

WAVE = "wave"
NONE = "none"


RESPONDENTS = "respondents"  # the variable of a count of respondents


@dataclass(frozen=True)
class Figure:
    """A published aggregate: where it is shown, of what, and whose answers enter it."""

    view: str
    members: frozenset[str]
    variable: str = RESPONDENTS


@dataclass(frozen=True)
class Leak:
    """Respondents a combination of figures isolates, and the figures that combine."""

    respondents: frozenset[str]
    views: tuple[str, ...]


def _atoms(figures: Sequence[Figure]) -> tuple[list[frozenset[str]], csr_matrix]:
    """Respondents grouped by the figures they belong to; atoms × figures indicator."""
    signature: dict[str, list[int]] = {}
    for j, f in enumerate(figures):
        for r in f.members:
            signature.setdefault(r, []).append(j)
    groups: dict[tuple[int, ...], set[str]] = {}
    for r, sig in signature.items():
        groups.setdefault(tuple(sig), set()).add(r)
    atoms = [frozenset(v) for v in groups.values()]
    rows, cols = [], []
    for i, key in enumerate(groups):
        rows += [i] * len(key)
        cols += list(key)
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(atoms), len(figures)))
    return atoms, matrix


def _combined(figures: Sequence[Figure], k: int) -> Leak | None:
    """A union of small atoms in the span of the figures (solver), with the figures used."""
    atoms, span = _atoms(figures)
    sizes = np.array([len(a) for a in atoms], dtype=float)
    found = small_union_in_span(span, sizes, k)
    if found is None:
        return None
    chosen, coefficients = found
    used = np.flatnonzero(np.abs(coefficients) > 1e-7)
    return Leak(frozenset().union(*(atoms[i] for i in chosen)),
                tuple(figures[int(j)].view for j in used))


def _besides_largest_company(members: frozenset[str], company_of: Mapping[str, str]) -> int:
    """Respondents of a figure that a manager of its largest company does not already know."""
    counts = Counter(company_of.get(m, m) for m in members)
    return len(members) - max(counts.values(), default=0)


def find_leaks(figures: Iterable[Figure], k: int,
               company_of: Mapping[str, str] | None = None) -> list[Leak]:
    """Per variable: every figure over 1..k−1 respondents (1..k−1 besides its largest company,
    with `company_of`: a manager knows their own company's answers), else one combination of
    its figures that isolates 1..k−1. Empty when the figures are safe."""
    by_variable: dict[str, dict[frozenset[str], Figure]] = {}
    for f in figures:
        if f.members:
            by_variable.setdefault(f.variable, {}).setdefault(f.members, f)
    leaks: list[Leak] = []
    for found in by_variable.values():
        unique = list(found.values())
        direct = [Leak(f.members, (f.view,)) for f in unique if len(f.members) < k or (
            company_of is not None
            and 0 < _besides_largest_company(f.members, company_of) < k)]
        combined = None if direct else _combined(unique, k)
        leaks += direct or ([combined] if combined else [])
    return leaks


def pair_leaks(figures: Iterable[Figure], k: int) -> list[Leak]:
    """Differences of two nested figures of a variable covering 1..k−1 (readable reports)."""
    unique = list({(f.variable, f.members): f for f in figures if f.members}.values())
    out = []
    for a, b in combinations(unique, 2):
        if a.variable != b.variable:
            continue
        big, little = (a, b) if len(a.members) >= len(b.members) else (b, a)
        rest = big.members - little.members
        if little.members <= big.members and 0 < len(rest) < k:
            out.append(Leak(frozenset(rest), (big.view, little.view)))
    return out


def _choices(groups: Sequence[str]) -> list[tuple[str, ...]]:
    """Sidebar selections worth trying on one dimension: each group, each all-but-one, each
    pair (every other selection is a union of these cells too)."""
    singles = [(g,) for g in groups]
    rest = [tuple(x for x in groups if x != g) for g in groups] if len(groups) > 2 else []
    pairs = [tuple(p) for p in combinations(groups, 2)]
    return [c for c in dict.fromkeys([*singles, *rest, *pairs]) if c]


def sidebar_filters(pub: Publication, waves: Sequence[int]) -> Iterator[Filters]:
    """Filters a visitor can set, crossed dimensions included (admission narrows them)."""
    for wave in (None, *waves):
        yield Filters(wave=wave)
        for dim in SEGMENTS:
            for chosen in _choices(pub.options(dim)):
                segment: dict[str, Any] = {FIELDS[dim]: chosen}  # a field named at run time
                yield Filters(wave=wave, **segment)
        first = {dim: pub.options(dim)[:1] for dim in SEGMENTS}
        yield Filters(wave=wave, sectors=first["sector"], size_bands=first["size_band"],
                      regions=first["region"])


def _selected(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    if filters.wave is not None:
        keep &= frame[WAVE].to_numpy() == filters.wave
    for dim, field in FIELDS.items():
        chosen = getattr(filters, field)
        if chosen:
            keep &= frame[dim].isin(chosen).to_numpy()
    return keep


def _answered_masks(frame: pd.DataFrame, variables: Sequence[str]) -> dict[str, np.ndarray]:
    """One mask per distinct answered pattern (questions sharing it give the same sets)."""
    out: dict[bytes, tuple[str, np.ndarray]] = {}
    for v in variables:
        mask = frame[v].notna().to_numpy(dtype=bool)
        out.setdefault(np.packbits(mask).tobytes(), (v, mask))
    return dict(out.values())


def _groupings(frame: pd.DataFrame, by: str) -> list[tuple[str, np.ndarray]]:
    if by == NONE:
        return [("", np.ones(len(frame), dtype=bool))]
    values = frame[by].astype("string").fillna("_na").to_numpy()
    return [(f"{by}={g}", values == g) for g in pd.unique(values)]


def visitor_figures(release: Release, variables: Sequence[str]) -> list[Figure]:
    """Every group a visitor's views aggregate over: the admitted filters × the comparisons
    allowed × who answered each variable (per wave for trends), and the personas."""
    pub = release.publication
    frame = pub.frame
    ids = (frame["respondent_id"].astype(str) + "@" + frame[WAVE].astype(str)).to_numpy()
    masks = {RESPONDENTS: np.ones(len(frame), dtype=bool),
             **_answered_masks(frame, [v for v in variables if v in frame.columns])}
    waves = sorted(int(w) for w in frame[WAVE].unique())
    figures: dict[tuple[str, frozenset[str]], Figure] = {}
    for chosen in sidebar_filters(pub, waves):
        admitted = admit(chosen, pub)
        base = _selected(frame, admitted.filters)
        for by in allowed_breakdowns(admitted):
            for label, group in _groupings(frame, by):
                for v, mask in masks.items():
                    members = frozenset(ids[base & group & mask])
                    view = f"{admitted.filters} {label} {v}"
                    figures.setdefault((v, members), Figure(view, members, v))
    for columns in JOINT:  # read together (the journey funnel), over who answered them all
        present = [c for c in columns if c in frame.columns]
        every = np.logical_and.reduce([frame[c].notna().to_numpy() for c in present])
        for chosen in sidebar_filters(pub, waves):
            rows = _selected(frame, admit(chosen, pub).filters) & every
            for c in present:
                members = frozenset(ids[rows])
                figures.setdefault((c, members), Figure(f"{chosen} funnel {c}", members, c))
    if release.persona_labels is not None:
        labels = np.asarray(release.persona_labels)
        for p in np.unique(labels):
            for v, mask in masks.items():
                for side, rows in (("", labels == p), ("rest ", labels != p)):
                    members = frozenset(ids[rows & mask])
                    figures.setdefault((v, members),
                                       Figure(f"{side}persona {p} {v}", members, v))
    return [f for f in figures.values() if f.members]


def dimensions_checked() -> tuple[str, ...]:
    """The comparisons the auditor models (those `allowed_breakdowns` may return)."""
    return (*DIMENSIONS, WAVE, PERSONA)


def companies_of(release: Release) -> dict[str, str]:
    """Each published respondent's company, keyed as `visitor_figures` keys members."""
    frame = release.publication.frame
    ids = frame["respondent_id"].astype(str) + "@" + frame[WAVE].astype(str)
    return dict(zip(ids, frame["company"].astype(str)))

"""Global recoding of a segment dimension: categories too small in some wave are merged with
a neighbour until every (wave, group) cell holds 0 or at least k respondents. Pure."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cx.questionnaire import Question

JOIN = "+"  # a merged group's code: its members' codes joined, e.g. "micro+small"
MISSING = "_na"  # no answer: a category of its own, merged like any other


def members(group: str) -> tuple[str, ...]:
    """The answer codes a published group stands for."""
    return tuple(group.split(JOIN))


def group_label(q: Question, group: str, lang: str) -> str:
    """'Micro + Piccole': the labels of a group's members."""
    missing = "non indicato" if lang == "it" else "not stated"
    return " + ".join(missing if code == MISSING else q.option_label(code, lang)
                      for code in members(group))



def _too_small(groups: pd.Series, waves: pd.Series, companies: pd.Series | None,
               k: int) -> set[str]:
    """Groups with some wave holding 1..k−1 respondents besides its largest company (a
    manager who knows their own company's answers could subtract them)."""
    frame = pd.DataFrame({"g": groups.to_numpy(), "w": waves.to_numpy(),
                          "c": (companies if companies is not None
                                else pd.Series(range(len(groups)))).to_numpy()})
    size = frame.groupby(["g", "w"]).size()
    largest = frame.groupby(["g", "w", "c"]).size().groupby(level=[0, 1]).max()
    others = size - largest.reindex(size.index)
    return {str(g) for g, _ in others.index[(others > 0) & (others < k)]}


def _partner(groups: list[str], sizes: pd.Series, small: str, ordered: bool) -> str:
    """Whom a small group joins: an ordered scale's smaller neighbour, else the next smallest."""
    if ordered:
        at = groups.index(small)
        near = [groups[i] for i in (at - 1, at + 1) if 0 <= i < len(groups)]
        return min(near, key=lambda g: (sizes[g], groups.index(g)))
    others = [g for g in groups if g != small]
    return min(others, key=lambda g: (sizes[g], groups.index(g)))


def recode(values: pd.Series, waves: pd.Series, codes: Sequence[str], k: int,
           ordered: bool = False, companies: pd.Series | None = None) -> dict[str, str]:
    """Answer code → published group code, so that no (wave, group) cell has 1..k−1 rows
    (besides its largest company, when `companies` are given).

    Groups keep the questionnaire's order; a missing answer is the category `MISSING`.
    """
    values = values.astype("string").fillna(MISSING)
    order = [*codes, *sorted(set(values.unique()) - set(codes))]
    present = [c for c in order if (values == c).any()]
    groups = list(present)
    mapping = {c: c for c in order}
    while len(groups) > 1:
        current = values.map(mapping)
        small = [g for g in groups if g in _too_small(current, waves, companies, k)]
        if not small:
            break
        sizes = current.value_counts().reindex(groups, fill_value=0)
        worst = min(small, key=lambda g: (sizes[g], groups.index(g)))
        partner = _partner(groups, sizes, worst, ordered)
        merged = JOIN.join(c for c in order if c in members(worst) + members(partner))
        for code in members(merged):
            mapping[code] = merged
        groups = list(dict.fromkeys(mapping[c] for c in present))
    return mapping

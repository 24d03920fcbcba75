"""Global recoding of a segment dimension: categories too small in some wave are merged with
a neighbour until every (wave, group) cell holds 0 or at least k respondents. Pure."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cx.questionnaire import Question

JOIN = "+"  # a merged group's code: its members' codes joined, e.g. "micro+small"
MISSING = "_na"  # no answer: a category of its own, merged like any other


@dataclass(frozen=True, eq=False)  # Series: compared by identity
class Answers:
    """One dimension's answers, row by row, with the cell each row is counted in: its wave and,
    when known, its company (rows aligned)."""

    values: pd.Series
    waves: pd.Series
    companies: pd.Series | None = None


@dataclass(frozen=True)
class Categories:
    """A dimension's answer codes in the questionnaire's order; an ordered scale merges only
    neighbours."""

    codes: tuple[str, ...]
    ordered: bool = False

    @classmethod
    def of(cls, q: Question) -> Categories:
        return cls(q.codes, q.ordered)


def members(group: str) -> tuple[str, ...]:
    """The answer codes a published group stands for."""
    return tuple(group.split(JOIN))


def group_label(q: Question, group: str, lang: str) -> str:
    """'Micro + Piccole': the labels of a group's members."""
    missing = "non indicato" if lang == "it" else "not stated"
    return " + ".join(missing if code == MISSING else q.option_label(code, lang)
                      for code in members(group))


def _too_small(groups: pd.Series, answers: Answers, k: int) -> set[str]:
    """Groups with some wave holding 1..k−1 respondents besides its largest company (a
    manager who knows their own company's answers could subtract them)."""
    companies = answers.companies
    frame = pd.DataFrame({"g": groups.to_numpy(), "w": answers.waves.to_numpy(),
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


def recode(answers: Answers, categories: Categories, k: int) -> dict[str, str]:
    """Answer code → published group code, so that no (wave, group) cell has 1..k−1 rows
    (besides its largest company, when the answers' companies are known).

    Groups keep the questionnaire's order; a missing answer is the category `MISSING`.
    """
    values = answers.values.astype("string").fillna(MISSING)
    codes = categories.codes
    order = [*codes, *sorted(set(values.unique()) - set(codes))]
    present = [c for c in order if (values == c).any()]
    groups = list(present)
    mapping = {c: c for c in order}
    while len(groups) > 1:
        current = values.map(mapping)
        small = [g for g in groups if g in _too_small(current, answers, k)]
        if not small:
            break
        sizes = current.value_counts().reindex(groups, fill_value=0)
        worst = min(small, key=lambda g: (sizes[g], groups.index(g)))
        partner = _partner(groups, sizes, worst, categories.ordered)
        merged = JOIN.join(c for c in order if c in members(worst) + members(partner))
        for code in members(merged):
            mapping[code] = merged
        groups = list(dict.fromkeys(mapping[c] for c in present))
    return mapping

"""The groups a question is compared across (sector, size, region, market, role, wave), made
privacy-safe: a group under k is merged with others so that every respondent stays in exactly
one shown group."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from cx.questionnaire import Questionnaire

OTHERS = "_altri"
MISSING = "_na"


def privacy_groups(sizes: pd.Series, k: int) -> dict[str, str]:
    """The group each group is shown in. Groups under k go into OTHERS; while OTHERS is still
    under k the next smallest group joins it. Every respondent stays in exactly one shown
    group, so no hidden group can be recovered by subtracting shown groups from the total."""
    order = sizes.sort_values(kind="stable").index.tolist()
    merged = [g for g in order if sizes[g] < k]
    rest = [g for g in order if sizes[g] >= k]
    while merged and sizes[merged].sum() < k and rest:
        merged.append(rest.pop(0))
    return {g: OTHERS if g in merged else g for g in order}


def group_codes(values: pd.Series) -> pd.Series:
    """Breakdown values as codes (waves as text); a missing value is a group of its own."""
    return values.astype("string").fillna(MISSING).astype(str)


def group_order(by: str, codes: set[str], qn: Questionnaire) -> list[str]:
    natural = sorted(codes - {MISSING, OTHERS}, key=lambda c: (len(c), c))
    if by != "wave":
        known = [c for c in qn[by].codes if c in codes]
        natural = known + [c for c in natural if c not in known]
    return natural + [c for c in (MISSING, OTHERS) if c in codes]


@dataclass(frozen=True)
class Groups:
    """Respondents' shown group (aligned with the tally rows) and the groups in order."""

    codes: pd.Series
    order: tuple[str, ...]
    sizes: dict[str, int]
    merged: tuple[str, ...]  # the groups merged into OTHERS, in order

    def kept(self) -> Groups:
        """The groups without their rows, as a result keeps them: a tally by company has a row
        per respondent at a million respondents (15 MB per breakdown, cached)."""
        return replace(self, codes=self.codes.iloc[:0])


def shown_groups(frame: pd.DataFrame, by: str, k: int, qn: Questionnaire) -> Groups:
    """Assign the answered rows of a tally to privacy-safe groups of the variable `by`."""
    raw = group_codes(frame[by])
    sizes = frame["n"].groupby(raw.to_numpy()).sum()
    mapping = privacy_groups(sizes, k)
    codes = raw.map(mapping)
    merged = tuple(group_order(by, {g for g, s in mapping.items() if s == OTHERS}, qn))
    order = tuple(group_order(by, set(codes), qn))
    shown_sizes = frame["n"].groupby(codes.to_numpy()).sum()
    return Groups(codes, order, {g: int(shown_sizes[g]) for g in order}, merged)

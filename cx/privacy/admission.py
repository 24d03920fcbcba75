"""Which views a non-analyst may open: filters on one segment dimension at a time (plus the
wave), in published groups, and comparisons that stay within the checked margins. Pure.

Two filters on different dimensions would publish their cross (e.g. Sud × finanza), whose
cells the linking check does not cover; so would a comparison by another dimension inside a
filter. Such requests are narrowed, never refused: the notices say what was done and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from cx.filters import Filters
from cx.privacy.publication import DIMENSIONS, SEGMENTS, Publication
from cx.privacy.recoding import members

FIELDS = {"sector": "sectors", "size_band": "size_bands", "region": "regions"}
NONE = "none"
WAVE = "wave"


@dataclass(frozen=True)
class Notice:
    """Something a view did for privacy, as an i18n key and its parameters."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    def kwargs(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True)
class Admission:
    """The filters a view runs with, and the notices to show beside it."""

    filters: Filters
    segment: str | None = None  # the one segment dimension filtered, if any
    notices: tuple[Notice, ...] = field(default_factory=tuple)


def _segments_set(filters: Filters) -> list[str]:
    return [dim for dim in SEGMENTS if getattr(filters, FIELDS[dim])]


def admit(filters: Filters, publication: Publication) -> Admission:
    """The view a non-analyst gets for `filters`: the first segment dimension set (in the
    sidebar's order) in its published groups, the others dropped, each change noticed."""
    chosen = _segments_set(filters)
    notices: list[Notice] = []
    narrowed = replace(filters, sectors=(), size_bands=(), regions=(), published=True)
    if len(chosen) > 1:
        notices.append(Notice("privacy.one_dimension", (
            ("kept", chosen[0]), ("dropped", ",".join(chosen[1:])))))
    if chosen:
        dim = chosen[0]
        asked = getattr(filters, FIELDS[dim])
        groups = tuple(sorted({publication.group_of(dim, code) for code in asked}))
        if any(len(members(g)) > 1 for g in groups):  # say why, whoever chose it
            notices.append(Notice("privacy.merged_filter", (("dimension", dim),
                                                             ("groups", "|".join(groups)))))
        segment: dict[str, Any] = {FIELDS[dim]: groups}  # a field named at run time
        narrowed = replace(narrowed, **segment)
    return Admission(narrowed, chosen[0] if chosen else None, tuple(notices))


def as_raw(filters: Filters) -> Filters:
    """The same selection over the responses themselves: published groups as their answer
    codes (for a manager's own company, and for analysts, who read the responses)."""
    if not filters.published:
        return filters
    expand: dict[str, Any] = {  # fields named at run time
        f: tuple(sorted({c for g in getattr(filters, f) for c in members(g)}))
        for f in FIELDS.values()}
    return replace(filters, published=False, **expand)


def benchmark_row(row: pd.Series, filters: Filters, publication: Publication) -> pd.Series:
    """A company's row (read from the responses) with its sector as the published group it is
    benchmarked against in published figures, where a small sector is merged."""
    if not filters.published or not isinstance(row.get("sector"), str):
        return row
    out = row.copy()
    out["sector"] = publication.group_of("sector", str(row["sector"]))
    return out


def crosses(filters: Filters, by: str) -> bool:
    """Whether comparing by `by` in a published view would cross two segment dimensions."""
    if not filters.published:
        return False
    return any(getattr(filters, FIELDS[dim]) for dim in SEGMENTS if dim != by)


def allowed_breakdowns(admission: Admission) -> tuple[str, ...]:
    """Comparisons that stay within the checked margins: by wave always; by a dimension only
    without a segment filter, or by the dimension filtered."""
    if admission.segment is None:
        return (NONE, *DIMENSIONS, WAVE)
    return (NONE, admission.segment, WAVE)

"""A headline figure's change since the previous wave: which two waves to compare, and the
difference of their two aggregates with its 95% interval."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from cx import scoring
from cx.scoring import Aggregate


@dataclass(frozen=True)
class WaveChange:
    """`after` − `before` of one figure, with its 95% interval (MOVER, see `change`)."""

    value: float
    low: float
    high: float
    before: int
    after: int

    @property
    def significant(self) -> bool:
        """The interval leaves out no change: the two waves differ at the 5% level."""
        return self.low > 0 or self.high < 0


def compared_waves(selected: int | None, waves: Sequence[int]) -> tuple[int, int] | None:
    """(previous wave, wave) a tile compares: the chosen wave with the one before it; with
    all waves, the last with the one before. None when there is no earlier wave."""
    ordered = sorted(set(waves))
    if selected is None:
        return (ordered[-2], ordered[-1]) if len(ordered) >= 2 else None
    earlier = [w for w in ordered if w < selected]
    return (earlier[-1], selected) if earlier and selected in ordered else None


def change(after: Aggregate, before: Aggregate, waves: tuple[int, int]) -> WaveChange | None:
    """The difference of two waves' aggregates, with Zou and Donner's MOVER interval built
    from each wave's own (company-clustered, possibly asymmetric) 95% interval; Newcombe's
    interval for two proportions is the same construction on Wilson's intervals. The two
    waves are taken as independent: when the same companies answer both, their answers
    correlate positively and the true interval is narrower, so this one errs wide. None when
    either figure is withheld or has no interval."""
    parts = (after.value, after.low, after.high, before.value, before.low, before.high)
    if not (after.shown and before.shown) or any(p is None for p in parts):
        return None
    a, a_low, a_high, b, b_low, b_high = (float(p) for p in parts)  # type: ignore[arg-type]
    diff = a - b
    low = diff - math.hypot(a - a_low, b_high - b)
    high = diff + math.hypot(a_high - a, b - b_low)
    return WaveChange(diff, low, high, waves[0], waves[1])


# the headline figures a tile compares across waves: (Overview field, column)
HEADLINES = (("nps", "club_nps"), ("maturity", "maturity_index"),
             ("journey_map", "has_journey_map"), ("measures_nps", "measures_nps"))
COLUMNS = ("wave", "company", *(column for _, column in HEADLINES))


def headlines(scores: pd.DataFrame, k: int) -> dict[str, Aggregate]:
    """The tiles' aggregates of the respondents in `scores`, as `cx.overview.compute_overview`
    computes them (and nothing else of it: the pyramid, pillars and their tests are what make
    a Panoramica slow, and a change needs only these)."""
    companies = pd.Series(scoring.cluster_labels(scores["company"]), index=scores.index)
    return {
        "nps": scoring.nps(scores["club_nps"], k, companies),
        "maturity": scoring.mean(scores["maturity_index"], k, companies),
        "journey_map": scoring.proportion(scores["has_journey_map"].astype("Float64"), k,
                                          companies),
        "measures_nps": scoring.proportion(scores["measures_nps"].astype("Float64"), k,
                                           companies),
    }


def wave_changes(scores: pd.DataFrame, waves: tuple[int, int], k: int
                 ) -> dict[str, WaveChange]:
    """Each headline's change from the first of `waves` to the second, over `scores` (both
    waves' respondents, with their `wave`); a figure withheld in either wave has none."""
    before, after = (headlines(scores[scores["wave"] == w].reset_index(drop=True), k)
                     for w in waves)
    found = {name: change(after[name], before[name], waves) for name, _ in HEADLINES}
    return {name: moved for name, moved in found.items() if moved is not None}

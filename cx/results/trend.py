"""A question across waves: one value per wave (and option) with its 95% interval, the test
between waves (for a mean or NPS on company means, pairing the companies present in both
waves), and the changes of wording, options or scale that make a comparison doubtful. On
codes, in no language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

from cx import effects, scoring, stats
from cx.questionnaire import Question, Questionnaire
from cx.results.breakdown import Comparison, compare
from cx.results.groups import Groups, shown_groups
from cx.results.moves import option_moves
from cx.results.tally import TOTAL, answered, display_order, nps_points
from cx.view import View

# what changed between two waves, by the keys of Question.signature()
ASPECTS = (("text", ("it", "en")), ("options", ("options",)), ("scale", ("type", "min", "max")))


@dataclass(frozen=True)
class Change:
    """How a question's wording changed between two waves."""

    before: int
    after: int
    aspects: tuple[str, ...]  # text | options | scale


def signature_changes(signatures: pd.DataFrame, qid: str, waves: list[int]
                      ) -> tuple[Change, ...]:
    """Changes in text, options or scale between consecutive waves (from wave_questions)."""
    rows = signatures[(signatures["question_id"] == qid) & signatures["wave"].isin(waves)]
    rows = rows.sort_values("wave")
    changes = []
    for (w0, s0), (w1, s1) in pairwise(zip(rows["wave"], rows["signature"])):
        a, b = json.loads(s0), json.loads(s1)
        aspects = tuple(name for name, keys in ASPECTS if any(a.get(x) != b.get(x) for x in keys))
        if aspects:
            changes.append(Change(int(w0), int(w1), aspects))
    return tuple(changes)


@dataclass(frozen=True)
class Trend:
    """A question across waves: one value per wave (and option) with its 95% CI."""

    measure: str  # share | mean | nps
    table: pd.DataFrame  # wave, series, value, low, high, n
    test: stats.Significance
    changes: tuple[Change, ...]
    hidden: str | None = None  # small_wave: a wave under k (a trend would reveal it)
    effect: effects.Effect | None = None  # its gap read from the earlier wave to the later
    paired: int = 0  # companies in both waves, compared with themselves (the test's pairs)
    moves: pd.DataFrame | None = None  # shares: each option's move, tested (results.moves)
    axis: tuple[float, float | None] = (0.0, None)  # the value axis from the scale's floor

    @property
    def shown(self) -> bool:
        return self.hidden is None


def trend(q: Question, counts: pd.DataFrame, signatures: pd.DataFrame, qn: Questionnaire,
          view: View, companies: pd.DataFrame | None = None) -> Trend | None:
    """`q` across the waves in `counts` (columns q.id, wave, n); None below two waves or for a
    kind that is not followed (free text). With `companies` (the same tally by company too),
    a mean or NPS across two waves is tested on company means, pairing the companies present
    in both (`company_test`)."""
    frame = answered(counts, q.id)
    sizes = frame.groupby("wave")["n"].sum()
    waves = sorted(int(w) for w in sizes[sizes > 0].index)
    measure = q.kind.measure
    if len(waves) < 2 or not measure:
        return None
    changes = signature_changes(signatures, q.id, waves)
    if (sizes < view.k).any():
        return Trend(measure, pd.DataFrame(), stats.UNTESTABLE, changes, "small_wave")
    groups = shown_groups(frame, "wave", 1, qn)
    comparison = compare(q, frame, groups, view.k)
    table = _trend_table(comparison, measure, groups)
    if measure == "share":  # an option a wave did not offer has no share in that wave
        offered = {w: {o.code for o in q.offered(w)} for w in waves}
        table = table[[str(c) in offered[int(w)] for c, w in zip(table["series"], table["wave"])]]
        table = _trend_order(q, table.reset_index(drop=True))
    effect = _forward(comparison.effect)
    moves, axis = (option_moves(table) if measure == "share" else None), value_axis(q)
    paired = None if companies is None or measure == "share" or len(waves) != 2 \
        else company_test(q, companies, waves, view.k)
    test, pairs = (comparison.test, 0) if paired is None else paired
    return Trend(measure, table, test, changes, effect=effect, paired=pairs, moves=moves,
                 axis=axis)


def value_axis(q: Question) -> tuple[float, float | None]:
    """Where a trend's value axis starts and ends: the whole scale (NPS −100…+100, a 1–5 scale
    from 1), so that a small move looks as small as it is; shares and counts from 0."""
    if q.kind.measure == "nps":
        return (-100.0, 100.0)
    if q.kind.measure == "share":
        return (0.0, 1.0)
    if q.min is not None and q.max is not None:
        return (float(q.min), float(q.max))
    return (0.0, None)


def _forward(effect: effects.Effect | None) -> effects.Effect | None:
    """The effect with its gap as a change: later wave − earlier wave."""
    if effect is None or effect.gap is None or int(effect.gap.first) > int(effect.gap.second):
        return effect
    return effect.flipped()


def company_means(q: Question, companies: pd.DataFrame, waves: list[int]) -> pd.DataFrame:
    """Each company's mean answer in each wave (NaN where it did not answer): the NPS as the
    mean of its respondents' points (+100 / 0 / −100)."""
    frame = answered(companies, q.id)
    values = pd.to_numeric(frame[q.id]).to_numpy(dtype=float)
    if q.kind.measure == "nps":
        values = nps_points(values)
    weighted = frame.assign(_sum=values * frame["n"], _n=frame["n"])
    sums = weighted.groupby(["company", "wave"])[["_sum", "_n"]].sum()
    means = (sums["_sum"] / sums["_n"]).unstack("wave")
    return means.reindex(columns=waves)


def company_test(q: Question, companies: pd.DataFrame, waves: list[int], k: int
                 ) -> tuple[stats.Significance, int] | None:
    """The waves compared on company means: companies present in both as pairs, the others as
    independent samples (`stats.partially_paired_t`), with how many pairs; None with fewer
    than k (and two) companies in both waves, where the respondents' test stays."""
    means = company_means(q, companies, waves)
    first, second = means[waves[0]], means[waves[1]]
    both = first.notna() & second.notna()
    if both.sum() < max(k, 2):
        return None
    pairs = means[both].to_numpy(dtype=float)
    test = stats.partially_paired_t(first[first.notna() & ~both], second[second.notna() & ~both],
                                    pairs)
    return test, int(both.sum())


def _trend_order(q: Question, table: pd.DataFrame) -> pd.DataFrame:
    """Options in the order of the single-wave chart above the trend (`display_order`),
    frequencies taken from the latest wave."""
    latest = table[table["wave"] == table["wave"].max()]
    ranked = display_order(q, latest.rename(columns={"series": "code", "value": "count"}))
    rank = {code: i for i, code in enumerate(ranked["code"])}
    return (table.assign(_rank=table["series"].map(rank))
            .sort_values(["_rank", "wave"], kind="stable").drop(columns="_rank")
            .reset_index(drop=True))


def _trend_table(comparison: Comparison, measure: str, groups: Groups) -> pd.DataFrame:
    if measure != "share":
        means = comparison.means
        assert means is not None
        table = means[means["group"] != TOTAL].assign(series=TOTAL)
    else:
        table = comparison.crosstab[comparison.crosstab["group"] != TOTAL].copy()
        bounds = [scoring.wilson(c, groups.sizes[g]) for c, g in
                  zip(table["count"], table["group"])]
        table = table.assign(value=table["share"], low=[lo / 100 for lo, _ in bounds],
                             high=[hi / 100 for _, hi in bounds],
                             n=[groups.sizes[g] for g in table["group"]], series=table["code"])
    table = table.assign(wave=table["group"].astype(int))
    return table[["wave", "series", "value", "low", "high", "n"]].reset_index(drop=True)

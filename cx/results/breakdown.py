"""A question compared across privacy-safe groups with the test that fits its kind: counts of
options (chi-square, or the multiple-response test), means (Welch or ANOVA; NPS as ±100
points), or the most frequent words of free text (no test); with the effect size beside the
test (`cx.effects`). On codes, in no language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cx import comments, effects, scoring, stats
from cx.privacy.quantiles import smoothed_median
from cx.questionnaire import Question, Questionnaire
from cx.results import design
from cx.results.groups import Groups, shown_groups
from cx.results.summary import NPS_CATEGORIES, threshold
from cx.results.tally import (
    TOTAL,
    answered,
    count_matrix,
    nps_points,
    numbers,
    option_counts,
    option_flags,
)
from cx.view import View

CROSSTAB_COLUMNS = ("code", "group", "count", "base", "share", "mark")


@dataclass(frozen=True)
class Comparison:
    """Crosstab (counts, column shares, marks), group means where they apply, the test and how
    large the difference is."""

    crosstab: pd.DataFrame  # code, group, count, base, share, mark
    means: pd.DataFrame | None  # group, value, low, high, median, n, mark
    test: stats.Significance
    effect: effects.Effect | None = None  # None where nothing is tested
    deff: float = 1.0  # respondents nested in companies: tests on n / deff (results.design)


def compare(q: Question, frame: pd.DataFrame, groups: Groups, k: int = 1) -> Comparison:
    """Compare the shown groups on `q` with the test that fits its type (`k`: how many answers
    a median averages, never one respondent's value)."""
    if q.qtype.free:
        return _compare_words(q, frame, groups)
    deff = design_effect(q, frame, groups)
    if q.qtype.counted:
        return _compare_choices(q, frame, groups, deff)
    return _compare_numbers(q, frame, groups, k, deff)


def design_effect(q: Question, frame: pd.DataFrame, groups: Groups) -> float:
    """How much respondents of one company inflate the groups' variance (1 when the tally has
    no `company` column, or no company two respondents): `cx.results.design`."""
    if "company" not in frame:
        return 1.0
    weights, companies = frame["n"].to_numpy(dtype=float), frame["company"].to_numpy()
    codes = groups.codes.to_numpy()
    if q.qtype.counted:
        options = option_flags(q, frame)
        return design.choices_deff(options, weights, codes, companies)
    values = pd.to_numeric(frame[q.id]).to_numpy(dtype=float)
    if q.kind.measure == "nps":
        values = nps_points(values)
    return design.numbers_deff(values, weights, codes, companies)


def tidy_crosstab(counts: pd.DataFrame, codes: Sequence[str], groups: Sequence[str],
                  bases: dict[str, int] | None = None, marks: np.ndarray | None = None
                  ) -> pd.DataFrame:
    """Wide counts (codes × groups) as the tidy crosstab, group by group in `groups` order.
    Bases default to the column totals; marks (codes × groups, without the total) to 0."""
    codes, groups = list(codes), list(groups)
    values = counts.reindex(index=codes, columns=groups, fill_value=0).to_numpy(dtype=int)
    totals = values.sum(axis=0) if bases is None else np.array([bases[g] for g in groups])
    padded = np.zeros(values.shape, dtype=int)
    if marks is not None:
        padded[:, :marks.shape[1]] = marks
    count = values.T.ravel()
    base = np.repeat(totals, len(codes))
    return pd.DataFrame({
        "code": np.tile(codes, len(groups)), "group": np.repeat(groups, len(codes)),
        "count": count, "base": base,
        "share": np.divide(count, base, out=np.zeros(len(count)), where=base > 0),
        "mark": padded.T.ravel()})


def _with_total(groups: Groups) -> dict[str, int]:
    return {**groups.sizes, TOTAL: sum(groups.sizes.values())}


def _compare_choices(q: Question, frame: pd.DataFrame, groups: Groups,
                     deff: float = 1.0) -> Comparison:
    """Counts shown as counted; tested, marked and their gaps bounded on effective counts
    (count / deff: the first-order Rao–Scott correction of the chi-square)."""
    counts = option_counts(q, frame, groups.codes).reindex(columns=list(groups.order),
                                                           fill_value=0)
    matrix = counts.to_numpy(dtype=float) / deff
    codes, order = [str(c) for c in counts.index], list(groups.order)
    if q.qtype.multiple:
        bases = np.array([groups.sizes[g] for g in groups.order], dtype=float) / deff
        test, marks = stats.multi_response_test(matrix, bases)
        effect = effects.options_effect(matrix, bases, codes, order)
    else:
        test = stats.contingency_test(matrix)
        marks = stats.residual_marks(matrix, test)
        effect = effects.choices_effect(matrix, codes, order)
    counts[TOTAL] = counts.sum(axis=1)
    sizes = _with_total(groups)
    crosstab = tidy_crosstab(counts, list(counts.index), list(sizes), sizes, marks)
    return Comparison(crosstab, None, test, _tested(test, effect), deff)


def _tested(test: stats.Significance, effect: effects.Effect | None) -> effects.Effect | None:
    """An effect size only beside a test that could be run."""
    return None if test.verdict == "untestable" else effect


def _group_values(q: Question, frame: pd.DataFrame, groups: Groups) -> list[np.ndarray]:
    return [numbers(frame[(groups.codes == g).to_numpy()], q.id) for g in groups.order]


def _compare_numbers(q: Question, frame: pd.DataFrame, groups: Groups, k: int,
                     deff: float = 1.0) -> Comparison:
    """Welch's test, marks and the largest gap on effective sizes n / deff; each group's
    interval widened by √deff."""
    nps = q.kind.measure == "nps"
    values = _group_values(q, frame, groups)
    tested = [nps_points(v) for v in values] if nps else values
    test = stats.means_test(tested, deff)
    effect = effects.means_effect(tested, list(groups.order), "nps" if nps else "mean", deff)
    marks = [*stats.group_marks(tested, test, deff), 0]
    everyone = [*values, np.concatenate(values)]
    aggregate = scoring.nps if nps else scoring.mean
    means = pd.DataFrame([
        {"group": g, "value": agg.value, "low": agg.low, "high": agg.high,
         "median": smoothed_median(v, k), "n": agg.n, "mark": int(m)}
        for g, v, m in zip([*groups.order, TOTAL], everyone, marks)
        for agg in [scoring.widened(aggregate(v), deff)]])
    crosstab = (_level_crosstab(q, frame, groups) if q.kind.name != "number"
                else pd.DataFrame(columns=CROSSTAB_COLUMNS))
    return Comparison(crosstab, means, test, _tested(test, effect), deff)


def _levels(q: Question, values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Each answer's level and the levels in order: the NPS categories (detractors, passives,
    promoters), Likert levels, or scale points."""
    if q.kind.measure == "nps":
        codes = np.where(values >= 9, "promoter", np.where(values <= 6, "detractor", "passive"))
        return codes, list(NPS_CATEGORIES)
    codes = np.rint(values).astype(int).astype(str)
    if q.codes:
        return codes, list(q.codes)
    # a scale without options has its range (the questionnaire's; not validated there)
    assert q.min is not None and q.max is not None
    return codes, [str(v) for v in range(int(q.min), int(q.max) + 1)]


def _level_crosstab(q: Question, frame: pd.DataFrame, groups: Groups) -> pd.DataFrame:
    """Counts and column shares of the answer levels."""
    codes, levels = _levels(q, pd.to_numeric(frame[q.id]).to_numpy(dtype=float))
    table = count_matrix(codes, groups.codes.to_numpy(), frame["n"].to_numpy(), levels)
    table[TOTAL] = table.sum(axis=1)
    return tidy_crosstab(table, levels, [*groups.order, TOTAL])


def _compare_words(q: Question, frame: pd.DataFrame, groups: Groups) -> Comparison:
    """Free text: how many answers of each group mention the most frequent words (no test)."""
    bases = _with_total(groups)
    raw = pd.DataFrame({"answer": frame[q.id].astype(str), "count": frame["n"].to_numpy(),
                        "group": groups.codes.to_numpy()})
    top = comments.word_counts(raw, top=10)["word"].tolist()
    rows = []
    for g in bases:
        part = raw if g == TOTAL else raw[raw["group"] == g]
        mentions = {w: 0 for w in top}
        for answer, count in zip(part["answer"], part["count"]):
            for w in comments.words(answer) & set(top):
                mentions[w] += int(count)
        rows += [{"code": w, "group": g, "count": c, "base": bases[g],
                  "share": c / bases[g] if bases[g] else 0.0, "mark": 0}
                 for w, c in mentions.items()]
    return Comparison(pd.DataFrame(rows), None, stats.UNTESTABLE)


@dataclass(frozen=True)
class Breakdown:
    """A question compared across the groups of a profile variable."""

    by: str
    kind: str
    comparison: Comparison | None
    groups: Groups | None
    hidden: str | None = None  # same_variable | too_few_groups | suppressed
    threshold: int = 0  # respondents a group needs (k; the comment threshold for text)

    @property
    def shown(self) -> bool:
        return self.hidden is None


def break_down(q: Question, counts: pd.DataFrame, by: str, qn: Questionnaire, view: View
               ) -> Breakdown:
    """`q` by the groups of `by` (counts has columns q.id, by and n)."""
    kind, needed = q.kind.name, threshold(q, view)
    if by == q.id:
        return Breakdown(by, kind, None, None, "same_variable", needed)
    frame = answered(counts, q.id)
    if frame["n"].sum() < needed:
        return Breakdown(by, kind, None, None, "suppressed", needed)
    groups = shown_groups(frame, by, needed, qn)
    if len(groups.order) < 2:
        return Breakdown(by, kind, None, groups.kept(), "too_few_groups", needed)
    return Breakdown(by, kind, compare(q, frame, groups, view.k), groups.kept(), None, needed)

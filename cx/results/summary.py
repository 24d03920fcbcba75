"""A question's answers in the current filter, summarised for its kind (`cx.question_types`):
shares of options, a Likert distribution with its mean and net agreement, a scale with its
mean (or NPS) and interval, a histogram with a privacy-safe median, or the words of free text.
Computed on codes, in no language: `cx.results.labels` names what it holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from cx import comments, scoring
from cx.privacy.quantiles import smoothed_median
from cx.questionnaire import Question
from cx.results.tally import TOTAL, answered, display_order, numbers, option_counts
from cx.view import View

NICE_WIDTHS = (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 250, 500, 1000)
MAX_BINS = 20
NPS_CATEGORIES = ("detractor", "passive", "promoter")
# where a company's name was blanked out of free text; named in the reader's language
REDACTED = "\ue000"


@dataclass(frozen=True)
class Summary:
    """A question's answers in the current filter, summarised for its type."""

    qid: str
    kind: str
    respondents: int  # in the filter
    n: int  # who answered
    threshold: int  # answers needed before anything is shown (k; the comment threshold for text)
    table: pd.DataFrame
    headline: scoring.Aggregate | None = None
    median: float | None = None
    net: float | None = None  # Likert: share agreeing − share disagreeing
    answers: pd.DataFrame | None = None  # free text

    @property
    def suppressed(self) -> bool:
        return self.n < self.threshold


def threshold(q: Question, view: View) -> int:
    """Answers needed before `q` is shown: k, or the comment threshold for free text."""
    return view.text_k if q.qtype.name == "text" else view.k


def summarise(q: Question, counts: pd.DataFrame, view: View,
              names: dict[str, tuple[str, ...]] | None = None,
              companies: pd.DataFrame | None = None) -> Summary:
    """Summary of `q` from its tally (`counts` has columns q.id and n); `names` is the
    company-name index (comments.name_index) used to blank names out of free text; with
    `companies` (the same tally by company too) the headline's interval is company-clustered."""
    frame = answered(counts, q.id)
    n, kind = int(frame["n"].sum()), q.kind
    base = Summary(q.id, kind.name, int(counts["n"].sum()), n, threshold(q, view),
                   pd.DataFrame())
    if n < base.threshold:
        return base
    if kind.summary == "text":
        return _text_summary(base, q, frame, names or {})
    summary = SUMMARIES[kind.summary](base, q, frame)
    if companies is None or summary.headline is None:
        return summary
    return replace(summary, headline=clustered_headline(q, answered(companies, q.id), view.k))


def clustered_headline(q: Question, companies: pd.DataFrame, k: int) -> scoring.Aggregate:
    """The mean (or NPS) of the answers in a tally by company, its interval clustered by
    company (respondents of one company answer alike; k for what the clustering may read)."""
    values = numbers(companies, q.id)
    clusters = np.repeat(companies["company"].to_numpy(), companies["n"].to_numpy(dtype=int))
    if q.kind.measure == "nps":
        return scoring.nps(values, k, clusters)
    return scoring.mean(values, k, clusters)


def option_bases(q: Question, frame: pd.DataFrame) -> dict[str, int]:
    """Options offered only from a later wave (`since`): the respondents of the waves that
    offered them, their share's base (a tally with a `wave` column; {} without one)."""
    later = [o for o in q.options if o.since is not None]
    if not later or "wave" not in frame:
        return {}
    waves = pd.to_numeric(frame["wave"]).to_numpy()
    return {o.code: int(frame.loc[waves >= o.since, "n"].sum()) for o in later}


def _choice_summary(base: Summary, q: Question, frame: pd.DataFrame) -> Summary:
    counts = option_counts(q, frame)[TOTAL]
    table = pd.DataFrame({"code": counts.index, "count": counts.to_numpy()})
    bases = option_bases(q, frame)
    table["base"] = [bases.get(str(c), base.n) for c in table["code"]]
    table = table[table["base"] > 0].reset_index(drop=True)  # offered in no wave selected
    table["share"] = table["count"] / table["base"]
    bounds = [scoring.wilson(int(c), int(b)) for c, b in zip(table["count"], table["base"])]
    table["low"] = [lo / 100 for lo, _ in bounds]
    table["high"] = [hi / 100 for _, hi in bounds]
    return replace(base, table=display_order(q, table))


def net_agreement(shares: pd.Series, levels: int) -> float:
    """Share above the neutral level − share below it (levels 1..levels, in order)."""
    values = shares.to_numpy(dtype=float)
    half = levels // 2
    return float(values[levels - half:].sum() - values[:half].sum())


def _likert_summary(base: Summary, q: Question, frame: pd.DataFrame) -> Summary:
    table = likert_table(option_counts(q, frame), (TOTAL,))
    shares = table.set_index("code")["share"].reindex(list(q.codes)).fillna(0.0)
    return replace(base, table=table, headline=scoring.mean(numbers(frame, q.id)),
                   net=net_agreement(shares, len(q.codes)))


def likert_table(counts: pd.DataFrame, groups: tuple[str, ...]) -> pd.DataFrame:
    """Tidy shares per (group, level), in the crosstab layout the Likert chart draws."""
    rows = []
    for group in groups:
        column = counts[group] if group in counts else pd.Series(0, index=counts.index)
        total = int(column.sum())
        rows += [{"code": code, "group": group, "count": int(count), "base": total,
                  "share": count / total if total else 0.0} for code, count in column.items()]
    return pd.DataFrame(rows)


def _scale_summary(base: Summary, q: Question, frame: pd.DataFrame) -> Summary:
    values = numbers(frame, q.id)
    low, high = q.bounds or (float(values.min()), float(values.max()))
    points = np.arange(int(low), int(high) + 1)
    counts = pd.Series(values).round().value_counts().reindex(points, fill_value=0)
    table = pd.DataFrame({"value": points, "count": counts.to_numpy()})
    table["label"] = table["value"].astype(str)
    table["share"] = table["count"] / base.n
    if q.kind.measure == "nps":
        table["category"] = [nps_category(v) for v in points]
        return replace(base, table=table, headline=scoring.nps(values))
    return replace(base, table=table, headline=scoring.mean(values))


def nps_category(value: float | np.integer[Any]) -> str:
    return "promoter" if value >= 9 else "detractor" if value <= 6 else "passive"


def bin_edges(low: float, high: float) -> np.ndarray:
    """At most 20 bins of a round width (0.5, 1, 2, 5, 10 …) covering [low, high]."""
    span = max(high - low, 1e-9)
    width = next((w for w in NICE_WIDTHS if span / w <= MAX_BINS), NICE_WIDTHS[-1])
    start = np.floor(low / width) * width
    count = max(int(np.ceil((high - start) / width - 1e-9)), 1)
    edges: np.ndarray = start + width * np.arange(count + 1)
    return edges


def _number_summary(base: Summary, q: Question, frame: pd.DataFrame) -> Summary:
    values = pd.to_numeric(frame[q.id]).to_numpy(dtype=float)
    weights = frame["n"].to_numpy(dtype=int)
    low, high = q.bounds or (values.min(), values.max())
    edges = bin_edges(min(low, values.min()), max(high, values.max()))
    counts, _ = np.histogram(values, bins=edges, weights=weights)
    table = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts.astype(int)})
    table["share"] = table["count"] / base.n
    everyone = np.repeat(values, weights)
    return replace(base, table=table, headline=scoring.mean(everyone),
                   median=smoothed_median(everyone, base.threshold))


def _text_summary(base: Summary, q: Question, frame: pd.DataFrame,
                  names: dict[str, tuple[str, ...]]) -> Summary:
    raw = pd.DataFrame({"answer": frame[q.id].astype(str), "count": frame["n"]})
    answers = comments.answer_table(raw, names, REDACTED)
    return replace(base, table=comments.word_counts(answers), answers=answers)


# by QuestionType.summary (free text takes the name index too)
SUMMARIES: dict[str, Callable[[Summary, Question, pd.DataFrame], Summary]] = {
    "choice": _choice_summary, "likert": _likert_summary, "scale": _scale_summary,
    "number": _number_summary}

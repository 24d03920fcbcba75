"""Which chart shows a question, chosen by its kind (`QuestionType.chart` and `.comparison`):
one pure choice that Risultati, the Customer Journey page and the deck share. A `Plot` is a
builder with its arguments, built (and cached) where it is shown."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from cx import fmt
from cx.charts import comparisons
from cx.charts import results as charts
from cx.charts.titles import Titles
from cx.config import INDICATIVE_N, indicative
from cx.i18n import t
from cx.results import ITEMS, Breakdown, Labels, Summary, mark_item
from cx.scoring import NPS, Aggregate

# the names QuestionType.chart and .comparison may take
CHARTS = ("choice", "likert", "score", "histogram", "words")
COMPARISONS = ("shares", "heatmap", "likert", "means")


@dataclass(frozen=True)
class Plot:
    builder: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...] = ()
    table: pd.DataFrame | None = None  # what is drawn, labelled: the chart's download


def _n(value: float, lang: str) -> str:
    return fmt.number(value, lang)


def _ci(agg: Aggregate, lang: str, digits: int = 0, signed: bool = False) -> str:
    return fmt.interval(agg.low, agg.high, lang, digits, signed_values=signed)


def groups_mark(sizes: Iterable[int], lang: str) -> str:
    """' · indicativo dove n < 30' when some group shown is indicative (cx.config.indicative)."""
    if not any(indicative(int(n)) for n in sizes):
        return ""
    return " · " + t("results.indicative_where", lang, n=INDICATIVE_N)


def summary_subtitle(s: Summary, labels: Labels) -> str:
    """What is shown, the headline number, n, and the indicative mark under 30 answers."""
    return _summary_subtitle(s, labels) + fmt.indicative_mark(s.n, labels.lang)


def _summary_subtitle(s: Summary, labels: Labels) -> str:
    lang, row = labels.lang, labels.q.kind
    n, head = _n(s.n, lang), s.headline
    if row.summary == "likert" and head is not None and s.net is not None:
        return t("results.sub_likert", lang, mean=fmt.number(head.value, lang, 1),
                 net=fmt.signed(s.net * 100, lang), n=n)
    if row.measure == "nps" and isinstance(head, NPS):
        promoters, detractors = head.shown_parts
        return t("results.sub_nps", lang, nps=fmt.signed(head.value, lang),
                 ci=_ci(head, lang, signed=True), promoters=fmt.percent(promoters, lang),
                 detractors=fmt.percent(detractors, lang), n=n)
    if row.summary == "scale" and head is not None:
        return t("results.sub_scale", lang, mean=fmt.number(head.value, lang, 1),
                 ci=_ci(head, lang, 1), n=n)
    if row.summary == "number" and head is not None:
        return t("results.sub_number", lang, median=fmt.number(s.median, lang, 1),
                 mean=fmt.number(head.value, lang, 1), n=n)
    if row.summary == "text":
        return t("results.sub_words", lang, n=n)
    return t(f"results.sub_{'multi' if row.multiple else 'single'}", lang, n=n)


def summary_plot(s: Summary, labels: Labels, items: pd.DataFrame | None = None,
                 titles: Titles | None = None) -> Plot:
    """The chart of one question's summary; a Likert statement drawn among the other
    statements of its section (`items`, labelled), marked ▶. `titles` replace the question's
    text and `summary_subtitle`."""
    q, lang = labels.q, labels.lang
    titles = titles or Titles(q.text(lang), summary_subtitle(s, labels), lang)
    table = labels.table(s.table)
    chart = q.kind.chart
    if chart == "likert" and items is not None and items["group"].nunique() > 1:
        items = replace(labels, by=ITEMS).table(items)
        note = t("results.sub_items", lang, section=labels.qn.section_title(q.section, lang))
        noted = Titles(titles.heading, f"{titles.subtitle} · {note}", lang)
        return Plot(charts.likert_chart, (mark_item(items, q.id), list(q.codes), noted),
                    (("width", 60),), items)
    if chart == "likert":
        return Plot(charts.likert_chart, (table, list(q.codes), titles), table=table)
    if chart == "histogram":
        digits = 0 if float(s.median or 0).is_integer() else 1
        median = t("results.median", lang) + " " + fmt.number(s.median, lang, digits)
        return Plot(charts.histogram_chart, (table, float(s.median or 0), median, titles),
                    table=table)
    builder = {"choice": charts.choice_chart, "score": charts.score_chart,
               "words": charts.words_chart}[chart]
    return Plot(builder, (table, titles), table=table)


def breakdown_plot(bd: Breakdown, labels: Labels, titles: Titles | None = None
                   ) -> Plot | None:
    """Side by side: one bar (or dot) per group, the total first; None where groups are
    compared in words only (free text). `titles` replace the default ones."""
    q, lang, comparison = labels.q, labels.lang, bd.comparison
    chart = q.kind.comparison
    if comparison is None or not chart:
        return None
    by = labels.group_title().lower()
    total = t("results.total", lang)
    sizes = bd.groups.sizes.values() if bd.groups else ()
    n = _n(sum(sizes), lang) + groups_mark(sizes, lang)
    heading = t("results.by_title", lang, question=q.text(lang), by=by)
    if titles is not None:
        return _titled(breakdown_plot(bd, labels), titles)
    if chart == "means":
        assert comparison.means is not None
        means = labels.table(comparison.means)
        measure = t("results.nps" if q.kind.measure == "nps" else "results.mean", lang)
        subtitle = t("results.sub_by_means", lang, measure=measure, by=by, n=n)
        nps = q.kind.measure == "nps"
        domain = (-100.0, 100.0) if nps else q.bounds
        return Plot(comparisons.means_chart, (means, total, Titles(heading, subtitle, lang)),
                    (("signed", nps), ("domain", domain)), means)
    crosstab = labels.table(comparison.crosstab)
    if chart == "shares":
        subtitle = t("results.sub_by_shares", lang, by=by, n=n)
        return Plot(comparisons.shares_by_group_chart,
                    (crosstab, total, q.ordered, Titles(heading, subtitle, lang)), table=crosstab)
    if chart == "heatmap":
        subtitle = t("results.sub_by_multi", lang, n=n)
        return Plot(comparisons.heatmap_chart, (crosstab, total, Titles(heading, subtitle, lang)),
                    table=crosstab)
    subtitle = t("results.sub_by_likert", lang, by=by, n=n)
    return Plot(charts.likert_chart, (crosstab, list(q.codes), Titles(heading, subtitle, lang)),
                table=crosstab)


def _titled(plot: Plot | None, titles: Titles) -> Plot | None:
    """`plot` with other titles (every builder takes its Titles as its last positional
    argument)."""
    if plot is None:
        return None
    return replace(plot, args=(*plot.args[:-1], titles))

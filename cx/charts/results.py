"""Risultati charts of one question, one builder per kind (choice, Likert, score, histogram,
words), and what every Risultati chart shares (titles wrapped, width, locale): comparisons
between groups are in `cx.charts.comparisons`, trends in `cx.charts.trends`. Pure: tidy frames
in, Altair charts out, every one titled with n and finished with the locale of its language."""

from __future__ import annotations

import textwrap
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from cx.charts.theme import (
    BRAND,
    CATEGORICAL,
    DIVERGING,
    TopChart,
    finish,
    quick_build,
    title,
)
from cx.charts.titles import Titles
from cx.results import TOTAL

# Encodings given as plain dicts (alt.condition, alt.value, alt.datum) make Altair rebuild its
# schema index, ~10 ms each: colours are computed in pandas, constants use the typed classes.
INK = alt.Fill("ink:N", scale=None)  # fill, not color: the colour scale may be taken
MULTILINE = "split(datum.value, '\\n')"
NO_MINUS_PERCENT = "format(abs(datum.value), '.0%')"
NPS_COLOURS = {"detractor": DIVERGING[0], "passive": DIVERGING[2], "promoter": DIVERGING[4]}
DARK_TEXT, LIGHT_TEXT = "#222222", "#FFFFFF"
HEAT_TOP = "#08306B"  # deep enough for white labels on the fuller cells
LABEL_WIDTH = 38  # characters per line of an axis label
SHARE_TEXT = "format(datum.share, '.0%') + ' (' + format(datum.count, ',d') + ')'"
MARK_TEXT = "(datum.mark > 0 ? ' ▲' : datum.mark < 0 ? ' ▼' : '')"


fast_build = quick_build()  # used as a decorator on every public builder


def wrap(text: str, width: int = LABEL_WIDTH) -> str:
    """Break a long label into lines (drawn one under the other by MULTILINE)."""
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def _lines(text: str, width: int) -> str | list[str]:
    """Lines of at most `width` characters, breaking first at ' · ' separators."""
    parts: list[str] = []
    for piece in text.split(" · ") if len(text) > width else [text]:
        if parts and len(parts[-1]) + 3 + len(piece) <= width:
            parts[-1] += " · " + piece
        else:
            parts += textwrap.wrap(piece, width) or [piece]
    return parts[0] if len(parts) == 1 else parts


def chart_title(heading: str, subtitle: str) -> alt.Title:
    """Heading and subtitle, wrapped so that neither is cut at the chart's width."""
    return title(_lines(heading, 90), _lines(subtitle, 120))


def legend_columns(labels: list[str], most: int = 4) -> int:
    """Legend columns that fit a laptop-wide chart: fewer when the labels are long."""
    longest = max((len(str(lab)) for lab in labels), default=0)
    fit = 3 if longest > 30 else 4 if longest > 22 else most
    return max(1, min(len(labels), most, fit))


def label_axis(**extra: Any) -> alt.Axis:
    """A category axis whose long labels are drawn on several lines."""
    # a label marked ▶ (the chosen statement among its section) is bold
    bold = {"condition": {"test": "indexof(datum.value, '▶') == 0", "value": "bold"},
            "value": "normal"}
    return alt.Axis(labelExpr=MULTILINE, labelLimit=320, labelPadding=6,
                    labelFontWeight=bold, **extra)


def wrapped(frame: pd.DataFrame, *columns: str, width: int = LABEL_WIDTH) -> pd.DataFrame:
    """The frame with its label columns wrapped for label_axis()."""
    return frame.assign(**{c: frame[c].map(lambda v: wrap(v, width)) for c in columns})


def finish_chart(chart: TopChart, titles: Titles,
                 step: int | None = None) -> TopChart:
    """Title, responsive width, row height and the shared configuration (locale)."""
    # fit the width only: with Streamlit's default "fit" a fixed height would also have to
    # hold the title and the legend, squashing the plot
    # attributes set directly: .properties() validates each one against the schema (slow);
    # the tests validate the whole spec instead (the app caches specs unvalidated)
    chart = chart.copy(deep=False)
    chart.title = chart_title(titles.heading, titles.subtitle)
    chart.width = "container"
    chart.autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    if step:
        chart.height = alt.Step(step)
    return finish(chart, titles.lang)



@fast_build
def choice_chart(table: pd.DataFrame, titles: Titles
                 ) -> TopChart:
    """Horizontal bars: % of respondents per option (in the table's order), '45% (12)'."""
    data = wrapped(table, "label")
    order = list(data["label"])
    top = max(0.5, float(data["share"].max()) * 1.25)
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=label_axis()),
        x=alt.X("share:Q", title=None, scale=alt.Scale(domain=[0, min(top, 1.0)]),
                axis=alt.Axis(format=".0%", tickCount=5, grid=True)),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("low:Q", format=".1%"), alt.Tooltip("high:Q", format=".1%"),
                 alt.Tooltip("count:Q", format=",d", title="n")])
    bars = base.mark_bar(color=BRAND, cornerRadiusEnd=3, height={"band": 0.7})
    text = base.mark_text(align="left", dx=5, fontSize=12, color=DARK_TEXT).encode(
        text=alt.Text("text:N")).transform_calculate(text=SHARE_TEXT)
    return finish_chart(bars + text, titles, step=34)


def likert_layout(crosstab: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Start and end of each segment of a diverging bar centred on the neutral level, and each
    row's net agreement (share above neutral − share below)."""
    levels = len(codes)
    position = {c: i for i, c in enumerate(codes)}
    data = crosstab.assign(level=crosstab["code"].map(position)).sort_values(
        ["group", "level"], kind="stable")
    half = levels // 2
    below = data["level"] < half
    neutral = (data["level"] == half) & (levels % 2 == 1)
    above = data["level"] >= levels - half
    group = data["group"]
    left = data["share"].where(below, 0).groupby(group).transform("sum")
    left += data["share"].where(neutral, 0).groupby(group).transform("sum") / 2
    data["start"] = data.groupby("group")["share"].cumsum() - data["share"] - left
    data["end"] = data["start"] + data["share"]
    data["net"] = (data["share"].where(above, 0).groupby(group).transform("sum")
                   - data["share"].where(below, 0).groupby(group).transform("sum"))
    dark = data["level"].isin([0, levels - 1])
    data["ink"] = np.where(dark, LIGHT_TEXT, DARK_TEXT)
    return data.reset_index(drop=True)


def _symmetric_domain(data: pd.DataFrame) -> list[float]:
    reach = max(float(data["start"].abs().max()), float(data["end"].abs().max()), 0.5)
    reach = min(1.0, (int(reach * 10) + 1) / 10)
    return [-reach, reach]


@fast_build
def likert_chart(crosstab: pd.DataFrame, codes: list[str], titles: Titles,
                 width: int = LABEL_WIDTH, legend_most: int = 5) -> TopChart:
    """Diverging stacked bars centred on the neutral answer, rows sorted by net agreement
    (highest on top, the total above them), axis in % without minus signs, segments labelled
    from 6%. `width`: characters per line of the row labels; `legend_most`: legend columns
    (fewer in a half-width column)."""
    data = wrapped(likert_layout(crosstab, codes), "group_label", width=width)
    ranked = data.drop_duplicates("group").sort_values("net", ascending=False, kind="stable")
    # the total (when there is one) on top as the reference, the groups by net agreement
    rows = [*ranked.loc[ranked["group"] == TOTAL, "group_label"],
            *ranked.loc[ranked["group"] != TOTAL, "group_label"]]
    labels = list(dict.fromkeys(data.sort_values("level")["label"]))
    colours = list(DIVERGING) if len(labels) == len(DIVERGING) else None
    colour = alt.Color("label:N", sort=labels, title=None, scale=alt.Scale(
        domain=labels, **({"range": colours} if colours else {"scheme": "redblue"})),
        legend=alt.Legend(orient="bottom", columns=legend_columns(labels, legend_most),
                          symbolType="square"))
    base = alt.Chart(data).encode(
        y=alt.Y("group_label:N", sort=rows, title=None, axis=label_axis()),
        tooltip=[alt.Tooltip("group_label:N", title=" "), alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("count:Q", format=",d"),
                 alt.Tooltip("net:Q", format="+.0%")])
    bars = base.mark_bar(height={"band": 0.72}).encode(
        x=alt.X("start:Q", title=None,
                scale=alt.Scale(domain=_symmetric_domain(data), nice=False),
                axis=alt.Axis(labelExpr=NO_MINUS_PERCENT, tickCount=5, grid=True)),
        x2=alt.X2("end:Q"), color=colour)
    text = base.transform_filter("datum.share >= 0.06").transform_calculate(
        mid="(datum.start + datum.end) / 2").mark_text(fontSize=11).encode(
        x=alt.X("mid:Q"), text=alt.Text("share:Q", format=".0%"),
        fill=INK)
    centre = alt.Chart().mark_rule(color="#444444").encode(x=alt.XDatum(0))
    # the centre line behind the bars: it must not cross the neutral segment's label
    return finish_chart(centre + bars + text, titles, step=38)


@fast_build
def score_chart(table: pd.DataFrame, titles: Titles
                ) -> TopChart:
    """Bars per scale point (0–10 coloured detractor / passive / promoter), % on top."""
    has_categories = "category" in table
    colour: alt.ColorValue | alt.Color = alt.ColorValue(BRAND)
    if has_categories:
        labels = list(dict.fromkeys(table["category_label"]))
        codes = list(dict.fromkeys(table["category"]))
        colour = alt.Color("category_label:N", title=None, sort=labels, scale=alt.Scale(
            domain=labels, range=[NPS_COLOURS[c] for c in codes]),
            legend=alt.Legend(orient="bottom", symbolType="square"))
    base = alt.Chart(table).encode(
        x=alt.X("label:N", sort=list(table["label"]), title=None,
                axis=alt.Axis(labelAngle=0, labelFontSize=13)),
        y=alt.Y("share:Q", title=None, axis=alt.Axis(format=".0%", tickCount=4, grid=True),
                scale=alt.Scale(domain=[0, max(0.2, float(table["share"].max()) * 1.2)])),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("count:Q", format=",d", title="n")])
    bars = base.mark_bar(cornerRadiusEnd=3, width={"band": 0.75}).encode(color=colour)
    text = base.mark_text(dy=-7, fontSize=12, color=DARK_TEXT).encode(
        text=alt.Text("share:Q", format=".0%"))
    return finish_chart((bars + text).properties(height=300), titles)


@fast_build
def histogram_chart(table: pd.DataFrame, median: float, median_text: str, titles: Titles
                    ) -> TopChart:
    """Histogram (respondents per interval) with the median marked by a labelled rule."""
    edges = [float(table["start"].min()), float(table["end"].max())]
    base = alt.Chart(table).encode(tooltip=[
        alt.Tooltip("label:N", title=" "), alt.Tooltip("count:Q", format=",d", title="n"),
        alt.Tooltip("share:Q", format=".1%")])
    bars = base.mark_bar(color=BRAND, opacity=0.85, stroke="#FFFFFF", strokeWidth=1).encode(
        # bin="binned": the intervals come computed, the bars stand on the axis
        x=alt.X("start:Q", bin="binned", title=None, scale=alt.Scale(domain=edges, nice=False),
                axis=alt.Axis(tickCount=10, format=",~f")),
        x2=alt.X2("end:Q"), y=alt.Y("count:Q", title=None, axis=alt.Axis(format=",d", grid=True)))
    marker = pd.DataFrame({"median": [median], "text": [median_text]})
    rule = alt.Chart(marker).mark_rule(color=CATEGORICAL[3], strokeWidth=2.5,
                                       strokeDash=[6, 3]).encode(x=alt.X("median:Q"))
    label = alt.Chart(marker).mark_text(align="left", dx=6, dy=-6, fontSize=13,
                                        fontWeight="bold", color=CATEGORICAL[3]).encode(
        x=alt.X("median:Q"),
        y=alt.YValue(0),  # type: ignore[no-untyped-call]  # Altair: YValue is unannotated
        text=alt.Text("text:N"))
    return finish_chart((bars + rule + label).properties(height=300), titles)


@fast_build
def words_chart(words: pd.DataFrame, titles: Titles
                ) -> TopChart:
    """The most frequent words: how many answers mention each."""
    order = list(words["word"])
    base = alt.Chart(words).encode(
        y=alt.Y("word:N", sort=order, title=None, axis=alt.Axis(labelFontSize=13)),
        x=alt.X("count:Q", title=None, axis=alt.Axis(format=",d", tickCount=5, grid=True)),
        tooltip=[alt.Tooltip("word:N", title=" "), alt.Tooltip("count:Q", format=",d"),
                 alt.Tooltip("share:Q", format=".0%")])
    bars = base.mark_bar(color=BRAND, cornerRadiusEnd=3, height={"band": 0.7})
    text = base.mark_text(align="left", dx=5, fontSize=12, color=DARK_TEXT).encode(
        text=alt.Text("count:Q", format=",d"))
    return finish_chart(bars + text, titles, step=26)

"""Risultati charts: one builder per question type and comparison. Pure: tidy frames in,
Altair charts out, every one titled with n and finished with the locale of its language."""

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
    SEQUENTIAL,
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


def _group_sort(data: pd.DataFrame, total: str) -> list[str]:
    """Groups in the crosstab's order, the total first (the reference)."""
    groups = list(dict.fromkeys(data["group_label"]))
    return [g for g in groups if g == total] + [g for g in groups if g != total]


def stack_layout(crosstab: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Start, end and middle of each option's segment within its group's 100% bar."""
    data = crosstab.assign(order=crosstab["label"].map({lab: i for i, lab in enumerate(labels)}))
    data = data.sort_values(["group", "order"], kind="stable")
    data["end"] = data.groupby("group")["share"].cumsum()
    data["start"] = data["end"] - data["share"]
    data["mid"] = (data["start"] + data["end"]) / 2
    return data.reset_index(drop=True)


@fast_build
def shares_by_group_chart(crosstab: pd.DataFrame, total: str, ordered: bool, titles: Titles
                          ) -> TopChart:
    """100% stacked bars, one per group (total first), labelled from 7%, ▲▼ where the cell
    differs significantly."""
    labels = list(dict.fromkeys(crosstab["label"]))
    rows = _group_sort(crosstab, total)
    data = wrapped(stack_layout(crosstab, labels), "group_label")
    palette = _ordered_palette(len(labels)) if ordered else list(CATEGORICAL)
    base = alt.Chart(data).encode(
        y=alt.Y("group_label:N", sort=[wrap(r) for r in rows], title=None,
                axis=label_axis()),
        tooltip=[alt.Tooltip("group_label:N", title=" "), alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("count:Q", format=",d")])
    bars = base.mark_bar(height={"band": 0.72}, stroke="#FFFFFF", strokeWidth=0.5).encode(
        x=alt.X("start:Q", title=None, scale=alt.Scale(domain=[0, 1], nice=False),
                axis=alt.Axis(format=".0%", tickCount=5)),
        x2=alt.X2("end:Q"),
        color=alt.Color("label:N", sort=labels, title=None,
                        scale=alt.Scale(domain=labels, range=palette[:len(labels)]),
                        legend=alt.Legend(orient="bottom", columns=legend_columns(labels),
                                          symbolType="square")))
    dark = set(labels[-2:]) if ordered else set()
    data["ink"] = np.where(data["label"].isin(dark), LIGHT_TEXT, DARK_TEXT)
    text = base.transform_filter("datum.share >= 0.07").transform_calculate(
        text="format(datum.share, '.0%')" + " + " + MARK_TEXT).mark_text(fontSize=11).encode(
        x=alt.X("mid:Q"), text=alt.Text("text:N"),
        fill=INK)
    return finish_chart(bars + text, titles, step=36)


def _ordered_palette(count: int) -> list[str]:
    """Light to dark for ordered answers (5 blues; fewer levels skip the lightest)."""
    return list(SEQUENTIAL[-count:]) if count <= len(SEQUENTIAL) else list(CATEGORICAL)


@fast_build
def heatmap_chart(crosstab: pd.DataFrame, total: str, titles: Titles) -> TopChart:
    """Options × groups, coloured by the share of each group choosing the option; cells read
    '45%' with ▲▼ where the group differs significantly. Total column first."""
    data = wrapped(crosstab, "label")
    data = wrapped(data, "group_label", width=14)
    rows = list(dict.fromkeys(data["label"]))
    data["ink"] = np.where(data["share"] > 0.62, LIGHT_TEXT, DARK_TEXT)
    base = alt.Chart(data).encode(
        x=alt.X("group_label:N", sort=_group_sort(data, wrap(total, 14)), title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelExpr=MULTILINE, labelLimit=140,
                              labelFontWeight="normal")),
        y=alt.Y("label:N", sort=rows, title=None, axis=label_axis()),
        tooltip=[alt.Tooltip("group_label:N", title=" "), alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("count:Q", format=",d"),
                 alt.Tooltip("base:Q", format=",d", title="n")])
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=1.5).encode(
        color=alt.Color("share:Q", title=None, scale=alt.Scale(
            domain=[0, 1], range=[SEQUENTIAL[0], HEAT_TOP]),
            legend=alt.Legend(format=".0%", orient="bottom", gradientLength=300,
                              values=[0, 0.25, 0.5, 0.75, 1])))
    text = base.transform_calculate(text="format(datum.share, '.0%')" + " + " + MARK_TEXT
                                    ).mark_text(fontSize=12).encode(
        text=alt.Text("text:N"), fill=INK)
    return finish_chart(cells + text, titles, step=34)


@fast_build
def means_chart(means: pd.DataFrame, total: str, titles: Titles,
                signed: bool = False, domain: tuple[float, float] | None = None
                ) -> TopChart:
    """One dot per group (total first) with its 95% CI; value labelled, ▲▼ where the group
    differs significantly from the rest."""
    data = wrapped(means.dropna(subset=["value"]), "group_label")
    data = data.assign(dot=np.where(data["group"] == TOTAL, CATEGORICAL[1], BRAND))
    fmt = "+.0f" if signed else ".1f"
    scale = alt.Scale(domain=list(domain), nice=False) if domain else alt.Scale(zero=False)
    base = alt.Chart(data).encode(
        y=alt.Y("group_label:N", sort=_group_sort(data, wrap(total)), title=None,
                axis=label_axis()),
        tooltip=[alt.Tooltip("group_label:N", title=" "), alt.Tooltip("value:Q", format=fmt),
                 alt.Tooltip("low:Q", format=fmt), alt.Tooltip("high:Q", format=fmt),
                 alt.Tooltip("n:Q", format=",d")])
    ci = base.mark_rule(color="#666666", strokeWidth=2).encode(
        x=alt.X("low:Q", title=None, scale=scale, axis=alt.Axis(grid=True, tickCount=6)),
        x2=alt.X2("high:Q"))
    dots = base.mark_circle(size=140, opacity=1).encode(
        x=alt.X("value:Q"), color=alt.Color("dot:N", scale=None))
    text = base.transform_calculate(
        text=f"format(datum.value, '{fmt}') + " + MARK_TEXT).mark_text(
        align="left", dx=8, dy=-12, fontSize=12, color=DARK_TEXT).encode(x=alt.X("value:Q"),
                                                                         text=alt.Text("text:N"))
    layers = [ci, dots, text]
    if signed:
        layers.insert(0, alt.Chart().mark_rule(color="#999999").encode(x=alt.XDatum(0)))
    return finish_chart(alt.layer(*layers), titles, step=40)


@fast_build
def trend_chart(table: pd.DataFrame, measure: str, titles: Titles
                ) -> TopChart:
    """One value per wave with its 95% CI: a line for a single measure (mean, NPS); for the
    options of a choice question one row per option (in the table's order), a dot per wave
    (older waves lighter)."""
    fmt = {"share": ".0%", "nps": "+.0f"}.get(measure, ".1f")
    if table["series_label"].nunique() > 1:
        return _options_by_wave(table, fmt, titles)
    base = alt.Chart(table).encode(
        x=alt.X("wave:O", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=13)),
        tooltip=[alt.Tooltip("wave:O"), alt.Tooltip("value:Q", format=fmt),
                 alt.Tooltip("low:Q", format=fmt), alt.Tooltip("high:Q", format=fmt),
                 alt.Tooltip("n:Q", format=",d")])
    line = base.mark_line(point={"size": 70, "filled": True}, strokeWidth=2.5,
                          color=BRAND).encode(
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=measure == "share"),
                axis=alt.Axis(format=fmt.replace("+", ""), grid=True, tickCount=5)))
    ci = base.mark_rule(strokeWidth=2, opacity=0.55, color=BRAND).encode(
        y=alt.Y("low:Q"), y2=alt.Y2("high:Q"))
    text = base.mark_text(align="left", dx=9, dy=-11, fontSize=12, color=DARK_TEXT).encode(
        y=alt.Y("value:Q"), text=alt.Text("value:Q", format=fmt))
    return finish_chart(alt.layer(ci, line, text).properties(height=300), titles)


def wave_palette(count: int) -> list[str]:
    """Older waves lighter, the latest darkest, as far apart as the blues allow."""
    if count <= 3:
        blues = SEQUENTIAL[2:]
        return [blues[int(i)] for i in np.linspace(0, len(blues) - 1, count).round()]
    return list(SEQUENTIAL[-count:]) if count <= len(SEQUENTIAL) else list(CATEGORICAL)


def _options_by_wave(table: pd.DataFrame, fmt: str, titles: Titles
                     ) -> TopChart:
    waves = sorted(table["wave"].unique())
    rows = [wrap(label) for label in dict.fromkeys(table["series_label"])]  # the table's order
    data = wrapped(table, "series_label").assign(wave=lambda d: d["wave"].astype(str))
    colour = alt.Color("wave:O", title=None, sort=[str(w) for w in waves],
                       scale=alt.Scale(range=wave_palette(len(waves))),
                       legend=alt.Legend(orient="bottom", symbolType="circle"))
    base = alt.Chart(data).encode(
        y=alt.Y("series_label:N", sort=rows, title=None, axis=label_axis()),
        yOffset=alt.YOffset("wave:O", sort=[str(w) for w in waves]), color=colour,
        tooltip=[alt.Tooltip("wave:O"), alt.Tooltip("series_label:N", title=" "),
                 alt.Tooltip("value:Q", format=fmt), alt.Tooltip("low:Q", format=fmt),
                 alt.Tooltip("high:Q", format=fmt), alt.Tooltip("n:Q", format=",d")])
    ci = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", title=None, scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%", grid=True, tickCount=5)),
        x2=alt.X2("high:Q"))
    dots = base.mark_circle(size=90, opacity=1).encode(x=alt.X("value:Q"))
    text = base.mark_text(align="left", dx=6, fontSize=11).encode(
        x=alt.X("high:Q"), text=alt.Text("value:Q", format=fmt))
    # with yOffset the step is the height of one wave's band inside an option's row
    return finish_chart(alt.layer(ci, dots, text), titles, step=15)


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

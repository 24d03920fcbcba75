"""Risultati's comparisons between groups: shares of each option per group (stacked bars or a
heatmap for multiple choice) and means with their intervals, the total last (as in
the table), the reference; ▲▼ where a group differs significantly."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from cx.charts.results import (
    DARK_TEXT,
    HEAT_TOP,
    INK,
    MARK_TEXT,
    MULTILINE,
    fast_build,
    finish_chart,
    label_axis,
    legend_columns,
    wrap,
    wrapped,
)
from cx.charts.theme import BRAND, CATEGORICAL, ORDERED, SEQUENTIAL, TopChart, ink, ramp
from cx.charts.titles import Titles
from cx.results import TOTAL


def _group_sort(data: pd.DataFrame, total: str) -> list[str]:
    """Groups in the crosstab's order, the total last: the order of the table below the chart
    (`cx.results.crosstab.crosstab_table`), one order for the same groups."""
    groups = list(dict.fromkeys(data["group_label"]))
    return [g for g in groups if g != total] + [g for g in groups if g == total]


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
    """100% stacked bars, one per group (total last), labelled from 7%, ▲▼ where the cell
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
    data["ink"] = data["label"].map(dict(zip(labels, (ink(c) for c in palette))))
    text = base.transform_filter("datum.share >= 0.07").transform_calculate(
        text="format(datum.share, '.0%')" + " + " + MARK_TEXT).mark_text(fontSize=11).encode(
        x=alt.X("mid:Q"), text=alt.Text("text:N"),
        fill=INK)
    return finish_chart(bars + text, titles, step=36)


HEAT = (SEQUENTIAL[0], HEAT_TOP)  # a heatmap cell's fill, empty to full


def _ordered_palette(count: int) -> list[str]:
    """Light to dark for ordered answers (5 blues; fewer levels skip the lightest)."""
    return list(ORDERED[-count:]) if count <= len(ORDERED) else list(CATEGORICAL)


@fast_build
def heatmap_chart(crosstab: pd.DataFrame, total: str, titles: Titles) -> TopChart:
    """Options × groups, coloured by the share of each group choosing the option; cells read
    '45%' with ▲▼ where the group differs significantly. Total column last."""
    data = wrapped(crosstab, "label")
    data = wrapped(data, "group_label", width=14)
    rows = list(dict.fromkeys(data["label"]))
    data["ink"] = [ink(ramp(HEAT, s)) for s in data["share"]]  # black or white: 4.5:1
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
            domain=[0, 1], range=list(HEAT), interpolate="rgb"),
            legend=None))  # each cell prints its share
    text = base.transform_calculate(text="format(datum.share, '.0%')" + " + " + MARK_TEXT
                                    ).mark_text(fontSize=12).encode(
        text=alt.Text("text:N"), fill=INK)
    return finish_chart(cells + text, titles, step=34)


@fast_build
def means_chart(means: pd.DataFrame, total: str, titles: Titles,
                signed: bool = False, domain: tuple[float, float] | None = None
                ) -> TopChart:
    """One dot per group (total last) with its 95% CI; value labelled, ▲▼ where the group
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
        layers.insert(0, alt.Chart().mark_rule(color="#8C8C8C").encode(x=alt.XDatum(0)))
    return finish_chart(alt.layer(*layers), titles, step=40)

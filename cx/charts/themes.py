"""The themes of a free-text question: one bar per theme, the share of respondents whose answer
touches it with its 95% interval (company-clustered) as an error bar, labelled '35% (105)'.
Pure: a tidy frame (label, share, low, high, count; the most frequent first) in, a chart out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx.charts.results import (
    DARK_TEXT,
    SHARE_TEXT,
    fast_build,
    finish_chart,
    label_axis,
    wrapped,
)
from cx.charts.theme import BRAND, TopChart
from cx.charts.titles import Titles


@fast_build
def themes_chart(table: pd.DataFrame, titles: Titles) -> TopChart:
    """Horizontal bars: % of respondents per theme (in the table's order) with error bars."""
    data = wrapped(table, "label")
    order = list(data["label"])
    top = min(1.0, max(0.5, float(data["high"].max()) * 1.15))
    x_scale = alt.Scale(domain=[0, top])
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=label_axis()),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("low:Q", format=".1%"), alt.Tooltip("high:Q", format=".1%"),
                 alt.Tooltip("count:Q", format=",d", title="n")])
    bars = base.mark_bar(color=BRAND, cornerRadiusEnd=3, height={"band": 0.6}).encode(
        x=alt.X("share:Q", title=None, scale=x_scale,
                axis=alt.Axis(format=".0%", tickCount=5, grid=True)))
    ci = base.mark_rule(color=DARK_TEXT, strokeWidth=1.5).encode(
        x=alt.X("low:Q", scale=x_scale), x2=alt.X2("high:Q"))
    text = base.mark_text(align="left", dx=6, fontSize=12, color=DARK_TEXT).encode(
        x=alt.X("high:Q", scale=x_scale), text=alt.Text("text:N")
    ).transform_calculate(text=SHARE_TEXT)
    return finish_chart(alt.layer(bars, ci, text), titles, step=34)

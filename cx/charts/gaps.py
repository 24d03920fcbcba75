"""A company's gap from a reference per score: a diverging bar from 0 (blue above, orange
below, grey where the test does not hold), its 95% interval as a whisker and its value with the
interval written at the bar's end. Pure: Altair, no Streamlit."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx.charts.theme import BRAND, TopChart, finish, titled
from cx.charts.titles import Titles

SIDES = ("above", "below", "in_line", "untested")
COLOURS = (BRAND, "#D55E00", "#9E9E9E", "#BDBDBD")


def gap_chart(gaps: pd.DataFrame, axis_title: str, titles: Titles, width: int = 420
              ) -> TopChart:
    """`gaps`: name, estimate, low, high, side, label (the value and interval as text) and
    verdict (the side in words), one row per score, drawn in the given order."""
    order = list(gaps["name"])
    reach = max(float(gaps[["low", "high"]].abs().max().max()), 5.0) if len(gaps) else 10.0
    scale = alt.Scale(domain=[-reach * 1.6, reach * 1.6], nice=False)
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=180, ticks=False,
                                                              domain=False))
    base = alt.Chart(gaps).encode(y=y, tooltip=[
        alt.Tooltip("name:N", title=" "), alt.Tooltip("label:N", title=titles.subtitle),
        alt.Tooltip("verdict:N", title=" ")])
    bars = base.mark_bar(height={"band": 0.6}).encode(
        x=alt.X("estimate:Q", scale=scale, title=axis_title), x2=alt.datum(0),
        color=alt.Color("side:N", legend=None,
                        scale=alt.Scale(domain=list(SIDES), range=list(COLOURS))))
    whiskers = base.mark_rule(color="#1A1A1A", strokeWidth=1.5).encode(
        x=alt.X("low:Q", scale=scale), x2="high:Q")
    labels = base.mark_text(align="left", dx=5, fontSize=11, color="#1A1A1A").encode(
        x=alt.X("high:Q", scale=scale), text="label:N")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#404040").encode(
        x=alt.X("x:Q", scale=scale))
    chart = alt.layer(bars, whiskers, labels, zero).properties(
        width=width, height=max(len(gaps), 1) * 34, title=titled(titles))
    return finish(chart, titles.lang)

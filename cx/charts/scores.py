"""Overview charts: maturity stages and 0–100 score profiles with their CIs."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx.charts.theme import BRAND, ORDERED, TopChart, finish, titled
from cx.charts.titles import Titles


def stage_chart(stages: pd.DataFrame, labels: dict[str, str], titles: Titles) -> TopChart:
    """Horizontal bars: % of respondents per maturity stage, stages in their natural order."""
    data = stages.assign(label=stages["stage"].map(labels), share=stages["pct"] / 100,
                         shown_share=stages["shown"] / 100)
    order = [labels[s] for s in stages["stage"]]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3, height=26).encode(
        x=alt.X("share:Q", title=None, axis=alt.Axis(format=".0%", tickCount=5),
                scale=alt.Scale(domain=[0, max(0.5, float(data["share"].max()) * 1.15)])),
        y=y,
        color=alt.Color("label:N", sort=order, scale=alt.Scale(range=list(ORDERED)),
                        legend=None),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("count:Q", title="n")],
    )
    # the rounded shares that add up (cx.rounding), as the sentences beside the chart add them
    text = bars.mark_text(align="left", dx=4, fontSize=13).encode(
        text=alt.Text("shown_share:Q", format=".0%"), color=alt.ColorValue("#222222"))
    chart = (bars + text).properties(title=titled(titles), height=alt.Step(36),
                                     width="container")
    return finish(chart, titles.lang)


def profile_chart(profile: pd.DataFrame, labels: dict[str, str], titles: Titles,
                  color: str = BRAND) -> TopChart:
    """0–100 score per measure as bars with the 95% CI as a rule, value labelled."""
    data = profile[~profile["suppressed"]].assign(label=lambda d: d["measure"].map(labels))
    order = [labels[m] for m in data["measure"]]
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=order, title=None,
                                          axis=alt.Axis(labelLimit=220)))
    scale = alt.Scale(domain=[0, 100])
    bars = base.mark_bar(color=color, opacity=0.85, height=22, cornerRadiusEnd=3).encode(
        # a tick every 10 points (on a wide page Vega's own choice fell to every 2); on a
        # phone every other label is dropped rather than overlap
        x=alt.X("value:Q", scale=scale, title=None,
                axis=alt.Axis(values=list(range(0, 101, 10)), labelOverlap="parity")),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", format=".1f"),
                 alt.Tooltip("low:Q", format=".1f"), alt.Tooltip("high:Q", format=".1f"),
                 alt.Tooltip("n:Q")],
    )
    ci = base.mark_rule(color="#333333", strokeWidth=1.5).encode(
        x=alt.X("low:Q"), x2=alt.X2("high:Q"))
    text = base.mark_text(align="left", dx=6, dy=-12, fontSize=12, color="#222222").encode(
        x=alt.X("high:Q"), text=alt.Text("value:Q", format=".0f"))
    chart = (bars + ci + text).properties(title=titled(titles), height=alt.Step(40),
                                          width="container")
    return finish(chart, titles.lang)

"""Coverage chart: the response rate of the Club's members per sector or size band."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx.charts.theme import BRAND, TopChart, finish, titled
from cx.charts.titles import Titles


def rate_chart(rates: pd.DataFrame, titles: Titles) -> TopChart:
    """Horizontal bars: % of members that answered per category (`label`, `rate`, `shown`,
    `text`: the words at the bar's end, «42% (17 di 40)» or «< 5»); a withheld rate has no
    bar, only its text."""
    data = rates.assign(share=rates["rate"].where(rates["shown"]) / 100)
    order = list(data["label"])
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=order, title=None,
                                          axis=alt.Axis(labelLimit=220)))
    bars = base.mark_bar(color=BRAND, opacity=0.85, height=22, cornerRadiusEnd=3).encode(
        x=alt.X("share:Q", title=None, axis=alt.Axis(format=".0%", tickCount=5),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("text:N", title=" ")])
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#222222").encode(
        x=alt.X("position:Q"), text="text:N")
    chart = (bars + text.transform_calculate(position="isValid(datum.share) ? datum.share : 0")
             ).properties(title=titled(titles), height=alt.Step(36), width="container")
    return finish(chart, titles.lang)

"""Buyer Personas charts: the map of respondents and the stability curve by k."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from cx.charts.theme import BRAND, CATEGORICAL, TopChart, finish, titled
from cx.charts.titles import Titles


@dataclass(frozen=True)
class MapText:
    """What a persona map names: the personas (in their order), the tooltip's fields as
    (column, title) and the two axes."""

    labels: tuple[str, ...]
    tooltip: tuple[tuple[str, str], ...]
    axes: tuple[str, str]


def persona_colors(labels: list[str]) -> alt.Scale:
    """Persona i always takes colour i of the colour-blind-safe palette."""
    return alt.Scale(domain=labels, range=list(CATEGORICAL[: len(labels)]))


def persona_map_chart(points: pd.DataFrame, centres: pd.DataFrame, text: MapText,
                      titles: Titles) -> TopChart:
    """Respondents on the first two principal components, coloured by persona (`label`),
    with each persona's centre as a numbered diamond."""
    labels, axes = list(text.labels), text.axes
    color = alt.Color("label:N", scale=persona_colors(labels), sort=labels, title=None,
                      legend=alt.Legend(orient="bottom", columns=min(len(labels), 4),
                                        symbolType="circle", labelFontSize=13))
    x = alt.X("x:Q", title=axes[0], axis=alt.Axis(labels=False, ticks=False))
    y = alt.Y("y:Q", title=axes[1], axis=alt.Axis(labels=False, ticks=False))
    dots = alt.Chart(points).mark_circle(size=36, opacity=0.55).encode(
        x=x, y=y, color=color,
        tooltip=[alt.Tooltip(f"{col}:N", title=name) for col, name in text.tooltip])
    base = alt.Chart(centres).encode(x=x, y=y)
    diamonds = base.mark_point(shape="diamond", size=420, filled=True, opacity=1,
                               stroke="#111111", strokeWidth=1.5).encode(
        color=alt.Color("label:N", scale=persona_colors(labels), legend=None),
        tooltip=[alt.Tooltip("label:N", title=" ")])
    numbers = base.mark_text(dy=-20, fontSize=15, fontWeight="bold", color="#111111").encode(
        text="number:N")
    chart = (dots + diamonds + numbers).properties(
        title=titled(titles), width="container", height=460)
    return finish(chart, titles.lang)


def stability_chart(curve: pd.DataFrame, axes: tuple[str, str], titles: Titles) -> TopChart:
    """Bootstrap stability per k (columns k, stability, se_low, se_high, shown, floor): ±1
    standard error as a bar, the one-standard-error floor dashed, the k shown as a diamond."""
    x = alt.X("k:O", title=axes[0], axis=alt.Axis(labelAngle=0))
    y = alt.Y("stability:Q", title=axes[1], scale=alt.Scale(zero=False),
              axis=alt.Axis(format=".2f", tickCount=4))
    base = alt.Chart(curve).encode(x=x, tooltip=[
        alt.Tooltip("k:O", title=axes[0]), alt.Tooltip("stability:Q", format=".3f"),
        alt.Tooltip("se_low:Q", format=".3f"), alt.Tooltip("se_high:Q", format=".3f")])
    line = base.mark_line(color=BRAND, strokeWidth=2).encode(y=y) \
        + base.mark_circle(size=60, color=BRAND).encode(y=y)
    bars = base.mark_rule(color=BRAND, strokeWidth=2).encode(y="se_low:Q", y2="se_high:Q")
    floor = alt.Chart(curve).mark_rule(color="#666666", strokeDash=[4, 4]).encode(
        y="mean(floor):Q")
    shown = base.transform_filter(alt.datum.shown).mark_point(
        shape="diamond", size=300, filled=True, color=CATEGORICAL[1], stroke="#111111").encode(y=y)
    chart = (floor + bars + line + shown).properties(title=titled(titles), width="container",
                                                     height=220)
    return finish(chart, titles.lang)

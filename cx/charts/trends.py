"""A question across waves: one value per wave with its 95% interval (a line), or for the
options of a choice question a dot per wave in each option's row, older waves lighter."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from cx.charts.results import DARK_TEXT, fast_build, finish_chart, label_axis, wrap, wrapped
from cx.charts.theme import BRAND, CATEGORICAL, ORDERED, TopChart
from cx.charts.titles import Titles


@fast_build
def trend_chart(table: pd.DataFrame, measure: str, titles: Titles,
                axis: tuple[float, float | None] = (0.0, None)) -> TopChart:
    """One value per wave with its 95% CI: a line for a single measure (mean, NPS) on the
    whole of its scale (`axis`: from the floor, to the top when the scale has one); for the
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
    scale = _scale(axis, table)  # on every layer: a layer without it would add zero
    line = base.mark_line(point={"size": 70, "filled": True}, strokeWidth=2.5,
                          color=BRAND).encode(
        y=alt.Y("value:Q", title=None, scale=scale,
                axis=alt.Axis(format=fmt.replace("+", ""), grid=True, tickCount=5)))
    ci = base.mark_rule(strokeWidth=2, opacity=0.55, color=BRAND).encode(
        y=alt.Y("low:Q", scale=scale), y2=alt.Y2("high:Q"))
    text = base.mark_text(align="left", dx=9, dy=-11, fontSize=12, color=DARK_TEXT).encode(
        y=alt.Y("value:Q", scale=scale), text=alt.Text("value:Q", format=fmt))
    return finish_chart(alt.layer(ci, line, text).properties(height=300), titles)


def _scale(axis: tuple[float, float | None], table: pd.DataFrame) -> alt.Scale:
    """The scale's floor always; its top when it has one, else room above the highest bound."""
    low, high = axis
    top = high if high is not None else float(table["high"].max()) * 1.1
    return alt.Scale(domain=[low, top], nice=high is None)


def wave_palette(count: int) -> list[str]:
    """Older waves lighter, the latest darkest, as far apart as the blues allow."""
    if count <= 3:
        return [ORDERED[int(i)] for i in np.linspace(0, len(ORDERED) - 1, count).round()]
    return list(ORDERED[-count:]) if count <= len(ORDERED) else list(CATEGORICAL)


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
    whole = alt.Scale(domain=[0, 1])  # on every layer, as for the line
    dots = base.mark_circle(size=90, opacity=1).encode(x=alt.X("value:Q", scale=whole))
    # the values in dark ink (the dot beside each carries its wave's colour): text needs 4.5:1
    text = base.mark_text(align="left", dx=6, fontSize=11).encode(
        x=alt.X("high:Q", scale=whole), text=alt.Text("value:Q", format=fmt),
        color=alt.ColorValue(DARK_TEXT))
    # with yOffset the step is the height of one wave's band inside an option's row
    return finish_chart(alt.layer(ci, dots, text), titles, step=15)

"""Customer Journey charts: the adoption funnel of the journey practices (the other charts of the
page are the Risultati builders). Pure: tidy frames in, Altair charts out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx.charts.results import DARK_TEXT, fast_build, finish_chart, label_axis, wrapped
from cx.charts.theme import BRAND, ORDERED, SEQUENTIAL, TopChart
from cx.charts.titles import Titles


@fast_build
def funnel_chart(steps: pd.DataFrame, alone_label: str, together_label: str,
                 titles: Titles) -> TopChart:
    """One row per practice in the journey's order: a light bar for the share with the practice
    on its own, a dark bar for the share with it and every practice before it (the funnel)."""
    data = wrapped(steps, "label")
    order = list(data["label"])
    labels = {"alone": alone_label, "together": together_label}
    long = data.melt(id_vars=["step", "label", "n_alone", "n"], value_vars=list(labels),
                     var_name="measure", value_name="share")
    long["measure_label"] = long["measure"].map(labels)
    # each bar's own base: those who answered the practice, or it and every earlier one
    long["base"] = long["n_alone"].where(long["measure"] == "alone", long["n"])
    colour = alt.Color("measure_label:N", title=None, sort=list(labels.values()),
                       scale=alt.Scale(domain=list(labels.values()),
                                       range=[ORDERED[0], BRAND]),
                       legend=alt.Legend(orient="bottom", direction="vertical",
                                         symbolType="square", labelLimit=400))
    base = alt.Chart(long).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=label_axis(labelFontSize=13)),
        x=alt.X("share:Q", title=None, scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%", tickCount=5, grid=True)),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("measure_label:N", title=" "),
                 alt.Tooltip("share:Q", title="%", format=".1%"),
                 alt.Tooltip("base:Q", title="n", format=",d")])
    alone = base.transform_filter("datum.measure == 'alone'").mark_bar(
        height={"band": 0.78}, cornerRadiusEnd=3).encode(color=colour)
    together = base.transform_filter("datum.measure == 'together'").mark_bar(
        height={"band": 0.44}, cornerRadiusEnd=3).encode(color=colour)
    together_text = alt.Chart(data).mark_text(
        align="left", dx=5, fontSize=13, fontWeight="bold", color=DARK_TEXT).encode(
        y=alt.Y("label:N", sort=order), x=alt.X("together:Q"),
        text=alt.Text("together:Q", format=".0%"))
    # the practice's own share where it differs from the funnel's, raised above the dark
    # bar's label so that the two never overlap, however narrow the chart (a phone)
    alone_text = alt.Chart(data).transform_filter(
        "datum.alone - datum.together >= 0.01").mark_text(
        align="left", dx=5, dy=-15, fontSize=11, color="#555555").encode(
        y=alt.Y("label:N", sort=order), x=alt.X("alone:Q"), text=alt.Text("alone:Q", format=".0%"))
    layers = alt.layer(alone, together, alone_text, together_text)
    return finish_chart(layers, titles, step=58)


@fast_build
def application_chart(table: pd.DataFrame, titles: Titles) -> TopChart:
    """Per touchpoint (rows in the table's order: the largest gap first), how far the ideal
    journey is applied, 0–100 with its 95% interval; the rest of each row is the gap."""
    data = wrapped(table[~table["suppressed"]], "label").assign(zero=0, full=100)
    order = list(data["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=label_axis(labelFontSize=13))
    x_scale = alt.Scale(domain=[0, 100])
    tooltip = [alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", title="0–100",
                                                              format=".0f"),
               alt.Tooltip("low:Q", format=".0f"), alt.Tooltip("high:Q", format=".0f"),
               alt.Tooltip("n:Q", title="n", format=",d")]
    base = alt.Chart(data).encode(y=y, tooltip=tooltip)
    full = base.mark_bar(height={"band": 0.62}, color=SEQUENTIAL[0]).encode(
        x=alt.X("zero:Q", scale=x_scale), x2=alt.X2("full:Q"))
    bars = base.mark_bar(height={"band": 0.62}, color=BRAND, cornerRadiusEnd=3).encode(
        x=alt.X("value:Q", title=None, scale=x_scale,
                axis=alt.Axis(tickCount=5, grid=True)))
    ci = base.mark_rule(color=DARK_TEXT, strokeWidth=1.5).encode(
        x=alt.X("low:Q", scale=x_scale), x2=alt.X2("high:Q"))
    text = base.mark_text(align="left", dx=6, dy=-12, fontSize=12, color=DARK_TEXT).encode(
        x=alt.X("high:Q", scale=x_scale), text=alt.Text("value:Q", format=".0f"))
    return finish_chart(alt.layer(full, bars, ci, text), titles, step=40)

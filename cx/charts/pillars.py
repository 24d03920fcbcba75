"""Six Pillars beyond the radar: the Club's ranking of pillars (strongest and weakest marked)
and the heatmap of companies × pillars sorted by overall score."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx.charts.theme import BRAND, DARK_INK, SEQUENTIAL, TopChart, finish, ink, ramp, titled
from cx.charts.titles import Titles
from cx.questionnaire import PILLARS

# a clear leader and a shared lead never appear together: they share a colour
ROLE_COLOURS = {"strongest": "#009E73", "top_tie": "#009E73", "weakest": "#D55E00",
                "bottom_tie": "#D55E00", "other": BRAND}
ROLES = tuple(ROLE_COLOURS)
CELL = 26  # px per heatmap row


def ranking_chart(ranking: pd.DataFrame, axes: dict[str, str], roles: dict[str, str],
                  titles: Titles) -> TopChart:
    """Pillars as bars, highest on top, with the 95% CI and the value; the strongest and the
    weakest (or those sharing the lead or the last place) coloured (`roles`: role → legend
    text). `ranking` from `cx.pillars.pillar_ranking`."""
    data = ranking.assign(label=ranking["pillar"].map(axes),
                          role_label=ranking["role"].map(roles))
    order = data["label"].tolist()
    present = [r for r in ROLE_COLOURS if r in set(data["role"])]
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=order, title=None,
                                          axis=alt.Axis(labelLimit=220, labelFontSize=13)))
    colour = alt.Color("role_label:N", title=None, legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=[roles[r] for r in present],
                                       range=[ROLE_COLOURS[r] for r in present]))
    bars = base.mark_bar(height=24, cornerRadiusEnd=3, opacity=0.9).encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=[0, 100]), title=None), color=colour,
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", format=".1f"),
                 alt.Tooltip("low:Q", format=".1f"), alt.Tooltip("high:Q", format=".1f"),
                 alt.Tooltip("n:Q")])
    ci = base.mark_rule(color="#333333", strokeWidth=1.5).encode(x=alt.X("low:Q"),
                                                                 x2=alt.X2("high:Q"))
    text = base.mark_text(align="left", dx=6, fontSize=13, color="#1A1A1A").encode(
        x=alt.X("high:Q"), text=alt.Text("value:Q", format=".0f"))
    chart = (bars + ci + text).properties(title=titled(titles), height=alt.Step(40),
                                          width="container")
    return finish(chart, titles.lang)


def heatmap_chart(table: pd.DataFrame, axes: dict[str, str], overall: str, score_title: str,
                  titles: Titles) -> TopChart:
    """Companies (rows, best overall score first) × pillars (columns, plus the overall score),
    each cell coloured on one sequential scale and labelled with its value.

    `table` from `cx.pillars.heatmap_table`: label, pillar, value, overall, rank.
    """
    cells = table.assign(column=table["pillar"].map(axes))
    totals = table.drop_duplicates("label").assign(column=overall, value=lambda d: d["overall"])
    data = pd.concat([cells, totals], ignore_index=True)
    # the label's ink from the cell's own fill: black or white, whichever reads (4.5:1)
    data["ink"] = [ink(ramp(SEQUENTIAL, v / 100)) if pd.notna(v) else DARK_INK
                   for v in data["value"]]
    rows = table.sort_values("rank")["label"].drop_duplicates().tolist()
    columns = [overall, *(axes[p] for p in PILLARS)]
    base = alt.Chart(data).encode(
        x=alt.X("column:N", sort=columns, title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=12, labelLimit=130)),
        y=alt.Y("label:N", sort=rows, title=None, axis=alt.Axis(labelLimit=240)))
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("value:Q", title=score_title,
                        scale=alt.Scale(domain=[0, 100], range=list(SEQUENTIAL),
                                        interpolate="rgb"),
                        legend=None),  # each cell prints its score
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("column:N", title=" "),
                 alt.Tooltip("value:Q", format=".0f", title=score_title)])
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("value:Q", format=".0f"),
        color=alt.Color("ink:N", scale=None))
    chart = (rect + text).properties(title=titled(titles), width="container",
                                     height=alt.Step(CELL))
    return finish(chart, titles.lang)

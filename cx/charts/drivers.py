"""Key drivers: each driver's share of the explained variance with its bootstrap interval, and
the importance × performance matrix (Qualtrics' key-driver widget) split into four quadrants.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from cx.charts.theme import BRAND, CATEGORICAL, TopChart, finish, titled
from cx.charts.titles import Titles

# keep: green; improve: vermilion (act here); monitor: grey; over-invested: blue
# (each ≥ 3:1 on white, tests/test_contrast.py)
QUADRANT_COLOURS = {"keep": CATEGORICAL[2], "improve": CATEGORICAL[3], "monitor": "#8C8C8C",
                    "overinvested": CATEGORICAL[0]}


@dataclass(frozen=True)
class MatrixText:
    """The matrix's axis titles and its quadrants' names (code → name, in order)."""

    performance: str
    importance: str
    quadrants: tuple[tuple[str, str], ...]


def shares_chart(table: pd.DataFrame, axis: str, titles: Titles) -> TopChart:
    """Drivers as bars (largest share on top) with the 95% bootstrap interval and the value.
    `table`: label, share, low, high (in %)."""
    order = table.sort_values("share", ascending=False)["label"].tolist()
    base = alt.Chart(table).encode(y=alt.Y("label:N", sort=order, title=None,
                                           axis=alt.Axis(labelLimit=240, labelFontSize=13)))
    top = float(max(table["high"].max(), table["share"].max(), 10.0))
    bars = base.mark_bar(height=22, cornerRadiusEnd=3, color=BRAND, opacity=0.9).encode(
        x=alt.X("share:Q", title=axis, scale=alt.Scale(domain=[0, min(100.0, top * 1.1)])),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("share:Q", format=".1f"),
                 alt.Tooltip("low:Q", format=".1f"), alt.Tooltip("high:Q", format=".1f")])
    ci = base.mark_rule(color="#333333", strokeWidth=1.5).encode(x="low:Q", x2="high:Q")
    text = base.mark_text(align="left", dx=6, fontSize=13, color="#1A1A1A").encode(
        x="high:Q", text=alt.Text("share:Q", format=".0f"))
    chart = (bars + ci + text).properties(title=titled(titles), height=alt.Step(36),
                                          width="container")
    return finish(chart, titles.lang)


def matrix_chart(table: pd.DataFrame, text: MatrixText, titles: Titles) -> TopChart:
    """Performance (x, 0–100) × importance (y, share of R² in %), each driver a labelled dot
    coloured by its quadrant; the split lines at the drivers' mean performance and at an
    equal share (100/p). `table`: label, share, performance, quadrant."""
    names = dict(text.quadrants)
    # labels above and below their dots by turns along the x axis: neighbours rarely collide
    turn = table["performance"].rank(method="first").fillna(0).astype(int) % 2
    data = table.assign(quadrant_label=table["quadrant"].map(names), below=turn == 0)
    present = [q for q, _ in text.quadrants if q in set(table["quadrant"])]
    x_mid, y_mid = float(table["performance"].mean()), 100.0 / len(table)
    x = alt.X("performance:Q", title=text.performance, scale=alt.Scale(zero=False, nice=True))
    y = alt.Y("share:Q", title=text.importance, scale=alt.Scale(zero=True, nice=True))
    colour = alt.Color("quadrant_label:N", title=None,
                       legend=alt.Legend(orient="bottom", columns=2),
                       scale=alt.Scale(domain=[names[q] for q in present],
                                       range=[QUADRANT_COLOURS[q] for q in present]))
    base = alt.Chart(data).encode(x=x, y=y)
    dots = base.mark_circle(size=140, opacity=0.9).encode(
        color=colour, tooltip=[alt.Tooltip("label:N", title=" "),
                               alt.Tooltip("share:Q", format=".1f", title=text.importance),
                               alt.Tooltip("performance:Q", format=".1f",
                                           title=text.performance),
                               alt.Tooltip("quadrant_label:N", title=" ")])
    above = base.transform_filter("!datum.below").mark_text(
        align="left", dx=9, dy=-7, fontSize=12, color="#1A1A1A").encode(text="label:N")
    below = base.transform_filter("datum.below").mark_text(
        align="left", dx=9, dy=10, fontSize=12, color="#1A1A1A").encode(text="label:N")
    rules = pd.DataFrame({"x": [x_mid], "y": [y_mid]})
    vline = alt.Chart(rules).mark_rule(strokeDash=[4, 4], color="#777777").encode(x="x:Q")
    hline = alt.Chart(rules).mark_rule(strokeDash=[4, 4], color="#777777").encode(y="y:Q")
    chart = (vline + hline + dots + above + below).properties(title=titled(titles), height=380,
                                                        width="container")
    return finish(chart, titles.lang)

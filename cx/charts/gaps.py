"""A company's gap from a reference per score: a diverging bar from 0 (blue above, orange
below, grey where the test does not hold), its 95% interval as a whisker and its value with the
interval written at the bar's end. Pure: Altair, no Streamlit.

As for the radar (`cx.charts.radar`), the spec is built with Altair once per language, axis
title and size, and each company's chart only fills in its rows and its scale: building the
layers through Altair for every company picked costs tens of milliseconds.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any, cast

import altair as alt
import pandas as pd

from cx.charts.theme import BRAND, CATEGORICAL, Spec, finish, titled
from cx.charts.titles import Titles

SIDES = ("above", "below", "in_line", "untested")
COLOURS = (BRAND, CATEGORICAL[3], "#6E6E6E", "#949494")  # each ≥ 3:1 on white
GAPS = "gaps"
ROW_HEIGHT = 34
COLUMNS = ["name", "estimate", "low", "high", "side", "label", "verdict"]


def _scale() -> alt.Scale:
    return alt.Scale(domain=[-10.0, 10.0], nice=False)  # each chart sets its own domain


@lru_cache(maxsize=16)
def _template(axis_title: str, value_title: str, width: int, lang: str) -> str:
    """The chart's spec without its rows, as JSON (copied for each chart)."""
    scale = _scale()
    y = alt.Y("name:N", sort=None, title=None, axis=alt.Axis(labelLimit=180, ticks=False,
                                                             domain=False))
    base = alt.Chart(alt.NamedData(name=GAPS)).encode(y=y, tooltip=[
        alt.Tooltip("name:N", title=" "), alt.Tooltip("label:N", title=value_title),
        alt.Tooltip("verdict:N", title=" ")])
    bars = base.mark_bar(height={"band": 0.6}).encode(
        x=alt.X("estimate:Q", scale=scale, title=axis_title), x2=alt.datum(0),
        color=alt.Color("side:N", legend=None,
                        scale=alt.Scale(domain=list(SIDES), range=list(COLOURS))))
    whiskers = base.mark_rule(color="#1A1A1A", strokeWidth=1.5).encode(
        x=alt.X("low:Q", scale=scale), x2="high:Q")
    labels = base.mark_text(align="left", dx=5, fontSize=11, color="#1A1A1A").encode(
        x=alt.X("high:Q", scale=scale), text="label:N")
    zero = alt.Chart(alt.InlineData(values=[{"x": 0.0}])).mark_rule(color="#404040").encode(
        x=alt.X("x:Q", scale=scale))
    # autosize "pad" keeps the view's width × height (Streamlit's default "fit" squeezes the
    # rows together, as for the pyramid)
    chart = alt.layer(bars, whiskers, labels, zero).properties(
        width=width, autosize=alt.AutoSizeParams(type="pad", contains="padding"))
    return json.dumps(finish(chart, lang).to_dict())


def _records(gaps: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], gaps[COLUMNS].to_dict("records"))


def gap_chart(gaps: pd.DataFrame, axis_title: str, titles: Titles, width: int = 420) -> Spec:
    """The Vega-Lite spec of `gaps` (name, estimate, low, high, side, label — the value and
    interval as text — and verdict, the side in words), one row per score in the given order.
    The axis is symmetric around 0 with room for the labels."""
    spec: Spec = copy.deepcopy(json.loads(_template(axis_title, titles.subtitle, width,
                                                    titles.lang)))
    reach = max(float(gaps[["low", "high"]].abs().max().max()), 5.0) if len(gaps) else 10.0
    domain = [-reach * 1.6, reach * 1.6]
    rows = _records(gaps)
    for layer in spec["layer"]:
        if layer.get("data", {}).get("name") == GAPS:
            layer["data"] = {"values": rows}
        layer["encoding"]["x"]["scale"]["domain"] = domain
        if "y" in layer["encoding"]:
            layer["encoding"]["y"]["sort"] = list(gaps["name"])
    spec.pop("datasets", None)
    spec["height"] = max(len(gaps), 1) * ROW_HEIGHT
    spec["title"] = titled(titles).to_dict()
    return spec

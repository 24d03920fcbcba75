"""No redundant legends: a colour gradient beside bars or cells that already print their value
(or whose colour repeats the axis) says nothing more. The main charts' built specs carry no
gradient legend."""

from typing import Any

import pandas as pd
import pytest

from cx import charts
from cx.charts import pillars
from cx.charts.pyramid import PyramidLayout, pyramid_chart
from cx.charts.titles import Titles
from cx.questionnaire import PILLARS
from cx.scorecard.figures import tier_labels
from tests.test_results_charts import all_charts

COLOUR_CHANNELS = {"color", "fill", "stroke", "opacity", "fillOpacity"}


def gradient_legends(spec: Any, channel: str = "") -> list[str]:
    """The channels of `spec` (anywhere in it: layers, facets, conditions) that would draw a
    gradient legend: a quantitative colour encoding whose legend is not switched off."""
    found = []
    if isinstance(spec, dict):
        if (channel in COLOUR_CHANNELS and spec.get("type") == "quantitative"
                and "field" in spec and spec.get("legend", {}) is not None
                and spec.get("scale", {}) is not None):
            found.append(channel)
        for key, value in spec.items():
            found += gradient_legends(value, key if key in COLOUR_CHANNELS else channel
                                      if key == "condition" else key)
    elif isinstance(spec, list):
        for item in spec:
            found += gradient_legends(item, channel)
    return found


def test_the_scan_finds_a_gradient_legend():
    # the scan itself: Altair's default for a quantitative colour is a gradient legend
    import altair as alt

    data = pd.DataFrame({"x": [1, 2], "v": [0.1, 0.9]})
    with_legend = alt.Chart(data).mark_bar().encode(x="x:Q", color="v:Q").to_dict()
    without = alt.Chart(data).mark_bar().encode(
        x="x:Q", color=alt.Color("v:Q", legend=None)).to_dict()
    nominal = alt.Chart(data).mark_bar().encode(x="x:Q", color="x:N").to_dict()
    assert gradient_legends(with_legend) == ["color"]
    assert gradient_legends(without) == [] and gradient_legends(nominal) == []


def _main_charts() -> dict[str, Any]:
    stages = pd.DataFrame({"stage": ["a", "b"], "count": [3, 7], "pct": [30.0, 70.0],
                           "shown": [30.0, 70.0]})
    levels = pd.DataFrame({"panel": "club", "level": ["needs", "ease", "enjoyment"],
                           "value": [70.0, 60.0, 50.0], "low": [65.0, 55.0, 45.0],
                           "high": [75.0, 65.0, 55.0], "n": 120, "suppressed": False})
    scores = pd.DataFrame([{"label": f"AZ-{i}", "pillar": p, "value": 40.0 + 5 * i + j,
                            "overall": 45.0 + 5 * i, "rank": i}
                           for i in range(3) for j, p in enumerate(PILLARS)])
    built = {name: chart.to_dict() for name, chart in all_charts().items()}
    return {**built,
            "stages": charts.stage_chart(stages, {"a": "A", "b": "B"},
                                         Titles("S", "n", "it")).to_dict(),
            "pyramid": pyramid_chart(levels, tier_labels("it", 5), Titles("P", "n", "it"),
                                     PyramidLayout()),
            "pillars_heatmap": pillars.heatmap_chart(
                scores, {p: p for p in PILLARS}, "Totale", "Punteggio",
                Titles("H", "n", "it")).to_dict()}


@pytest.mark.parametrize("name,spec", list(_main_charts().items()))
def test_main_charts_have_no_gradient_legend(name, spec):
    assert gradient_legends(spec) == [], name

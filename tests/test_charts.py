"""Overview chart builders, checked through their (schema-validated) Vega-Lite specs."""

import pandas as pd
import pytest

from cx import charts
from cx.charts.theme import CATEGORICAL
from cx.charts.titles import Titles

STAGES = pd.DataFrame({"stage": ["iniziale", "definita"], "count": [3, 7], "pct": [30.0, 70.0],
                       "shown": [30.0, 70.0]})
PROFILE = pd.DataFrame({"measure": ["pyramid_needs", "pyramid_ease"], "value": [60.0, 40.0],
                        "low": [55.0, 35.0], "high": [65.0, 45.0], "n": [10, 10],
                        "suppressed": [False, False]})


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


@pytest.mark.parametrize("lang,decimal", [("it", ","), ("en", ".")])
def test_stage_chart_spec(lang, decimal):
    spec = charts.stage_chart(STAGES, {"iniziale": "Iniziale", "definita": "Definita"},
                              Titles("Stadi", "n = 10", lang)).to_dict()  # validates
    bars, text = _layers(spec)
    assert bars["mark"]["type"] == "bar" and text["mark"]["type"] == "text"
    assert bars["encoding"]["y"]["sort"] == ["Iniziale", "Definita"], "stages in their order"
    assert bars["encoding"]["x"]["axis"]["format"] == ".0%"
    assert spec["title"]["text"] == "Stadi" and spec["title"]["subtitle"] == "n = 10"
    assert spec["config"]["locale"]["number"]["decimal"] == decimal


def test_profile_chart_hides_suppressed_measures_and_draws_the_ci():
    data = pd.concat([PROFILE, PROFILE.assign(measure="pyramid_enjoyment", suppressed=True)])
    spec = charts.profile_chart(data, {m: m for m in data["measure"]},
                                Titles("P", "n", "it")).to_dict()
    bars, ci, _ = _layers(spec)
    values = spec["datasets"][spec["data"]["name"]] if "data" in spec else None
    shown = {row["measure"] for row in values} if values else set()
    assert shown == {"pyramid_needs", "pyramid_ease"}
    assert ci["mark"]["type"] == "rule" and ci["encoding"]["x2"]["field"] == "high"
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 100]


def test_palette_keeps_okabe_itos_hues():
    # blue and bluish green as they are; orange deepened to 3:1 on white (tests/test_contrast.py)
    assert CATEGORICAL[:3] == ("#0072B2", "#C98500", "#009E73")


def test_cached_spec_path_gives_the_same_spec():
    chart = charts.stage_chart(STAGES, {"iniziale": "I", "definita": "D"}, Titles("S", "n", "it"))
    assert charts.spec(chart, validate=False) == chart.to_dict()


def test_what_charts_take_is_hashable_and_frozen():
    """widgets.spec caches a chart on its arguments: the values they travel in must hash."""
    from dataclasses import FrozenInstanceError

    from cx.charts.personas import MapText
    from cx.charts.pyramid import PyramidLayout, TierLabels
    from cx.charts.radar import RadarStyle

    values = [Titles("T", "s", "it"), TierLabels((("needs", "Bisogni"),), "Punteggio", 5),
              PyramidLayout((("a", "A"),), columns=2), RadarStyle(),
              MapText(("P1",), (("label", "Persona"),), ("x", "y"))]
    assert len({hash(v) for v in values}) == len(values)
    with pytest.raises(FrozenInstanceError):
        values[0].lang = "en"

"""WCAG 2.2 AA contrast of every colour the charts and the frame use: text ≥ 4.5:1 on white,
marks ≥ 3:1 on white (non-text contrast), labels on a fill in the ink that reads on it."""

import numpy as np
import pandas as pd
import pytest

from cx import charts
from cx.charts import comparisons, drivers, gaps, pillars, radar, trends
from cx.charts.results import DARK_TEXT, NPS_COLOURS
from cx.charts.theme import (
    ACCENT,
    AXIS_TEXT,
    BRAND,
    CATEGORICAL,
    DIVERGING,
    MUTED_TEXT,
    ORDERED,
    SEQUENTIAL,
    contrast,
    ink,
    luminance,
    ramp,
)
from cx.charts.titles import Titles
from cx.ui.streamlit_labels import CAPTION_TEXT, LINK_TEXT

TEXT = {"axis labels and titles": AXIS_TEXT, "subtitles": MUTED_TEXT, "chart labels": DARK_TEXT,
        "captions": CAPTION_TEXT, "caption links": LINK_TEXT}
MARKS = {**{f"categorical {i}": c for i, c in enumerate(CATEGORICAL)},
         **{f"ordered {i}": c for i, c in enumerate(ORDERED)},
         **{f"diverging {i}": c for i, c in enumerate(DIVERGING)},
         **{f"quadrant {k}": c for k, c in drivers.QUADRANT_COLOURS.items()},
         **{f"gap {i}": c for i, c in enumerate(gaps.COLOURS)},
         **{f"nps {k}": c for k, c in NPS_COLOURS.items()},
         **{f"radar {k}": style[0] for k, style in radar.STYLE.items()},
         **{f"pillar {k}": c for k, c in pillars.ROLE_COLOURS.items()},
         "brand": BRAND, "accent": ACCENT}
# stacked bars print their shares on these fills
LABELLED_FILLS = {**{f"categorical {i}": c for i, c in enumerate(CATEGORICAL)},
                  **{f"ordered {i}": c for i, c in enumerate(ORDERED)},
                  **{f"diverging {i}": c for i, c in enumerate(DIVERGING)}}


def test_contrast_matches_hand_computed_ratios():
    # WCAG's formula by hand: white L = 1, black L = 0 → (1 + 0.05) / (0 + 0.05) = 21;
    # #777777: c = 119/255 = 0.4667 → ((0.4667 + 0.055) / 1.055) ** 2.4 = 0.1845
    # → 1.05 / 0.2345 = 4.478 (the classic «just under 4.5» grey)
    assert contrast("#000000") == pytest.approx(21.0)
    assert luminance("#777777") == pytest.approx(0.1845, abs=1e-4)
    assert contrast("#777777") == pytest.approx(4.478, abs=1e-3)
    assert contrast("#777777", "#777777") == pytest.approx(1.0)
    assert contrast("#FFFFFF", "#000000") == contrast("#000000", "#FFFFFF")
    # the measurements: Vega's default axis grey and the old first stage colour
    assert contrast("#888888") == pytest.approx(3.54, abs=0.01)
    assert contrast("#DEEBF7") == pytest.approx(1.2, abs=0.05)


def test_ramp_mixes_in_rgb():
    assert ramp(("#000000", "#FFFFFF"), 0.0) == "#000000"
    assert ramp(("#000000", "#FFFFFF"), 1.0) == "#FFFFFF"
    assert ramp(("#000000", "#FFFFFF"), 0.5) == "#808080"  # 127.5 rounds to 128
    # three stops: 0.75 is half-way between the second and the third
    assert ramp(("#000000", "#FF0000", "#FFFF00"), 0.75) == "#FF8000"


@pytest.mark.parametrize("name,colour", list(TEXT.items()))
def test_text_colours_reach_4_5_on_white(name, colour):
    assert contrast(colour) >= 4.5, f"{name} {colour}: {contrast(colour):.2f}:1"


@pytest.mark.parametrize("name,colour", list(MARKS.items()))
def test_mark_colours_reach_3_on_white(name, colour):
    assert contrast(colour) >= 3.0, f"{name} {colour}: {contrast(colour):.2f}:1"


@pytest.mark.parametrize("name,colour", list(LABELLED_FILLS.items()))
def test_labels_on_fills_reach_4_5(name, colour):
    assert contrast(colour, ink(colour)) >= 4.5, name


def test_ordered_palette_runs_light_to_dark():
    lights = [luminance(c) for c in ORDERED]
    assert lights == sorted(lights, reverse=True) and len(set(lights)) == len(lights)


@pytest.mark.parametrize("stops", [SEQUENTIAL, comparisons.HEAT], ids=["pillars", "heatmap"])
def test_heatmap_labels_reach_4_5_on_every_fill(stops):
    for position in np.linspace(0, 1, 201):
        fill = ramp(stops, float(position))
        assert contrast(fill, ink(fill)) >= 4.5, (position, fill)


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def test_built_charts_use_the_readable_colours():
    stages = pd.DataFrame({"stage": list("abcde"), "count": [1, 2, 3, 2, 1],
                           "pct": [11.1, 22.2, 33.3, 22.2, 11.1],
                           "shown": [11.0, 22.0, 33.0, 22.0, 12.0]})
    spec = charts.stage_chart(stages, {s: s.upper() for s in "abcde"},
                              Titles("S", "n", "it")).to_dict()
    assert spec["config"]["axis"]["labelColor"] == AXIS_TEXT
    assert spec["config"]["legend"]["labelColor"] == AXIS_TEXT
    bars = _layers(spec)[0]
    assert all(contrast(c) >= 3 for c in bars["encoding"]["color"]["scale"]["range"])

    table = pd.DataFrame({"wave": [2024, 2025, 2026] * 2, "series": ["a"] * 3 + ["b"] * 3,
                          "series_label": ["A"] * 3 + ["B"] * 3,
                          "value": [0.2, 0.3, 0.4, 0.8, 0.7, 0.6], "low": [0.1] * 6,
                          "high": [0.9] * 6, "n": [50] * 6})
    _, dots, text = _layers(trends.trend_chart(table, "share", Titles("Q", "n", "it")).to_dict())
    assert all(contrast(c) >= 3 for c in dots["encoding"]["color"]["scale"]["range"])
    assert contrast(text["encoding"]["color"]["value"]) >= 4.5, "earlier waves' labels"

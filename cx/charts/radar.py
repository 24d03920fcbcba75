"""The Six Pillars radar: six translated axes, grid rings with their values, a company's polygon
over the Club's median polygon and interquartile band, plus its sector's median. Square, the
legend below. Vertices are computed here (Vega-Lite has no polar lines) and drawn as closed
lines (`interpolate="linear-closed"`) with a fill.

The chart's structure (grid, axis names, styles) is built with Altair once per language, axes
and size, with named datasets; each call only fills in the data. Building the dozen layers
through Altair on every call is too slow for picking another company (bench/scorecard.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, TypeVar, cast

import altair as alt
import numpy as np
import pandas as pd
from altair.utils.schemapi import SchemaBase

from cx.charts.theme import ACCENT, BRAND, Spec, finish, titled
from cx.charts.titles import Titles
from cx.questionnaire import PILLARS

Channel = TypeVar("Channel", bound=SchemaBase)
Align = Literal["left", "center", "right"]
Baseline = Literal["top", "middle", "bottom"]
Records = list[dict[str, Any]]  # a named dataset's rows, JSON-ready

RADAR_SIZE = 420
DOMAIN = 1.62  # half the view's width in radius units: room for the axis names on the sides
TOP = 1.3  # the view's top edge: the rest of the square, below the radar, holds the legend
LABELS_BOTTOM = -1.27  # the lowest point of the axis names, in radius units
RINGS = (20, 40, 60, 80, 100)
LABEL_RADIUS = 1.1
# kind → (stroke colour, fill, dash, stroke width); Okabe–Ito blue and orange, greys
STYLE = {
    "band": ("#949494", "rgba(160,160,160,0.35)", [1, 0], 1.0),  # edge 3:1 on white
    "club": ("#404040", "rgba(0,0,0,0)", [6, 4], 2.0),
    "sector": (ACCENT, "rgba(0,0,0,0)", [8, 3], 2.5),
    "company": (BRAND, "rgba(11,79,138,0.18)", [1, 0], 3.0),
}
DRAW_ORDER = ("band", "club", "sector", "company")
LEGEND_ORDER = ("company", "sector", "club", "band")
PAD = alt.AutoSizeParams(type="pad", contains="padding")
POLYGONS, POINTS, LEGEND = "radar_polygons", "radar_points", "radar_legend"


@dataclass(frozen=True)
class RadarStyle:
    """The radar's side (px; the square holds the legend too) and the title of the company's
    values in their tooltips."""

    size: int = RADAR_SIZE
    value_title: str = "0–100"


def angle(pillar: str) -> float:
    """The axis angle of a pillar: 0 at 12 o'clock, clockwise."""
    return PILLARS.index(pillar) * 2 * np.pi / len(PILLARS)


def radar_points(frame: pd.DataFrame, column: str = "value") -> pd.DataFrame:
    """Cartesian vertices of a profile (`pillar`, 0–100 `column`), in axis order."""
    order = np.array([PILLARS.index(p) for p in frame["pillar"]])
    out = frame.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    theta = np.sort(order) * 2 * np.pi / len(PILLARS)
    r = out[column].to_numpy(dtype=float) / 100
    out["order"], out["x"], out["y"] = np.sort(order), r * np.sin(theta), r * np.cos(theta)
    return out


def band_ring(band: pd.DataFrame) -> pd.DataFrame:
    """The interquartile band as one closed ring: the Q3 polygon clockwise, then the Q1 polygon
    counter-clockwise, so the fill leaves the inside of Q1 empty (non-zero winding)."""
    outer = radar_points(band, "high")[["pillar", "x", "y"]]
    inner = radar_points(band, "low")[["pillar", "x", "y"]]
    path = pd.concat([outer, outer.iloc[[0]], inner.iloc[[0]], inner.iloc[:0:-1],
                      inner.iloc[[0]]], ignore_index=True)
    return path.assign(order=range(len(path)))


def _scale(axis: str) -> alt.Scale:
    """Equal units on both axes (a square view), so circles stay circles."""
    domain = [-DOMAIN, DOMAIN] if axis == "x" else [TOP - 2 * DOMAIN, TOP]
    return alt.Scale(domain=domain, nice=False, zero=False)


def _xy(x: str = "x", y: str = "y") -> tuple[alt.X, alt.Y]:
    return (alt.X(f"{x}:Q", scale=_scale("x"), axis=None),
            alt.Y(f"{y}:Q", scale=_scale("y"), axis=None))


def _by_kind(channel: Callable[..., Channel], index: int) -> Channel:
    """A channel (colour, dash, fill, width) that maps each kind to its style, no legend."""
    return channel("kind:N", legend=None, scale=alt.Scale(
        domain=list(DRAW_ORDER), range=[STYLE[k][index] for k in DRAW_ORDER]))


def _grid(axes: tuple[tuple[str, str], ...]) -> list[alt.Chart]:
    rings = pd.concat([radar_points(pd.DataFrame({"pillar": PILLARS, "value": v})).assign(ring=v)
                       for v in RINGS], ignore_index=True)
    spokes = radar_points(pd.DataFrame({"pillar": PILLARS, "value": 100})).assign(x0=0.0, y0=0.0)
    names = radar_points(pd.DataFrame({"pillar": PILLARS, "value": LABEL_RADIUS * 100}))
    names["label"] = names["pillar"].map(dict(axes))
    names["align"] = np.select([names["x"] > 0.05, names["x"] < -0.05], ["left", "right"],
                               "center")
    names["baseline"] = np.select([names["y"] > 0.9, names["y"] < -0.9], ["bottom", "top"],
                                  "middle")
    x, y = _xy()
    grid = [
        alt.Chart(rings).mark_line(interpolate="linear-closed", color="#D0D0D0",
                                   strokeWidth=1).encode(x, y, order="order:Q", detail="ring:N"),
        alt.Chart(spokes).mark_rule(color="#D0D0D0").encode(*_xy("x0", "y0"), x2="x:Q",
                                                           y2="y:Q"),
    ]
    for key, group in names.groupby(["align", "baseline"]):
        align, baseline = cast(tuple[Align, Baseline], key)  # np.select's choices above
        grid.append(alt.Chart(group).mark_text(align=align, baseline=baseline, fontSize=14,
                                               fontWeight="bold", color="#1A1A1A")
                    .encode(x, y, text="label:N"))
    return grid


def _ring_values() -> list[alt.Chart]:
    """The rings' values on the top axis, over the polygons, with a white halo."""
    ticks = pd.DataFrame({"x": 0.0, "y": [v / 100 for v in RINGS], "text": [str(v) for v in RINGS]})
    base = alt.Chart(ticks).encode(*_xy(), text="text:N")
    halo = base.mark_text(align="left", dx=4, dy=-7, fontSize=11, stroke="white",
                          strokeWidth=3, strokeJoin="round", color="white")
    return [halo, base.mark_text(align="left", dx=4, dy=-7, fontSize=11, color="#666666")]


def _data_layers(value_title: str, size: int) -> list[alt.Chart]:
    polygons = alt.Chart(alt.NamedData(name=POLYGONS)).mark_line(
        interpolate="linear-closed").encode(
        *_xy(), order="order:Q", detail="kind:N", stroke=_by_kind(alt.Stroke, 0),
        fill=_by_kind(alt.Fill, 1), strokeDash=_by_kind(alt.StrokeDash, 2),
        strokeWidth=_by_kind(alt.StrokeWidth, 3))
    # every profile's vertices carry its values on hover (the company's drawn larger)
    points = alt.Chart(alt.NamedData(name=POINTS)).mark_point(filled=True, opacity=1).encode(
        *_xy(), color=_by_kind(alt.Color, 0),
        size=alt.Size("size:Q", legend=None, scale=None),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("axis:N", title=" "),
                 alt.Tooltip("value:Q", format=".0f", title=value_title)])
    legend = alt.Chart(alt.NamedData(name=LEGEND))
    keys = legend.mark_rule().encode(
        *_xy("x0"), x2="x1:Q", stroke=_by_kind(alt.Stroke, 0),
        strokeDash=_by_kind(alt.StrokeDash, 2),
        strokeWidth=alt.StrokeWidth("width:Q", legend=None, scale=None))
    limit = int((DOMAIN - 0.4) * size / (2 * DOMAIN))  # px: a long name ends in "…"
    text = legend.mark_text(align="left", fontSize=13, color="#1A1A1A", limit=limit).encode(
        *_xy("tx"), text="name:N")
    return [polygons, points, keys, text]


def _inline(spec: Spec, datasets: dict[str, Records]) -> Spec:
    """Put each layer's data inside the layer. Small inline data stays in the spec; top-level
    datasets would each be converted to Arrow by Streamlit on every run."""
    for layer in spec["layer"]:
        name = layer.get("data", {}).get("name")
        if name in datasets:
            layer["data"] = {"values": datasets[name]}
    return spec


@lru_cache(maxsize=16)
def _template(axes: tuple[tuple[str, str], ...], size: int, lang: str, value_title: str) -> str:
    """The radar's spec without its data, as JSON (copied for each chart)."""
    layers = [*_grid(axes), *_data_layers(value_title, size), *_ring_values()]
    chart = alt.layer(*layers).properties(width=size, height=size, autosize=PAD)
    spec = finish(chart, lang).to_dict()
    return json.dumps(_inline(spec, spec.pop("datasets")))


def radar_frame(pieces: dict[str, pd.DataFrame], names: dict[str, str]) -> pd.DataFrame:
    """Every polygon's vertices in one frame, in drawing order: kind, name, order, x, y."""
    frames = []
    for kind in DRAW_ORDER:
        if kind not in pieces:
            continue
        points = band_ring(pieces[kind]) if kind == "band" else radar_points(pieces[kind])
        frames.append(points.assign(kind=kind, name=names[kind]))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["kind", "name", "pillar", "order", "x", "y", "value"])


def legend_rows(kinds: list[str], names: dict[str, str]) -> Records:
    """The legend, drawn with marks in the empty bottom of the square in two columns (the app
    and the exported files then place it alike)."""
    rows = []
    for i, kind in enumerate(kinds):
        x0 = -DOMAIN + 0.04 if i % 2 == 0 else 0.08
        rows.append({"kind": kind, "name": names[kind], "x0": x0, "x1": x0 + 0.24,
                     "tx": x0 + 0.32, "y": LABELS_BOTTOM - 0.2 - (i // 2) * 0.22,
                     "width": 8.0 if kind == "band" else max(STYLE[kind][3], 3.0)})
    return rows


def _records(frame: pd.DataFrame, columns: list[str]) -> Records:
    # plain Python numbers: JSON-ready; the keys are the `columns` (pandas types them Hashable)
    return cast(Records, frame[columns].to_dict("records"))


def radar_chart(pieces: dict[str, pd.DataFrame], names: dict[str, str], axes: dict[str, str],
                titles: Titles, style: RadarStyle = RadarStyle()) -> Spec:
    """The Vega-Lite spec of a square radar of the `pieces` from `cx.pillars.radar_profiles`.

    `names`: kind → legend text (company label, "Mediana del Club", …); `axes`: pillar → name.
    """
    spec: Spec = json.loads(_template(tuple(axes.items()), style.size, titles.lang,
                                      style.value_title))
    polygons = radar_frame(pieces, names)
    profiles = polygons[polygons["kind"] != "band"]
    profiles = profiles.assign(axis=profiles["pillar"].map(axes),
                               size=(profiles["kind"] == "company") * 40.0 + 20.0)
    _inline(spec, {
        POLYGONS: _records(polygons, ["kind", "name", "order", "x", "y"]),
        POINTS: _records(profiles, ["kind", "name", "axis", "value", "size", "x", "y"]),
        LEGEND: legend_rows([k for k in LEGEND_ORDER if k in pieces], names),
    })
    spec["title"] = titled(titles).to_dict()
    return spec


def legend_values(pieces: dict[str, pd.DataFrame], names: dict[str, str],
                  axes: dict[str, str]) -> list[str]:
    """Each profile's values in words, for a legend that lists them (the PDF):
    'AZ-007: Personalizzazione 62 · Integrità 58 · …'; the band as its quartiles."""
    lines = []
    for kind in LEGEND_ORDER:
        if kind not in pieces:
            continue
        frame = pieces[kind].set_index("pillar")
        if kind == "band":
            low, high = frame["low"].astype(float), frame["high"].astype(float)
            values = [f"{axes[p]} {low[p]:.0f}–{high[p]:.0f}" for p in PILLARS
                      if p in frame.index]
        else:
            value = frame["value"].astype(float)
            values = [f"{axes[p]} {value[p]:.0f}" for p in PILLARS if p in frame.index]
        lines.append(f"{names[kind]}: " + " · ".join(values))
    return lines

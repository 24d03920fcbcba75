"""The CX pyramid as a real pyramid: three stacked trapezoids (needs at the base, enjoyment on
top) coloured by score on one sequential scale, each labelled with score, n and 95% CI.
Several panels (segments; a company, its sector, the Club) become small multiples.

The structure is built with Altair once per language and layout (a named dataset stands for
the data); each call fills in the tiers, since building it through Altair on every call is
too slow for a rerun (figure in bench/scorecard.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from cx import fmt
from cx.charts.theme import DARK_INK, LIGHT_INK, SEQUENTIAL, Spec, finish, ink, ramp, titled
from cx.charts.titles import Titles
from cx.i18n import t
from cx.questionnaire import PYRAMID_LEVELS

TOP_HALF_WIDTH = 0.3  # the top is cut: three trapezoids, not two and a triangle
GAP = 0.05  # vertical gap between tiers, in tier heights
LABEL_X = 1.12  # where the level names and n/CI start, right of the base
X_DOMAIN = (-1.02, 2.75)
PANEL_WIDTH, PANEL_HEIGHT = 380, 250
SUPPRESSED_FILL = "#E6E6E6"
TIERS = "pyramid_tiers"


@dataclass(frozen=True)
class TierLabels:
    """What the tiers say: each level's name (level → name), the score's title (legend and
    tooltip), and the k that a tier of fewer respondents cites instead of its score."""

    names: tuple[tuple[str, str], ...]
    score_title: str
    k: int


@dataclass(frozen=True)
class PyramidLayout:
    """One pyramid (no `panels`), or one per panel (code, title) in that order, in rows of
    `columns`; each `width` × `height` px."""

    panels: tuple[tuple[str, str], ...] | None = None
    columns: int = 3
    width: int = PANEL_WIDTH
    height: int = PANEL_HEIGHT


def half_width(y: float | np.ndarray) -> float | np.ndarray:
    """Half the pyramid's width at height y (0 = base, 3 = top)."""
    return 1.0 - (1.0 - TOP_HALF_WIDTH) * np.asarray(y) / len(PYRAMID_LEVELS)


def _label_lines(row: pd.Series, lang: str, k: int) -> tuple[str, str]:
    if row["suppressed"] or pd.isna(row["value"]):
        # fewer than k respondents means fewer than k companies too
        return "–", t("pyramid.too_few", lang, k=k)
    n = fmt.number(row["n"], lang)
    if pd.isna(row["low"]) or pd.isna(row["high"]):
        return fmt.number(row["value"], lang), t("app.n_only", lang, n=n)
    ci = fmt.interval(max(row["low"], 0.0), min(row["high"], 100.0), lang)
    return fmt.number(row["value"], lang), t("app.n_ci", lang, n=n, ci=ci)


def pyramid_vertices(levels: pd.DataFrame, names: dict[str, str], lang: str,
                     k: int) -> pd.DataFrame:
    """Four vertices per tier (bottom-left, bottom-right, top-right, top-left) with the tier's
    labels; `panel`, `level`, `value`, `low`, `high`, `n`, `suppressed` in."""
    rows = []
    for _, row in levels.iterrows():
        i = PYRAMID_LEVELS.index(row["level"])
        y0, y1 = i + GAP / 2, i + 1 - GAP / 2
        w0, w1 = float(half_width(y0)), float(half_width(y1))
        score, detail = _label_lines(row, lang, k)
        shown = not row["suppressed"] and pd.notna(row["value"])
        common = {"panel": row["panel"], "level": row["level"], "name": names[row["level"]],
                  "score": float(row["value"]) if shown else None, "score_text": score,
                  "detail": detail, "mid_y": i + 0.5, "edge_x": float(half_width(i + 0.5)),
                  "dark": bool(shown and ink(ramp(SEQUENTIAL, row["value"] / 100)) == LIGHT_INK)}
        for vertex, (x, y) in enumerate(((-w0, y0), (w0, y0), (w1, y1), (-w1, y1))):
            rows.append({**common, "vertex": vertex, "x": x, "y": y})
    return pd.DataFrame(rows)


def _layers(score_title: str) -> list[alt.Chart]:
    x = alt.X("x:Q", scale=alt.Scale(domain=list(X_DOMAIN), nice=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[0, len(PYRAMID_LEVELS)], nice=False), axis=None)
    base = alt.Chart()
    colour = alt.Color("score:Q", title=score_title,
                       scale=alt.Scale(domain=[0, 100], range=list(SEQUENTIAL), interpolate="rgb"),
                       legend=None)  # each tier prints its score
    # invalid="show": a suppressed tier (score null) is still drawn, in grey
    tiers = base.mark_line(interpolate="linear-closed", stroke="white", strokeWidth=1,
                           invalid="show").encode(
        x=x, y=y, order=alt.Order("vertex:Q"), detail="level:N",
        fill=alt.condition("datum.score == null", alt.value(SUPPRESSED_FILL), colour),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("score_text:N", title=score_title),
                 alt.Tooltip("detail:N", title=" ")])
    labels = base.transform_filter("datum.vertex == 0")
    score = labels.mark_text(fontSize=20, fontWeight="bold").encode(
        x=alt.datum(0), y=alt.Y("mid_y:Q"), text="score_text:N",
        color=alt.condition("datum.dark", alt.value(LIGHT_INK), alt.value(DARK_INK)))
    leader = labels.mark_rule(color="#8C8C8C", strokeDash=[2, 2]).encode(
        x=alt.X("edge_x:Q"), x2=alt.datum(LABEL_X - 0.04), y=alt.Y("mid_y:Q"))
    name = labels.mark_text(align="left", dy=-9, fontSize=14, fontWeight="bold",
                            color="#1A1A1A").encode(x=alt.datum(LABEL_X), y="mid_y:Q",
                                                    text="name:N")
    detail = labels.mark_text(align="left", dy=9, fontSize=11, color="#555555").encode(
        x=alt.datum(LABEL_X), y="mid_y:Q", text="detail:N")
    return [tiers, leader, score, name, detail]


@lru_cache(maxsize=32)
def _template(lang: str, score_title: str, width: int, height: int,
              columns: int | None) -> str:
    """The pyramid's spec without its data, as JSON: one pyramid, or small multiples in
    `columns` columns. Built through Altair once, copied for each chart."""
    layered = alt.layer(*_layers(score_title), data=alt.NamedData(name=TIERS)).properties(
        width=width, height=height)
    if columns is None:
        # autosize "pad" keeps the view width × height (Streamlit's default "fit" squeezes
        # the title and legend into that box too)
        chart = layered.properties(autosize=alt.AutoSizeParams(type="pad", contains="padding"))
    else:
        chart = layered.facet(
            facet=alt.Facet("panel_title:N", title=None, header=alt.Header(
                labelFontSize=15, labelFontWeight="bold", labelAnchor="start",
                labelColor="#1A1A1A")),
            columns=columns, spacing={"row": 24, "column": 16})
    return json.dumps(finish(chart, lang).to_dict())


def pyramid_chart(levels: pd.DataFrame, labels: TierLabels, titles: Titles,
                  layout: PyramidLayout = PyramidLayout()) -> Spec:
    """The Vega-Lite spec of one pyramid, or of one per panel side by side.

    `levels`: panel, level, value, low, high, n, suppressed (one row per panel and level).
    """
    lang = titles.lang
    data = pyramid_vertices(levels, dict(labels.names), lang, labels.k)
    panels = None if layout.panels is None else dict(layout.panels)
    spec: Spec = json.loads(_template(lang, labels.score_title, layout.width, layout.height,
                                      None if panels is None else layout.columns))
    if panels is not None:
        data["panel_title"] = data["panel"].map(panels)
        present = set(data["panel"])
        spec["facet"]["sort"] = [panels[p] for p in panels if p in present]
    # NaN is not JSON: a suppressed tier's score goes out as null
    spec.setdefault("datasets", {})[TIERS] = data.astype(object).where(data.notna(), None).to_dict(
        "records")
    spec["title"] = titled(titles).to_dict()
    return spec

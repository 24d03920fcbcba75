"""One look for every chart: colour-blind-safe palettes, Italian or English number locale."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Literal, TypeAlias, TypeVar

import altair as alt
import vl_convert as vlc
from altair.utils import schemapi
from altair.utils.schemapi import SchemaBase

from cx.charts.titles import Titles
from cx.i18n import catalogue, t

# Okabe–Ito's hues (distinguishable with every common colour-vision deficiency), the light
# ones deepened to 3:1 against white (WCAG 2.2 non-text contrast), orange kept lighter than
# vermilion so that the two still differ in lightness. tests/test_contrast.py checks them.
CATEGORICAL = ("#0072B2", "#C98500", "#009E73", "#B04A00", "#CC79A7", "#4A90C8", "#8F8500",
               "#000000")
# Ordered marks (maturity stages, waves, ordered answers): light to dark, each ≥ 3:1 on white.
ORDERED = ("#4A90C8", "#2B6FB0", "#1A5A9A", "#104582", "#08306B")
# Heatmap fills: every cell prints its value (the text, not the fill, carries it), so the
# lightest end may be paler than 3:1; labels take the ink that reads on the fill (ink()).
SEQUENTIAL = ("#DEEBF7", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C")
DIVERGING = ("#B2182B", "#DD6F5A", "#8C8C8C", "#4A90C8", "#2166AC")
BRAND = "#0B4F8A"
ACCENT = "#C98500"
# Text on white: ≥ 4.5:1. Vega's defaults (axis labels #888888, 3.5:1) are too light.
AXIS_TEXT = "#4D4D4D"
MUTED_TEXT = "#555555"
DARK_INK, LIGHT_INK = "#000000", "#FFFFFF"
_LOCALE_TAGS: dict[str, Literal["it-IT", "en-GB"]] = {"it": "it-IT", "en": "en-GB"}
# A top-level chart (Altair's own ChartType alias is not exported by the package).
TopChart: TypeAlias = (alt.Chart | alt.LayerChart | alt.FacetChart | alt.HConcatChart
                       | alt.VConcatChart | alt.ConcatChart | alt.RepeatChart)
T = TypeVar("T")
# A Vega-Lite spec: JSON as a dict.
Spec: TypeAlias = dict[str, Any]


@lru_cache(maxsize=4)
def locale(lang: str) -> dict[str, dict[str, Any]]:
    tag = _LOCALE_TAGS.get(lang, "it-IT")
    return {"number": vlc.get_format_locale(tag), "time": vlc.get_time_format_locale(tag)}


_BUILDING = threading.RLock()


@contextmanager
def quick_build() -> Iterator[None]:
    """Build charts without Altair's debug mode, which validates every object against the
    Vega-Lite schema as it is created (half of a chart's build time). The builders' specs are
    validated by the tests. Altair's switch is a module global: the lock keeps threads
    (sessions) from restoring it out of order."""
    with _BUILDING, schemapi.debug_mode(False):
        yield


def title(text: str | list[str], subtitle: str | list[str] | None = None) -> alt.Title:
    return alt.Title(text, subtitle=subtitle or "", anchor="start", fontSize=16,
                     subtitleFontSize=12, subtitleColor=MUTED_TEXT)


def titled(titles: Titles) -> alt.Title:
    """A chart's heading and subtitle as its title."""
    return title(titles.heading, titles.subtitle)


def finish(chart: TopChart, lang: str) -> TopChart:
    """Apply the locale and the shared configuration to a top-level chart, in place.

    Setting `config` directly: Altair's configure_* calls deep-copy the whole chart.
    """
    chart.config = alt.Config(
        locale=locale(lang),
        view={"stroke": None},
        axis={"labelFontSize": 12, "titleFontSize": 12, "grid": False, "labelColor": AXIS_TEXT,
              "titleColor": AXIS_TEXT},
        legend={"orient": "bottom", "labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260,
                "labelColor": AXIS_TEXT, "titleColor": AXIS_TEXT},
        # rules are reference lines and intervals, read in the chart's table: Vega's
        # unnamed "rule mark container" would be an image without a name (axe: svg-img-alt)
        rule={"aria": False},
    )
    _title_tooltips(chart, lang)
    return chart


def _title_tooltips(chart: object, lang: str) -> None:
    """Give untitled tooltip fields a title in `lang`: Vega-Lite would show the column name
    ("share", "low") on an Italian page. Walks layers, concatenations and facets in place."""
    for part in ("layer", "hconcat", "vconcat", "concat"):
        for sub in _defined(getattr(chart, part, None)) or ():
            _title_tooltips(sub, lang)
    spec = _defined(getattr(chart, "spec", None))
    if spec is not None:
        _title_tooltips(spec, lang)
    encoding = _defined(getattr(chart, "encoding", None))
    tips = _defined(getattr(encoding, "tooltip", None)) if encoding is not None else None
    for tip in tips if isinstance(tips, list) else ():
        if not isinstance(tip, SchemaBase):
            continue
        field = str(_keyword(tip, "shorthand") or _keyword(tip, "field") or "")
        key = f"chart.tooltip.{field.split(':')[0]}"
        if _keyword(tip, "title") is None and key in catalogue():
            tip["title"] = t(key, lang)


def _defined(value: T) -> T | None:
    return None if value is alt.Undefined else value


def _keyword(obj: SchemaBase, name: str) -> object:
    """One of an Altair object's keywords, None when undefined."""
    return _defined(obj._get(name))  # type: ignore[no-untyped-call]  # Altair: _get is unannotated


def luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of a #RRGGBB colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str = "#FFFFFF") -> float:
    """WCAG 2.2 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ramp(stops: tuple[str, ...] | list[str], position: float) -> str:
    """The colour at `position` (0–1) of a scale through `stops`, evenly spaced and mixed in
    RGB (the heatmaps' scales say interpolate="rgb", so Vega draws the same colour)."""
    place = min(max(position, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(place), len(stops) - 2)
    low, high = (stops[i].lstrip("#"), stops[i + 1].lstrip("#"))
    mixed = (round(int(low[k:k + 2], 16) * (1 - place + i) + int(high[k:k + 2], 16) * (place - i))
             for k in (0, 2, 4))
    return "#" + "".join(f"{c:02X}" for c in mixed)


def ink(fill: str) -> str:
    """The label colour that reads best on `fill`: black or white."""
    return DARK_INK if contrast(fill, DARK_INK) >= contrast(fill, LIGHT_INK) else LIGHT_INK

"""Charts as Vega-Lite specs and as files rendered offline by vl-convert (no CDN, bundled
fonts)."""

from __future__ import annotations

import altair as alt
import vl_convert as vlc

from cx.charts.theme import Spec, TopChart

EXPORT_WIDTH = 720
Chart = TopChart | Spec


def spec(chart: Chart, validate: bool = True) -> Spec:
    """The Vega-Lite spec of a chart (no row limit: the data is aggregated upstream)."""
    if isinstance(chart, dict):
        return chart
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict(validate=validate)


def _file_spec(chart: Chart) -> Spec:
    out = dict(spec(chart))
    if out.get("width") == "container":  # responsive in the app, fixed in a file
        out["width"] = EXPORT_WIDTH
    return out


def to_png(chart: Chart, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(_file_spec(chart), scale=scale, allowed_base_urls=[])


def to_svg(chart: Chart) -> bytes:
    return vlc.vegalite_to_svg(_file_spec(chart), allowed_base_urls=[]).encode("utf-8")

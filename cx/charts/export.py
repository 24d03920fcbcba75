"""Charts as files, rendered offline by vl-convert (no CDN, bundled fonts)."""

from __future__ import annotations

import altair as alt
import vl_convert as vlc

EXPORT_WIDTH = 720


def _spec(chart: alt.TopLevelMixin) -> dict:
    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    if spec.get("width") == "container":  # responsive in the app, fixed in a file
        spec["width"] = EXPORT_WIDTH
    return spec


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(_spec(chart), scale=scale, allowed_base_urls=[])


def to_svg(chart: alt.TopLevelMixin) -> bytes:
    return vlc.vegalite_to_svg(_spec(chart), allowed_base_urls=[]).encode("utf-8")

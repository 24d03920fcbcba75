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

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
CATEGORICAL = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
               "#000000")
SEQUENTIAL = ("#DEEBF7", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C")
DIVERGING = ("#B2182B", "#EF8A62", "#D9D9D9", "#67A9CF", "#2166AC")
BRAND = "#0B4F8A"
ACCENT = "#E69F00"
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
                     subtitleFontSize=12, subtitleColor="#555555")


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
        axis={"labelFontSize": 12, "titleFontSize": 12, "grid": False},
        legend={"orient": "bottom", "labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260},
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

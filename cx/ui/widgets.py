"""Reusable pieces of page: tiles, charts with their downloads, notices."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import streamlit as st

from cx import charts, fmt
from cx.charts.theme import Spec, TopChart, quick_build
from cx.config import INDICATIVE_N
from cx.export import to_csv_bytes, to_xlsx_bytes
from cx.glance import WaveChange
from cx.i18n import t
from cx.scoring import Aggregate

# every character Markdown (and Streamlit's directives) could read as syntax
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def literal(text: str) -> str:
    """Text from an upload (a company name, an answer, a header) shown literally wherever
    Markdown is rendered: no formatting, link, image or directive."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def aggregate_caption(agg: Aggregate, lang: str, digits: int = 0, signed: bool = False) -> str:
    """n (and its companies, when the interval is clustered by company), the interval, and the
    indicative mark under 30 respondents."""
    n = fmt.number(agg.n, lang)
    if agg.companies is not None and agg.companies > 1:
        n = t("app.n_companies", lang, n=n, companies=fmt.number(agg.companies, lang))
    if agg.low is None or agg.high is None:
        return t("app.n_only", lang, n=n) + fmt.indicative_mark(agg.n, lang)
    ci = fmt.interval(agg.low, agg.high, lang, digits, signed_values=signed)
    return t("app.n_ci", lang, n=n, ci=ci) + fmt.indicative_mark(agg.n, lang)


def aggregate_help(agg: Aggregate, lang: str) -> str | None:
    """What a tile's help says of its interval: clustered by company, indicative."""
    notes = []
    if agg.deff is not None:
        notes.append(t("app.clustered_help", lang, deff=fmt.number(agg.deff, lang, 1)))
    if agg.indicative:
        notes.append(t("app.indicative_help", lang, n=INDICATIVE_N))
    return " ".join(notes) or None


def tile(label: str, value: str, caption: str | None = None, help: str | None = None,
         change: Delta | None = None) -> None:
    """A bordered tile: the figure, its change since the previous wave and its caption inside
    the same border."""
    with st.container(border=True):
        if change is None:
            st.metric(label, value, help=help)
        else:
            st.metric(label, value, change.text, change.color, help=help,
                      delta_arrow=change.arrow, delta_description=change.description)
        if caption:
            st.caption(caption)


@dataclass(frozen=True)
class Delta:
    """What a tile says of its change: the signed change, its interval, colour and arrow."""

    text: str
    description: str
    color: Literal["green", "red", "gray"]
    arrow: Literal["up", "down", "off"]


def delta(found: WaveChange, lang: str, unit_key: str = "", pooled: bool = False) -> Delta:
    """The change since the previous wave, grey and without an arrow unless its interval
    leaves out no change (then green up or red down: a claim only with a test). `pooled`: the
    tile shows all waves together, so the description names the later wave compared."""
    unit = t(unit_key, lang) if unit_key else ""
    text = t("overview.delta", lang, value=fmt.signed(found.value, lang) + unit,
             before=found.before)
    ci = fmt.interval(found.low, found.high, lang, signed_values=True)
    words = t("overview.delta_pooled" if pooled else "overview.delta_ci", lang, ci=ci,
              after=found.after)
    if not found.significant:
        return Delta(text, words, "gray", "off")
    up = found.value > 0
    return Delta(text, words, "green" if up else "red", "up" if up else "down")


def aggregate_tile(label: str, agg: Aggregate, lang: str, k: int, form: str = "number",
                   note: str | None = None, change: Delta | None = None) -> None:
    """A tile with an aggregate written as a `form` (number, percent or signed), its interval
    and n, and a `note` under them; a dash and why when it is withheld."""
    if not agg.shown:
        tile(label, "–", t("app.suppressed", lang, k=k, n=agg.n))
        return
    write = {"number": fmt.number, "percent": fmt.percent, "signed": fmt.signed}[form]
    caption = aggregate_caption(agg, lang, 0, form == "signed")
    tile(label, write(agg.value, lang, 0), f"{caption}  \n{note}" if note else caption,
         aggregate_help(agg, lang), change)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_spec(module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Spec:
    builder = getattr(importlib.import_module(module), name)
    # schema validation is half the cost; the builders' tests validate their specs
    with quick_build():
        return charts.spec(builder(*args, **kwargs), validate=False)


# A shared spec → (itself, a copy whose datasets are already Arrow bytes): Streamlit sends
# those as they are, instead of converting every dataset on every run (bench/load).
_ARROW: dict[int, tuple[Spec, Spec]] = {}


def _arrow_ready(found: Spec) -> Spec:
    from streamlit import dataframe_util

    datasets = {name: dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(values))
                for name, values in found.get("datasets", {}).items()}
    return {**found, "datasets": datasets} if datasets else found


# Shared, not copied: Streamlit copies a spec before it changes it (`_prepare_vega_lite_spec`).
@st.cache_resource(max_entries=512, show_spinner=False)
def _keyed_spec(module: str, name: str, key: tuple[Any, ...], _args: tuple[Any, ...],
                _kwargs: dict[str, Any]) -> Spec:
    found = _cached_spec(module, name, _args, _kwargs)
    if len(_ARROW) > 2048:  # entries of specs the cache let go
        _ARROW.clear()
    _ARROW[id(found)] = (found, _arrow_ready(found))
    return found


def _to_send(found: Spec) -> Spec:
    """What `st.vega_lite_chart` gets: the Arrow-ready copy of a shared spec, else the spec."""
    pair = _ARROW.get(id(found))
    return pair[1] if pair is not None and pair[0] is found else found


def spec(builder: Callable[..., TopChart | Spec], *args: Any, key: tuple[Any, ...] | None = None,
         **kwargs: Any) -> Spec:
    """The Vega-Lite spec of `builder(*args, **kwargs)`, cached across reruns: building and
    validating an Altair chart is slow, the cached spec almost free. Arguments must be
    hashable by Streamlit (frames, dicts, strings, numbers). With `key` (small values that
    determine the arguments, e.g. the data version, the view and the language), the frames
    are not hashed again: on a busy first page that hashing was a quarter of a new session's
    time (bench/load)."""
    if key is not None:
        return _keyed_spec(builder.__module__, builder.__qualname__, key, args, kwargs)
    return _cached_spec(builder.__module__, builder.__qualname__, args, kwargs)


def chart(chart_obj: TopChart | Spec, key: str, lang: str,
          table: pd.DataFrame | None = None, *, stretch: bool = True) -> None:
    """Show a chart (an Altair chart or a spec from `spec(...)`) with a compact "Scarica" menu:
    PNG/SVG rendered offline only when clicked, and its table as CSV/XLSX."""
    width: Literal["stretch", "content"] = "stretch" if stretch else "content"
    if isinstance(chart_obj, dict):
        st.vega_lite_chart(_to_send(chart_obj), width=width, key=f"chart_{key}")
    else:
        st.altair_chart(chart_obj, width=width, key=f"chart_{key}")
    menu = st.popover(t("app.download", lang), icon=":material/download:", type="tertiary",
                      key=f"downloads_{key}")
    menu.download_button(t("app.download_png", lang), data=lambda: charts.to_png(chart_obj),
                         file_name=f"{key}.png", mime="image/png", on_click="ignore",
                         key=f"png_{key}", icon=":material/image:", width="stretch")
    menu.download_button(t("app.download_svg", lang), data=lambda: charts.to_svg(chart_obj),
                         file_name=f"{key}.svg", mime="image/svg+xml", on_click="ignore",
                         key=f"svg_{key}", icon=":material/image:", width="stretch")
    if table is not None:
        menu.download_button(t("app.download_csv", lang), data=lambda: to_csv_bytes(table),
                             file_name=f"{key}.csv", mime="text/csv", on_click="ignore",
                             key=f"csv_{key}", icon=":material/table:", width="stretch")
        menu.download_button(
            t("app.download_xlsx", lang), data=lambda: to_xlsx_bytes(table),
            file_name=f"{key}.xlsx", on_click="ignore", key=f"xlsx_{key}",
            icon=":material/table:", width="stretch",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def suppressed_notice(lang: str, k: int, n: int) -> None:
    st.info(t("app.suppressed", lang, k=k, n=n), icon=":material/lock:")


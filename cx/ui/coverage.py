"""Coverage and weighting on Panoramica (analysts only): the toggle «Pesi: mix dei soci»,
the weighted figures beside the unweighted ones, the response rates by sector and size.
Without a member mix, and for anyone but an analyst, nothing is shown. The work is
`cx.coverage.report`; this module caches it and lays it out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx import fmt
from cx.charts.coverage import rate_chart
from cx.charts.titles import Titles
from cx.coverage import load_mix
from cx.coverage.design import Unweighted
from cx.coverage.mix import Mix
from cx.coverage.report import (
    Coverage,
    comparison,
    load_coverage,
    load_weighted,
    method_text,
    rate_rows,
    weighting_line,
)
from cx.coverage.weighted import WeightedOverview
from cx.export import to_csv_bytes, to_xlsx_bytes
from cx.filters import Filters
from cx.i18n import t
from cx.overview import Overview
from cx.ui import access, data, glossary, state, widgets

TOGGLE = "weighted_mix"  # the toggle's widget key
CHOSEN = "_weighted_mix"  # kept beyond the page (the deck reads it)


@st.cache_resource(max_entries=2, show_spinner=False)
def mix(db: str, data_version: int) -> Mix:
    """The member mix of a data version, read once (a list may hold 200,000 companies; it is
    only read, never changed, so every session shares it)."""
    return load_mix(data.store())


def has_mix(db: str, data_version: int) -> bool:
    return not mix(db, data_version).empty


@st.cache_data(max_entries=64, show_spinner=False)
def coverage(db: str, data_version: int, filters: Filters, k: int) -> Coverage | None:
    return load_coverage(data.store(), filters, k, mix(db, data_version))


@st.cache_data(max_entries=64, show_spinner=False)
def weighted(db: str, data_version: int, filters: Filters,
             k: int) -> WeightedOverview | Unweighted:
    return load_weighted(data.store(), filters, k, mix(db, data_version))


def available() -> bool:
    """Whether this session sees coverage and weights: an analyst, with a member mix."""
    return access.viewer().is_analyst and has_mix(*data.key())


def _remember() -> None:
    st.session_state[CHOSEN] = bool(st.session_state.get(TOGGLE))


def toggle(lang: str) -> bool:
    """The toggle «Pesi: mix dei soci» (off by default); False without showing it when the
    session has no member mix or is not an analyst's."""
    if not available():
        return False
    st.session_state.setdefault(TOGGLE, bool(st.session_state.get(CHOSEN, False)))
    return st.toggle(t("coverage.overview.toggle", lang), key=TOGGLE, on_change=_remember,
                     help=t("coverage.overview.toggle_help", lang))


def chosen_weighted() -> WeightedOverview | None:
    """The weighted figures when the toggle is on (for the deck), else None."""
    if not available() or not st.session_state.get(CHOSEN):
        return None
    found = weighted(*data.key(), state.filters(), state.view().k)
    return found if isinstance(found, WeightedOverview) else None


def weighted_section(lang: str, k: int, ov: Overview) -> None:
    """The headline figures weighted, beside the unweighted ones, and what weighting cost."""
    found = weighted(*data.key(), state.filters(), k)
    if isinstance(found, Unweighted):
        st.info(t(f"coverage.unweighted.{found.reason}", lang), icon=":material/balance:")
        return
    with st.container(border=True):
        st.markdown(f"**{t('coverage.overview.weighted_title', lang)}**")
        st.caption(weighting_line(found.weighting, lang))
        cols = st.columns(4)
        for col, (attr, key, form) in zip(cols, (("nps", "overview.club_nps", "signed"),
                                                 ("maturity", "overview.maturity", "number"),
                                                 ("journey_map", "overview.journey_map",
                                                  "percent"),
                                                 ("measures_nps", "overview.measures_nps",
                                                  "percent"))):
            agg = getattr(found, attr)
            with col:
                widgets.aggregate_tile(
                    t("coverage.overview.weighted_label", lang, label=t(key, lang)), agg, lang,
                    k, form, note=t("coverage.overview.tile_note", lang, n_eff=fmt.number(
                        agg.n / (agg.deff or 1.0), lang)) if agg.shown else None)
        table = comparison(ov, found, lang)
        st.dataframe(table, hide_index=True, width="stretch")
        _downloads(table, "weighted_figures", lang)


def _downloads(table: pd.DataFrame, key: str, lang: str) -> None:
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(t("app.download_csv", lang), data=lambda: to_csv_bytes(table),
                         file_name=f"{key}.csv", mime="text/csv", on_click="ignore",
                         key=f"csv_{key}", icon=":material/table:")
    right.download_button(t("app.download_xlsx", lang), data=lambda: to_xlsx_bytes(table),
                          file_name=f"{key}.xlsx", on_click="ignore", key=f"xlsx_{key}",
                          icon=":material/table:", mime="application/vnd.openxmlformats-"
                          "officedocument.spreadsheetml.sheet")


def _rates(cov: Coverage, dim: str, lang: str, k: int) -> None:
    rows = rate_rows(cov.sectors if dim == "sector" else cov.sizes, dim, lang, k)
    title = t("coverage.overview.by_sector" if dim == "sector" else "coverage.overview.by_size",
              lang)
    widgets.chart(widgets.spec(rate_chart, rows, Titles(
        title, t("coverage.overview.rate_subtitle", lang, n=fmt.number(cov.members, lang)),
        lang)), f"response_rate_{dim}", lang, _table(rows, lang))
    st.dataframe(_table(rows, lang), hide_index=True, width="stretch")


def _table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    return rows[["label", "members", "responding", "text"]].rename(columns={
        "label": t("coverage.overview.col_group", lang),
        "members": t("coverage.overview.col_members", lang),
        "responding": t("coverage.overview.col_responding", lang),
        "text": t("coverage.overview.col_rate", lang)})


def coverage_section(lang: str, k: int) -> None:
    """Response rate by sector and by size band, with n, chart and table; a method note."""
    if not available():
        return
    cov = coverage(*data.key(), state.filters(), k)
    if cov is None:
        return
    st.subheader(t("coverage.overview.coverage_title", lang))
    left, right = st.columns(2, gap="large")
    with left:
        _rates(cov, "sector", lang, k)
    with right:
        _rates(cov, "size_band", lang, k)
    if cov.unlisted:
        st.caption(t("coverage.overview.unlisted", lang, n=cov.unlisted))
    with st.expander(t("coverage.overview.method_title", lang)):
        st.markdown(method_text(lang, k))
        glossary.see_also(lang, "pesi_mix_soci")

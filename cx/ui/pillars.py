"""The Six Pillars page's Streamlit layer: a company's radar pieces and the notes on missing
benchmarks (also on the Scheda azienda), and the companies × pillars heatmap. The companies are
picked with `cx.ui.companies`.
"""

from __future__ import annotations

from typing import cast

import pandas as pd
import streamlit as st

from cx import companies
from cx import privacy as privacy_rules
from cx.access import Viewer
from cx.charts.pillars import heatmap_chart
from cx.charts.titles import Titles
from cx.companies import Peers
from cx.filters import Filters
from cx.i18n import t
from cx.pillars import heatmap_table, radar_profiles
from cx.privacy import as_raw
from cx.scorecard.figures import PeerCounts, missing_benchmarks
from cx.ui import data, widgets
from cx.ui.companies import company_table, peers, visible_table


def benchmark_row(row: pd.Series, filters: Filters) -> pd.Series:
    """A company's row with its sector as the group it is benchmarked against (cx.privacy)."""
    return privacy_rules.benchmark_row(row, filters, data.release().publication)


def benchmark_notes(pieces: dict[str, pd.DataFrame], sector: str | None, peers_: Peers,
                    lang: str) -> list[str]:
    """Why a radar lacks the Club's band or its sector's median."""
    counts = PeerCounts(peers_.k, peers_.companies, peers_.sector_companies(sector))
    return missing_benchmarks(pieces, sector, counts, lang)


def radar_pieces(filters: Filters, k: int, code: str) -> tuple[dict[str, pd.DataFrame],
                                                                  pd.Series]:
    """A company's radar pieces (from the cached company table and peers) and its row."""
    # a row, not a frame: the table's index holds each company's code once
    row = benchmark_row(cast(pd.Series, company_table(*data.key(), as_raw(filters)).loc[code]),
                        filters)
    peers_ = peers(*data.key(), filters, k)
    sector = peers_.sector_band[peers_.sector_band["sector"] == row["sector"]]
    return radar_profiles(row, peers_.band, sector if len(sector) else None), row


@st.cache_data(max_entries=32, show_spinner=False)
def heatmap(db: str, data_version: int, filters: Filters, k: int,
            viewer: Viewer) -> tuple[pd.DataFrame, int]:
    """The heatmap rows the viewer may see (best overall score first) and how many companies
    they were chosen from."""
    visible = visible_table(db, data_version, filters, k, viewer)
    labels = companies.company_labels(visible, viewer)
    return heatmap_table(visible, labels), int(visible[companies.OVERALL].notna().sum())


def heatmap_chart_of(heat: pd.DataFrame, axes: dict[str, str], total: int, lang: str) -> None:
    """The companies × pillars heatmap with its downloads."""
    widgets.chart(widgets.spec(
        heatmap_chart, heat, axes, t("pillars.overall", lang), t("pyramid.score_title", lang),
        Titles(t("pillars.heatmap_title", lang),
               t("pillars.heatmap_subtitle", lang, rows=heat["rank"].max(), total=total), lang)),
        "pillar_heatmap", lang, heat)

"""Carica dati: the Club's member list, uploaded (checked through `cx.coverage.members`, every
problem named by file, row, column and value, nothing saved unless none) or typed as totals
by sector and size; the list in the DuckDB file is replaced whole (`cx.store.members`). The
page is an analyst's (`cx.ui.access.require_analyst` before this)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx import fmt
from cx.coverage import load_mix
from cx.coverage.members import MemberFileRefused, MemberList, read_members
from cx.coverage.mix import codes
from cx.coverage.totals import TOTAL, grid_of, totals_of
from cx.i18n import t
from cx.ingest.upload import saved_upload
from cx.questionnaire import questionnaire
from cx.store import members
from cx.ui import data

NONCE = "_members_nonce"  # a new uploader after a save (Streamlit keeps the last file)
NOTICE = "_members_notice"  # what the last write did, said once after the rerun it asks


def _written(notice: str) -> None:
    """After a write: say so once, on a rerun that reads what is now stored."""
    st.session_state[NOTICE] = notice
    st.rerun()


def _status(lang: str) -> None:
    mix = load_mix(data.store())
    if mix.source == "list":
        st.caption(t("coverage.page.current_list", lang, n=fmt.number(len(mix.members), lang)))
    elif mix.source == "totals":
        rows = mix.totals[mix.totals["size_band"].notna()]
        st.caption(t("coverage.page.current_totals", lang,
                     n=fmt.number(int(rows["members"].sum()), lang)))
    else:
        st.caption(t("coverage.page.current_none", lang))
    if mix.source and st.button(t("coverage.page.clear", lang), key="members_clear",
                                icon=":material/delete:"):
        members.clear_mix(data.store())
        _written("coverage.page.cleared")


def _problems(found: MemberList, lang: str) -> None:
    st.error(t("coverage.page.problems", lang, n=len(found.problems)), icon=":material/error:")
    st.dataframe(pd.DataFrame([{t("coverage.page.col_row", lang): p.row,
                                t("coverage.page.col_column", lang): p.column,
                                t("coverage.page.col_value", lang): p.value,
                                t("coverage.page.col_reason", lang): p.text(lang)}
                               for p in found.problems]),
                 hide_index=True, width="stretch")


def _upload(lang: str) -> None:
    nonce = st.session_state.get(NONCE, 0)
    file = st.file_uploader(t("coverage.page.uploader", lang), type=["csv", "xlsx", "xls"],
                            key=f"members_file_{nonce}")
    if file is None:
        return
    try:
        with saved_upload(file.getvalue(), file.name) as upload:
            found = read_members(upload.path, upload.name)
    except MemberFileRefused as exc:
        st.error(exc.text(lang), icon=":material/error:")
        return
    if found.problems:
        _problems(found, lang)
        return
    n = len(found.members)
    st.success(t("coverage.page.read_ok", lang, n=fmt.number(n, lang)))
    if st.button(t("coverage.page.save_list", lang, n=fmt.number(n, lang)), type="primary",
                 key="members_save"):
        members.replace_members(data.store(), found.members)
        st.session_state[NONCE] = nonce + 1
        _written("coverage.page.saved")


def _typed(lang: str) -> None:
    st.caption(t("coverage.page.totals_help", lang))
    sector, size = questionnaire()["sector"], questionnaire()["size_band"]
    grid = grid_of(load_mix(data.store()))
    shown = grid.copy()
    shown.insert(0, "group", [sector.option_label(c, lang) for c in codes("sector")]
                 + [t("coverage.page.size_total", lang)])
    config = {z: st.column_config.NumberColumn(size.option_label(z, lang), min_value=0,
                                               step=1, format="%d") for z in codes("size_band")}
    config[TOTAL] = st.column_config.NumberColumn(t("coverage.page.sector_total", lang),
                                                  min_value=0, step=1, format="%d")
    config["group"] = st.column_config.TextColumn(t("coverage.page.column_sector", lang),
                                                  disabled=True)
    edited = st.data_editor(shown, column_config=config, hide_index=True, key="members_grid",
                            num_rows="fixed")
    if st.button(t("coverage.page.save_totals", lang), key="members_totals_save"):
        totals = totals_of(edited.drop(columns="group").set_axis(grid.index))
        if totals is None:
            st.error(t("coverage.page.totals_incomplete", lang))
            return
        members.replace_totals(data.store(), totals)
        _written("coverage.page.totals_saved")


def members_section(lang: str) -> None:
    """The member list: what is saved, and the upload or the typed totals that replace it."""
    st.divider()
    st.subheader(t("coverage.page.title", lang))
    st.caption(t("coverage.page.intro", lang))
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(t(notice, lang), icon=":material/check:")
    _status(lang)
    upload, typed = st.tabs([t("coverage.page.tab_file", lang),
                             t("coverage.page.tab_totals", lang)])
    with upload:
        _upload(lang)
    with typed:
        _typed(lang)

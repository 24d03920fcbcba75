"""Carica dati's log: every upload (undone ones included), its undo, its original file and its
quarantined rows to download. Cached on the data version, so that a commit or an undo shows at
once."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx import fmt
from cx.export import to_csv_bytes
from cx.i18n import t
from cx.ingest import commit
from cx.ingest.problems import Refused
from cx.ui import data
from cx.ui.ingest_state import CHOSEN, UNDOING, UNDONE, close

SHOWN = ("upload_id", "status", "uploaded_at", "file_name", "waves", "rows_committed",
         "rows_quarantined")  # the rest (source, mode, rows replaced) in an expander


@st.cache_data(max_entries=8, show_spinner=False)
def upload_log(db: str, data_version: int) -> pd.DataFrame:
    """The upload log (newest first)."""
    return commit.upload_log(data.store())


@st.cache_data(max_entries=8, show_spinner=False)
def quarantine_csv(db: str, data_version: int, upload_id: str, lang: str) -> bytes:
    """The quarantined rows of an upload, as in the file, with their problems, as CSV."""
    return to_csv_bytes(commit.quarantine_table(data.store(), upload_id, lang))


def original_file(upload_id: str) -> bytes:
    """The bytes of an upload as received (read only when the download is clicked)."""
    return data.store().upload_bytes(upload_id)


def undo_dialog(upload_id: str, lang: str) -> None:
    @st.dialog(t("ingest.page.undo_title", lang), width="medium",
               on_dismiss=lambda: close(UNDOING))
    def dialog() -> None:
        st.markdown(t("ingest.page.undo_text", lang, upload_id=upload_id))
        left, right = st.columns(2)
        if left.button(t("ingest.glance.undo_yes", lang), type="primary", key="undo_confirm",
                       width="stretch"):
            close(UNDOING)
            try:
                done = commit.undo(data.store(), upload_id)
            except Refused as exc:  # a later upload wrote to its wave: undo that one first
                st.session_state[UNDONE] = ("error", exc.text(lang))
                st.rerun()
            st.session_state[UNDONE] = ("success", t(
                "ingest.page.undone", lang, upload_id=upload_id,
                removed=fmt.number(done["removed"], lang),
                restored=fmt.number(done["restored"], lang)))
            st.rerun()
        if right.button(t("ingest.glance.undo_no", lang), key="undo_cancel", width="stretch"):
            close(UNDOING)
            st.rerun()
    dialog()


def log_tables(log: pd.DataFrame, lang: str) -> None:
    """The main columns, fitted to the page; every column in an expander below."""
    full = commit.log_table(log, lang)
    shown = full[[t(f"ingest.log.{c}", lang) for c in SHOWN]]
    file_name = t("ingest.log.file_name", lang)
    st.dataframe(shown, hide_index=True, width="stretch", key="upload_log_table",
                 column_config={
                     t("ingest.log.uploaded_at", lang): st.column_config.DatetimeColumn(
                         format="YYYY-MM-DD HH:mm", width="small"),
                     file_name: st.column_config.TextColumn(width="medium")})
    with st.expander(t("ingest.glance.log_details", lang)):
        st.dataframe(full, hide_index=True, width="stretch", key="upload_log_full")


def log_section(lang: str) -> None:
    """Every upload, with undo and the original file."""
    undone = st.session_state.pop(UNDONE, None)
    if undone:  # said here, where the undo was asked, and as a toast
        (st.success if undone[0] == "success" else st.error)(undone[1])
        if undone[0] == "success":
            st.toast(undone[1], icon=":material/undo:")
    log = upload_log(*data.key())
    if log.empty:
        st.info(t("ingest.page.no_uploads", lang), icon=":material/history:")
        return
    log_tables(log, lang)
    live = log.loc[log["status"] != "undone", "upload_id"].tolist()
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    chosen = row.selectbox(t("ingest.page.choose_upload", lang), log["upload_id"].tolist(),
                           key=CHOSEN, width=220)
    if row.button(t("ingest.page.undo", lang), key="upload_undo", icon=":material/undo:",
                  disabled=chosen not in live):
        st.session_state[UNDOING] = True
    if st.session_state.get(UNDOING) and chosen in live:
        undo_dialog(chosen, lang)
    row.download_button(t("ingest.page.original", lang), data=lambda: original_file(chosen),
                        file_name=str(log.set_index("upload_id").loc[chosen, "file_name"]),
                        on_click="ignore", icon=":material/download:", key="upload_original")
    if int(log.set_index("upload_id").loc[chosen, "rows_quarantined"]):
        row.download_button(t("ingest.page.quarantine", lang),
                            data=lambda: quarantine_csv(*data.key(), chosen, lang),
                            file_name=f"quarantena_{chosen}.csv", mime="text/csv",
                            on_click="ignore", icon=":material/download:",
                            key="upload_quarantine")

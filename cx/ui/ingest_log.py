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
from cx.ui.ingest_state import CHOSEN, DONE, UNDOING, close


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
        if left.button(t("ingest.page.undo_confirm", lang), type="primary", key="undo_confirm",
                       width="stretch"):
            close(UNDOING)
            try:
                done = commit.undo(data.store(), upload_id)
            except Refused as exc:  # a later upload wrote to its wave: undo that one first
                st.session_state[DONE] = ("error", exc.text(lang))
                st.rerun()
            st.session_state[DONE] = ("success", t(
                "ingest.page.undone", lang, upload_id=upload_id,
                removed=fmt.number(done["removed"], lang),
                restored=fmt.number(done["restored"], lang)))
            st.rerun()
        if right.button(t("ingest.page.cancel", lang), key="undo_cancel", width="stretch"):
            close(UNDOING)
            st.rerun()
    dialog()


def log_section(lang: str) -> None:
    """Every upload, with undo and the original file."""
    log = upload_log(*data.key())
    if log.empty:
        st.info(t("ingest.page.no_uploads", lang), icon=":material/history:")
        return
    st.dataframe(commit.log_table(log, lang), hide_index=True, width="stretch")
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

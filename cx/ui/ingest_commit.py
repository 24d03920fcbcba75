"""Carica dati's last step: the refusal or the button, the confirmation (what will happen,
partial imports and replaced waves said), then the commit with its progress, and what it did,
shown at the top of the page on the next run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.lib.mutable_status_container import StatusContainer
from streamlit.runtime.uploaded_file_manager import UploadedFile

from cx import fmt
from cx.i18n import t
from cx.ingest import commit
from cx.ingest.preview import Preview
from cx.ingest.upload import saved_upload
from cx.ui import data
from cx.ui.ingest_glance import companies_effect, wave_effect
from cx.ui.ingest_state import (
    CHOSEN,
    CONFIRMING,
    DONE,
    MAPPING,
    NONCE,
    PREVIEW,
    REPEATS,
    SHEET,
    VALUES,
    close,
)

STEPS = {"read": 0.15, "stage": 0.35, "direct": 0.35, "check": 0.7, "commit": 0.9}


def progress_bar(lang: str, status: StatusContainer, bar: DeltaGenerator) -> Callable[[str], None]:
    """The `Progress` of an upload, shown in `status` and `bar`."""
    done = [0.0]  # never backwards: a file the direct path gave up on is read again

    def step(name: str) -> None:
        status.update(label=t(f"ingest.page.step_{name}", lang))
        done[0] = max(done[0], STEPS[name])
        bar.progress(done[0])
    return step


def _commit(uploaded: UploadedFile, pre: Preview, lang: str) -> None:
    options = replace(pre.options, accept_partial=pre.rows_with_problems > 0)
    with st.status(t("ingest.page.step_read", lang), expanded=True) as status:
        bar = st.progress(0.0)
        with saved_upload(uploaded.getvalue(), uploaded.name) as upload:
            result = commit.ingest(data.store(), upload, options,
                                   (pre.respondents, pre.rows_with_problems),
                                   progress_bar(lang, status, bar))
        bar.progress(1.0)
        status.update(label=t("ingest.page.step_done", lang), state="complete")
    if result.status == "refused":
        st.session_state[DONE] = ("error", result.preview.refusal_text(lang) or "")
    else:
        st.session_state[DONE] = ("success", t(
            "ingest.page.committed", lang, upload_id=result.upload_id,
            n=fmt.number(result.rows_committed, lang),
            q=fmt.number(result.rows_quarantined, lang),
            r=fmt.number(result.rows_replaced, lang)))
        st.session_state[NONCE] = st.session_state.get(NONCE, 0) + 1
        st.session_state[CHOSEN] = result.upload_id  # the log shows the new upload
        for key in (PREVIEW, MAPPING, VALUES, SHEET):  # the wave stays: often several files
            st.session_state.pop(key, None)


def confirm_dialog(uploaded: UploadedFile, pre: Preview, lang: str) -> None:
    """What will happen, and the analyst's confirmation (partial imports say so)."""
    @st.dialog(t("ingest.page.confirm_title", lang), width="medium",
               on_dismiss=lambda: close(CONFIRMING))
    def dialog() -> None:
        waves = ", ".join(str(w) for w in (pre.options.wave,) if w) or \
            ", ".join(map(str, pre.waves))
        st.markdown(t("ingest.page.confirm_text", lang, n=fmt.number(pre.rows_ok, lang),
                      file=pre.file_name, waves=waves))
        st.markdown(" ".join(e for e in (wave_effect(pre, lang), companies_effect(pre, lang))
                             if e))
        if pre.rows_with_problems:
            st.warning(t("ingest.page.confirm_partial", lang,
                         q=fmt.number(pre.rows_with_problems, lang)), icon=":material/warning:")
        if pre.options.mode == "replace":
            st.warning(t("ingest.page.confirm_replace", lang, waves=waves),
                       icon=":material/swap_horiz:")
        left, right = st.columns(2)
        if left.button(t("ingest.page.confirm", lang), type="primary", key="upload_confirm",
                       width="stretch"):
            close(CONFIRMING)
            _commit(uploaded, pre, lang)
            st.rerun()
        if right.button(t("ingest.page.cancel", lang), key="upload_cancel", width="stretch"):
            close(CONFIRMING)
            st.rerun()
    dialog()


def repeats_choice(pre: Preview, lang: str) -> None:
    """Rows that say what rows already in their wave say (a file saved again, an export that
    holds the earlier answers too): counted, and left out or loaded as the analyst chooses."""
    st.warning(t("ingest.page.repeated", lang, n=fmt.number(pre.repeated, lang),
                 uploads=", ".join(pre.repeated_in)), icon=":material/content_copy:")
    chosen = st.segmented_control(
        t("ingest.page.repeats", lang), ["skip", "keep"], default=pre.options.repeats,
        format_func=lambda c: t(f"ingest.page.repeats_{c}", lang), key=f"repeats_{pre.sha256}")
    if chosen != pre.options.repeats:
        st.session_state[REPEATS] = chosen
        st.rerun()


def actions(uploaded: UploadedFile, pre: Preview, lang: str) -> None:
    """The refusal, or the button that opens the confirmation."""
    if pre.repeated:
        repeats_choice(pre, lang)
    if pre.refusal is not None and pre.refusal[0] == "repeated_rows":
        return  # the choice above is the question
    if pre.refusal is not None:
        st.error(pre.refusal_text(lang), icon=":material/block:")
        return
    if pre.rows_ok == 0 and pre.options.repeats == "skip" and pre.repeated == pre.respondents:
        st.info(t("ingest.page.nothing_new", lang), icon=":material/check_circle:")
        return
    if pre.rows_ok == 0:
        st.error(t("ingest.page.nothing_valid", lang), icon=":material/block:")
        return
    key = "upload_partial" if pre.rows_with_problems else "upload_commit"
    label = "ingest.page.commit_partial" if pre.rows_with_problems else "ingest.page.commit"
    if st.button(t(label, lang, n=fmt.number(pre.rows_ok, lang)), type="primary", key=key,
                 icon=":material/cloud_upload:"):
        st.session_state[CONFIRMING] = True
    if st.session_state.get(CONFIRMING):  # open until confirmed, cancelled or dismissed
        confirm_dialog(uploaded, pre, lang)

"""Carica dati in Streamlit: the uploader and the choices (wave, mode, sheet), the preview (source,
encoding, respondents), the editable mapping, and the template. The problems
(`cx.ui.ingest_problems`), the response quality flags (`cx.ui.ingest_quality`), the
confirmation and commit (`cx.ui.ingest_commit`) and the upload log with undo
(`cx.ui.ingest_log`) are beside it. The work itself is `cx.ingest`; these modules only show it
and ask."""

from __future__ import annotations

from typing import cast

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from cx import fmt
from cx.i18n import t
from cx.ingest import commit
from cx.ingest.encoding import ENCODING_NAMES
from cx.ingest.options import Options
from cx.ingest.pipeline import preview
from cx.ingest.preview import Preview, covered_questions, uncovered_questions
from cx.ingest.template import template_csv, template_xlsx
from cx.ingest.upload import max_upload_mb, saved_upload
from cx.questionnaire import questionnaire
from cx.ui import data
from cx.ui.ingest_commit import actions, progress_bar
from cx.ui.ingest_glance import coverage, first_rows, target_wave
from cx.ui.ingest_problems import problems_table, quoted, recodes
from cx.ui.ingest_quality import quality_section
from cx.ui.ingest_state import (
    DONE,
    FILE,
    MAPPING,
    MODE,
    NONCE,
    NOT_APPLICABLE,
    PREVIEW,
    REPEATS,
    SHEET,
    VALUES,
    WAVE,
)

BELOW_SCALE_CODES = ("0", "-1", "-2", "-9", "-99")  # the codes tools use for "not applicable"
UNMAPPED = "-"  # the editor's value for a column kept unmapped (an empty cell reads "None")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def target_label(target: str, lang: str) -> str:
    """How a mapping target reads in the selectbox."""
    if not target or target == UNMAPPED:
        return t("ingest.page.not_mapped", lang)
    qid, _, option = target.partition(":")
    q = questionnaire()[qid]
    text = q.text(lang) if len(q.text(lang)) <= 70 else q.text(lang)[:68] + "…"
    if option:
        return f"{qid} · {q.option_label(option, lang)} " + t("ingest.page.one_option", lang)
    return f"{qid} · {text}"


def targets() -> list[str]:
    qn = questionnaire()
    options = [f"{q.id}:{o.code}" for q in qn.questions if q.qtype.multiple for o in q.options]
    return [UNMAPPED, *qn.ids, *options]


def _options() -> Options:
    wave = st.session_state.get(WAVE)
    return Options(wave=int(wave) if wave else None,
                   mode=st.session_state.get(MODE) or "append",
                   sheet=st.session_state.get(SHEET) or None,
                   mapping=tuple(sorted((st.session_state.get(MAPPING) or {}).items())),
                   values=tuple(sorted((st.session_state.get(VALUES) or {}).items())),
                   not_applicable=st.session_state.get(NOT_APPLICABLE),
                   repeats=st.session_state.get(REPEATS))


def _forget_other_file(uploaded: UploadedFile) -> None:
    """A new file starts from its own proposal (or saved mapping), not the last file's."""
    if st.session_state.get(FILE) != uploaded.file_id:
        for key in (MAPPING, VALUES, SHEET, NOT_APPLICABLE, REPEATS):
            st.session_state.pop(key, None)
        st.session_state[FILE] = uploaded.file_id


def current_preview(uploaded: UploadedFile, lang: str) -> Preview:
    """The preview of the uploaded file with the chosen options (computed once per choice)."""
    _forget_other_file(uploaded)
    options = _options()
    key = (uploaded.file_id, uploaded.size, options)
    found = st.session_state.get(PREVIEW)
    if found and found[0] == key:
        cached: Preview = found[1]
        return cached
    with st.status(t("ingest.page.step_read", lang), expanded=False) as status:
        bar = st.progress(0.0)
        with saved_upload(uploaded.getvalue(), uploaded.name) as upload:
            result = preview(data.store(), upload, options, progress_bar(lang, status, bar))
        bar.progress(1.0)
        status.update(label=t("ingest.page.preview_ready", lang), state="complete")
    st.session_state[PREVIEW] = (key, result)
    return result


def summary(pre: Preview, lang: str) -> None:
    """What was found: source, respondents, problems, mapped columns."""
    cols = st.columns([1.7, 1, 1, 1])
    cols[0].metric(t("ingest.page.source", lang), t(f"ingest.source.{pre.source or 'unknown'}",
                                                    lang), border=True)
    cols[1].metric(t("ingest.page.respondents", lang), fmt.number(pre.respondents, lang),
                   border=True)
    cols[2].metric(t("ingest.page.rows_with_problems", lang),
                   fmt.number(pre.rows_with_problems, lang), border=True)
    covered = len(covered_questions(pre.mapped, questionnaire()))
    total = covered + len(uncovered_questions(pre.mapped, questionnaire(), target_wave(pre)))
    cols[3].metric(t("ingest.glance.covered", lang), f"{covered} / {total}", border=True,
                   help=t("ingest.page.mapped", lang) + f": {len(pre.mapped)} / "
                   f"{len(pre.file_columns)}")
    line = " · ".join(details(pre, lang))
    st.caption(line[:1].upper() + line[1:])


def details(pre: Preview, lang: str) -> list[str]:
    """How the file was read: encoding and delimiter of a text file, or the sheet of a workbook;
    header rows; size."""
    parts = []
    if pre.encoding:
        name = ENCODING_NAMES.get(pre.encoding, pre.encoding)
        parts.append(t("ingest.page.details_encoding", lang, encoding=name))
    if pre.delimiter:
        parts.append(t("ingest.page.details_delimiter", lang,
                       delimiter=_delimiter(pre.delimiter, lang)))
    if pre.sheet:
        parts.append(t("ingest.page.details_sheet", lang, sheet=pre.sheet))
    parts.append(t("ingest.page.details_header_rows", lang, header_rows=pre.header_rows))
    return [*parts, fmt.file_size(pre.size, lang)]


def _delimiter(value: str | None, lang: str) -> str:
    names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
    return t(f"ingest.page.delimiter_{names[value]}", lang) if value in names else "–"


def _fixed_label(qid: str, value: str, lang: str) -> str:
    q = questionnaire()[qid]
    shown = q.option_label(value, lang) if value in q.codes else value
    return f"{q.text(lang)} = {shown}"


def fixed_company(pre: Preview, lang: str) -> None:
    """The company of every row, for a file from one company that has no company column (and
    the other values given for every row, from a saved mapping or a mapping file)."""
    current = dict(pre.values).get("company", "")
    others = [_fixed_label(qid, v, lang) for qid, v in pre.values if qid != "company"]
    if others:
        st.caption(t("ingest.page.fixed_values", lang, values=" · ".join(others)))
    if "company" in pre.mapped.values() and not current:
        return
    typed = st.text_input(t("ingest.page.fixed_company", lang), value=current,
                          key=f"fixed_company_{pre.sha256}",
                          placeholder=t("ingest.page.fixed_company_placeholder", lang),
                          help=t("ingest.page.fixed_company_help", lang))
    if typed.strip() != current:
        st.session_state[VALUES] = {**(st.session_state.get(VALUES) or {}),
                                    "company": typed.strip()}
        st.rerun()


def mapping_editor(pre: Preview, lang: str) -> None:
    """The proposed mapping, editable; a change re-runs the preview with it."""
    fixed_company(pre, lang)
    shown = [(name, example, target) for (name, target), example
             in zip(pre.mapping, pre.examples or [""] * len(pre.mapping))
             if name not in pre.fixed]
    frame = pd.DataFrame({"column": [c for c, _, _ in shown],
                          "example": [e for _, e, _ in shown],
                          "target": [target or UNMAPPED for _, _, target in shown]})
    edited = st.data_editor(
        frame, hide_index=True, width="stretch", num_rows="fixed", key=f"map_{pre.sha256}",
        disabled=["column", "example"], height=min(38 + 35 * len(frame), 420),
        column_config={
            "column": st.column_config.TextColumn(t("ingest.page.file_column", lang)),
            "example": st.column_config.TextColumn(t("ingest.page.example", lang)),
            "target": st.column_config.SelectboxColumn(
                t("ingest.page.question", lang), options=targets(), required=False,
                # the options are targets(), all strings
                format_func=lambda v: target_label(cast(str, v) or "", lang), width="large")})
    chosen = {c: ("" if v in (None, UNMAPPED) else v)
              for c, v in zip(edited["column"], edited["target"])}
    if chosen != {name: target for name, _, target in shown}:
        st.session_state[MAPPING] = chosen
        st.rerun()
    if pre.unmapped:
        st.caption(t("ingest.page.kept", lang,
                     columns=", ".join(quoted(c, lang) for c in pre.unmapped[:12])
                     + (" …" if len(pre.unmapped) > 12 else "")))
    not_applicable_choice(pre, lang)
    if pre.shape and st.button(t("ingest.page.save_mapping", lang), key="upload_save_mapping",
                               icon=":material/bookmark_add:",
                               help=t("ingest.page.save_mapping_help", lang)):
        commit.save_mapping(data.store(), pre)
        st.toast(t("ingest.page.mapping_saved", lang), icon=":material/bookmark:")


def not_applicable_choice(pre: Preview, lang: str) -> None:
    """Which numbers below a rating scale mean «not applicable» in this file (e.g. the 0 of a
    0–5 rating): said by the analyst, remembered with the mapping; anything else below the
    scale is a problem. A source that codes them below zero (Qualtrics) is said."""
    if pre.negative_not_applicable:
        st.caption(t("ingest.page.negative_not_applicable", lang,
                     source=t(f"ingest.source.{pre.source}", lang)))
    current = list(pre.not_applicable)
    chosen = st.multiselect(
        t("ingest.page.not_applicable", lang), list(dict.fromkeys([*BELOW_SCALE_CODES,
                                                                    *current])),
        default=current, accept_new_options=True, key=f"not_applicable_{pre.sha256}",
        placeholder=t("ingest.page.not_applicable_placeholder", lang),
        help=t("ingest.page.not_applicable_help", lang))
    if sorted(chosen) != sorted(current):
        st.session_state[NOT_APPLICABLE] = tuple(chosen)
        st.rerun()


def _choices(pre: Preview | None, lang: str) -> None:
    """Wave, mode and (for a workbook with several sheets) the sheet."""
    cols = st.columns([1, 2, 2])
    cols[0].number_input(t("ingest.page.wave", lang), min_value=2000, max_value=2100, value=None,
                         step=1, key=WAVE, placeholder=t("ingest.page.wave_placeholder", lang),
                         help=t("ingest.page.wave_help", lang))
    with cols[1]:
        st.session_state.setdefault(MODE, "append")
        st.segmented_control(t("ingest.page.mode", lang), ["append", "replace"], key=MODE,
                             required=True, format_func=lambda m: t(f"ingest.mode.{m}", lang),
                             help=t("ingest.page.mode_help", lang))
    if pre is not None and len(pre.sheets) > 1:
        cols[2].selectbox(t("ingest.page.sheet", lang), list(pre.sheets), key=SHEET,
                          index=list(pre.sheets).index(pre.sheet) if pre.sheet else 0)


def load_section(lang: str) -> None:
    """Upload → preview → mapping → problems → confirmation."""
    done = st.session_state.pop(DONE, None)
    if done:
        (st.success if done[0] == "success" else st.error)(done[1])
    st.markdown(t("ingest.page.intro", lang, mb=max_upload_mb()))
    uploaded = st.file_uploader(
        t("ingest.page.uploader", lang), type=["csv", "tsv", "txt", "xlsx", "xls"],
        key=f"upload_file_{st.session_state.get(NONCE, 0)}", max_upload_size=max_upload_mb(),
        help=t("ingest.page.uploader_help", lang))
    found = st.session_state.get(PREVIEW)
    _choices(found[1] if uploaded is not None and found else None, lang)
    if uploaded is None:
        st.info(t("ingest.page.empty", lang), icon=":material/upload_file:")
        return
    pre = current_preview(uploaded, lang)
    summary(pre, lang)
    coverage(pre, lang)
    first_rows(pre, lang)
    if pre.columns:
        with st.expander(t("ingest.page.mapping_title", lang), expanded=pre.refusal is not None
                         or pre.source not in ("canonical",), icon=":material/table_edit:"):
            mapping_editor(pre, lang)
    recodes(pre, lang)
    if pre.problems:
        problems_table(pre, lang)
    quality_section(pre, lang)
    actions(uploaded, pre, lang)


def template_section(lang: str) -> None:
    """The canonical template, in the page's language."""
    st.markdown(t("ingest.page.template_text", lang))
    row = st.container(horizontal=True, gap="small")
    row.download_button(t("ingest.page.template_xlsx", lang), data=lambda: template_xlsx(lang),
                        file_name=t("ingest.page.template_file", lang) + ".xlsx", mime=XLSX_MIME,
                        on_click="ignore", icon=":material/table:", key="template_xlsx")
    row.download_button(t("ingest.page.template_csv", lang), data=lambda: template_csv(lang),
                        file_name=t("ingest.page.template_file", lang) + ".csv", mime="text/csv",
                        on_click="ignore", icon=":material/description:", key="template_csv")
    st.caption(t("ingest.page.template_cli", lang))

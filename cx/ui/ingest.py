"""Carica dati in Streamlit: the uploader, the preview (source, encoding, respondents), the
editable mapping, the problems, the confirmation, progress, the upload log with undo, and the
template. The work itself is `cx.ingest`; this module only shows it and asks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Literal, cast

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.lib.mutable_status_container import StatusContainer
from streamlit.runtime.uploaded_file_manager import UploadedFile

from cx import fmt
from cx.export import to_csv_bytes
from cx.i18n import t
from cx.ingest import commit
from cx.ingest.pipeline import Options, Preview, max_upload_mb, preview, saved_upload
from cx.ingest.problems import Refused, allowed_options
from cx.ingest.read import ENCODING_NAMES
from cx.ingest.template import template_csv, template_xlsx
from cx.questionnaire import questionnaire
from cx.ui import data
from cx.ui.widgets import literal

NONCE = "_upload_nonce"
PREVIEW = "_upload_preview"
MAPPING = "_upload_mapping"
VALUES = "_upload_values"
NOT_APPLICABLE = "_upload_not_applicable"
REPEATS = "_upload_repeats"
BELOW_SCALE_CODES = ("0", "-1", "-2", "-9", "-99")  # the codes tools use for "not applicable"
FILE = "_upload_file"
DONE = "_upload_done"
CONFIRMING, UNDOING = "_upload_confirming", "_upload_undoing"
CHOSEN = "upload_chosen"  # the upload picked in the log
WAVE, MODE, SHEET = "upload_wave", "upload_mode", "upload_sheet"
STEPS = {"read": 0.15, "stage": 0.35, "direct": 0.35, "check": 0.7, "commit": 0.9}
SHOWN_PROBLEMS = 1000
UNMAPPED = "-"  # the editor's value for a column kept unmapped (an empty cell reads "None")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    options = [f"{q.id}:{o.code}" for q in qn.questions if q.type == "multi" for o in q.options]
    return [UNMAPPED, *qn.ids, *options]


def _progress(lang: str, status: StatusContainer, bar: DeltaGenerator) -> Callable[[str], None]:
    done = [0.0]  # never backwards: a file the direct path gave up on is read again

    def step(name: str) -> None:
        status.update(label=t(f"ingest.page.step_{name}", lang))
        done[0] = max(done[0], STEPS[name])
        bar.progress(done[0])
    return step


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
            result = preview(data.store(), upload, options, _progress(lang, status, bar))
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
    cols[3].metric(t("ingest.page.mapped", lang),
                   f"{len(pre.mapped)} / {len(pre.file_columns)}", border=True)
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
                     columns=", ".join(_quoted(c, lang) for c in pre.unmapped[:12])
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


def recodes(pre: Preview, lang: str) -> None:
    """What the importer changed in the cells it keeps, per column: read as «no answer» or
    «not applicable», labels and numbers read as codes (with counts)."""
    if not pre.recodes:
        return
    cells = sum(r.cells for r in pre.recodes)
    with st.expander(t("ingest.page.recodes_title", lang, n=fmt.number(cells, lang),
                       columns=fmt.number(len({r.column for r in pre.recodes}), lang)),
                     icon=":material/swap_horiz:"):
        st.markdown("\n".join(f"- {literal(r.text(lang))}" for r in pre.recodes))


def problems_table(pre: Preview, lang: str) -> None:
    """Row, column, value and reason of each problem, with the whole list as CSV."""
    names = {k: t(f"ingest.page.problem_{k}", lang) for k in ("row", "column", "value", "reason")}

    def table(allowed: bool) -> pd.DataFrame:
        return pd.DataFrame([{names["row"]: p.row, names["column"]: p.column,
                              names["value"]: p.value, names["reason"]: p.text(lang, allowed)}
                             for p in pre.problems], columns=list(names.values()))

    frame = table(allowed=False)  # the answers allowed are listed once per column, below
    widths: dict[str, Literal["small", "medium", "large"]] = {
        "row": "small", "column": "medium", "value": "medium", "reason": "large"}
    config = {names[k]: st.column_config.Column(width=w) for k, w in widths.items()}
    st.markdown(f"**{t('ingest.page.problems_title', lang)}**")
    st.caption(t("ingest.page.problems_caption", lang,
                 n=fmt.number(pre.problems_total, lang),
                 rows=fmt.number(pre.rows_with_problems, lang)))
    st.dataframe(frame.head(SHOWN_PROBLEMS), hide_index=True, width="stretch",
                 column_config=config, height=min(38 + 35 * min(len(frame), SHOWN_PROBLEMS), 360))
    below_scale_note(pre, lang)
    allowed_answers(pre, lang)
    st.download_button(t("ingest.page.problems_csv", lang),
                       data=lambda: to_csv_bytes(table(allowed=True)),
                       file_name=f"problemi_{pre.file_name}.csv", mime="text/csv",
                       on_click="ignore", icon=":material/download:", key="upload_problems_csv")


def below_scale_note(pre: Preview, lang: str) -> None:
    """Numbers below a scale: where to say they mean «not applicable» (once, not per row)."""
    values = sorted({str(p.value) for p in pre.problems if p.reason == "below_scale"})
    if values:
        st.caption(t("ingest.page.below_scale_note", lang,
                     values=", ".join(_quoted(v, lang) for v in values)))


def _quoted(text: str, lang: str) -> str:
    """A value from the file, quoted as `lang` quotes and shown literally."""
    return t("ingest.reason.quoted", lang, text=literal(text))


def allowed_answers(pre: Preview, lang: str) -> None:
    """The answers each column with unknown ones accepts (the table says only «not allowed»)."""
    columns = dict.fromkeys((p.column, p.question) for p in pre.problems
                            if p.unknown_answer and p.question)
    if not columns:
        return
    st.markdown(f"**{t('ingest.page.allowed_title', lang)}**")
    frame = pd.DataFrame([(column, allowed_options(qid, lang)) for column, qid in columns],
                         columns=[t("ingest.page.problem_column", lang),
                                  t("ingest.page.allowed_header", lang)])
    st.table(frame, hide_index=True)


def _commit(uploaded: UploadedFile, pre: Preview, lang: str) -> None:
    options = replace(pre.options, accept_partial=pre.rows_with_problems > 0)
    with st.status(t("ingest.page.step_read", lang), expanded=True) as status:
        bar = st.progress(0.0)
        with saved_upload(uploaded.getvalue(), uploaded.name) as upload:
            result = commit.ingest(data.store(), upload, options,
                                   (pre.respondents, pre.rows_with_problems),
                                   _progress(lang, status, bar))
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


def _close(flag: str) -> None:
    st.session_state.pop(flag, None)


def confirm_dialog(uploaded: UploadedFile, pre: Preview, lang: str) -> None:
    """What will happen, and the analyst's confirmation (partial imports say so)."""
    @st.dialog(t("ingest.page.confirm_title", lang), width="medium",
               on_dismiss=lambda: _close(CONFIRMING))
    def dialog() -> None:
        waves = ", ".join(str(w) for w in (pre.options.wave,) if w) or \
            ", ".join(map(str, pre.waves))
        st.markdown(t("ingest.page.confirm_text", lang, n=fmt.number(pre.rows_ok, lang),
                      file=pre.file_name, waves=waves))
        if pre.rows_with_problems:
            st.warning(t("ingest.page.confirm_partial", lang,
                         q=fmt.number(pre.rows_with_problems, lang)), icon=":material/warning:")
        if pre.options.mode == "replace":
            st.warning(t("ingest.page.confirm_replace", lang, waves=waves),
                       icon=":material/swap_horiz:")
        left, right = st.columns(2)
        if left.button(t("ingest.page.confirm", lang), type="primary", key="upload_confirm",
                       width="stretch"):
            _close(CONFIRMING)
            _commit(uploaded, pre, lang)
            st.rerun()
        if right.button(t("ingest.page.cancel", lang), key="upload_cancel", width="stretch"):
            _close(CONFIRMING)
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
    if pre.columns:
        with st.expander(t("ingest.page.mapping_title", lang), expanded=pre.refusal is not None
                         or pre.source not in ("canonical",), icon=":material/table_edit:"):
            mapping_editor(pre, lang)
    recodes(pre, lang)
    if pre.problems:
        problems_table(pre, lang)
    actions(uploaded, pre, lang)


def undo_dialog(upload_id: str, lang: str) -> None:
    @st.dialog(t("ingest.page.undo_title", lang), width="medium",
               on_dismiss=lambda: _close(UNDOING))
    def dialog() -> None:
        st.markdown(t("ingest.page.undo_text", lang, upload_id=upload_id))
        left, right = st.columns(2)
        if left.button(t("ingest.page.undo_confirm", lang), type="primary", key="undo_confirm",
                       width="stretch"):
            _close(UNDOING)
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
            _close(UNDOING)
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

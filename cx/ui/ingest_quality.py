"""Carica dati's «Qualità delle risposte»: the response quality flags of the preview
(`cx.ingest.quality`), counted per kind, each with its rows in an expander, the whole list as
CSV/XLSX, the completion time and the method. Flags never block the commit."""

from __future__ import annotations

import streamlit as st

from cx import fmt
from cx.export import to_csv_bytes, to_xlsx_bytes
from cx.i18n import t
from cx.ingest import quality_time
from cx.ingest.preview import Preview
from cx.ingest.quality import (
    CODES,
    MIN_ANSWERED,
    MIN_ITEMS,
    Flag,
    Quality,
    rows_table,
    timing_text,
)
from cx.ui import glossary
from cx.ui.widgets import literal

SHOWN_ROWS = 1000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def quality_section(pre: Preview, lang: str) -> None:
    """The flags with their counts and rows, the completion time, the method."""
    found = pre.quality
    if found is None:
        return
    st.markdown(f"**{t('quality.page.title', lang)}**")
    if not found.flags:
        st.caption(t("quality.page.none", lang, n=fmt.number(found.checked, lang)))
    else:
        st.caption(t("quality.page.caption", lang, n=fmt.number(found.checked, lang)))
        _counts(found, lang)
        for flag in found.flags:
            _flag_rows(flag, lang)
        _downloads(pre, found, lang)
    _timing(found, lang)
    with st.expander(t("quality.page.method_title", lang), icon=":material/info:"):
        st.markdown(t("quality.page.method", lang, items=MIN_ITEMS, min_answered=MIN_ANSWERED,
                      min_timed=quality_time.MIN_TIMED))
        glossary.see_also(lang, "qualita_risposte")


def _counts(found: Quality, lang: str) -> None:
    """How many rows each kind of flag concerns, and how many rows in all."""
    cols = st.columns(len(CODES) + 1)
    for c, code in zip(cols, CODES):
        rows = {r.row for f in found.flags if f.code == code for r in f.rows}
        c.metric(t(f"quality.short.{code}", lang), fmt.number(len(rows), lang), border=True)
    cols[-1].metric(t("quality.page.rows_flagged", lang), fmt.number(found.rows_flagged, lang),
                    border=True)


def _flag_rows(flag: Flag, lang: str) -> None:
    """One flag's sentence, its rows in a table below it."""
    table = rows_table((flag,), lang).drop(columns=t("quality.page.flag", lang))
    with st.expander(literal(flag.text(lang)), icon=":material/flag:"):
        st.dataframe(table.head(SHOWN_ROWS), hide_index=True, width="stretch",
                     height=min(38 + 35 * min(len(table), SHOWN_ROWS), 360))


def _downloads(pre: Preview, found: Quality, lang: str) -> None:
    name = f"{t('quality.page.file_name', lang)}_{pre.file_name.rsplit('.', 1)[0]}"
    row = st.container(horizontal=True, gap="small")
    row.download_button(t("quality.page.csv", lang),
                        data=lambda: to_csv_bytes(rows_table(found.flags, lang)),
                        file_name=f"{name}.csv", mime="text/csv", on_click="ignore",
                        icon=":material/download:", key="upload_quality_csv")
    row.download_button(t("quality.page.xlsx", lang),
                        data=lambda: to_xlsx_bytes(rows_table(found.flags, lang)),
                        file_name=f"{name}.xlsx", mime=XLSX_MIME, on_click="ignore",
                        icon=":material/table:", key="upload_quality_xlsx")


def _timing(found: Quality, lang: str) -> None:
    """The completion time: its median and threshold, or why there is none."""
    st.caption(timing_text(found.timing, lang, literal))

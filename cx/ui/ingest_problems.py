"""Carica dati's account of the cells: what the importer changed in those it keeps (recodes,
counted per column), and each problem (row, column, value, reason) with the answers allowed,
listed once per column, and the whole list as CSV."""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from cx import fmt
from cx.export import to_csv_bytes
from cx.i18n import t
from cx.ingest.preview import Preview
from cx.ingest.problems import allowed_options
from cx.ui.widgets import literal

SHOWN_PROBLEMS = 1000


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
    names = {k: t(f"ingest.{'glance' if k == 'respondent' else 'page'}.problem_{k}", lang)
             for k in ("row", "respondent", "column", "value", "reason")}
    ids = pre.glance.ids if pre.glance else {}

    def table(allowed: bool) -> pd.DataFrame:
        return pd.DataFrame([{names["row"]: p.row, names["respondent"]: ids.get(p.row, ""),
                              names["column"]: p.column, names["value"]: p.value,
                              names["reason"]: p.text(lang, allowed)}
                             for p in pre.problems], columns=list(names.values()))

    frame = table(allowed=False)  # the answers allowed are listed once per column, below
    widths: dict[str, Literal["small", "medium", "large"]] = {
        "row": "small", "respondent": "small", "column": "medium", "value": "medium",
        "reason": "large"}
    config = {names[k]: st.column_config.Column(width=w) for k, w in widths.items()}
    st.markdown(f"**{t('ingest.page.problems_title', lang)}**")
    st.caption(t("ingest.page.problems_caption", lang,
                 problems=t("ingest.page.problems_n", lang, n=fmt.number(pre.problems_total, lang)),
                 rows=t("ingest.page.rows_n", lang, n=fmt.number(pre.rows_with_problems, lang))))
    st.dataframe(frame.head(SHOWN_PROBLEMS), hide_index=True, width="stretch",
                 column_config=config, height=min(38 + 35 * min(len(frame), SHOWN_PROBLEMS), 360))
    below_scale_note(pre, lang)
    allowed_answers(pre, lang)
    st.download_button(t("ingest.page.problems_csv", lang),
                       data=lambda: to_csv_bytes(table(allowed=True)),
                       file_name=f"problemi_{fmt.file_stem(pre.file_name)}.csv", mime="text/csv",
                       on_click="ignore", icon=":material/download:", key="upload_problems_csv")


def below_scale_note(pre: Preview, lang: str) -> None:
    """Numbers below a scale: where to say they mean «not applicable» (once, not per row)."""
    values = sorted({str(p.value) for p in pre.problems if p.reason == "below_scale"})
    if values:
        st.caption(t("ingest.page.below_scale_note", lang,
                     values=", ".join(quoted(v, lang) for v in values)))


def quoted(text: str, lang: str) -> str:
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

"""Carica dati's look at the rows themselves, before anything is written: the first rows as the
app will store them (labels decoded, so that «Caffè» can be checked), the questions the file
answers against the questionnaire's, and what the upload does to the waves and companies (the
confirmation says it)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from cx import fmt
from cx.i18n import t
from cx.ingest.preview import Preview, covered_questions, uncovered_questions
from cx.questionnaire import MULTI_SEPARATOR, Question, questionnaire
from cx.ui import data
from cx.ui.widgets import literal

SHOWN_NAMES = 5  # new companies named in the confirmation; the rest counted


def _decoded(q: Question, value: object, lang: str) -> str:
    """A stored answer as the app shows it: an option's label, a number, the text as written."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if q.options:
        parts = [p for p in str(value).split(MULTI_SEPARATOR) if p]
        return ", ".join(q.option_label(p, lang) for p in parts)
    if isinstance(value, float):
        return fmt.number(value, lang, 0 if value.is_integer() else 1)
    return str(value)


def first_rows_table(pre: Preview, lang: str) -> pd.DataFrame:
    """The first rows, one column per question (its text as header), answers decoded."""
    if pre.glance is None or pre.glance.first.empty:
        return pd.DataFrame()
    qn = questionnaire()
    first = pre.glance.first
    table: dict[str, list[object]] = {
        t("ingest.page.problem_row", lang): list(first["row_no"].astype(int))}
    for qid in (c for c in first.columns if c != "row_no"):
        q = qn[qid]
        header = q.text(lang) if len(q.text(lang)) <= 40 else q.text(lang)[:38] + "…"
        table[header] = [_decoded(q, v, lang) for v in first[qid]]
    return pd.DataFrame(table)


def first_rows(pre: Preview, lang: str) -> None:
    """The first rows as they will be stored (an expander, open: a wrong encoding shows here)."""
    table = first_rows_table(pre, lang)
    if table.empty:
        return
    with st.expander(t("ingest.glance.first_rows_title", lang, n=len(table)), expanded=True,
                     icon=":material/table_rows:"):
        st.caption(t("ingest.glance.first_rows_caption", lang))
        st.dataframe(table, hide_index=True, width="stretch", key="upload_first_rows")


def target_wave(pre: Preview) -> int | None:
    """The wave the rows go to: the one chosen, else the file's only one."""
    if pre.options.wave:
        return pre.options.wave
    return pre.waves[0] if len(pre.waves) == 1 else None


def coverage(pre: Preview, lang: str) -> None:
    """How many of the questionnaire's questions the file answers, and those it leaves
    without data (named: on a new wave their charts will be empty)."""
    if not pre.mapped:
        return
    qn = questionnaire()
    wave = target_wave(pre)
    covered = covered_questions(pre.mapped, qn)
    missing = uncovered_questions(pre.mapped, qn, wave)
    if not missing:
        st.caption(t("ingest.glance.covers_all", lang, n=len(covered)))
        return
    new_wave = wave is not None and wave not in data.waves(*data.key())
    key = "covers_new_wave" if new_wave or pre.options.mode == "replace" else "covers_some"
    text = t(f"ingest.glance.{key}", lang, n=len(covered), total=len(covered) + len(missing),
             wave=wave or "–", missing=len(missing))
    (st.warning if key != "covers_some" else st.info)(text, icon=":material/rule:")
    with st.expander(t("ingest.glance.missing_title", lang, n=len(missing))):
        st.markdown("\n".join(f"- {qn[q].text(lang)}" for q in missing))  # our own texts


def wave_effect(pre: Preview, lang: str) -> str:
    """What the upload does to its wave: a new wave, a replaced one, rows added to one."""
    wave = target_wave(pre)
    if wave is None:
        return ""
    if wave not in data.waves(*data.key()):
        return t("ingest.glance.effect_new_wave", lang, wave=wave)
    mode = "replace" if pre.options.mode == "replace" else "append"
    return t(f"ingest.glance.effect_{mode}_wave", lang, wave=wave)


def companies_effect(pre: Preview, lang: str) -> str:
    """How many companies the store does not know yet (the first few named)."""
    names = pre.glance.new_companies if pre.glance else ()
    if not names:
        return t("ingest.glance.effect_no_new_companies", lang)
    shown = ", ".join(f"«{literal(n)}»" if lang == "it" else f"“{literal(n)}”"
                      for n in names[:SHOWN_NAMES])
    more = t("ingest.glance.effect_more", lang, n=len(names) - SHOWN_NAMES) \
        if len(names) > SHOWN_NAMES else ""
    return t("ingest.glance.effect_new_companies", lang, n=fmt.number(len(names), lang),
             names=shown + more)

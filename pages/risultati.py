"""Risultati: any question with the chart that fits its type, compared across groups (with
significance tests) and across waves."""

import streamlit as st

from cx import config
from cx.i18n import t
from cx.questionnaire import questionnaire
from cx.results import NONE
from cx.ui import data, frame, privacy, state
from cx.ui import results as view

frame.ensure()

lang = state.lang()
k, comment_k = config.privacy_k(), config.comment_k()

st.title(t("results.title", lang))
st.caption(t("results.intro", lang))
qid, by = view.pickers(lang)
q = questionnaire()[qid]
key = (*data.key(), state.filters())

if privacy.crossed_question(qid, state.filters(), lang):
    st.stop()
summary = view.summary(*key, qid, by, lang, k, comment_k)
# a Likert statement is drawn among the other statements of its section
items = (view.likert_items(*key, qid, lang, k)
         if q.type == "likert" and by == NONE and not summary.suppressed else None)
# with a comparison its chart carries the total too; free text keeps its answers
if by == NONE or summary.suppressed or q.type == "text":
    view.show_summary(q, summary, lang, items)
if by != NONE and not summary.suppressed:
    view.show_breakdown(q, view.breakdown(*key, qid, by, lang, k, comment_k), lang)

trend = None if summary.suppressed else view.trend(*key, qid, by, lang, k)
if trend is not None:
    view.show_trend(q, trend, lang, k)

with st.expander(t("results.method_title", lang)):
    st.markdown(t("results.method", lang, k=k, comment_k=max(k, comment_k)))
privacy.guarantee(lang)

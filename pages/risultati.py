"""Risultati: any question with the chart that fits its type, compared across groups (with
significance tests) and across waves."""

import streamlit as st

from cx import config
from cx.i18n import t
from cx.ui import frame, glossary, privacy, state
from cx.ui import results as view

frame.ensure()

current = state.view()
lang = current.lang

st.title(t("results.title", lang))
st.caption(t("results.intro", lang))
qid, by = view.pickers(lang)

if privacy.crossed_question(qid, current.filters, lang):
    st.stop()
view.show_question(qid, by, current)

with st.expander(t("results.method_title", lang)):
    st.markdown(t("results.method", lang, k=current.k, comment_k=current.text_k,
                  indicative=config.INDICATIVE_N))
    glossary.see_also(lang, "customer_journey_ideale", "customer_journey_reale", "touchpoint",
                      "buyer_personas", "nps", "csat", "ces", "piramide_cx", "six_pillars")
privacy.guarantee(lang)

"""Buyer Personas: who the Club's members are, in a few portraits built by k-means, with the
numbers behind them (map, comparison with significance, method)."""

import streamlit as st

from cx.i18n import t
from cx.personas.report import TooFew
from cx.ui import data, frame, persona_analysis, persona_cards, personas, privacy, state

frame.ensure()
view = state.view()
lang = view.lang

st.title(t("personas.title", lang))
st.caption(t("personas.intro", lang))
k = personas.k_control(lang)
report = personas.report(*data.key(), view, k)

if report is None:
    st.info(t("privacy.personas_withheld", lang, k=view.k), icon=":material/lock:")
    st.stop()
if isinstance(report, TooFew):
    st.info(t("personas.too_few", lang, n=report.n, needed=report.needed),
            icon=":material/group_off:")
    st.stop()

personas.fixed_note(view.filters, report, lang)
personas.notes(report, k, lang)
personas.your_company(view, k)
persona_cards.cards(report, lang)
st.divider()
persona_analysis.persona_map(report, lang)
st.divider()
persona_analysis.outcomes(report, lang)
st.divider()
persona_analysis.method(report, lang)
privacy.guarantee(lang)

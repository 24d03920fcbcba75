"""Buyer Personas: who the Club's members are, in a few portraits built by k-means, with the
numbers behind them (map, comparison with significance, method)."""

import streamlit as st

from cx import config
from cx.i18n import t
from cx.personas.report import TooFew
from cx.ui import data, frame, personas, privacy, state

frame.ensure()
lang = state.lang()
filters = state.filters()

st.title(t("personas.title", lang))
st.caption(t("personas.intro", lang))
k = personas.k_control(lang)
report = personas.report(*data.key(), filters, k, config.privacy_k(), config.comment_k())

if report is None:
    st.info(t("privacy.personas_withheld", lang, k=config.privacy_k()), icon=":material/lock:")
    st.stop()
if isinstance(report, TooFew):
    st.info(t("personas.too_few", lang, n=report.n, needed=report.needed),
            icon=":material/group_off:")
    st.stop()

personas.fixed_note(filters, report, lang)
personas.notes(report, k, lang)
personas.your_company(filters, k, lang)
personas.cards(report, lang)
st.divider()
personas.persona_map(report, lang)
st.divider()
personas.outcomes(report, lang)
st.divider()
personas.method(report, lang)
privacy.guarantee(lang)

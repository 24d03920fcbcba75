"""Cosa spinge i risultati: which pillars, pyramid levels or practices go with a higher Club
NPS, declared NPS or CSAT, or maturity — shares of the explained variance with their
intervals, and the importance × performance matrix."""

import streamlit as st

from cx import fmt
from cx.drivers.bootstrap import REPLICATES, SEED, UNITS
from cx.drivers.model import MIN_COMPANIES, MIN_N, MIN_R2, MIN_R2_LOW, PER_DRIVER
from cx.i18n import t
from cx.ui import data, frame, glossary, privacy, state
from cx.ui import drivers as view

frame.ensure()

current = state.view()
lang, k = current.lang, current.k

st.title(t("drivers.title", lang))
st.caption(t("drivers.intro", lang))
outcome, driver_set, segment = view.controls(current)
result = view.analysis(*data.key(), current.rules, outcome, driver_set, segment)
view.summary(result, current)
if result.ranked:
    view.charts(result, current, view.scope_text(current, segment, lang))

with st.expander(t("drivers.method_title", lang)):
    st.markdown(t("drivers.method", lang, replicates=REPLICATES, seed=SEED, min_n=MIN_N,
                  units=fmt.number(UNITS, lang),
                  per_driver=PER_DRIVER, companies=MIN_COMPANIES, k=k,
                  min_r2=fmt.number(MIN_R2, lang, 2), min_r2_low=fmt.number(MIN_R2_LOW, lang, 2)))
    if result.imputed and not current.filters.published:
        st.caption(t("drivers.imputed", lang, count=result.imputed))
    glossary.see_also(lang, "fattori_chiave", "matrice_importanza_performance", "six_pillars",
                      "piramide_cx", "indice_maturita_cx")
privacy.guarantee(lang)

"""Customer Journey: how far the journey practices have spread, which touchpoints each industry
manages, and the gap between drawing the ideal journey and checking it in the field."""

import streamlit as st

from cx.i18n import t
from cx.ui import data, frame, glossary, privacy, state
from cx.ui import journey as view

frame.ensure()

current = state.view()
lang, k = current.lang, current.k

st.title(t("journey.title", lang))
st.caption(t("journey.intro", lang))
j = view.journey(*data.key(), current.rules)
if j.suppressed:
    st.info(t("journey.suppressed", lang, n=j.respondents, k=k), icon=":material/lock:")
    st.stop()

view.show_gap(j, lang)
view.show_funnel(j, lang)
view.show_real_journey(j, current)
view.show_by_sector(j, "touchpoints", lang)

left, right = st.columns(2, gap="large")
with left:
    view.show_summary(j, "journey_stages", lang)
with right:
    view.show_summary(j, "cx_indicators", lang)

left, right = st.columns(2, gap="large")
with left:
    view.show_summary(j, "big_data", lang)
with right:
    view.show_by_sector(j, "omnichannel", lang)

left, right = st.columns(2, gap="large")
with left:
    view.show_summary(j, "listening", lang)

with st.expander(t("journey.method_title", lang)):
    st.markdown(t("journey.method", lang, k=k))
    glossary.see_also(lang, "customer_journey_ideale", "customer_journey_reale",
                      "fasi_customer_journey", "touchpoint", "formazione_customer_journey",
                      "omnicanalita", "big_data")
privacy.guarantee(lang)

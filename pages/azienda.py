"""Scheda azienda: one company against its sector and the Club, and its one-page PDF."""

import streamlit as st

from cx import config
from cx.charts.titles import Titles
from cx.filters import describe_scope
from cx.i18n import t
from cx.questionnaire import questionnaire
from cx.scorecard.figures import company_pyramid, company_radar, sector_note
from cx.ui import (
    access,
    companies,
    data,
    frame,
    glossary,
    pillars,
    privacy,
    pyramid,
    scorecard,
    state,
    widgets,
)

frame.ensure()

lang = state.lang()
k = config.privacy_k()
filters = state.filters()
viewer = access.viewer()
scope = describe_scope(filters, questionnaire(), lang)

st.title(t("scorecard.title", lang))
st.caption(t("scorecard.intro", lang))
scorecard.access_codes_panel(viewer, lang)
options = companies.company_options(*data.key(), filters, k, viewer)


@st.fragment
def company_section() -> None:
    """Everything that depends on the chosen company: a new choice reruns only this part."""
    chosen = scorecard.chosen_card(options, viewer, filters, k, lang)
    if chosen is None:
        return
    code, card = chosen
    label = options.labels[code]
    persona = scorecard.persona_sentence(card, label, state.view())
    head, button = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader(widgets.literal(label))
    head.caption(scorecard.card_facts(card, scope, lang))
    with button:
        scorecard.pdf_button(card, label, scope, lang, persona)
    scorecard.maturity_row(card, lang)

    # per-company charts are built directly: their cache key would change with every company
    widgets.chart(company_pyramid(card, label, scope, lang), "company_pyramid", lang,
                  stretch=False)
    st.caption(t("scorecard.self_assessment", lang))
    pyramid.show_foundations(card.weak, label, lang)
    versus = sector_note(card, lang)
    if versus:
        st.markdown(versus)
        st.caption(t("scorecard.sector_rule", lang))

    left, right = st.columns([1, 1], gap="large")
    with left:
        titles = Titles(t("scorecard.radar_title", lang),
                        t("scorecard.radar_subtitle", lang, company=label), lang)
        widgets.chart(company_radar(card.radar, label, titles), "company_radar", lang,
                      stretch=False)
        peers = companies.peers(*data.key(), filters, k)
        for note in pillars.benchmark_notes(card.radar, card.sector, peers, lang):
            st.caption(note)
    with right:
        scorecard.scorecard_tables(card, lang)
        scorecard.persona_block(persona, lang)
    scorecard.position_section(card, label, lang)


company_section()
if viewer.role == "public":  # the empty state's one action: a company's own code
    with st.container(border=True):
        access.company_code_form(lang, "scorecard", t("access.code_prompt", lang))
        st.caption(t("access.code_prompt_help", lang))
with st.expander(t("scorecard.method_title", lang)):
    st.markdown(t("scorecard.method", lang, k=k))
    st.markdown(t("scorecard.position.method", lang, k=k))
    glossary.see_also(lang, "posizione_azienda", "indice_maturita_cx", "piramide_cx", "six_pillars",
                      "autovalutazione", "nps", "csat", "ces", "buyer_personas")
privacy.guarantee(lang)

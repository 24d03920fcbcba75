"""Piramide CX: the Club's pyramid, segments side by side, and one company beside its sector
and the Club."""

import streamlit as st

from cx import config, fmt
from cx.charts.pyramid import PyramidLayout, pyramid_chart
from cx.charts.titles import Titles
from cx.filters import describe_scope
from cx.i18n import t
from cx.pyramid import from_measures, weak_foundations
from cx.questionnaire import questionnaire
from cx.scorecard.figures import company_pyramid, tier_labels
from cx.ui import (
    access,
    companies,
    data,
    frame,
    glossary,
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
scope = describe_scope(filters, questionnaire(), lang)
peers = companies.peers(*data.key(), filters, k)
labels = tier_labels(lang, k)

st.title(t("pyramid.title", lang))
st.caption(t("pyramid.intro", lang))
club = from_measures(peers.club).assign(panel="club")
if club["suppressed"].all():
    st.info(t("pillars.suppressed", lang, k=k, n=peers.companies), icon=":material/lock:")
    st.stop()

left, right = st.columns([3, 2], gap="large")
with left:
    subtitle = t("pyramid.subtitle", lang, scope=scope, n=fmt.number(peers.respondents, lang),
                 companies=fmt.number(peers.companies, lang)) \
        + fmt.indicative_mark(peers.respondents, lang)
    widgets.chart(widgets.spec(pyramid_chart, club, labels,
                               Titles(t("pyramid.club_title", lang), subtitle, lang)),
                  "club_pyramid", lang, club, stretch=False)
with right:
    pyramid.show_foundations(weak_foundations(peers.foundations, club),
                             t("pyramid.panel_club", lang), lang, solid=True)
    with st.expander(t("pyramid.method_title", lang)):
        st.markdown(t("pyramid.method", lang, k=k, indicative=config.INDICATIVE_N))
        glossary.see_also(lang, "piramide_cx", "autovalutazione", "six_pillars")
    privacy.guarantee(lang)

st.subheader(t("pyramid.segments_title", lang))
by = pyramid.segment_picker("per", lang)
levels, panels, hidden = pyramid.segment_panels(
    pyramid.segment_levels(*data.key(), filters, by, k), by, lang)
if panels:
    by_label = pyramid.segment_key_label(by, lang).lower()
    titles = Titles(t("pyramid.segments_chart", lang, by=by_label),
                    t("pyramid.segments_subtitle", lang, scope=scope, k=k), lang)
    widgets.chart(widgets.spec(pyramid_chart, levels, labels, titles,
                               PyramidLayout(tuple(panels.items()), width=300, height=200)),
                  "segment_pyramids", lang, levels, stretch=False)
if hidden:
    st.caption(t("pyramid.segments_hidden", lang, k=k, names=", ".join(hidden)))

st.subheader(t("pyramid.company_title", lang))


@st.fragment
def company_section() -> None:
    """The chosen company beside its sector and the Club: a new choice reruns only this."""
    viewer = access.viewer()
    options = companies.company_options(*data.key(), filters, k, viewer)
    chosen = scorecard.chosen_card(options, viewer, filters, k, lang)
    if chosen is None:
        return
    code, card = chosen
    widgets.chart(company_pyramid(card, options.labels[code], scope, lang), "company_pyramid", lang,
                  stretch=False)
    pyramid.show_foundations(card.weak, options.labels[code], lang)


company_section()

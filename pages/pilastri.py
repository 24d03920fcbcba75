"""Six Pillars: radars of up to four companies over the Club's median and band, the Club's
ranking of pillars, and the companies × pillars heatmap."""

import streamlit as st

from cx import config, fmt
from cx.charts.pillars import ROLES, ranking_chart
from cx.charts.titles import Titles
from cx.filters import describe_scope
from cx.i18n import t
from cx.pillars import pillar_ranking, radar_profiles
from cx.questionnaire import questionnaire
from cx.scorecard.figures import company_radar, pillar_axes, ranking_summary, sector_name
from cx.ui import access, companies, data, frame, glossary, pillars, privacy, state, widgets

frame.ensure()

lang = state.lang()
k = config.privacy_k()
filters = state.filters()
viewer = access.viewer()
scope = describe_scope(filters, questionnaire(), lang)
peers = companies.peers(*data.key(), filters, k)
axes = pillar_axes(lang)

st.title(t("pillars.title", lang))
st.caption(t("pillars.intro", lang))
ranking = pillar_ranking(peers.club, peers.pillars)
if ranking.empty:
    st.info(t("pillars.suppressed", lang, k=k, n=peers.companies), icon=":material/lock:")
    st.stop()


@st.fragment
def radars() -> None:
    """Up to four companies' radars side by side: a new choice reruns only this part."""
    options = companies.company_options(*data.key(), filters, k, viewer)
    labels = options.labels
    own = companies.default_company(viewer, options)  # a manager starts on their company
    chosen = companies.companies_picker("aziende", options, lang, [own] if own else []) \
        if options.codes else []
    if not options.codes and viewer.is_analyst:
        st.info(t("pillars.none_visible", lang, k=k), icon=":material/lock:")
    elif not options.codes:
        privacy.companies_withheld(lang)
    columns = st.columns(2, gap="large")
    if not chosen:
        with columns[0]:
            widgets.chart(widgets.spec(
                company_radar, radar_profiles(None, peers.band, None), "",
                Titles(t("pillars.club_radar_title", lang),
                       t("pillars.club_radar_subtitle", lang, scope=scope,
                         companies=peers.companies), lang)), "club_radar", lang, stretch=False)
        if options.codes:
            columns[1].caption(t("pillars.pick_hint", lang))
    for i, code in enumerate(chosen):
        pieces, row = pillars.radar_pieces(filters, k, code)
        with columns[i % 2]:
            titles = Titles(t("pillars.radar_title", lang, company=labels[code]),
                            t("pillars.radar_subtitle", lang,
                              sector=sector_name(row["sector"], lang),
                              n=fmt.number(row["n"], lang))
                            + fmt.indicative_mark(int(row["n"]), lang), lang)
            widgets.chart(company_radar(pieces, labels[code], titles), f"radar_{i}", lang,
                          stretch=False)
            for note in pillars.benchmark_notes(pieces, row["sector"], peers, lang):
                st.caption(note)


radars()

left, right = st.columns([3, 2], gap="large")
roles = {r: t(f"pillars.{r}", lang) for r in ROLES}
with left:
    widgets.chart(widgets.spec(
        ranking_chart, ranking, axes, roles,
        Titles(t("pillars.ranking_title", lang),
               t("pillars.ranking_subtitle", lang, scope=scope,
                 n=fmt.number(peers.respondents, lang))
               + fmt.indicative_mark(peers.respondents, lang), lang)),
        "pillar_ranking", lang, ranking)
with right:
    st.markdown(ranking_summary(peers.pillars, lang))
    st.caption(t("pillars.ranking_rule", lang))

heat, total = pillars.heatmap(*data.key(), filters, k, viewer)
if not heat.empty:  # rows of anonymous codes: folded away, the Club's view first
    with (st.container() if viewer.is_analyst and viewer.show_names
          else st.expander(t("pillars.heatmap_title", lang), icon=":material/grid_on:")):
        pillars.heatmap_chart_of(heat, axes, total, lang)
with st.expander(t("pillars.method_title", lang)):
    st.markdown(t("pillars.method", lang, k=k))
    glossary.see_also(lang, "six_pillars", "autovalutazione", "piramide_cx")
privacy.guarantee(lang)

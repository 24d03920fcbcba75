"""Panoramica: where the Club stands, in six numbers, three charts and a few sentences."""

import streamlit as st

from cx import charts, config, fmt
from cx.charts.pyramid import pyramid_chart
from cx.charts.titles import Titles
from cx.i18n import t
from cx.overview import answered, by_score, summary
from cx.pyramid import from_measures
from cx.questionnaire import questionnaire
from cx.scorecard.figures import tier_labels
from cx.scoring import STAGES
from cx.ui import coverage, data, frame, glance, glossary, privacy, state, widgets

frame.ensure()


lang = state.lang()
k = config.privacy_k()
filters = state.filters()
ov = data.overview(*data.key(), filters, k)
charts_key = (*data.key(), filters, k, lang)  # what the charts' arguments are made of

st.title(t("overview.title", lang))
st.caption(t("app.tagline", lang))
if glance.empty_state(ov, lang):
    st.stop()
weighted = coverage.toggle(lang)

glance.tiles(ov, filters, lang, k)

if weighted:
    coverage.weighted_section(lang, k, ov)
privacy.withheld_note(lang)

with st.container(border=True):
    st.markdown(f"**{t('overview.summary_title', lang)}**")
    lines = summary(ov, lang, glance.segment_words(filters, lang))
    st.markdown("\n".join(f"- {line}" for line in lines))

stage_labels = {s: t(f"stage.{s}", lang) for s in STAGES}
score_labels = {m: t(f"score.{m}", lang) for m in ov.pillars["measure"]}
club = from_measures(ov.pyramid).assign(panel="club")
n_pyramid = int(ov.pyramid["n"].max())
n_pillars = int(ov.pillars["n"].max())
left, right = st.columns(2, gap="large")
with left:
    stages_title = t("overview.stages_title", lang)
    if ov.stages.attrs["n"]:
        widgets.chart(widgets.spec(
            charts.stage_chart, ov.stages, stage_labels,
            Titles(stages_title,
                   t("overview.stages_subtitle", lang, n=ov.stages.attrs["n"])
                   + fmt.indicative_mark(ov.stages.attrs["n"], lang), lang), key=charts_key),
            "maturity_stages", lang, ov.stages)
    else:
        glance.not_asked(stages_title, lang)
with right:
    pyramid_title = glance.scoped("overview.pyramid_title", filters, lang)
    if answered(ov.pyramid):
        widgets.chart(widgets.spec(
            pyramid_chart, club, tier_labels(lang, k),
            Titles(pyramid_title, t("overview.pyramid_subtitle", lang, n=n_pyramid)
                   + fmt.indicative_mark(n_pyramid, lang), lang), key=charts_key),
            "club_pyramid", lang, club, stretch=False)
    else:
        glance.not_asked(pyramid_title, lang)
pillars_title = glance.scoped("overview.pillars_title", filters, lang)
if answered(ov.pillars):
    widgets.chart(widgets.spec(
        charts.profile_chart, by_score(ov.pillars), score_labels,
        Titles(pillars_title, t("overview.pillars_subtitle", lang, n=n_pillars)
               + fmt.indicative_mark(n_pillars, lang), lang), key=charts_key),
        "club_pillars", lang, by_score(ov.pillars))
else:
    glance.not_asked(pillars_title, lang)

coverage.coverage_section(lang, k)

with st.expander(t("overview.method_title", lang)):
    weights = ", ".join(f"{t(f'personas.question.{q.id}', lang)} "
                        f"{fmt.number(q.weight, lang, 0 if q.weight.is_integer() else 1)}"
                        for q in questionnaire().practices)
    st.markdown(t("overview.method", lang, weights=weights, k=k, indicative=config.INDICATIVE_N))
    glossary.see_also(lang, "nps", "csat", "ces", "indice_maturita_cx", "piramide_cx",
                      "six_pillars", "autovalutazione", "customer_journey_ideale")
privacy.guarantee(lang)

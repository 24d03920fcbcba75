"""Panoramica: where the Club stands, in six numbers, three charts and a few sentences."""

import streamlit as st

from cx import charts, config, fmt
from cx.charts.titles import Titles
from cx.filters import describe_wave
from cx.i18n import t
from cx.overview import maturity_note, summary
from cx.questionnaire import questionnaire
from cx.scoring import STAGES
from cx.ui import coverage, data, frame, glossary, privacy, state, widgets

frame.ensure()


lang = state.lang()
k = config.privacy_k()
ov = data.overview(*data.key(), state.filters(), k)

st.title(t("overview.title", lang))
st.caption(t("app.tagline", lang))
weighted = coverage.toggle(lang)

cols = st.columns(6)
with cols[0]:
    waves = describe_wave(state.filters(), lang)
    widgets.tile(t("overview.respondents", lang), fmt.number(ov.respondents, lang),
                 t("overview.respondents_caption", lang, waves=waves))
with cols[1]:
    widgets.tile(t("overview.companies", lang), fmt.number(ov.companies, lang),
                 t("overview.companies_caption", lang,
                   ratio=fmt.number(ov.respondents / max(ov.companies, 1), lang, 1)))
with cols[2]:
    widgets.aggregate_tile(t("overview.club_nps", lang), ov.nps, lang, k, "signed")
with cols[3]:
    widgets.aggregate_tile(t("overview.maturity", lang), ov.maturity, lang, k,
                           note=maturity_note(ov, lang))
with cols[4]:
    widgets.aggregate_tile(t("overview.journey_map", lang), ov.journey_map, lang, k, "percent")
with cols[5]:
    widgets.aggregate_tile(t("overview.measures_nps", lang), ov.measures_nps, lang, k, "percent")

if weighted:
    coverage.weighted_section(lang, k, ov)
privacy.withheld_note(lang)

with st.container(border=True):
    st.markdown(f"**{t('overview.summary_title', lang)}**")
    st.markdown("\n".join(f"- {line}" for line in summary(ov, lang)))

if ov.suppressed:
    widgets.suppressed_notice(lang, k, ov.respondents)
    st.stop()

stage_labels = {s: t(f"stage.{s}", lang) for s in STAGES}
score_labels = {m: t(f"score.{m}", lang) for m in (*ov.pyramid["measure"], *ov.pillars["measure"])}
left, right = st.columns(2, gap="large")
with left:
    widgets.chart(widgets.spec(
        charts.stage_chart, ov.stages, stage_labels,
        Titles(t("overview.stages_title", lang),
               t("overview.stages_subtitle", lang, n=ov.stages.attrs["n"])
               + fmt.indicative_mark(ov.stages.attrs["n"], lang), lang)),
        "maturity_stages", lang, ov.stages)
with right:
    widgets.chart(widgets.spec(
        charts.profile_chart, ov.pyramid, score_labels,
        Titles(t("overview.pyramid_title", lang),
               t("overview.pyramid_subtitle", lang, n=int(ov.pyramid["n"].max()))
               + fmt.indicative_mark(int(ov.pyramid["n"].max()), lang), lang)),
        "club_pyramid", lang, ov.pyramid)
widgets.chart(widgets.spec(
    charts.profile_chart, ov.pillars, score_labels,
    Titles(t("overview.pillars_title", lang),
           t("overview.pillars_subtitle", lang, n=int(ov.pillars["n"].max()))
           + fmt.indicative_mark(int(ov.pillars["n"].max()), lang), lang)),
    "club_pillars", lang, ov.pillars)

coverage.coverage_section(lang, k)

with st.expander(t("overview.method_title", lang)):
    weights = ", ".join(f"{t(f'personas.question.{q.id}', lang)} "
                        f"{fmt.number(q.weight, lang, 0 if q.weight.is_integer() else 1)}"
                        for q in questionnaire().practices)
    st.markdown(t("overview.method", lang, weights=weights, k=k, indicative=config.INDICATIVE_N))
    glossary.see_also(lang, "nps", "csat", "ces", "indice_maturita_cx", "piramide_cx",
                      "six_pillars", "autovalutazione", "customer_journey_ideale")
privacy.guarantee(lang)

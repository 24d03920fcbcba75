"""Customer Journey in the UI: the page's results cached per (database, data version, the
view's rules) — one result for both languages — and the blocks that show them."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from typing import Any

import streamlit as st

from cx import fmt, results, touchpoints
from cx.charts import journey as journey_charts
from cx.charts import results as charts
from cx.charts.questions import breakdown_plot, summary_plot
from cx.charts.titles import Titles
from cx.i18n import t
from cx.journey import (
    Journey,
    Tallies,
    compute_journey,
    funnel_labelled,
    funnel_subtitle,
    gap_sentence,
    tally_keys,
)
from cx.privacy import crosses
from cx.questionnaire import questionnaire
from cx.results import Labels
from cx.ui import results as results_ui
from cx.ui import widgets
from cx.view import View


# Shared, read-only: its tallies by company are tens of MB at a million respondents, which
# cache_data copied for every session on every rerun
@st.cache_resource(max_entries=16, show_spinner=False)
def journey(db: str, data_version: int, rules: View) -> Journey:
    """Everything the page shows, from six DuckDB aggregates."""
    filters = rules.filters
    tallies = Tallies(lambda key: results_ui.tally(db, data_version, key, filters), tally_keys())
    return compute_journey(tallies, questionnaire(), rules, not crosses(filters, "sector"))


def show_gap(j: Journey, lang: str) -> None:
    """Drawing the ideal journey versus checking it in the field: three numbers, one sentence."""
    if j.gap is None:
        return
    cols = st.columns(3)
    for col, key, agg in ((cols[0], "journey.draws", j.gap.draws),
                          (cols[1], "journey.checks", j.gap.checks),
                          (cols[2], "journey.unchecked", j.gap.unchecked)):
        with col:
            widgets.aggregate_tile(t(key, lang), agg, lang, j.k, "percent")
    st.markdown(gap_sentence(j.gap, lang))


def show_funnel(j: Journey, lang: str) -> None:
    if j.funnel.empty:
        return
    steps = funnel_labelled(j.funnel, lang)
    subtitle = funnel_subtitle(j.funnel, lang)
    chart = widgets.spec(journey_charts.funnel_chart, steps, t("journey.funnel_alone", lang),
                         t("journey.funnel_together", lang),
                         Titles(t("journey.funnel_title", lang), subtitle, lang))
    widgets.chart(chart, "journey_funnel", lang, steps)


def show_summary(j: Journey, qid: str, lang: str) -> None:
    """Stages, indicators or Big Data: % of respondents per option."""
    s = j.summaries[qid]
    name = qid.removeprefix("cx_").removeprefix("journey_")
    since = questionnaire()[qid].since
    if s.n == 0 and since is not None:  # no wave of the selection asked it
        st.markdown(f"**{t(f'journey.{name}_title', lang)}**")
        st.info(t("journey.not_asked_here", lang, since=since), icon=":material/info:")
        return
    if s.suppressed:
        st.info(t("journey.hidden", lang, k=j.k), icon=":material/lock:")
        return
    titles = Titles(t(f"journey.{name}_title", lang),
                    t(f"journey.{name}_subtitle", lang, n=fmt.number(s.n, lang)), lang)
    labels = Labels(questionnaire()[qid], questionnaire(), lang)
    results_ui.show_plot(summary_plot(s, labels, titles=titles), f"journey_{qid}", lang)


def show_by_sector(j: Journey, qid: str, lang: str) -> None:
    """Touchpoints (heatmap) or omnichannel integration (diverging bars) by industry."""
    bd = j.by_sector[qid]
    if not bd.shown or bd.comparison is None or bd.groups is None:
        st.info(t(f"results.hidden_{bd.hidden}", lang, k=j.k), icon=":material/info:")
        return
    n = fmt.number(sum(bd.groups.sizes.values()), lang)
    titles = Titles(t(f"journey.{qid}_title", lang), t(f"journey.{qid}_subtitle", lang, n=n),
                    lang)
    labels = Labels(questionnaire()[qid], questionnaire(), lang, "sector")
    plot = breakdown_plot(bd, labels, titles)
    if plot is not None and plot.builder is charts.likert_chart:
        # a half-width column: shorter row labels, a legend in two rows
        plot = replace(plot, kwargs=(("width", 24), ("legend_most", 2)))
    test, effect, deff = bd.comparison.test, bd.comparison.effect, bd.comparison.deff
    if plot is not None:
        results_ui.show_plot(results_ui.with_test(plot, test, effect, labels, deff),
                             f"journey_{qid}_sector", lang)
    st.markdown(results.verdict_text(test, lang, effect, labels))
    if deff > results_ui.DEFF_SHOWN:
        st.caption(t("results.clustered", lang, deff=fmt.number(deff, lang, 2)))
    if bd.groups.merged:
        st.caption(t("results.merged", lang, k=j.k, groups=labels.merged(bd.groups.merged)))
    with st.expander(t("journey.crosstab", lang)):
        results_ui.show_crosstab(results.crosstab_table(bd.comparison, labels))
        st.caption(results_ui.crosstab_help(bd, labels))


def show_real_journey(j: Journey, view: View) -> None:
    """How far the ideal journey is applied at each touchpoint, its gap, where pain points
    are collected; or that the wave shown did not ask it."""
    lang, qn = view.lang, questionnaire()
    st.subheader(t("journey.real_title", lang))
    wave, since = view.filters.wave, qn[f"{touchpoints.APPLY}store"].since
    if wave is not None and since is not None and wave < since:
        st.info(t("journey.not_asked", lang, wave=wave, since=since), icon=":material/info:")
        return
    table, families = j.real, j.families
    shown = table[~table["suppressed"]] if len(table) else table
    if shown.empty:
        st.info(t("journey.real_none", lang, since=since, k=view.k), icon=":material/info:")
        return
    names = {o.code: o.label(lang) for o in qn["touchpoints"].options}
    labelled = shown.assign(label=shown["touchpoint"].map(names))
    n = fmt.number(int(shown["n"].max()), lang)
    titles = Titles(t("journey.real_chart", lang), t("journey.real_subtitle", lang, n=n), lang)
    chart = widgets.spec(journey_charts.application_chart, labelled, titles)
    widgets.chart(chart, "journey_real", lang, labelled)
    st.caption(t("journey.real_caption", lang))
    cols = st.columns(max(len(families), 1))
    for col, row in zip(cols, families.to_dict("records")):
        with col:
            _family_tile(row, view)
    pains = labelled.dropna(subset=["pain"]).sort_values("pain", ascending=False).head(3)
    if not pains.empty:
        where = {o.code: o.label(lang) for o in qn[touchpoints.PAIN].options}
        parts = [t("journey.pain_part", lang,
                   where=where[touchpoints.PAIN_AT + str(r["touchpoint"])][:1].lower()
                   + where[touchpoints.PAIN_AT + str(r["touchpoint"])][1:],
                   share=fmt.percent_with_article(float(r["pain"]), lang),
                   n=fmt.number(int(r["pain_n"]), lang))
                 for r in pains.to_dict("records")]
        st.markdown(t("journey.pain_sentence", lang, parts="; ".join(parts)))

def _family_tile(row: dict[Hashable, Any], view: View) -> None:
    """A family's application (0–100) with its n and interval."""
    lang, n = view.lang, int(row["n"])
    label = t(f"journey.family_{row['family']}", lang)
    if row["suppressed"]:
        widgets.tile(label, "–", t("app.suppressed", lang, k=view.k, n=n))
        return
    ci = fmt.interval(float(row["low"]), float(row["high"]), lang)
    widgets.tile(label, fmt.number(float(row["value"]), lang),
                 t("app.n_ci", lang, n=fmt.number(n, lang), ci=ci))

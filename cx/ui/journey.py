"""Customer Journey in the UI: the page's results cached per (database, data version, filters,
language), and the blocks that show them."""

from __future__ import annotations

import streamlit as st

from cx import fmt, results
from cx.charts import journey as journey_charts
from cx.charts import results as charts
from cx.charts.titles import Titles
from cx.filters import Filters
from cx.i18n import t
from cx.journey import Journey, compute_journey, gap_sentence, tally_keys
from cx.privacy import crosses
from cx.questionnaire import questionnaire
from cx.ui import results as results_ui
from cx.ui import widgets


@st.cache_data(max_entries=64, show_spinner=False)
def journey(db: str, data_version: int, filters: Filters, lang: str, k: int) -> Journey:
    """Everything the page shows, from six DuckDB aggregates."""
    tallies = {key: results_ui.tally(db, data_version, key, filters) for key in tally_keys()}
    return compute_journey(tallies, questionnaire(), k, lang, not crosses(filters, "sector"))


def show_gap(j: Journey, lang: str) -> None:
    """Drawing the ideal journey versus checking it in the field: three numbers, one sentence."""
    if j.gap is None:
        return
    cols = st.columns(3)
    for col, key, agg, value in (
            (cols[0], "journey.draws", j.gap.draws, fmt.percent(j.gap.draws.value, lang)),
            (cols[1], "journey.checks", j.gap.checks, fmt.percent(j.gap.checks.value, lang)),
            (cols[2], "journey.gap", j.gap.gap,
             t("journey.gap_value", lang, value=fmt.number(j.gap.gap.value, lang)))):
        with col:
            widgets.tile(t(key, lang), value, widgets.aggregate_caption(agg, lang))
    st.markdown(gap_sentence(j.gap, lang))


def show_funnel(j: Journey, lang: str) -> None:
    if j.funnel.empty:
        return
    subtitle = t("journey.funnel_subtitle", lang, n=fmt.number(int(j.funnel["n"].iloc[0]), lang))
    chart = widgets.spec(journey_charts.funnel_chart, j.funnel, t("journey.funnel_alone", lang),
                         t("journey.funnel_together", lang),
                         Titles(t("journey.funnel_title", lang), subtitle, lang))
    widgets.chart(chart, "journey_funnel", lang, j.funnel)


def show_summary(j: Journey, qid: str, lang: str) -> None:
    """Stages, indicators or Big Data: % of respondents per option."""
    s = j.summaries[qid]
    name = qid.removeprefix("cx_").removeprefix("journey_")
    if s.suppressed:
        st.info(t("journey.hidden", lang, k=j.k), icon=":material/lock:")
        return
    subtitle = t(f"journey.{name}_subtitle", lang, n=fmt.number(s.n, lang))
    chart = widgets.spec(charts.choice_chart, s.table, t(f"journey.{name}_title", lang),
                         subtitle, lang)
    widgets.chart(chart, f"journey_{qid}", lang, s.table)


def show_by_sector(j: Journey, qid: str, lang: str) -> None:
    """Touchpoints (heatmap) or omnichannel integration (diverging bars) by industry."""
    bd = j.by_sector[qid]
    if not bd.shown or bd.comparison is None or bd.groups is None:
        st.info(t(f"results.hidden_{bd.hidden}", lang, k=j.k), icon=":material/info:")
        return
    n = fmt.number(sum(bd.groups.sizes.values()), lang)
    heading = t(f"journey.{qid}_title", lang)
    subtitle = t(f"journey.{qid}_subtitle", lang, n=n)
    crosstab = bd.comparison.crosstab
    if qid == "touchpoints":
        chart = widgets.spec(charts.heatmap_chart, crosstab, t("results.total", lang), heading,
                             subtitle, lang)
    else:
        # a half-width column: shorter row labels, a legend in two rows
        chart = widgets.spec(charts.likert_chart, crosstab, list(questionnaire()[qid].codes),
                             heading, subtitle, lang, width=24, legend_most=2)
    widgets.chart(chart, f"journey_{qid}_sector", lang, crosstab)
    st.markdown(results.verdict_text(bd.comparison.test, lang))
    if bd.groups.merged:
        st.caption(t("results.merged", lang, k=j.k, groups=", ".join(bd.groups.merged)))
    with st.expander(t("journey.crosstab", lang)):
        results_ui.show_crosstab(results.crosstab_table(bd.comparison, bd.kind, lang))
        st.caption(results_ui.crosstab_help(bd, lang))

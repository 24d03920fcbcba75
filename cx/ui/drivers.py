"""Cosa spinge i risultati in the UI: the analysis cached per (database, data version, the
view's rules, outcome, drivers, segment) — one result for both languages —, the controls and
the blocks that show it. Visitors' analyses read the published table, like every other page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx import fmt
from cx.charts.drivers import MatrixText, matrix_chart, shares_chart
from cx.charts.titles import Titles
from cx.drivers import data as drivers_data
from cx.drivers import text
from cx.drivers.data import CLUB, PERSONA, SEGMENT_DIMENSIONS, SETS, Segment
from cx.drivers.model import QUADRANTS, Analysis, analyse
from cx.filters import Filters, describe_scope
from cx.i18n import t
from cx.personas.report import PersonaReport
from cx.personas.text import persona_label
from cx.privacy import crosses, group_label
from cx.questionnaire import questionnaire
from cx.results.verdict import p_text
from cx.ui import data, personas, state, widgets
from cx.view import View

OUTCOME_KEY, SET_KEY, DIMENSION_KEY, GROUP_KEY = "esito", "fattori", "segmento", "gruppo"
WHOLE = "club"


def frame(db: str, data_version: int, rules: View, outcome: str, driver_set: str,
          dimension: str = "") -> pd.DataFrame:
    """The outcome and its drivers over the view's respondents, with the keys a split by
    `dimension` needs. Not cached: a row per respondent (80–130 MB at a million, 0.2 s to
    read) that only a new analysis needs, and `analysis` is cached."""
    return drivers_data.load(data.store(), outcome, driver_set, rules.filters, questionnaire(),
                             dimension)


@st.cache_data(max_entries=16, show_spinner=False)
def present(db: str, data_version: int, filters: Filters, dimension: str) -> list[str]:
    """The groups of a dimension among the view's respondents."""
    counts = data.store().tally((dimension,), filters)
    return sorted(str(v) for v in counts[dimension].dropna())


def _persona_report(db: str, data_version: int, rules: View) -> PersonaReport | None:
    found = personas.report(db, data_version, rules, personas.K_AUTO)
    return found if isinstance(found, PersonaReport) else None


def _persona_keys(db: str, data_version: int, rules: View
                  ) -> tuple[pd.DataFrame, list[object]] | None:
    """The rows the view's personas were fitted on and their labels (the release's one model
    for visitors)."""
    if rules.filters.published:
        release = data.release()
        if release.persona_labels is None:
            return None
        # every published row, in the order the labels follow (as the release was made)
        keys = data.responses(db, data_version, ("wave", "respondent_id"),
                              Filters(published=True))
        return keys, list(release.persona_labels)
    report = _persona_report(db, data_version, rules)
    if report is None:
        return None
    keys = data.responses(db, data_version, ("wave", "respondent_id"), rules.filters)
    return keys, list(report.model.labels_)


@st.cache_data(max_entries=64, show_spinner=False)
def analysis(db: str, data_version: int, rules: View, outcome: str, driver_set: str,
             segment: Segment) -> Analysis:
    """The key-driver analysis of the view (or one of its segments)."""
    qn = questionnaire()
    names = drivers_data.driver_names(driver_set, qn)
    if drivers_data.defined_by(outcome, driver_set):
        return Analysis(outcome, names, "defined", 0, 0, 0)
    rows = frame(db, data_version, rules, outcome, driver_set, segment.dimension)
    if segment.dimension == PERSONA:
        found = _persona_keys(db, data_version, rules)
        if found is None:
            return Analysis(outcome, names, "too_few", 0, 0, 0)
        rows = drivers_data.with_personas(rows, *found)
    return analyse(drivers_data.in_segment(rows, segment), outcome, names, rules.k)


def dimensions(view: View) -> list[str]:
    """What the analysis may be split by: for visitors not a dimension crossing the sidebar's
    filter, personas only without a filter (the published personas are over every wave)."""
    f = view.filters
    dims = [d for d in SEGMENT_DIMENSIONS if not crosses(f, d)]
    unfiltered = f.wave is None and not (f.sectors or f.size_bands or f.regions)
    return [WHOLE, *dims, *([PERSONA] if unfiltered or not f.published else [])]


def _groups(view: View, dimension: str) -> dict[str, str]:
    """A dimension's groups present in the view: code → name."""
    lang = view.lang
    if dimension == PERSONA:
        report = data.release().personas if view.filters.published else \
            _persona_report(*data.key(), view.rules)
        if not isinstance(report, PersonaReport):
            return {}
        return {str(i + 1): persona_label(report, i, lang) for i in range(report.model.k_)}
    question = questionnaire()[dimension]
    found = set(present(*data.key(), view.filters, dimension))
    order = [*question.codes, *sorted(found - set(question.codes))]
    return {c: group_label(question, c, lang=lang) for c in order if c in found}


def controls(view: View) -> tuple[str, str, Segment]:
    """The outcome, the drivers and the segment chosen (codes in the URL)."""
    lang = view.lang
    cols = st.columns([2, 2, 2, 3])
    state.bind_url(OUTCOME_KEY, list(drivers_data.OUTCOMES), drivers_data.OUTCOMES[0])
    outcome = cols[0].selectbox(t("drivers.outcome_label", lang), drivers_data.OUTCOMES,
                                key=OUTCOME_KEY, format_func=lambda o: text.outcome_label(o, lang))
    state.bind_url(SET_KEY, list(SETS), SETS[0])
    driver_set = cols[1].selectbox(t("drivers.set_label", lang), SETS, key=SET_KEY,
                                   format_func=lambda s: t(f"drivers.set.{s}", lang))
    dims = dimensions(view)
    state.bind_url(DIMENSION_KEY, dims, WHOLE)
    dimension = cols[2].selectbox(t("drivers.segment_label", lang), dims, key=DIMENSION_KEY,
                                  format_func=lambda d: t(f"drivers.segment.{d}", lang))
    if dimension == WHOLE:
        return str(outcome), str(driver_set), CLUB
    groups = _groups(view, str(dimension))
    if not groups:
        cols[3].caption(t("drivers.no_groups", lang))
        return str(outcome), str(driver_set), CLUB
    state.bind_url(GROUP_KEY, list(groups), next(iter(groups)))
    group = cols[3].selectbox(t("drivers.group_label", lang), list(groups), key=GROUP_KEY,
                              format_func=groups.__getitem__)
    return str(outcome), str(driver_set), Segment(str(dimension), str(group))


def summary(a: Analysis, view: View) -> None:
    """n, R² with its interval, and what may be claimed."""
    lang = view.lang
    cols = st.columns(3)
    with cols[0]:
        widgets.tile(t("drivers.respondents", lang), fmt.number(a.n, lang),
                     t("drivers.companies", lang, companies=fmt.number(a.companies, lang)))
    if a.r2 is not None:
        with cols[1]:
            widgets.tile(t("drivers.r2_label", lang), fmt.number(a.r2, lang, 2),
                         t("app.n_ci", lang, n=fmt.number(a.n, lang),
                           ci=fmt.interval(a.r2_low, a.r2_high, lang, 2)))
        with cols[2]:
            widgets.tile(t("drivers.adjusted_label", lang), fmt.number(a.adjusted, lang, 2),
                         t("drivers.p_value", lang, p=p_text(a.p_value, lang)))
    if a.r2 is not None:
        st.markdown(text.r2_text(a, lang))
    sentence = text.verdict(a, lang)
    if a.ranked:
        st.markdown(f"**{sentence}**")
    else:
        st.info(sentence, icon=":material/info:")


def charts(a: Analysis, view: View, scope: str) -> None:
    """The shares with their intervals and the importance × performance matrix."""
    lang = view.lang
    labelled = a.table.assign(label=[text.driver_label(d, lang) for d in a.table["driver"]])
    table = text.table(a, lang)
    outcome = text.outcome_label(a.outcome, lang)
    subtitle = t("drivers.chart_subtitle", lang, scope=scope, n=fmt.number(a.n, lang),
                 companies=fmt.number(a.companies, lang)) + fmt.indicative_mark(a.n, lang)
    left, right = st.columns(2, gap="large")
    with left:
        widgets.chart(widgets.spec(
            shares_chart, labelled[["label", "share", "low", "high"]],
            t("drivers.share_axis", lang),
            Titles(t("drivers.shares_title", lang, outcome=outcome), subtitle, lang)),
            "drivers_shares", lang, table)
    with right:
        words = MatrixText(t("drivers.performance_axis", lang), t("drivers.share_axis", lang),
                           tuple((q, text.quadrant_label(q, lang)) for q in QUADRANTS))
        widgets.chart(widgets.spec(
            matrix_chart, labelled[["label", "share", "performance", "quadrant"]], words,
            Titles(t("drivers.matrix_title", lang, outcome=outcome), subtitle, lang)),
            "drivers_matrix", lang, table)
    st.caption(t("drivers.matrix_caption", lang, equal=fmt.number(100 / len(a.table), lang, 1)))
    with st.expander(t("drivers.table_title", lang), icon=":material/table:"):
        st.dataframe(table, hide_index=True, width="stretch")


def scope_text(view: View, segment: Segment, lang: str) -> str:
    """The view's filter in words, and the segment."""
    scope = describe_scope(view.filters, questionnaire(), lang)
    if segment.whole:
        return scope
    if segment.dimension == PERSONA:
        return f"{scope} · {t('drivers.segment.persona', lang)} {segment.group}"
    return f"{scope} · {group_label(questionnaire()[segment.dimension], segment.group, lang=lang)}"

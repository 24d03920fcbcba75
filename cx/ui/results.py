"""Risultati in the UI: cached answer counts and results, keyed by (database, data version,
filters, question, breakdown, language), the question pickers, and the blocks that show a
question, its comparison between groups and its trend across waves."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from cx import comments, fmt, results
from cx.charts import results as charts
from cx.charts.theme import Spec
from cx.filters import Filters
from cx.i18n import t
from cx.questionnaire import Question, questionnaire
from cx.results import Breakdown, Summary, Trend
from cx.scoring import NPS, Aggregate
from cx.ui import data, privacy, state, widgets

QUESTION_KEY = "domanda"
BREAKDOWN_KEY = "confronto"
DEFAULT_QUESTION = "cj_ideal_map"


@st.cache_data(max_entries=256, show_spinner=False)
def tally(db: str, data_version: int, columns: tuple[str, ...], filters: Filters
          ) -> pd.DataFrame:
    """Respondents per combination of answers to `columns` (aggregated in DuckDB)."""
    return data.store().tally(columns, filters)


@st.cache_data(max_entries=16, show_spinner=False)
def signatures(db: str, data_version: int) -> pd.DataFrame:
    """How each question was asked in each wave."""
    return data.store().query("wave_questions")


@st.cache_resource(max_entries=4, show_spinner=False)
def name_index(db: str, data_version: int) -> dict[str, tuple[str, ...]]:
    """Company names by first word, to blank them out of free-text answers (read-only: a
    resource, so that tens of thousands of names are not copied on every use)."""
    return comments.name_index(data.company_codes(db, data_version))


@st.cache_data(max_entries=64, show_spinner=False)
def view_counts(db: str, data_version: int, filters: Filters, qid: str, by: str
                ) -> pd.DataFrame:
    """The one DuckDB aggregate a view needs: respondents per (answer, group, wave) in every
    wave, the other filters applied. The question's summary, its breakdown and its trend are
    all sums over it."""
    extra = () if by in (results.NONE, qid, "wave") else (by,)
    return tally(db, data_version, (qid, *extra, "wave"), replace(filters, wave=None))


@st.cache_data(max_entries=64, show_spinner=False)
def summary(db: str, data_version: int, filters: Filters, qid: str, by: str, lang: str, k: int,
            comment_k: int) -> Summary:
    q = questionnaire()[qid]
    names = name_index(db, data_version) if q.type == "text" else None
    counts = results.sub_tally(view_counts(db, data_version, filters, qid, by), (qid,),
                               filters.wave)
    return results.summarise(q, counts, k, lang, comment_k, names)


@st.cache_data(max_entries=64, show_spinner=False)
def breakdown(db: str, data_version: int, filters: Filters, qid: str, by: str, lang: str,
              k: int, comment_k: int) -> Breakdown:
    qn = questionnaire()
    columns = (qid,) if by == qid else (qid, by)
    counts = results.sub_tally(view_counts(db, data_version, filters, qid, by), columns,
                               filters.wave)
    return results.break_down(qn[qid], counts, by, qn, k, lang, comment_k)


@st.cache_data(max_entries=64, show_spinner=False)
def trend(db: str, data_version: int, filters: Filters, qid: str, by: str, lang: str, k: int
          ) -> Trend | None:
    """The question across waves: every wave, the other filters applied."""
    qn = questionnaire()
    counts = results.sub_tally(view_counts(db, data_version, filters, qid, by), (qid, "wave"))
    return results.trend(qn[qid], counts, signatures(db, data_version), qn, k, lang)


@st.cache_data(max_entries=32, show_spinner=False)
def likert_items(db: str, data_version: int, filters: Filters, qid: str, lang: str, k: int
                 ) -> pd.DataFrame:
    """Every Likert item of the question's section on the same scale."""
    items = results.likert_family(questionnaire()[qid], questionnaire())
    stacked = data.store().stacked_tally([i.id for i in items], filters)
    return results.likert_items(items, stacked, k, lang)


def pickers(lang: str) -> tuple[str, str]:
    """The question (grouped by section, searchable) and the breakdown, both in the URL."""
    qn = questionnaire()
    labels = {q.id: results.picker_label(q, qn, lang) for q in results.explorable(qn)}
    state.bind_url(QUESTION_KEY, list(labels), DEFAULT_QUESTION)
    qid = st.selectbox(t("results.question", lang), list(labels), key=QUESTION_KEY,
                       format_func=labels.__getitem__)
    choices = privacy.allowed(results.BREAKDOWNS)
    state.bind_url(BREAKDOWN_KEY, choices, results.NONE)
    by = st.segmented_control(t("results.breakdown", lang), choices,
                              key=BREAKDOWN_KEY, required=True,
                              format_func=lambda b: results.breakdown_label(b, lang))
    privacy.comparison_note(lang)
    return str(qid), str(by or results.NONE)


def _n(value: float, lang: str) -> str:
    return fmt.number(value, lang)


def _ci(agg: Aggregate, lang: str, digits: int = 0, signed: bool = False) -> str:
    return fmt.interval(agg.low, agg.high, lang, digits, signed_values=signed)


def summary_subtitle(s: Summary, lang: str) -> str:
    """The subtitle of a question's chart: what is shown, the headline number, n."""
    n = _n(s.n, lang)
    head = s.headline
    if s.kind == "likert" and head is not None and s.net is not None:
        return t("results.sub_likert", lang, mean=fmt.number(head.value, lang, 1),
                 net=fmt.signed(s.net * 100, lang), n=n)
    if s.kind == "nps" and isinstance(head, NPS):
        return t("results.sub_nps", lang, nps=fmt.signed(head.value, lang),
                 ci=_ci(head, lang, signed=True), promoters=fmt.percent(head.promoters, lang),
                 detractors=fmt.percent(head.detractors, lang), n=n)
    if s.kind == "scale" and head is not None:
        return t("results.sub_scale", lang, mean=fmt.number(head.value, lang, 1),
                 ci=_ci(head, lang, 1), n=n)
    if s.kind == "number" and head is not None:
        return t("results.sub_number", lang, median=fmt.number(s.median, lang, 1),
                 mean=fmt.number(head.value, lang, 1), n=n)
    if s.kind == "text":
        return t("results.sub_words", lang, n=n)
    return t(f"results.sub_{s.kind}", lang, n=n)


def summary_chart(q: Question, s: Summary, lang: str, items: pd.DataFrame | None = None
                  ) -> Spec:
    """The spec of the chart that fits the question's type (cached across reruns). A Likert
    question is drawn among the other statements of its section (`items`), marked ▶."""
    heading, subtitle = q.text(lang), summary_subtitle(s, lang)
    if s.kind in ("single", "multi"):
        return widgets.spec(charts.choice_chart, s.table, heading, subtitle, lang)
    if s.kind == "likert" and items is not None and items["group"].nunique() > 1:
        note = t("results.sub_items", lang,
                 section=questionnaire().section_title(q.section, lang))
        return widgets.spec(charts.likert_chart, results.mark_item(items, q.id),
                            list(q.codes), heading, f"{subtitle} · {note}", lang, width=60)
    if s.kind == "likert":
        return widgets.spec(charts.likert_chart, s.table, list(q.codes), heading, subtitle,
                            lang)
    if s.kind in ("nps", "scale"):
        return widgets.spec(charts.score_chart, s.table, heading, subtitle, lang)
    if s.kind == "number":
        digits = 0 if float(s.median or 0).is_integer() else 1
        median = t("results.median", lang) + " " + fmt.number(s.median, lang, digits)
        return widgets.spec(charts.histogram_chart, s.table, float(s.median or 0), median,
                            heading, subtitle, lang)
    return widgets.spec(charts.words_chart, s.table, heading, subtitle, lang)


def show_summary(q: Question, s: Summary, lang: str, items: pd.DataFrame | None = None
                 ) -> None:
    """The question's chart with its downloads, or why it is not shown."""
    if s.suppressed:
        key = "results.text_hidden" if s.kind == "text" else "results.suppressed"
        st.info(t(key, lang, k=s.threshold, n=_n(s.n, lang)), icon=":material/lock:")
        return
    if s.kind == "text" and s.table.empty:
        st.info(t("results.no_words", lang))
    else:
        table = s.table if items is None or items.empty else items
        widgets.chart(summary_chart(q, s, lang, items), q.id, lang, table)
    if s.answers is not None:
        show_answers(s.answers, lang)


def show_answers(answers: pd.DataFrame, lang: str) -> None:
    st.subheader(t("results.answers_title", lang))
    st.caption(t("results.answers_help", lang, n=_n(answers["count"].sum(), lang),
                 distinct=_n(len(answers), lang)))
    shown = answers.rename(columns={"answer": t("results.answer", lang),
                                    "count": t("results.count", lang)})
    st.dataframe(shown, hide_index=True, width="stretch", height=min(36 * len(shown) + 40, 420))


def breakdown_chart(q: Question, bd: Breakdown, lang: str) -> Spec | None:
    """Side by side: one bar (or dot) per group, the total first."""
    comparison = bd.comparison
    if comparison is None or bd.kind == "text":
        return None
    by = results.breakdown_label(bd.by, lang).lower()
    total = t("results.total", lang)
    n = _n(sum(bd.groups.sizes.values()) if bd.groups else 0, lang)
    heading = t("results.by_title", lang, question=q.text(lang), by=by)
    if bd.kind == "single":
        return widgets.spec(charts.shares_by_group_chart, comparison.crosstab, total, q.ordered,
                            heading, t("results.sub_by_shares", lang, by=by, n=n), lang)
    if bd.kind == "multi":
        return widgets.spec(charts.heatmap_chart, comparison.crosstab, total, heading,
                            t("results.sub_by_multi", lang, n=n), lang)
    if bd.kind == "likert":
        return widgets.spec(charts.likert_chart, comparison.crosstab, list(q.codes), heading,
                            t("results.sub_by_likert", lang, by=by, n=n), lang)
    measure = t("results.nps" if bd.kind == "nps" else "results.mean", lang)
    subtitle = t("results.sub_by_means", lang, measure=measure, by=by, n=n)
    domain = (-100.0, 100.0) if bd.kind == "nps" else q.bounds
    return widgets.spec(charts.means_chart, comparison.means, total, heading, subtitle, lang,
                        signed=bd.kind == "nps", domain=domain)


def show_crosstab(table: pd.DataFrame) -> None:
    """The crosstab with its answer column pinned and wide enough for the longest answer."""
    first = str(table.index.name)
    longest = max((len(str(v)) for v in table.index), default=10)
    config = {first: st.column_config.TextColumn(width=min(max(longest, 12) * 8 + 24, 360),
                                                 pinned=True)}
    st.dataframe(table.reset_index(), hide_index=True, width="stretch", column_config=config)


def crosstab_help(bd: Breakdown, lang: str) -> str:
    if bd.kind == "text":
        return t("results.crosstab_help_words", lang)
    if bd.kind == "number":
        return t("results.crosstab_help_numbers", lang)
    if bd.comparison is not None and bd.comparison.means is not None:
        measure = t("results.nps" if bd.kind == "nps" else "results.mean", lang)
        return t("results.crosstab_help_means", lang, measure=measure)
    return t("results.crosstab_help", lang)


def show_breakdown(q: Question, bd: Breakdown, lang: str) -> None:
    """The comparison: verdict in words, chart, crosstab; or why it is not shown."""
    if not bd.shown or bd.comparison is None or bd.groups is None:
        st.info(t(f"results.hidden_{bd.hidden}", lang, k=bd.threshold), icon=":material/info:")
        return
    chart = breakdown_chart(q, bd, lang)
    table = bd.comparison.means if bd.comparison.means is not None else bd.comparison.crosstab
    if chart is not None:
        widgets.chart(chart, f"{q.id}_{bd.by}", lang, table)
    if bd.kind != "text":
        st.markdown(results.verdict_text(bd.comparison.test, lang))
    if bd.groups.merged:
        st.caption(t("results.merged", lang, k=bd.threshold,
                     groups=", ".join(bd.groups.merged)))
    st.markdown(f"**{t('results.crosstab_title', lang)}**")
    show_crosstab(results.crosstab_table(bd.comparison, bd.kind, lang))
    st.caption(crosstab_help(bd, lang))


def trend_subtitle(tr: Trend, lang: str) -> str:
    n = _n(int(tr.table.drop_duplicates("wave")["n"].sum()), lang)
    return t(f"results.sub_trend_{tr.measure}", lang,
             filters=t("results.trend_filters", lang, n=n))


def change_warnings(tr: Trend, lang: str) -> list[str]:
    """One sentence per change of wording, options or scale between two waves."""
    joiner = t("results.and", lang)
    return [t("results.changed", lang, before=c.before, after=c.after,
              aspects=joiner.join(t(f"results.aspect_{a}", lang) for a in c.aspects))
            for c in tr.changes]


def show_trend(q: Question, tr: Trend, lang: str, k: int) -> None:
    """The question across waves with its CIs, the test between waves and change warnings."""
    st.subheader(t("results.trend_title", lang))
    for warning in change_warnings(tr, lang):
        st.warning(warning, icon=":material/warning:")
    if not tr.shown:
        st.info(t(f"results.hidden_{tr.hidden}", lang, k=k), icon=":material/lock:")
        return
    chart = widgets.spec(charts.trend_chart, tr.table, tr.measure, q.text(lang),
                         trend_subtitle(tr, lang), lang)
    widgets.chart(chart, f"{q.id}_trend", lang, tr.table)
    st.markdown(results.verdict_text(tr.test, lang))

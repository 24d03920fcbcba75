"""Risultati in the UI: cached answer counts and results, keyed by (database, data version,
the view's rules, question, breakdown) — never the language, so both languages share one
computed result — the question pickers, and the blocks that show a question, its comparison
between groups and its trend across waves."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from cx import comments, fmt, results, stats
from cx.charts import trends
from cx.charts.questions import Plot, breakdown_plot, groups_mark, summary_plot
from cx.charts.titles import Titles
from cx.effects import Effect
from cx.filters import Filters
from cx.i18n import t
from cx.questionnaire import questionnaire
from cx.results import Breakdown, Labels, Summary, Trend
from cx.scoring import CLUSTER
from cx.ui import data, privacy, state, themes, widgets
from cx.view import View

QUESTION_KEY = "domanda"
BREAKDOWN_KEY = "confronto"
DEFAULT_QUESTION = "cj_ideal_map"
LONG_CELL = 18  # characters a crosstab column shows uncut at its default width


def tally(db: str, data_version: int, columns: tuple[str, ...], filters: Filters
          ) -> pd.DataFrame:
    """Respondents per combination of answers to `columns` (aggregated in DuckDB); text
    columns as categories, each value stored once, and companies as numbers 0..G−1.
    Not cached itself: its callers cache what they make of it (a tally by company has a row
    per respondent in practice, 250 MB for the journey's at a million respondents)."""
    frame = data.store().tally(columns, filters)
    if CLUSTER in frame:  # companies only cluster intervals: numbers, not names (a row per
        # respondent at scale, pickled into Risultati's cache: 39 MB of names at a million)
        frame[CLUSTER] = pd.factorize(frame[CLUSTER], use_na_sentinel=False)[0]
    text = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) == "str"]
    return frame.astype(dict.fromkeys(text, "category")) if text else frame


@st.cache_data(max_entries=16, show_spinner=False)
def signatures(db: str, data_version: int) -> pd.DataFrame:
    """How each question was asked in each wave."""
    return data.store().query("wave_questions")


@st.cache_resource(max_entries=4, show_spinner=False)
def name_index(db: str, data_version: int) -> dict[str, tuple[str, ...]]:
    """Company names by first word, to blank them out of free-text answers (read-only: a
    resource, so that tens of thousands of names are not copied on every use). The names are
    read for it alone: through the cached code table they were a dict unpickled per use (140 MB
    at a million respondents)."""
    return comments.name_index(data.store().query("company_codes")["company"])


DEFF_SHOWN = 1.005  # a design effect that changes the second decimal of a test's statistic


@st.cache_data(max_entries=64, show_spinner=False)
def view_counts(db: str, data_version: int, filters: Filters, qid: str, by: str
                ) -> pd.DataFrame:
    """The one DuckDB aggregate a view needs: respondents per (answer, group, wave, company) in
    every wave, the other filters applied. The question's summary, its breakdown and its trend
    are all sums over it; the company clusters their intervals and tests."""
    extra = () if by in (results.NONE, qid, "wave") else (by,)
    return tally(db, data_version, (qid, *extra, "wave", "company"), replace(filters, wave=None))


@st.cache_data(max_entries=64, show_spinner=False)
def summary(db: str, data_version: int, rules: View, qid: str, by: str) -> Summary:
    q = questionnaire()[qid]
    names = name_index(db, data_version) if q.qtype.name == "text" else None
    every = view_counts(db, data_version, rules.filters, qid, by)
    # by wave: an option offered from a later wave has the respondents of those waves as base
    counts = results.sub_tally(every, (qid, "wave"), rules.filters.wave)
    companies = (results.sub_tally(every, (qid, "company"), rules.filters.wave)
                 if q.kind.measure in ("mean", "nps") else None)
    return results.summarise(q, counts, rules, names, companies)


@st.cache_data(max_entries=64, show_spinner=False)
def breakdown(db: str, data_version: int, rules: View, qid: str, by: str) -> Breakdown:
    qn = questionnaire()
    columns = (qid, "company") if by == qid else (qid, by, "company")
    counts = results.sub_tally(view_counts(db, data_version, rules.filters, qid, by), columns,
                               rules.filters.wave)
    return results.break_down(qn[qid], counts, by, qn, rules)


@st.cache_data(max_entries=64, show_spinner=False)
def trend(db: str, data_version: int, rules: View, qid: str, by: str) -> Trend | None:
    """The question across waves: every wave, the other filters applied; a mean or NPS is
    tested on company means (never shown: only the test's verdict)."""
    qn = questionnaire()
    every = view_counts(db, data_version, rules.filters, qid, by)
    counts = results.sub_tally(every, (qid, "wave"))
    companies = (results.sub_tally(every, (qid, "company", "wave"))
                 if qn[qid].kind.measure in ("mean", "nps") else None)
    return results.trend(qn[qid], counts, signatures(db, data_version), qn, rules, companies)


@st.cache_data(max_entries=32, show_spinner=False)
def likert_items(db: str, data_version: int, rules: View, qid: str) -> pd.DataFrame:
    """Every Likert item of the question's section on the same scale."""
    items = results.likert_family(questionnaire()[qid], questionnaire())
    stacked = data.store().stacked_tally([i.id for i in items], rules.filters)
    return results.likert_items(items, stacked, rules)


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


def with_test(plot: Plot, test: stats.Significance, effect: Effect | None,
              labels: Labels, deff: float = 1.0) -> Plot:
    """The plot with its download carrying the test, the effect and the design effect beside
    every row."""
    if plot.table is None:
        return plot
    return replace(plot, table=results.with_test(plot.table, test, effect, labels)
                   .assign(deff=deff))


def show_plot(plot: Plot, key: str, lang: str) -> None:
    """A chart of `cx.charts.questions` with its downloads."""
    spec = widgets.spec(plot.builder, *plot.args, **dict(plot.kwargs))
    widgets.chart(spec, key, lang, plot.table)


def show_summary(s: Summary, labels: Labels, items: pd.DataFrame | None = None) -> None:
    """The question's chart with its downloads, or why it is not shown."""
    lang = labels.lang
    if s.suppressed:
        key = "results.text_hidden" if labels.q.qtype.free else "results.suppressed"
        st.info(t(key, lang, k=s.threshold, n=_n(s.n, lang)), icon=":material/lock:")
        return
    if labels.q.qtype.free and s.table.empty:
        st.info(t("results.no_words", lang))
    else:
        show_plot(summary_plot(s, labels, items), labels.q.id, lang)
    if s.answers is not None:
        show_answers(results.answers_table(s.answers, lang), lang)


def show_answers(answers: pd.DataFrame, lang: str) -> None:
    st.subheader(t("results.answers_title", lang))
    st.caption(t("results.answers_help", lang, n=_n(answers["count"].sum(), lang),
                 distinct=_n(len(answers), lang)))
    shown = answers.rename(columns={"answer": t("results.answer", lang),
                                    "count": t("results.count", lang)})
    st.dataframe(shown, hide_index=True, width="stretch", height=min(36 * len(shown) + 40, 420))


def show_crosstab(table: pd.DataFrame) -> None:
    """The crosstab with its answer column pinned and wide enough for the longest answer; a
    column holding a long cell (the effect size and gap, in Totale) as wide as that cell, the
    table scrolling sideways rather than cutting it."""
    first = str(table.index.name)
    longest = max((len(str(v)) for v in table.index), default=10)
    config = {first: st.column_config.TextColumn(width=min(max(longest, 12) * 8 + 24, 360),
                                                 pinned=True)}
    for column in table.columns:
        widest = max((len(str(v)) for v in table[column]), default=0)
        if widest > LONG_CELL:
            config[str(column)] = st.column_config.TextColumn(width=min(widest * 7 + 24, 900))
    st.dataframe(table.reset_index(), hide_index=True, width="stretch", column_config=config)


def crosstab_help(bd: Breakdown, labels: Labels) -> str:
    lang, row = labels.lang, labels.q.kind
    if row.free:
        return t("results.crosstab_help_words", lang)
    if row.summary == "number":
        return t("results.crosstab_help_numbers", lang)
    if bd.comparison is not None and bd.comparison.means is not None:
        measure = t("results.nps" if row.measure == "nps" else "results.mean", lang)
        return t("results.crosstab_help_means", lang, measure=measure)
    return t("results.crosstab_help", lang)


def show_comparison(bd: Breakdown, labels: Labels) -> None:
    """A shown comparison's verdict in words, then its crosstab."""
    assert bd.comparison is not None
    lang = labels.lang
    if not labels.q.qtype.free:
        st.markdown(results.verdict_text(bd.comparison.test, lang, bd.comparison.effect, labels))
        if bd.comparison.deff > DEFF_SHOWN:
            st.caption(t("results.clustered", lang, deff=fmt.number(bd.comparison.deff, lang, 2)))
    if bd.groups is not None and bd.groups.merged:
        st.caption(t("results.merged", lang, k=bd.threshold,
                     groups=labels.merged(bd.groups.merged)))
    st.markdown(f"**{t('results.crosstab_title', lang)}**")
    show_crosstab(results.crosstab_table(bd.comparison, labels))
    st.caption(crosstab_help(bd, labels))


def show_breakdown(bd: Breakdown, labels: Labels) -> None:
    """The comparison: chart, verdict in words, crosstab; or why it is not shown."""
    if not bd.shown or bd.comparison is None or bd.groups is None:
        st.info(t(f"results.hidden_{bd.hidden}", labels.lang, k=bd.threshold),
                icon=":material/info:")
        return
    plot = breakdown_plot(bd, labels)
    if plot is not None:
        plot = with_test(plot, bd.comparison.test, bd.comparison.effect, labels,
                         bd.comparison.deff)
        show_plot(plot, f"{labels.q.id}_{bd.by}", labels.lang)
    show_comparison(bd, labels)


def trend_subtitle(tr: Trend, lang: str) -> str:
    waves = tr.table.drop_duplicates("wave")["n"]
    n = _n(int(waves.sum()), lang) + groups_mark(waves, lang)
    return t(f"results.sub_trend_{tr.measure}", lang,
             filters=t("results.trend_filters", lang, n=n))


def change_warnings(tr: Trend, lang: str) -> list[str]:
    """One sentence per change of wording, options or scale between two waves."""
    joiner = t("results.and", lang)
    return [t("results.changed", lang, before=c.before, after=c.after,
              aspects=joiner.join(t(f"results.aspect_{a}", lang) for a in c.aspects))
            for c in tr.changes]


def show_trend(tr: Trend, labels: Labels, k: int) -> None:
    """The question across waves with its CIs, the test between waves and change warnings."""
    lang, q = labels.lang, labels.q
    st.subheader(t("results.trend_title", lang))
    for warning in change_warnings(tr, lang):
        st.warning(warning, icon=":material/warning:")
    if not tr.shown:
        st.info(t(f"results.hidden_{tr.hidden}", lang, k=k), icon=":material/lock:")
        return
    table = labels.table(tr.table)
    chart = widgets.spec(trends.trend_chart, table, tr.measure,
                         Titles(q.text(lang), trend_subtitle(tr, lang), lang), tr.axis)
    download = results.with_test(table, tr.test, tr.effect, labels)
    widgets.chart(chart, f"{q.id}_trend", lang, download)
    st.markdown(results.verdict_text(tr.test, lang, tr.effect, labels))
    if tr.paired:
        st.caption(t("results.trend_paired", lang, paired=_n(tr.paired, lang)))
    if tr.moves is not None and not tr.moves.empty:
        show_moves(tr, labels)


def show_moves(tr: Trend, labels: Labels) -> None:
    """Each option's move between the last two waves, tested on its own: said in words when
    one moved beyond chance, and as a table."""
    assert tr.moves is not None
    lang = labels.lang
    moved = results.moves_text(tr.moves, tr.test, labels)
    if moved:
        st.markdown(moved)
    before, after = sorted(int(w) for w in tr.table["wave"].unique())[-2:]
    st.markdown(f"**{t('results.moves_title', lang, before=before, after=after)}**")
    show_crosstab(results.moves_table(tr.moves, labels, (before, after)))
    st.caption(t("results.moves_help", lang))


def show_question(qid: str, by: str, view: View) -> None:
    """Everything Risultati shows for one question: its summary (a Likert statement among its
    section's), its comparison across `by`, its trend."""
    db, version = data.key()
    rules, lang, q = view.rules, view.lang, questionnaire()[qid]
    wave = rules.filters.wave
    if wave is not None and not q.asked_in(wave):
        st.info(t("results.not_asked", lang, wave=wave, since=q.since), icon=":material/info:")
        return
    labels = Labels(q, questionnaire(), lang, by)
    s = summary(db, version, rules, qid, by)
    if s.n == 0 and q.since is not None:  # no wave of the selection asked it
        st.info(t("results.not_asked_here", lang, since=q.since), icon=":material/info:")
        return
    items = (likert_items(db, version, rules, qid)
             if q.kind.chart == "likert" and by == results.NONE and not s.suppressed else None)
    if q.qtype.free and not s.suppressed:  # the themes, above the words
        themes.show_themes(qid, view)
    # with a comparison its chart carries the total too; free text keeps its answers
    if by == results.NONE or s.suppressed or q.qtype.free:
        show_summary(s, labels, items)
    if by != results.NONE and not s.suppressed:
        show_breakdown(breakdown(db, version, rules, qid, by), labels)
    tr = None if s.suppressed else trend(db, version, rules, qid, by)
    if tr is not None:
        show_trend(tr, Labels(q, questionnaire(), lang, "wave"), view.k)

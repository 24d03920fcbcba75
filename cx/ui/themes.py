"""Risultati's «Temi» for a free-text question: the themes' chart with error bars and
downloads, their table (count, share, interval, change between the last two waves), the moves
a test carries, the coverage, example answers per theme, the method; analysts rename and merge
themes (kept in the store). Cached on (database, data version, view rules, question): an edit
bumps the data version, so every session sees it."""

from __future__ import annotations

import re
from dataclasses import replace

import streamlit as st

from cx import fmt, results
from cx.charts.themes import themes_chart
from cx.charts.titles import Titles
from cx.i18n import t
from cx.questionnaire import questionnaire
from cx.results.summary import REDACTED
from cx.themes import EMERGENT_MAX, EXTRA_PREFIX, Themes, analyse, edits_of, themed
from cx.themes import labels as theme_labels
from cx.ui import access, data, glossary, widgets
from cx.view import View


@st.cache_data(max_entries=64, show_spinner=False)
def themes(db: str, data_version: int, rules: View, qid: str) -> Themes:
    """The question's themes under the view's rules (every wave's tally: moves need two)."""
    from cx.ui import results as ui_results  # it shows this section: imported when used

    counts = results.sub_tally(
        ui_results.view_counts(db, data_version, rules.filters, qid, results.NONE),
        (qid, "wave", "company"))
    edits = edits_of(data.store().theme_edits(qid))
    return analyse(qid, counts, rules, edits,
                   ui_results.name_index(db, data_version))


@st.cache_data(max_entries=16, show_spinner=False)
def extra_columns(db: str, data_version: int) -> list[str]:
    """The uploads' kept columns holding free text."""
    return data.store().extra_text_columns()


@st.cache_data(max_entries=32, show_spinner=False)
def extra_themes(db: str, data_version: int, rules: View, column: str) -> Themes:
    """The themes of a kept column of the uploads (analysts only: read from the file)."""
    from cx.ui import results as ui_results

    qid = EXTRA_PREFIX + column
    counts = data.store().extra_tally(column, replace(rules.filters, wave=None))
    edits = edits_of(data.store().theme_edits(qid))
    return analyse(qid, counts.rename(columns={"answer": qid}), rules, edits,
                   ui_results.name_index(db, data_version))


def show_themes(qid: str, view: View) -> None:
    """The «Temi» section of a free-text question (nothing for other questions); for analysts,
    the themes of the uploads' other text columns too."""
    q = questionnaire()[qid]
    if not themed(q):
        return
    lang = view.lang
    st.subheader(t("themes.title", lang))
    _section(themes(*data.key(), view.rules, qid), q.text(lang), lang)
    if access.viewer().is_analyst:
        _extras(view)


def _extras(view: View) -> None:
    """Themes of a text column of the uploads that matched no question, if there is one."""
    lang, (db, version) = view.lang, data.key()
    columns = extra_columns(db, version)
    if not columns:
        return
    st.subheader(t("themes.extras_title", lang))
    st.caption(t("themes.extras_help", lang))
    column = st.selectbox(t("themes.extras_column", lang), columns, key="themes_extra_column")
    _section(extra_themes(db, version, view.rules, str(column)), str(column), lang)


def _section(th: Themes, heading: str, lang: str) -> None:
    """One set of themes: chart, moves, table, examples, coverage, edits, method."""
    if th.suppressed:
        st.info(t("themes.hidden", lang, k=th.threshold, n=fmt.number(th.n, lang)),
                icon=":material/lock:")
        return
    if th.table.empty:
        st.info(t("themes.none", lang))
    else:
        st.caption(t("themes.intro", lang))
        _chart(th, heading, lang)
        _figures(th, lang)
        _quotes(th, lang)
    st.markdown(theme_labels.coverage_text(th, lang))
    if access.viewer().is_analyst and not th.table.empty:
        _editor(th, lang)
    with st.expander(t("themes.method_title", lang), icon=":material/info:"):
        st.markdown(t("themes.method", lang, dictionary=th.dictionary, k=th.threshold,
                      most=EMERGENT_MAX, emergent=len(th.emergent),
                      n=fmt.number(th.n, lang), text_k=th.threshold))
        glossary.see_also(lang, "temi")


def _key(th: Themes) -> str:
    """The themes' widget and file key (a kept column's name may hold any character)."""
    return re.sub(r"[^0-9A-Za-z_]+", "_", th.qid)


def _chart(th: Themes, question: str, lang: str) -> None:
    titles = Titles(t("themes.chart_title", lang, question=question),
                    t("themes.chart_subtitle", lang, n=fmt.number(th.n, lang)), lang)
    spec = widgets.spec(themes_chart, theme_labels.chart_table(th, lang), titles)
    widgets.chart(spec, f"{_key(th)}_themes", lang, theme_labels.download_table(th, lang))


def _figures(th: Themes, lang: str) -> None:
    """The moves in words (only those beyond chance), then the table."""
    if th.waves is not None:
        moved = theme_labels.moves_text(th, lang)
        st.markdown(moved or t("themes.no_moves", lang, before=th.waves[0], after=th.waves[1]))
        title = t("themes.table_title", lang, before=th.waves[0], after=th.waves[1])
    else:
        title = t("themes.table_title_one", lang)
    st.markdown(f"**{title}**")
    table = theme_labels.read_table(th, lang)
    st.dataframe(table, hide_index=True, width="stretch", key=f"themes_table_{_key(th)}",
                 height=min(36 * len(table) + 40, 640))


def _quotes(th: Themes, lang: str) -> None:
    """Example answers of each theme with enough respondents, names blanked out."""
    st.markdown(f"**{t('themes.quotes_title', lang)}**")
    st.caption(t("themes.quotes_hidden", lang, k=th.threshold))
    redacted = t("results.redacted", lang)
    counts = dict(zip(th.table["theme"], th.table["count"]))
    for key, group in th.quotes.groupby("theme", sort=False):
        label = t("themes.quotes_theme", lang, theme=theme_labels.theme_label(th, str(key), lang),
                  count=fmt.number(counts.get(key, 0), lang))
        with st.expander(label):
            for quote, count in zip(group["quote"], group["count"]):
                text = widgets.literal(str(quote).replace(REDACTED, redacted))
                st.markdown(f"> {text} {t('themes.quote_count', lang, count=int(count))}")


def _editor(th: Themes, lang: str) -> None:
    """Rename or merge themes (analysts only); each edit is written at once."""
    keys = [str(k) for k in th.table["theme"]]
    name = {k: theme_labels.theme_label(th, k, lang) for k in keys}
    store, key = data.store(), _key(th)
    with st.expander(t("themes.edit_title", lang), icon=":material/edit:"):
        st.caption(t("themes.edit_help", lang))
        with st.form(f"themes_rename_{key}", border=False):
            theme = st.selectbox(t("themes.edit_theme", lang), keys, format_func=name.__getitem__,
                                 key=f"themes_rename_theme_{key}")
            label_it = st.text_input(t("themes.edit_label_it", lang), max_chars=80,
                                     key=f"themes_label_it_{key}")
            label_en = st.text_input(t("themes.edit_label_en", lang), max_chars=80,
                                     key=f"themes_label_en_{key}")
            if st.form_submit_button(t("themes.edit_rename", lang)) and (label_it or label_en):
                store.add_theme_edit(th.qid, str(theme), "rename", None,
                                     label_it.strip() or None, label_en.strip() or None)
                _saved(lang)
        with st.form(f"themes_merge_{key}", border=False):
            source = st.selectbox(t("themes.edit_theme", lang), keys, format_func=name.__getitem__,
                                  key=f"themes_merge_theme_{key}")
            target = st.selectbox(t("themes.edit_target", lang), keys, format_func=name.__getitem__,
                                  index=min(1, len(keys) - 1), key=f"themes_merge_target_{key}")
            if st.form_submit_button(t("themes.edit_merge", lang)) and source != target:
                store.add_theme_edit(th.qid, str(source), "merge", str(target))
                _saved(lang)
        made = len(store.theme_edits(th.qid))
        if made:
            st.caption(t("themes.edit_count", lang, n=made))
            if st.button(t("themes.edit_reset", lang), key=f"themes_reset_{key}"):
                store.reset_theme_edits(th.qid)
                _saved(lang)


def _saved(lang: str) -> None:
    st.toast(t("themes.edit_done", lang), icon=":material/check:")
    st.rerun()


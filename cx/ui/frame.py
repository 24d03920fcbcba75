"""The frame around every page: language switch, sidebar filters, navigation."""

from __future__ import annotations

import time
from contextvars import ContextVar
from functools import partial
from pathlib import Path

import streamlit as st

from cx import config, memory
from cx.filters import FILTER_QUESTIONS
from cx.i18n import t
from cx.privacy import Publication, group_label
from cx.questionnaire import questionnaire
from cx.store import StoreError
from cx.ui import access, data, glance, state, streamlit_labels
from cx.ui import privacy as privacy_ui

memory.use_system_allocator()  # once per app process, before any page reads a frame

# Set while the frame runs the selected page (per script thread, never shared by sessions).
_IN_FRAME: ContextVar[bool] = ContextVar("cx_in_frame", default=False)
FAVICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"
LANG_NAMES = {"it": "Italiano", "en": "English"}
HOME = "home"  # the overview's internal name: the default page is served at "/"
HOME_ALIAS = "panoramica"
PAGES = (
    # (section key, file, title key, url path, icon)
    ("nav.section_results", "pages/panoramica.py", "nav.overview", HOME,
     ":material/insights:"),
    ("nav.section_results", "pages/risultati.py", "nav.results", "risultati",
     ":material/bar_chart:"),
    ("nav.section_results", "pages/personas.py", "nav.personas", "personas", ":material/groups:"),
    ("nav.section_results", "pages/piramide.py", "nav.pyramid", "piramide",
     ":material/change_history:"),
    ("nav.section_results", "pages/pilastri.py", "nav.pillars", "pilastri", ":material/hexagon:"),
    ("nav.section_results", "pages/journey.py", "nav.journey", "journey", ":material/route:"),
    ("nav.section_results", "pages/fattori.py", "nav.drivers", "fattori",
     ":material/query_stats:"),
    ("nav.section_company", "pages/azienda.py", "nav.company", "azienda", ":material/badge:"),
    ("nav.section_tools", "pages/carica.py", "nav.upload", "carica", ":material/upload_file:"),
    ("nav.section_tools", "pages/presentazione.py", "nav.presentation", "presentazione",
     ":material/slideshow:"),
    ("nav.section_tools", "pages/glossario.py", "nav.glossary", "glossario",
     ":material/menu_book:"),
)
_LAST_SEGMENT = "_privacy_last_segment"
DECK = "presentazione"  # on a projector: no sidebar, no header, no developer menu
DECK_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"]
{ display: none !important; }
</style>"""


def language_switch() -> str:
    st.sidebar.segmented_control(
        "Lingua / Language", list(LANG_NAMES), format_func=LANG_NAMES.__getitem__, key=state.LANG,
        required=True, label_visibility="collapsed")
    return state.lang()


def filter_options() -> dict[str, list[str]]:
    """The values each filter may take (the URL's values are checked against them): answer
    codes, and for non-analysts the published groups too."""
    qn = questionnaire()
    waves = [state.ALL_WAVES, *[str(w) for w in data.waves(*data.key())]]
    groups = {} if access.viewer().is_analyst else data.release().publication.groups
    return {state.WAVE: waves, **{
        key: list(dict.fromkeys([*qn[qid].codes, *groups.get(qid, {}).values()]))
        for qid, key in zip(FILTER_QUESTIONS, state.MULTI_KEYS)}}


def _segment_choices(qid: str, key: str, publication: Publication | None) -> list[str]:
    """What a segment filter offers: answer codes to an analyst (no publication), published
    groups to everyone else (a chosen code, e.g. from a link, becomes its group)."""
    if publication is None:
        return list(questionnaire()[qid].codes)
    chosen = st.session_state.get(key) or []
    st.session_state[key] = list(dict.fromkeys(publication.group_of(qid, c) for c in chosen))
    return list(publication.options(qid))


def _one_segment() -> list[str]:
    """Non-analysts filter on one segment dimension at a time (cx.privacy): choosing a second
    one replaces the first, as a link with several keeps the first. Runs before the widgets
    are drawn; returns the keys it emptied."""
    if access.viewer().is_analyst:
        return []
    chosen = [key for key in state.MULTI_KEYS if st.session_state.get(key)]
    previous = st.session_state.get(_LAST_SEGMENT)
    newest = [key for key in chosen if key != previous] if previous in chosen else chosen
    keep = next(iter(newest or chosen), None)
    for key in chosen:
        if key != keep:
            st.session_state[key] = []
    st.session_state[_LAST_SEGMENT] = keep
    return [key for key in chosen if key != keep]


def _privacy_notices(lang: str, emptied: list[str]) -> None:
    """Why the view differs from the filters chosen (non-analysts only)."""
    if access.viewer().is_analyst:
        return
    if emptied:
        qids = dict(zip(state.MULTI_KEYS, FILTER_QUESTIONS))
        st.sidebar.info(t("privacy.one_dimension_cleared", lang, dropped=", ".join(
            t(f"filters.{qids[key]}", lang) for key in emptied)), icon=":material/lock:")
    admission = data.admission(state.chosen_filters())
    for notice in admission.notices:
        st.sidebar.info(privacy_ui.notice_text(notice, lang), icon=":material/lock:")


def deck_frame() -> None:
    """The presentation: language and filters from the URL (or as set on another page), no
    sidebar and no header."""
    for key in (state.LANG, state.WAVE, *state.MULTI_KEYS):
        if key in st.session_state:  # keep the sidebar widgets' values while they are not drawn
            st.session_state[key] = st.session_state[key]
    state.restore_filters(filter_options())
    state.write_url()
    st.html(DECK_CSS)


def filter_sidebar(lang: str) -> None:
    qn = questionnaire()
    sidebar = st.sidebar
    sidebar.subheader(t("filters.title", lang))
    options = filter_options()
    waves = options[state.WAVE]
    state.restore_filters(options)
    emptied = _one_segment()
    publication = None if access.viewer().is_analyst else data.release().publication
    sidebar.selectbox(
        t("filters.wave", lang), waves, key=state.WAVE,
        format_func=lambda w: t("filters.all_waves", lang) if w == state.ALL_WAVES else w)
    for qid, key in zip(FILTER_QUESTIONS, state.MULTI_KEYS):
        question = qn[qid]
        sidebar.multiselect(
            t(f"filters.{qid}", lang), _segment_choices(qid, key, publication), key=key,
            format_func=partial(group_label, question, lang=lang),
            placeholder=t("filters.placeholder", lang))
    state.write_url()
    _privacy_notices(lang, emptied)
    sidebar.caption(t("filters.share", lang))
    sidebar.caption(t("app.privacy_note", lang, k=config.privacy_k()))


def navigation(lang: str) -> st.Page:
    sections: dict[str, list[st.Page]] = {}
    for section, path, title_key, url, icon in PAGES:
        page = st.Page(path, title=t(title_key, lang), url_path=url, icon=icon,
                       default=url == HOME)
        sections.setdefault(t(section, lang), []).append(page)
        if url == HOME:
            # The home page lives at "/": its own name, typed like the other pages'
            # (/risultati), would meet Streamlit's untranslated «Page not found»; a hidden
            # page leads there instead.
            def go_home(home: st.Page = page) -> None:
                _go_home(home)

            sections[t(section, lang)].append(st.Page(
                go_home, title=page.title, url_path=HOME_ALIAS, visibility="hidden"))
    return st.navigation(sections)


def _go_home(home: st.Page) -> None:
    st.switch_page(home, query_params={k: st.query_params.get_all(k) for k in st.query_params})


def page_config() -> None:
    # a local favicon: a page's Material icon as favicon is fetched from a font CDN
    st.set_page_config(page_title="Osservatorio CX", page_icon=str(FAVICON),
                       layout="wide", initial_sidebar_state="auto")  # closed on a phone


def run() -> None:
    """Set up the page, draw the frame and run the selected page."""
    page_config()
    # Navigation first: sidebar widgets created before st.navigation lose their first change
    # in a server's first session. The language is already in session state at this point.
    state.restore_lang()
    state.relabel_on_language_change()
    page = navigation(state.lang())
    on_deck = page.url_path == DECK
    lang = state.lang() if on_deck else language_switch()
    streamlit_labels.apply(lang)
    try:
        data.pin()  # this run reads one snapshot of the database, the newest
        if (damaged := data.damage()) is not None:
            st.warning(t("app.store_damaged_serving", lang, path=damaged.path))
        if on_deck:
            deck_frame()
        else:
            filter_sidebar(lang)
            access.access_panel(lang)
            glance.chips(lang)
    except StoreError as exc:
        st.error(exc.text(lang))
        st.stop()
    token = _IN_FRAME.set(True)
    start = time.perf_counter()
    try:
        page.run()
    except StoreError as exc:  # a write that found the disk full, the file damaged or busy
        st.error(exc.text(lang))
    finally:
        _IN_FRAME.reset(token)
        memory.after_run(time.perf_counter() - start)


def ensure() -> None:
    """The first call of every page: make sure it runs inside the frame.

    Until some session calls `st.navigation`, Streamlit treats the `pages/` folder as a legacy
    multipage app and runs a requested page file on its own (a link to a page opened as the
    first request of a fresh server; AppTest after `switch_page`). Then the frame runs here,
    registering the navigation (which ends legacy mode) and running the page inside it, and
    the page file's own run stops. No rerun: a button click in this run is not lost.
    """
    if not _IN_FRAME.get():
        run()
        st.stop()

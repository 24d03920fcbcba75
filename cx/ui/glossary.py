"""The Glossario page's Streamlit layer: the search box, the terms under their anchors, and the
sentence with which the other pages' method sections link to them."""

from __future__ import annotations

import streamlit as st

from cx.glossary import Entry, anchor, entry
from cx.i18n import DEFAULT_LANG, t
from cx.ui import state
from cx.ui.widgets import literal

URL = "glossario"
SEARCH = "glossario_cerca"


def href(lang: str, key: str | None = None) -> str:
    """A link to the glossary, or to one term's anchor (`glossario?lang=en#nps`), relative to
    the page it is on. Streamlit opens a Markdown link in a new tab, a new session: the language
    travels in the URL."""
    query = "" if lang == DEFAULT_LANG else f"?{state.LANG}={lang}"
    return f"{URL}{query}" + (f"#{anchor(key)}" if key else "")


def see_also(lang: str, *keys: str) -> None:
    """One sentence for a method section: the glossary, and the terms of the page in it."""
    terms = ", ".join(f"[{entry(key, lang).short}]({href(lang, key)})" for key in keys)
    st.markdown(t("glossary.see_also", lang, href=href(lang), terms=terms))


def search_box(lang: str) -> str:
    """What the reader looks for (empty for every term)."""
    return st.text_input(t("glossary.search", lang), key=SEARCH, icon=":material/search:",
                         placeholder=t("glossary.search_placeholder", lang)) or ""


def _related(term: Entry, shown: set[str], lang: str) -> str:
    """The related terms, each a link to its anchor when it is on the page."""
    names = [f"[{entry(key, lang).short}](#{anchor(key)})" if key in shown
             else entry(key, lang).short for key in term.related]
    return t("glossary.related", lang, terms=" · ".join(names))


def show(found: tuple[Entry, ...], total: int, query: str, lang: str) -> None:
    """The index of the terms found, then each term under its anchor."""
    if query.strip():
        st.caption(t("glossary.found", lang, n=len(found), total=total))
    if not found:
        st.info(t("glossary.none", lang, query=literal(query.strip())),
                icon=":material/search_off:")
        return
    st.markdown(" · ".join(f"[{term.short}](#{term.anchor})" for term in found))
    shown = {term.key for term in found}
    for term in found:
        with st.container(border=True):
            st.subheader(term.name, anchor=term.anchor)
            st.markdown(term.text)
            if term.related:
                st.caption(_related(term, shown, lang))

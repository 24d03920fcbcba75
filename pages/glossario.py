"""Glossario: the words of Customer Experience the app speaks, in the reader's language, each
under an anchor of its own (`glossario#nps`), with a search that filters them."""

import streamlit as st

from cx.glossary import entries, matching
from cx.i18n import t
from cx.ui import frame, state
from cx.ui import glossary as view

frame.ensure()

lang = state.lang()
st.title(t("glossary.title", lang))
st.caption(t("glossary.intro", lang))
every = entries(lang)
query = view.search_box(lang)
view.show(matching(every, query), len(every), query, lang)

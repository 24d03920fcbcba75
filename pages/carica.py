"""Carica dati: a survey export in, every problem named, nothing lost; the log and its undo."""

import streamlit as st

from cx.i18n import t
from cx.ui import access, frame, ingest, ingest_log, members, state

frame.ensure()
lang = state.lang()
st.title(t("ingest.page.title", lang))
st.caption(t("ingest.page.subtitle", lang))
access.require_analyst(lang)

load, log, template = st.tabs([t("ingest.page.tab_load", lang), t("ingest.page.tab_log", lang),
                               t("ingest.page.tab_template", lang)])
with load:
    ingest.load_section(lang)
with log:
    ingest_log.log_section(lang)
with template:
    ingest.template_section(lang)
members.members_section(lang)

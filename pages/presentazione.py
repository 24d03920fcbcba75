"""Presentazione: the survey's storyline on stage, one large slide at a time, with no sidebar;
the same slides download as PDF and PowerPoint. Companies are always anonymous here."""

import streamlit as st

from cx.ui import data, frame, state
from cx.ui import deck as deck_ui

frame.ensure()

lang = state.lang()
deck_ui.style()
# the audience sees the slides: always the published figures, whoever presents
shown = data.admission(state.chosen_filters()).filters
deck = deck_ui.deck(*data.key(), state.view().with_filters(shown), deck_ui.personas_k(),
                    deck_ui.public_url())

with st.container(key="deck_canvas"):
    index, notes = deck_ui.controls(deck, lang)
    deck_ui.show(deck, index, notes)

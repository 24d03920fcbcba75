"""Presentazione: the survey's storyline on stage, one large slide at a time, with no sidebar;
the same slides download as PDF and PowerPoint. Companies are always anonymous here."""

import streamlit as st

from cx import config
from cx.ui import data, frame, state
from cx.ui import deck as stage

frame.ensure()

lang = state.lang()
stage.style()
# the audience sees the slides: always the published figures, whoever presents
shown = data.admission(state.chosen_filters()).filters
deck = stage.deck(*data.key(), shown, lang, config.privacy_k(), config.comment_k(),
                  stage.personas_k(), stage.public_url())

with st.container(key="deck_canvas"):
    index, notes = stage.controls(deck, lang)
    stage.show(deck, index, notes)

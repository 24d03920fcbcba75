"""Presentazione: the survey's storyline on stage, one large slide at a time, with no sidebar;
clicker keys, a presenter's view in a second window (?presenter=1) that follows the projected
one; the same slides download as PDF and PowerPoint. Companies are always anonymous here."""

import streamlit as st

from cx.deck.closing import url_warning
from cx.ui import data, deck_bar, deck_keys, frame, presenter, state
from cx.ui import deck as deck_ui

frame.ensure()

lang = state.lang()
deck_ui.style()
# the audience sees the slides: always the published figures, whoever presents
shown = data.admission(state.chosen_filters()).filters
url = deck_ui.public_url()
deck = deck_ui.deck(*data.key(), state.view().with_filters(shown), deck_ui.personas_k(), url)
deck_id = presenter.deck_id()

if presenter.is_presenter():
    index, _ = deck_bar.controls(deck, lang, deck_id, url, presenting=True)
    presenter.view(deck, index, lang, url_warning(url, lang))
else:
    with st.container(key="deck_canvas"):
        index, notes = deck_bar.controls(deck, lang, deck_id, url)
        deck_ui.show(deck, index, notes)
with st.container(key="deck_hidden"):  # no room taken: the slide fits the screen
    if not presenter.is_presenter():
        presenter.follow(deck_id, lang, timer=False)
    deck_keys.install()

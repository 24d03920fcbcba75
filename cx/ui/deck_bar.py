"""The bar above the slides: where we are, first/back/picker/next/last (the keys click these),
the notes for a single screen, the presenter's view, full screen, downloads, the way back to
the app and, when the audience could not open the app's address, the presenter's warning."""

from __future__ import annotations

import streamlit as st

from cx.deck.closing import url_warning
from cx.deck.content import Deck
from cx.deck.pdf import deck_pdf
from cx.deck.pptx import deck_pptx
from cx.i18n import t
from cx.ui import presenter, state, widgets

SLIDE = presenter.SLIDE  # URL parameter: ?slide=3 (from 1)
NOTES = "deck_notes"
PICKER = "deck_pick_"  # the slide picker's key, with the slide shown
HOME = "pages/panoramica.py"
PDF_MIME = "application/pdf"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _to(number: int) -> None:
    # a target, not a step: a click Streamlit replays (a poll racing the click) lands once
    st.session_state[SLIDE] = str(number)


def _picked(key: str) -> None:
    st.session_state[SLIDE] = st.session_state[key]


def _flip_notes() -> None:
    st.session_state[NOTES] = not st.session_state.get(NOTES)


def _downloads(d: Deck, lang: str) -> None:
    name = t("deck.file_name", lang)
    menu = st.popover(t("deck.download", lang), icon=":material/download:", type="tertiary",
                      key="deck_downloads")
    menu.download_button(t("deck.download_pdf", lang), data=lambda: deck_pdf(d),
                         file_name=f"{name}.pdf", mime=PDF_MIME, on_click="ignore",
                         key="deck_pdf", icon=":material/picture_as_pdf:", width="stretch")
    menu.download_button(t("deck.download_pptx", lang), data=lambda: deck_pptx(d),
                         file_name=f"{name}.pptx", mime=PPTX_MIME, on_click="ignore",
                         key="deck_pptx", icon=":material/slideshow:", width="stretch")


def _current(count: int, deck: str) -> int:
    """The slide number (from 1): from the URL at first, then from the other window or this
    one's controls; the URL follows."""
    state.bind_url(SLIDE, [str(i) for i in range(1, count + 1)], "1")
    presenter.sync(deck, count)
    presenter.mirror_url()
    return int(st.session_state[SLIDE])


def _turn(count: int, current: int, lang: str) -> None:
    """First (hidden: Home), back, the picker, next, last (hidden: End)."""
    st.button(t("deck.first", lang), key="deck_first", on_click=_to, args=(1,))
    # back and next carry the slide they leave in their keys: a click Streamlit replays after
    # the turn belongs to a gone button and cannot turn twice
    st.button(t("deck.previous", lang), key=f"deck_previous_{current}", on_click=_to,
              args=(max(current - 1, 1),),
              type="tertiary", disabled=current == 1)
    # a new key per slide: a window's stale picker value (sent with a poll before this window
    # learned of the other's turn) belongs to a gone widget and cannot turn the slide back
    picker = f"{PICKER}{current}"
    st.selectbox(t("deck.pick", lang), [str(i) for i in range(1, count + 1)], key=picker,
                 index=current - 1, label_visibility="collapsed", on_change=_picked,
                 args=(picker,), format_func=lambda c: t("deck.position", lang, i=c, n=count),
                 width=130)
    st.button(t("deck.next", lang), key=f"deck_next_{current}", on_click=_to,
              args=(min(current + 1, count),),
              type="tertiary", disabled=current == count)
    st.button(t("deck.last", lang), key="deck_last", on_click=_to, args=(count,))


def controls(d: Deck, lang: str, deck: str, public_url: str,
             presenting: bool = False) -> tuple[int, bool]:
    """The bar; returns the slide's index and whether the notes show under it (one screen)."""
    count = len(d.slides)
    current = _current(count, deck)
    warning = url_warning(public_url, lang)
    notes = bool(st.session_state.get(NOTES)) and not presenting
    with st.container(horizontal=True, vertical_alignment="center", key="deck_bar"):
        st.markdown(widgets.literal(t("deck.kicker", lang)), width="stretch",
                    help=t("deck.keys_help", lang))
        _turn(count, current, lang)
        if not presenting:
            # a button, not a toggle: a toggle keeps the focus; «secondary» when on, dark on
            # light (Streamlit's «primary» draws it grey on navy)
            st.button(t("deck.notes", lang), key="deck_notes_button", on_click=_flip_notes,
                      help=t("deck.notes_help", lang),
                      type="secondary" if notes else "tertiary",
                      icon=":material/speaker_notes:" if notes
                      else ":material/speaker_notes_off:")
            st.link_button(t("deck.presenter", lang), presenter.presenter_url(),
                           help=t("deck.presenter_help", lang), type="tertiary",
                           icon=":material/co_present:")
            if warning:  # dark amber on white (Streamlit's own orange reads about 3.6:1)
                with st.container(key="deck_qr_warning", width="content"):
                    st.markdown(f":material/warning: {t('deck.local_url_short', lang)}",
                                help=warning, width="content")
        st.button(t("deck.fullscreen", lang), key="deck_fullscreen", type="tertiary",
                  icon=":material/fullscreen:", help=t("deck.fullscreen_help", lang))
        _downloads(d, lang)
        st.page_link(HOME, label=t("deck.exit", lang), icon=":material/logout:")
    return current - 1, notes

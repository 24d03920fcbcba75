"""Two windows on one deck: the projected slides and the presenter's view (?presenter=1: the
current slide small, the next one, the notes, the time). Both carry the deck's id in the URL
(?deck=…); the server keeps each deck's current slide in one object shared by every session,
and each window polls it every second, so a slide turned in either window turns in the other.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import streamlit as st

from cx.deck.content import Deck
from cx.i18n import t
from cx.ui import widgets
from cx.ui.deck import show

DECK = "deck"  # URL parameter: the deck's id, shared by its windows
PRESENTER = "presenter"  # URL parameter: ?presenter=1 is the presenter's view
SLIDE = "slide"
SEEN = "deck_seen"  # the shared version this window last followed
MAX_DECKS = 500  # old decks are forgotten first
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Shared:
    """One deck's state on the server: its slide (0-based), how many times it changed, and
    when the talk started (for the presenter's timer)."""

    index: int
    version: int
    started: float


@st.cache_resource
def board() -> dict[str, Shared]:
    """Every deck's shared state, one object for all sessions of this server."""
    return {}


def deck_id() -> str:
    """This window's deck id from ?deck=, a new random one if none (written to the URL)."""
    found = st.query_params.get(DECK, "")
    if found.isalnum() and 4 <= len(found) <= 32:
        return found
    new = secrets.token_hex(4)
    st.query_params[DECK] = new
    return new


def is_presenter() -> bool:
    return st.query_params.get(PRESENTER) == "1"


def presenter_url() -> str:
    """This window's link with ?presenter=1 (same deck, filters and language)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    params[PRESENTER] = ["1"]
    return "?" + urlencode(params, doseq=True)


def sync(deck: str, count: int) -> None:
    """Follow the other window if it turned the slide since this one last looked; else publish
    this window's slide if it moved. Call before the slide widgets are created."""
    current = int(st.session_state[SLIDE]) - 1
    seen = int(st.session_state.get(SEEN, 0))
    with _LOCK:
        decks = board()
        shared = decks.get(deck)
        if shared is not None and shared.version > seen:
            st.session_state[SLIDE] = str(min(shared.index, count - 1) + 1)
            seen = shared.version
        elif shared is None or shared.index != current:
            seen = (shared.version if shared else 0) + 1
            decks[deck] = Shared(current, seen, shared.started if shared else time.time())
            if len(decks) > MAX_DECKS:
                del decks[next(iter(decks))]
    st.session_state[SEEN] = seen


def mirror_url() -> None:
    """?slide= as this window shows it (left out on the first slide)."""
    current = str(st.session_state.get(SLIDE) or "1")
    if st.query_params.get(SLIDE, "1") != current:
        if current == "1":
            del st.query_params[SLIDE]
        else:
            st.query_params[SLIDE] = current


def restart(deck: str) -> None:
    """The presenter's timer from zero."""
    with _LOCK:
        shared = board().get(deck)
        if shared is not None:
            board()[deck] = replace(shared, started=time.time())


def elapsed(deck: str) -> str:
    """'12:05' since the talk started ('1:02:05' past an hour)."""
    shared = board().get(deck)
    seconds = int(time.time() - shared.started) if shared else 0
    hours, rest = divmod(seconds, 3600)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    return f"{hours}:{text}" if hours else text


@st.fragment(run_every=1)
def follow(deck: str, lang: str, timer: bool) -> None:
    """Every second: the whole page again when the other window turned the slide; the
    presenter's timer."""
    shared = board().get(deck)
    if shared is not None and shared.version > int(st.session_state.get(SEEN, 0)):
        st.rerun()
    mirror_url()  # a poll can carry the address as it was before the last turn
    if timer:
        with st.container(horizontal=True, vertical_alignment="center", key="deck_timer"):
            st.markdown(f"**{t('deck.elapsed', lang, time=elapsed(deck))}**")
            st.button(t("deck.reset", lang), key="deck_timer_reset", on_click=restart,
                      args=(deck,), type="tertiary", icon=":material/restart_alt:")


def view(d: Deck, index: int, lang: str, warning: str | None) -> None:
    """The presenter's view: the current slide small, the next one's title and message, the
    notes, the timer and the QR warning."""
    left, right = st.columns([3, 2], gap="large")
    with left, st.container(key="deck_mini", border=True):
        show(d, index, notes=False)
    with right:
        follow(st.query_params.get(DECK, ""), lang, timer=True)
        if warning:
            st.warning(warning, icon=":material/qr_code:")
        with st.container(key="deck_upcoming", border=True):
            if index + 1 < len(d.slides):
                upcoming = d.slides[index + 1]
                title = t("deck.upcoming", lang, title=upcoming.title)
                st.markdown(f"**{widgets.literal(title)}**")
                st.markdown(widgets.literal(upcoming.message))
            else:
                st.markdown(t("deck.upcoming_none", lang))
        with st.container(key="deck_presenter_note"):
            st.markdown(widgets.literal(d.slides[index].note))

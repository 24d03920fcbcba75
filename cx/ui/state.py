"""Session-state keys (also the URL parameters), URL sync and typed getters.

Widgets hold option *codes*; the URL holds the same codes, so a link copied in Italian opens
the same view in English. (Streamlit's `bind="query-params"` would put the translated label
in the URL when a `format_func` is used.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from cx import config
from cx.filters import Filters
from cx.i18n import DEFAULT_LANG, LANGS, normalise_lang
from cx.view import View

LANG = "lang"
WAVE = "ondata"
SECTORS = "settore"
SIZES = "dimensione"
REGIONS = "area"
ALL_WAVES = "tutte"
MULTI_KEYS = (SECTORS, SIZES, REGIONS)
_RESTORED = "_url_restored"
_BOUND = "_url_bound"
_DRAWN_LANG = "_drawn_lang"


def lang() -> str:
    return normalise_lang(st.session_state.get(LANG))


def restore_lang() -> None:
    """Take the language from the URL once per session, before its widget is drawn."""
    if LANG not in st.session_state:
        wanted = st.query_params.get(LANG, DEFAULT_LANG)
        st.session_state[LANG] = wanted if wanted in LANGS else DEFAULT_LANG


def relabel_on_language_change() -> None:
    """After a language switch, send every text-valued widget its value again.

    The browser keeps showing a kept selection under the label it had when it was chosen
    ("Tutte le ondate" on an English page); a value assigned through the Session State API is
    sent again with its label in the new language. Runs before any widget of the run exists.
    """
    current = lang()
    if st.session_state.get(_DRAWN_LANG, current) != current:
        for key, value in list(st.session_state.items()):
            if _relabelable(key, value):
                st.session_state[key] = value
    st.session_state[_DRAWN_LANG] = current


def _relabelable(key: object, value: object) -> bool:
    if not isinstance(key, str) or key.startswith("_") or key == LANG:
        return False
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value))


def restore_filters(allowed: Mapping[str, Sequence[str]]) -> None:
    """Take the filters from the URL once per session (unknown values are ignored)."""
    if st.session_state.get(_RESTORED):
        return
    st.session_state[_RESTORED] = True
    wave = st.query_params.get(WAVE)
    st.session_state[WAVE] = wave if wave in allowed[WAVE] else ALL_WAVES
    for key in MULTI_KEYS:
        st.session_state[key] = [v for v in st.query_params.get_all(key) if v in allowed[key]]


def write_url() -> None:
    """Mirror the language and filters into the URL (defaults are left out)."""
    values: dict[str, str | list[str] | None] = {
        LANG: lang() if lang() != DEFAULT_LANG else "",
        WAVE: st.session_state.get(WAVE) if st.session_state.get(WAVE) != ALL_WAVES else "",
        **{key: list(st.session_state.get(key) or []) for key in MULTI_KEYS},
    }
    for key, value in values.items():
        current = st.query_params.get_all(key)
        wanted = value if isinstance(value, list) else ([value] if value else [])
        if current != wanted:
            if wanted:
                st.query_params[key] = wanted
            else:
                del st.query_params[key]


def bind_url(key: str, allowed: Sequence[str], default: str | list[str] | None = None) -> None:
    """Bind a page's widget state `st.session_state[key]` to `?key=` in the URL.

    Call it right before creating the widget with `key=key`. The first time in a session the
    value comes from the URL (unknown values fall back to `default`); afterwards the widget's
    value is mirrored into the URL, defaults left out. A list default makes it multi-valued.
    Put codes in the URL, never translated labels or company names.
    """
    multi = isinstance(default, list)
    seen = st.session_state.setdefault(_BOUND, set())
    if key not in seen:
        seen.add(key)
        found = st.query_params.get_all(key)
        if multi:
            st.session_state[key] = [v for v in found if v in allowed] or list(default or [])
        else:
            st.session_state[key] = found[0] if found and found[0] in allowed else default
    current = st.session_state.get(key)
    if multi:
        current = [v for v in current or [] if v in allowed]
    elif current not in allowed:
        current = default
    st.session_state[key] = current
    wanted = [] if current in (None, default) else (current if multi else [str(current)])
    if st.query_params.get_all(key) != wanted:
        if wanted:
            st.query_params[key] = wanted
        else:
            del st.query_params[key]


def _wave() -> int | None:
    wave = st.session_state.get(WAVE)
    if wave is None:
        return None
    try:
        return int(wave)
    except (TypeError, ValueError):
        return None


def filters() -> Filters:
    """The filters every figure of this session is computed with: as chosen for an analyst;
    for everyone else admitted by the privacy layer (published groups, one segment dimension,
    the published table)."""
    from cx.ui import access, data  # they read state: imported late

    chosen = chosen_filters()
    return chosen if access.viewer().is_analyst else data.admission(chosen).filters


def chosen_filters() -> Filters:
    """The filters chosen in the sidebar (everything when nothing is chosen)."""
    get = st.session_state.get
    return Filters(
        wave=_wave(),
        sectors=tuple(sorted(get(SECTORS) or ())),
        size_bands=tuple(sorted(get(SIZES) or ())),
        regions=tuple(sorted(get(REGIONS) or ())),
    )


def view() -> View:
    """This session's view: its filters (admitted for a non-analyst), language and thresholds."""
    return View(filters(), lang(), config.privacy_k(), config.comment_k())


def reset_filters() -> None:
    """Back to everything: all waves, no segment (a button's callback: before the widgets)."""
    st.session_state[WAVE] = ALL_WAVES
    for key in MULTI_KEYS:
        st.session_state[key] = []
    for key in (WAVE, *MULTI_KEYS):
        if key in st.query_params:
            del st.query_params[key]


def filtered() -> bool:
    """Whether any sidebar filter is set."""
    return st.session_state.get(WAVE, ALL_WAVES) != ALL_WAVES or any(
        st.session_state.get(key) for key in MULTI_KEYS)

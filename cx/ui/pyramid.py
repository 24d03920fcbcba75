"""The Piramide CX page's Streamlit layer: the pyramids of the segments (cached per filter and
cut), how segments are named and ordered, the segment picker, and the weak-foundation notes
(also on the Scheda azienda).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from cx import fmt
from cx.filters import Filters
from cx.i18n import t
from cx.pyramid import WeakFoundation, segment_profiles
from cx.questionnaire import questionnaire
from cx.score_columns import PYRAMID_COLUMNS, STAGES
from cx.scorecard.figures import weak_foundation_note
from cx.ui import data, privacy, state, widgets

SEGMENT_QUESTIONS = ("sector", "size_band", "revenue_band", "region", "market")
SEGMENT_KEYS = (*SEGMENT_QUESTIONS, "maturity_stage", "wave")


@st.cache_data(max_entries=32, show_spinner=False)
def segment_levels(db: str, data_version: int, filters: Filters, by: str,
                   k: int) -> pd.DataFrame:
    """One pyramid per segment of `by`, suppressed under k respondents or k companies."""
    scores = data.store().responses(("company", by, *PYRAMID_COLUMNS), filters, ordered=False)
    return segment_profiles(scores, by, k, min_companies=k)


def segment_label(by: str, value: str, lang: str) -> str:
    """A segment's name: an option label, a maturity stage or a wave."""
    if by == "maturity_stage":
        return t(f"stage.{value}", lang)
    if by == "wave":
        return str(value)
    return questionnaire()[by].option_label(value, lang)


def segment_order(by: str, values: list[str]) -> list[str]:
    """Segments in their natural order: the questionnaire's options, stages, waves."""
    if by == "wave":
        return sorted(values, key=int)
    ref = STAGES if by == "maturity_stage" else questionnaire()[by].codes
    return [v for v in ref if v in values] + [v for v in values if v not in ref]


def segment_key_label(by: str, lang: str) -> str:
    if by == "maturity_stage":
        return t("pyramid.stage", lang)
    if by == "wave":
        return t("filters.wave", lang)
    return t(f"filters.{by}", lang) if by in ("sector", "size_band", "region") \
        else questionnaire()[by].text(lang)


def show_foundations(found: Sequence[WeakFoundation], who: str, lang: str,
                     solid: bool = False) -> None:
    """A warning when the pyramid stands on weak foundations; with `solid`, a note when not."""
    note = weak_foundation_note(found, widgets.literal(who), lang)
    if note:
        st.warning(note, icon=":material/warning:")
    elif solid:
        st.success(t("pyramid.solid", lang), icon=":material/check_circle:")


def segment_picker(key: str, lang: str) -> str:
    """What the segments are cut by, bound to `?key=`."""
    choices = privacy.allowed(SEGMENT_KEYS)
    state.bind_url(key, choices, choices[0])
    by = st.selectbox(t("pyramid.segments_by", lang), choices, key=key,
                      format_func=lambda by: segment_key_label(by, lang))
    privacy.comparison_note(lang)
    return by


def segment_panels(levels: pd.DataFrame, by: str,
                   lang: str) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """The segments that may be shown, their panel titles (with n), and the hidden ones."""
    n = levels.groupby("panel", sort=False)["n"].max()
    n = n.reindex(segment_order(by, list(n.index)))
    hidden = set(levels.loc[levels["suppressed"].astype(bool), "panel"])
    panels = {p: f"{segment_label(by, p, lang)} · n = {fmt.number(n[p], lang)}"
                 f"{fmt.indicative_mark(int(n[p]), lang)}"
              for p in n.index if p not in hidden}
    return (levels[~levels["panel"].isin(hidden)], panels,
            [segment_label(by, p, lang) for p in n.index if p in hidden])

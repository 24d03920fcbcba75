"""What a page says at a glance: Panoramica's headline tiles (with the change since the
previous wave), the active filters as chips with «Rimuovi filtri», and the phone layout."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from cx import fmt, glance
from cx.filters import FILTER_QUESTIONS, Filters
from cx.glance import WaveChange, compared_waves
from cx.i18n import LANGS, normalise_lang, t
from cx.overview import Overview, maturity_note
from cx.privacy import group_label
from cx.questionnaire import questionnaire
from cx.ui import data, state, widgets

TILES = "cx_tiles"
CHIPS = "cx_chips"
# Tiles three to a row, two on a phone, the change's interval wrapping inside the tile.
TILES_CSS = """<style>
.st-key-cx_tiles { align-items: stretch; }
.st-key-cx_tiles > div { flex: 1 1 calc(33.3% - 1rem); min-width: 12rem; }
.st-key-cx_tiles div:has(> [data-testid="stMetricDelta"]) { flex-wrap: wrap; row-gap: 0.2rem; }
.st-key-cx_tiles [data-testid="stMetricDeltaDescription"] * { white-space: normal;
                                                              overflow: visible; }
@media (max-width: 640px) {
  .st-key-cx_tiles > div { flex: 1 1 calc(50% - 0.5rem); min-width: calc(50% - 0.5rem);
                           max-width: calc(50% - 0.25rem); }
}
</style>"""
# On a phone the sidebar starts closed: its «>>» control reads «Filtri», on every page.
FILTERS_BUTTON_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stExpandSidebarButton"]::after { content: "%s"; margin-left: 0.25rem;
                                                  font-weight: 600; }
}
</style>"""
# (Overview field, tile label key, form, unit of its change)
AGGREGATES = (("nps", "overview.club_nps", "signed", ""),
              ("maturity", "overview.maturity", "number", ""),
              ("journey_map", "overview.journey_map", "percent", "overview.points"),
              ("measures_nps", "overview.measures_nps", "percent", "overview.points"))


def changes(filters: Filters, k: int, lang: str) -> dict[str, widgets.Delta]:
    """Each headline aggregate's change since the previous wave (none without one). The two
    waves' figures are the ones a visitor sees choosing each wave: nothing new is revealed."""
    pair = compared_waves(filters.wave, data.waves(*data.key()))
    if pair is None:
        return {}
    found = _wave_changes(*data.key(), replace(filters, wave=None), pair, k)
    return {name: widgets.delta(found[name], lang, unit, pooled=filters.wave is None)
            for name, _, _, unit in AGGREGATES if name in found}


@st.cache_data(max_entries=64, show_spinner=False)
def _wave_changes(db: str, data_version: int, filters: Filters, pair: tuple[int, int],
                  k: int) -> dict[str, WaveChange]:
    """The changes between the two waves of `pair`, over the segment of `filters` (any wave),
    read in one query."""
    scores = data.store().responses(glance.COLUMNS, filters, ordered=False)
    return glance.wave_changes(scores[scores["wave"].isin(pair)], pair, k)


def tiles(ov: Overview, filters: Filters, lang: str, k: int) -> None:
    """The six headline tiles, three to a row (two on a phone)."""
    st.html(TILES_CSS)
    moved = changes(filters, k, lang) if not ov.suppressed else {}
    with st.container(horizontal=True, key=TILES, gap="small"):
        widgets.tile(t("overview.respondents", lang), fmt.number(ov.respondents, lang),
                     t("overview.respondents_caption", lang,
                       waves=_wave_words(filters, lang)))
        widgets.tile(t("overview.companies", lang), fmt.number(ov.companies, lang),
                     t("overview.companies_caption", lang,
                       ratio=fmt.number(ov.respondents / max(ov.companies, 1), lang, 1)))
        for name, label, form, _ in AGGREGATES:
            note = maturity_note(ov, lang) if name == "maturity" else None
            title = scoped(label, filters, lang) if name == "nps" else t(label, lang)
            widgets.aggregate_tile(title, getattr(ov, name), lang, k,
                                   form, note, moved.get(name))


def _wave_words(filters: Filters, lang: str) -> str:
    return str(filters.wave) if filters.wave else t("filters.all_waves", lang).lower()


def scoped(key: str, filters: Filters, lang: str) -> str:
    """A title that names whose figures it shows: `key`_club («NPS del Club») without a
    segment, `key`_segment («NPS · Manifattura») with one."""
    groups = _segment_words(filters, lang)
    if not groups:
        return t(f"{key}_club", lang)
    return t(f"{key}_segment", lang, segment=", ".join(groups))


def segment_words(filters: Filters, lang: str) -> str:
    """The segment chosen in words («Banche e assicurazioni»), empty without one."""
    return ", ".join(_segment_words(filters, lang))


def _segment_words(filters: Filters, lang: str) -> list[str]:
    qn = questionnaire()
    codes = (filters.sectors, filters.size_bands, filters.regions)
    return [group_label(qn[qid], code, lang=lang)
            for qid, chosen in zip(FILTER_QUESTIONS, codes) for code in chosen]


# the phone's «Filtri» label, built once from the catalogue: only constants reach st.html
FILTERS_BUTTON = {lang: FILTERS_BUTTON_CSS % t("filters.title", lang) for lang in LANGS}


def chips(lang: str) -> None:
    """The filters in force, above the page, with a button that clears them all; on a phone,
    the sidebar's control labelled «Filtri»."""
    st.html(FILTERS_BUTTON[normalise_lang(lang)])
    filters = state.filters()
    qn = questionnaire()
    shown = [t("filters.one_wave", lang, wave=filters.wave)] if filters.wave else []
    codes = (filters.sectors, filters.size_bands, filters.regions)
    shown += [f"{t(f'filters.{qid}', lang)}: {group_label(qn[qid], code, lang=lang)}"
              for qid, chosen in zip(FILTER_QUESTIONS, codes) for code in chosen]
    if not shown:
        return
    with st.container(horizontal=True, key=CHIPS, gap="small", vertical_alignment="center"):
        st.caption(t("filters.active", lang), width="content")
        for text in shown:
            st.badge(text, icon=":material/filter_alt:", color="blue")
        st.button(t("filters.reset", lang), icon=":material/filter_alt_off:", type="tertiary",
                  on_click=state.reset_filters, key="cx_reset_filters")


def empty_state(ov: Overview, lang: str) -> bool:
    """With no respondents, or too few to show (fewer than k), one sentence and one action
    instead of the page: clear the filters, or load data when there are none. Whether drawn."""
    if not ov.suppressed:
        return False
    with st.container(border=True, key="cx_empty"):
        if state.filtered():
            st.markdown(t("overview.empty_filtered" if ov.respondents == 0
                          else "overview.too_few_filtered", lang, n=ov.respondents, k=ov.k))
            st.button(t("filters.reset", lang), icon=":material/filter_alt_off:",
                      on_click=state.reset_filters, key="cx_empty_reset")
        else:
            st.markdown(t("overview.empty" if ov.respondents == 0 else "overview.too_few",
                          lang, n=ov.respondents, k=ov.k))
            st.page_link("pages/carica.py", label=t("overview.load_data", lang),
                         icon=":material/upload_file:")
    return True


def not_asked(title: str, lang: str) -> None:
    """One line where a chart would stand with no answers (a wave that did not ask it)."""
    st.markdown(f"**{title}**")
    st.caption(t("overview.not_asked", lang))

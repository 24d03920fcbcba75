"""Cached reads and shared page pieces of Piramide CX, Six Pillars and Scheda azienda: the
company table and the peers per filter, one company's scorecard, the company pickers, the
access-code list and the PDF button.

The company table is a `cache_resource` (shared, never copied: at 100k respondents it has 75k
rows that `cache_data` would unpickle on every rerun); it is read-only by convention.
Picking another company reuses the table and the peers and only builds that company's card.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import NamedTuple, cast

import pandas as pd
import streamlit as st

from cx import companies, fmt
from cx import privacy as privacy_rules
from cx.access import Viewer
from cx.companies import Peers
from cx.export import to_csv_bytes
from cx.filters import Filters
from cx.i18n import t
from cx.personas.text import company_persona_sentence
from cx.pillars import heatmap_table, radar_profiles
from cx.privacy import as_raw
from cx.pyramid import WeakFoundation, segment_profiles
from cx.questionnaire import questionnaire
from cx.score_columns import PYRAMID_COLUMNS, STAGES
from cx.scorecard.card import Scorecard
from cx.scorecard.data import load_peers, load_scorecard
from cx.scorecard.figures import (
    PeerCounts,
    indicator_table,
    kpi_table,
    missing_benchmarks,
    next_practice_lines,
    sector_name,
    weak_foundation_note,
)
from cx.scorecard.pdf import PdfContext, scorecard_pdf
from cx.ui import data, personas, privacy, state, widgets

SEGMENT_QUESTIONS = ("sector", "size_band", "revenue_band", "region", "market")
SEGMENT_KEYS = (*SEGMENT_QUESTIONS, "maturity_stage", "wave")
MAX_COMPARED = 4
PICKER_LIMIT = 1000  # beyond this many companies a search box narrows the pickers


@st.cache_resource(max_entries=6, show_spinner=False)  # ~130 MB each at a million respondents
def company_table(db: str, data_version: int, filters: Filters) -> pd.DataFrame:
    """One row per company in the filter, indexed by its anonymous code. Read-only."""
    table = companies.company_table(data.store(), filters)
    table.index = pd.Index(table["code"].to_numpy())
    return table


@st.cache_data(max_entries=32, show_spinner=False)
def peers(db: str, data_version: int, filters: Filters, k: int) -> Peers:
    """The filter's Club and sector benchmarks (computed once per filter, not per company)."""
    return load_peers(data.store(), filters, k, company_table(db, data_version, filters))


def _sort_key(code: str, label: str) -> tuple[int, str, int]:
    # names alphabetically first, then codes in numeric order (AZ-999 before AZ-1000)
    return (0, label.casefold(), 0) if label != code else (1, "", int(code[3:] or 0))


class CompanyOptions(NamedTuple):
    """The companies a viewer may pick: codes in picker order, their labels, and a
    case-folded "code<TAB>label" line per company for searching."""

    codes: tuple[str, ...]
    labels: dict[str, str]
    haystack: str
    starts: tuple[int, ...]  # where each company's line starts in `haystack`

    def search(self, text: str, limit: int) -> tuple[str, ...]:
        """The first `limit` codes whose code or label contains `text` (any case)."""
        needle = text.strip().casefold()
        if not needle:
            return self.codes[:limit]
        hits: list[str] = []
        for match in re.finditer(re.escape(needle), self.haystack):
            code = self.codes[bisect_right(self.starts, match.start()) - 1]
            if not hits or hits[-1] != code:
                hits.append(code)
            if len(hits) == limit:
                break
        return tuple(hits)


@st.cache_resource(max_entries=16, show_spinner=False)
def company_options(db: str, data_version: int, filters: Filters, k: int,
                    viewer: Viewer) -> CompanyOptions:
    """The companies `viewer` may see, sorted for a picker, with their labels. Read-only.
    Their rows are read from the responses (a manager's own company in full)."""
    visible = companies.visible_companies(company_table(db, data_version, as_raw(filters)),
                                          viewer, k)
    labels = companies.company_labels(visible, viewer)
    codes = tuple(sorted(labels, key=lambda c: _sort_key(c, labels[c])))
    lines = [f"{c}\t{labels[c]}".casefold() for c in codes]
    starts = tuple(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    return CompanyOptions(codes, labels, "\n".join(lines), starts if codes else ())


@st.cache_data(max_entries=256, show_spinner=False)
def scorecard(db: str, data_version: int, filters: Filters, k: int,
              code: str) -> Scorecard | None:
    """The scorecard of the company with this anonymous code (None if not in the filter):
    its own answers in full, its peers as published (callers offer a non-analyst only their
    own company, see `company_options`)."""
    return load_scorecard(data.store(), code, filters,
                          company_table(db, data_version, as_raw(filters)),
                          peers(db, data_version, filters, k))


def benchmark_row(row: pd.Series, filters: Filters) -> pd.Series:
    """A company's row with its sector as the group it is benchmarked against (cx.privacy)."""
    return privacy_rules.benchmark_row(row, filters, data.release().publication)


@st.cache_data(max_entries=32, show_spinner=False)
def segment_levels(db: str, data_version: int, filters: Filters, by: str,
                   k: int) -> pd.DataFrame:
    """One pyramid per segment of `by`, suppressed under k respondents or k companies."""
    scores = data.store().responses(("company", by, *PYRAMID_COLUMNS), filters)
    return segment_profiles(scores, by, k, min_companies=k)


@st.cache_data(max_entries=4, show_spinner=False)
def access_codes(db: str, data_version: int) -> pd.DataFrame:
    """Every company's private access code (for analysts only: callers check the viewer)."""
    return data.store().query("access_codes")


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


def _narrowed(key: str, options: CompanyOptions, lang: str,
              chosen: list[str]) -> tuple[str, ...]:
    """All the codes, or, beyond `PICKER_LIMIT` companies, the first matches of a search box
    (a picker with tens of thousands of options slows every rerun)."""
    if len(options.codes) <= PICKER_LIMIT:
        return options.codes
    text = st.text_input(t("scorecard.search", lang, n=fmt.number(len(options.codes), lang)),
                         key=f"{key}_search")
    hits = options.search(text, PICKER_LIMIT)
    if len(hits) == PICKER_LIMIT:
        st.caption(t("scorecard.search_more", lang, n=fmt.number(PICKER_LIMIT, lang)))
    return (*(c for c in chosen if c not in hits), *hits)


def company_picker(key: str, options: CompanyOptions, lang: str, area: str,
                   default: str | None = None) -> str | None:
    """A company selectbox bound to `?key=` (the anonymous code, never a name)."""
    state.bind_url(key, options.codes, default)
    current = st.session_state.get(key)
    shown = _narrowed(key, options, lang, [current] if current else [])
    return st.selectbox(t(f"{area}.pick", lang), shown, key=key,
                        format_func=options.labels.__getitem__,
                        placeholder=t(f"{area}.pick_placeholder", lang))


def companies_picker(key: str, options: CompanyOptions, lang: str) -> list[str]:
    """Up to four companies, bound to `?key=` as anonymous codes."""
    state.bind_url(key, options.codes, [])
    shown = _narrowed(key, options, lang, list(st.session_state.get(key) or []))
    return st.multiselect(t("pillars.pick", lang), shown, key=key,
                          format_func=options.labels.__getitem__, max_selections=MAX_COMPARED,
                          placeholder=t("pillars.pick_placeholder", lang))


def default_company(viewer: Viewer, options: CompanyOptions) -> str | None:
    """A manager starts on their own company; everyone else chooses."""
    if viewer.company is None:
        return None
    return next((c for c in options.codes if options.labels[c] == viewer.company), None)


def show_foundations(found: Sequence[WeakFoundation], who: str, lang: str,
                     solid: bool = False) -> None:
    """A warning when the pyramid stands on weak foundations; with `solid`, a note when not."""
    note = weak_foundation_note(found, widgets.literal(who), lang)
    if note:
        st.warning(note, icon=":material/warning:")
    elif solid:
        st.success(t("pyramid.solid", lang), icon=":material/check_circle:")


def maturity_row(card: Scorecard, lang: str) -> None:
    """The company's maturity index and stage beside the next practice to adopt."""
    left, right = st.columns([1, 2])
    with left:
        widgets.aggregate_tile(t("scorecard.maturity", lang), card.maturity, lang, 1)
        if card.stage:
            st.markdown(t("scorecard.stage", lang, stage=t(f"stage.{card.stage}", lang)))
    with right, st.container(border=True):
        name, lines = next_practice_lines(card, lang)
        st.markdown(f"**{t('scorecard.next_title', lang)}** · {name}")
        st.markdown("  \n".join(lines))
        st.caption(t("scorecard.next_rule", lang))


def card_facts(card: Scorecard, scope: str, lang: str) -> str:
    return t("scorecard.facts", lang, sector=sector_name(card.sector, lang),
             n=fmt.number(card.n, lang), scope=scope)


def benchmark_notes(pieces: dict[str, pd.DataFrame], sector: str | None, peers_: Peers,
                    lang: str) -> list[str]:
    """Why a radar lacks the Club's band or its sector's median."""
    counts = PeerCounts(peers_.k, peers_.companies, peers_.sector_companies(sector))
    return missing_benchmarks(pieces, sector, counts, lang)


def radar_pieces(filters: Filters, k: int, code: str) -> tuple[dict[str, pd.DataFrame],
                                                                  pd.Series]:
    """A company's radar pieces (from the cached company table and peers) and its row."""
    # a row, not a frame: the table's index holds each company's code once
    row = benchmark_row(cast(pd.Series, company_table(*data.key(), as_raw(filters)).loc[code]),
                        filters)
    peers_ = peers(*data.key(), filters, k)
    sector = peers_.sector_band[peers_.sector_band["sector"] == row["sector"]]
    return radar_profiles(row, peers_.band, sector if len(sector) else None), row


@st.cache_data(max_entries=32, show_spinner=False)
def heatmap(db: str, data_version: int, filters: Filters, k: int,
            viewer: Viewer) -> tuple[pd.DataFrame, int]:
    """The heatmap rows the viewer may see (best overall score first) and how many companies
    they were chosen from."""
    visible = companies.visible_companies(company_table(db, data_version, as_raw(filters)),
                                          viewer, k)
    labels = companies.company_labels(visible, viewer)
    return heatmap_table(visible, labels), int(visible[companies.OVERALL].notna().sum())


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
              for p in n.index if p not in hidden}
    return (levels[~levels["panel"].isin(hidden)], panels,
            [segment_label(by, p, lang) for p in n.index if p in hidden])


def scorecard_tables(card: Scorecard, lang: str) -> None:
    """The declared KPIs and the Club indicators, each with its note."""
    for heading, note, frame in (
            ("scorecard.kpis_title", "scorecard.kpis_note", kpi_table(card, lang)),
            ("scorecard.indicators_title", "scorecard.indicators_note",
             indicator_table(card, lang))):
        st.markdown(f"**{t(heading, lang)}**")
        st.dataframe(frame, hide_index=True, width="stretch")
        st.caption(t(note, lang))


def chosen_card(options: CompanyOptions, viewer: Viewer, filters: Filters, k: int,
                lang: str) -> tuple[str, Scorecard] | None:
    """The company picker (bound to ?azienda=) and the chosen company's scorecard; None, with
    a hint on the page, while there is nothing to show."""
    if not options.codes:
        if viewer.is_analyst:
            st.info(t("scorecard.none_visible", lang, k=k), icon=":material/lock:")
        else:
            st.info(t("privacy.company_withheld", lang), icon=":material/lock:")
        return None
    code = company_picker("azienda", options, lang, "scorecard", default_company(viewer, options))
    card = scorecard(*data.key(), filters, k, code) if code else None
    if not code or card is None:
        st.info(t("scorecard.pick_hint", lang), icon=":material/badge:")
        return None
    return code, card


def persona_sentence(card: Scorecard, label: str, filters: Filters, lang: str) -> str | None:
    """The Buyer Persona the company is closest to, in one sentence (None under k)."""
    match = personas.persona_of_company(*data.key(), card.company, filters)
    return None if match is None else company_persona_sentence(match, label, lang)


def persona_block(sentence: str | None, lang: str) -> None:
    if sentence is None:
        return
    with st.container(border=True):
        st.markdown(f"**{t('scorecard.persona_title', lang)}**")
        st.text(sentence)  # plain text: the sentence holds a company name
        st.page_link("pages/personas.py", label=t("scorecard.persona_link", lang),
                     icon=":material/groups:")


def pdf_button(card: Scorecard, label: str, scope: str, lang: str,
               persona: str | None = None) -> None:
    """The one-page PDF, built only when clicked."""
    context = PdfContext(label, scope, lang, dt.date.today(), persona)
    st.download_button(t("scorecard.download_pdf", lang),
                       data=lambda: scorecard_pdf(card, context),
                       file_name=f"scheda-{card.code}.pdf", mime="application/pdf",
                       on_click="ignore", key="scorecard_pdf", icon=":material/picture_as_pdf:",
                       type="primary")


def access_codes_panel(viewer: Viewer, lang: str) -> None:
    """For analysts who show names: every company's private code, on request, and as CSV."""
    if not (viewer.is_analyst and viewer.show_names):
        return
    with st.expander(t("scorecard.access_title", lang), icon=":material/key:"):
        st.caption(t("scorecard.access_help", lang))
        if not st.toggle(t("scorecard.access_show", lang), key="scorecard_access_show"):
            return
        codes = access_codes(*data.key()).rename(columns={
            "code": t("scorecard.col_code", lang), "company": t("scorecard.col_name", lang),
            "access_code": t("scorecard.col_access_code", lang)})
        st.dataframe(codes, hide_index=True, width="stretch", key="scorecard_access_table")
        st.download_button(t("scorecard.access_download", lang),
                           data=lambda: to_csv_bytes(codes), file_name="codici-accesso.csv",
                           mime="text/csv", on_click="ignore", key="scorecard_access_csv",
                           icon=":material/download:")

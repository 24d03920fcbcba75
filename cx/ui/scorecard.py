"""The Scheda azienda page's Streamlit layer: one company's scorecard (cached per company, over
the shared company table and peers of `cx.ui.companies`), the company chosen (also on Piramide
CX), its maturity row, tables, persona sentence and PDF button, and the access-code list.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cx import fmt
from cx.access import Viewer
from cx.charts.gaps import gap_chart
from cx.charts.titles import Titles
from cx.export import to_csv_bytes, to_xlsx_bytes
from cx.filters import Filters
from cx.i18n import t
from cx.personas.text import company_persona_sentence
from cx.privacy import as_raw
from cx.scorecard import downloads, tables
from cx.scorecard.card import Scorecard
from cx.scorecard.data import load_moments, load_scorecard
from cx.scorecard.figures import (
    happy_text,
    indicator_table,
    kpi_table,
    next_practice_lines,
    sector_name,
)
from cx.scorecard.pdf import PdfContext, scorecard_pdf
from cx.scorecard.peers import Moments
from cx.ui import data, personas, widgets
from cx.ui.companies import CompanyOptions, company_picker, company_table, default_company, peers
from cx.view import View

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_resource(max_entries=6, show_spinner=False)  # arrays per company: shared, read-only
def moments(db: str, data_version: int, filters: Filters) -> Moments:
    """Every company's moments of the scorecard's numbers in the filter (once per filter)."""
    return load_moments(data.store(), filters)


@st.cache_data(max_entries=256, show_spinner=False)
def scorecard(db: str, data_version: int, filters: Filters, k: int,
              code: str) -> Scorecard | None:
    """The scorecard of the company with this anonymous code (None if not in the filter):
    its own answers in full, its peers as published (callers offer a non-analyst only their
    own company, see `company_options`), where it stands and how it moved."""
    return load_scorecard(data.store(), code, filters,
                          company_table(db, data_version, as_raw(filters)),
                          peers(db, data_version, filters, k),
                          moments(db, data_version, filters))


@st.cache_data(max_entries=4, show_spinner=False)
def access_codes(db: str, data_version: int) -> pd.DataFrame:
    """Every company's private access code (for analysts only: callers check the viewer)."""
    return data.store().query("access_codes")


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
             n=fmt.number(card.n, lang) + fmt.indicative_mark(card.n, lang), scope=scope)


def happy_tile(card: Scorecard, lang: str) -> None:
    """The Happy Index: its value, what it rests on and where it stands."""
    value, caption = happy_text(card, lang)
    widgets.tile(t("scorecard.happy_title", lang), value, caption, t("scorecard.happy_help", lang))


def scorecard_tables(card: Scorecard, lang: str) -> None:
    """The declared KPIs and the Club indicators, each with its note."""
    happy_tile(card, lang)
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


def persona_sentence(card: Scorecard, label: str, view: View) -> str | None:
    """The Buyer Persona the company is closest to, in one sentence (None under k)."""
    match = personas.persona_of_company(*data.key(), card.company, view)
    return None if match is None else company_persona_sentence(match, label, view.lang)


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
    """For analysts: every company's private code, on request, and as CSV; with names hidden,
    only the anonymous code beside it (the list stays reachable on a shared screen)."""
    if not viewer.is_analyst:
        return
    with st.expander(t("scorecard.access_title", lang), icon=":material/key:"):
        st.caption(t("scorecard.access_help", lang))
        if not viewer.show_names:
            st.caption(t("scorecard.access_no_names", lang))
        if not st.toggle(t("scorecard.access_show", lang), key="scorecard_access_show"):
            return
        codes = access_codes(*data.key())
        codes = codes if viewer.show_names else codes.drop(columns="company")
        codes = codes.rename(columns={
            "code": t("scorecard.col_code", lang), "company": t("scorecard.col_name", lang),
            "access_code": t("scorecard.col_access_code", lang)})
        st.dataframe(codes, hide_index=True, width="stretch", key="scorecard_access_table")
        st.download_button(t("scorecard.access_download", lang),
                           data=lambda: to_csv_bytes(codes), file_name="codici-accesso.csv",
                           mime="text/csv", on_click="ignore", key="scorecard_access_csv",
                           icon=":material/download:")


def table_downloads(frame: pd.DataFrame, key: str, lang: str) -> None:
    """A table as CSV and XLSX, built only when clicked."""
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("app.download_csv", lang), data=lambda: to_csv_bytes(frame),
                         file_name=f"{key}.csv", mime="text/csv", on_click="ignore",
                         key=f"csv_{key}", icon=":material/table:")
    right.download_button(t("app.download_xlsx", lang), data=lambda: to_xlsx_bytes(frame),
                          file_name=f"{key}.xlsx", mime=XLSX, on_click="ignore",
                          key=f"xlsx_{key}", icon=":material/table:")


def position_section(card: Scorecard, label: str, lang: str) -> None:
    """Where the company stands (every number against the rest of its sector and of the
    Club, the maturity percentiles, the gap per pillar) and how it moved since its previous
    wave; then its practices beside its peers'."""
    if card.position is None:
        return
    st.subheader(t("scorecard.position.title", lang))
    st.caption(t("scorecard.position.intro", lang))
    st.markdown(f"**{t('scorecard.position.percentile_title', lang)}**: "
                + " · ".join(tables.percentile_lines(card, lang)))
    st.dataframe(tables.standing_table(card, lang), hide_index=True, width="stretch",
                 key="scorecard_standing")
    st.caption(tables.moves_note(card, lang))
    table_downloads(downloads.standing_data(card, lang), f"posizione-{card.code}", lang)
    gaps = tables.gap_frame(card, lang)
    if gaps.empty:
        st.caption(t("scorecard.position.gap_none", lang, k=card.k))
    else:
        titles = Titles(t("scorecard.position.gap_title", lang),
                        t("scorecard.position.gap_subtitle", lang, company=label), lang)
        # stretched: the page's width on a phone, the axis wide enough on a projector
        widgets.chart(gap_chart(gaps, t("scorecard.position.gap_axis", lang), titles),
                      "company_gaps", lang, gaps)
    st.markdown(f"**{t('scorecard.position.practices_title', lang)}**")
    st.dataframe(tables.practice_table(card, lang), hide_index=True, width="stretch",
                 key="scorecard_practices")
    st.caption(t("scorecard.position.practices_note", lang))
    table_downloads(downloads.practice_data(card, lang), f"pratiche-{card.code}", lang)

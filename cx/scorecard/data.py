"""The scorecard read from the store, written once: the command line and the benchmarks read
everything here, the app passes in its cached company table, peers and moments
(`cx.ui.companies` and `cx.ui.scorecard` only wrap these functions in their caches). Pure: no
Streamlit.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cx.companies import (
    RESPONDENT_COLUMNS,
    TESTED,
    Peers,
    company_table,
    compute_peers,
    rest_sample,
)
from cx.filters import ALL, Filters
from cx.privacy import as_raw, benchmark_row, current_release
from cx.scorecard import peers as standing_peers
from cx.scorecard.card import Scorecard, build_scorecard
from cx.scorecard.peers import Moments
from cx.scorecard.position import build_position
from cx.store import Store


def find_company(store: Store, company_id: str) -> tuple[str, str] | None:
    """(name, anonymous code) of the company with this code (AZ-001) or exact name."""
    found = store.query("company_lookup", id=company_id.strip())
    return None if found.empty else (str(found["company"].iloc[0]), str(found["code"].iloc[0]))


def load_peers(store: Store, filters: Filters, k: int, table: pd.DataFrame) -> Peers:
    """The filter's Club and sector benchmarks, from its respondents and its company table
    (`cx.companies.company_table` of the same filters): once per filter, not per company."""
    return compute_peers(store.responses(RESPONDENT_COLUMNS, filters, ordered=False), table, k)


def load_moments(store: Store, filters: Filters) -> Moments:
    """Every company's moments of the scorecard's numbers and practices in the filter (as
    published for published filters): what its standing is computed from, once per filter."""
    return standing_peers.moments(
        store.responses(standing_peers.columns(store.qn), filters), store.qn)


def load_scorecard(store: Store, code: str, filters: Filters, table: pd.DataFrame,
                   peers: Peers, moments: Moments | None = None) -> Scorecard | None:
    """The scorecard of the company with this anonymous code; None when it has no respondents
    in the filter. Its own figures come from its answers in full (`table` is the company table
    of `as_raw(filters)`); with published filters, its peers (`load_peers` of `filters`) and
    its sector are as published. With `moments` (`load_moments` of `filters`), also where it
    stands and how it moved since its previous wave (from its answers in every wave)."""
    rows = table[table["code"] == code]
    if rows.empty:
        return None
    row = rows.iloc[0]
    own = as_raw(filters)
    answers = store.query("company_answers", company=row["company"], **own.params())
    if filters.published:
        row = benchmark_row(row, filters, current_release(store).publication)
    sector = None if pd.isna(row["sector"]) else str(row["sector"])
    rest = {} if sector is None else {
        m: rest_sample(*sums) for m, sums in store.rest_of_sector(
            TESTED, filters, sector, str(row["company"])).items()}
    card = build_scorecard(answers, row, peers, store.qn, rest)
    if moments is None:
        return card
    # every wave of the company: its answers in the filter when the filter takes them all
    history = answers if own == ALL else store.query("company_answers",
                                                     company=row["company"], **ALL.params())
    position = build_position(answers, history, row, moments, store.query("wave_questions"),
                              store.qn, peers.k)
    return replace(card, position=position)


def scorecard_for(store: Store, code: str, filters: Filters, k: int) -> Scorecard | None:
    """A company's scorecard straight from the store (the command line, the benchmarks)."""
    peers = load_peers(store, filters, k, company_table(store, filters))
    return load_scorecard(store, code, filters, company_table(store, as_raw(filters)), peers,
                          load_moments(store, filters))

"""The deck's inputs read straight from the store (the command line and the benchmarks); the app
reads the same through its caches (cx.ui.deck). Pure: no Streamlit.
"""

from __future__ import annotations

from cx.companies import RESPONDENT_COLUMNS, company_table, compute_peers
from cx.deck.slides import DEFAULT_PUBLIC_URL, DeckInputs
from cx.filters import Filters
from cx.journey import compute_journey, tally_keys
from cx.overview import COLUMNS as OVERVIEW_COLUMNS
from cx.overview import compute_overview
from cx.personas.report import build_report, published_personas, report_columns
from cx.privacy import crosses
from cx.store import Store


def deck_inputs(store: Store, filters: Filters, lang: str, k: int, comment_k: int,
                personas_k: int | None = None, public_url: str | None = None) -> DeckInputs:
    """Everything the storyline is written from, read from the store (the app reads the same
    through its caches)."""
    qn = store.qn
    overview = compute_overview(store.responses(OVERVIEW_COLUMNS, filters), k)
    waves = tuple(int(w) for w in store.query("waves")["wave"])
    if overview.suppressed:
        return DeckInputs(overview, None, None, None, waves, filters, qn, personas_k,
                          public_url or DEFAULT_PUBLIC_URL)
    peers = compute_peers(store.responses(RESPONDENT_COLUMNS, filters),
                          company_table(store, filters), k)
    personas = published_personas(store) if filters.published else build_report(
        store.responses(report_columns(qn), filters), qn, personas_k, k, comment_k)
    tallies = {key: store.tally(key, filters) for key in tally_keys()}
    journey = compute_journey(tallies, qn, k, lang, not crosses(filters, "sector"))
    return DeckInputs(overview, peers, personas, journey, waves, filters, qn, personas_k,
                      public_url or DEFAULT_PUBLIC_URL)

"""Cached access to the store. Every cached read takes the data version, so a commit
invalidates what was cached before it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx import config
from cx.dataset import open_or_build
from cx.filters import Filters
from cx.overview import COLUMNS as OVERVIEW_COLUMNS
from cx.overview import Overview, compute_overview
from cx.privacy import Admission, Release, admit, attach, current_release
from cx.store import Store


@st.cache_resource(on_release=lambda store: store.close(), show_spinner=False)
def _store(path: str) -> Store:
    return open_or_build(path)


def store() -> Store:
    """The process-wide store for the configured database (built from the sample if absent),
    with its publisher: reads with `Filters(published=True)` see only the published table."""
    found = _store(str(config.db_path()))
    attach(found, config.privacy_k(), config.comment_k())
    return found


def release() -> Release:
    """What non-analysts' figures are computed from (made once per data version)."""
    return current_release(store())


def admission(chosen: Filters) -> Admission:
    """The view a non-analyst gets for the filters chosen (cx.privacy.admit)."""
    return admit(chosen, release().publication)


def version() -> int:
    return store().data_version


@st.cache_data(max_entries=16, show_spinner=False)
def waves(db: str, data_version: int) -> list[int]:
    return [int(w) for w in store().query("waves")["wave"]]


@st.cache_data(max_entries=64, show_spinner=False)
def overview(db: str, data_version: int, filters: Filters, k: int) -> Overview:
    """The Panoramica's figures; the means per company only over the responses themselves,
    what analysts read (`cx.overview.maturity_note` says why)."""
    return compute_overview(store().responses(OVERVIEW_COLUMNS, filters), k,
                            by_company=not filters.published)


@st.cache_data(max_entries=64, show_spinner=False)
def responses(db: str, data_version: int, columns: tuple[str, ...],
              filters: Filters) -> pd.DataFrame:
    return store().responses(columns, filters)


def key() -> tuple[str, int]:
    """(database path, data version): the first two arguments of every cached read."""
    return str(config.db_path()), version()


@st.cache_data(max_entries=16, show_spinner=False)
def company_codes(db: str, data_version: int) -> dict[str, str]:
    """Company name → its anonymous code (AZ-001 …), for every company in the database."""
    frame = store().query("company_codes")
    return dict(zip(frame["company"], frame["code"]))

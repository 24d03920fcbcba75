"""Cached access to the store. Every cached read takes the data version, so a commit
invalidates what was cached before it.

The app reads published snapshots of the database (`cx/store/snapshots.py`): one read-only
store per snapshot, shared by the process's sessions. Each run of a page reads one snapshot
from start to end (`pin`, called by the frame); a new one is picked up at the next run."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import streamlit as st

from cx import config
from cx.dataset import prepare
from cx.filters import Filters
from cx.overview import COLUMNS as OVERVIEW_COLUMNS
from cx.overview import Overview, compute_overview
from cx.privacy import Admission, Release, admit, attach, current_release
from cx.store import Store, StoreError
from cx.store.snapshots import Snapshots

_PIN = "_cx_snapshot"  # session state: the store this run of the page reads


@st.cache_resource(show_spinner=False)
def _prepared(path: str) -> StoreError | None:
    """Once per process: the database built from the sample if absent, checked, published.
    A damaged primary with a published snapshot: the pages keep showing that snapshot (the
    error is returned for `damage`); without one, it raises."""
    try:
        prepare(Path(path))
    except StoreError as exc:
        if not exc.damaged or Snapshots(path).current() is None:
            raise
        print(exc, file=sys.stderr)  # the server's log keeps DuckDB's own words
        return exc
    return None


def damage() -> StoreError | None:
    """Why the database cannot be written to, when the pages show its last snapshot."""
    return _prepared(str(config.db_path()))


# Not closed on release: a session may still be running on it. An evicted store closes when
# its last reference goes; its snapshot's file was kept on disk meanwhile (or unlinked but open).
@st.cache_resource(max_entries=4, show_spinner=False)
def _snapshot_store(path: str, snapshot: str) -> Store:
    return Store.reader(path, snapshot=Snapshots(path).named(snapshot))


def _current() -> Store:
    path = str(config.db_path())
    _prepared(path)
    found = Snapshots(path).current()
    if found is None:  # removed by hand since the process started
        _prepared.clear()
        _prepared(path)
        found = Snapshots(path).current()
    assert found is not None
    return _snapshot_store(path, found.name)


def pin() -> None:
    """Read the newest published snapshot for this run of the page (called by the frame)."""
    st.session_state[_PIN] = _current()


def store() -> Store:
    """The snapshot this run reads (the newest one, after this session wrote), with its
    publisher: reads with `Filters(published=True)` see only the published table."""
    found = st.session_state.get(_PIN)
    if not isinstance(found, Store) or found.superseded or found.path != config.db_path():
        found = _current()
        st.session_state[_PIN] = found
    attach(found, config.privacy_k(), config.comment_k(), apart=True)
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
    return compute_overview(store().responses(OVERVIEW_COLUMNS, filters, ordered=False), k,
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

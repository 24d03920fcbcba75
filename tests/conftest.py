"""Shared fixtures: real DuckDB files in temp dirs, built from the embedded sample."""

from __future__ import annotations

import math
import numbers
import os
import shutil
from pathlib import Path

# The suite runs DuckDB with jemalloc's own decay, before `cx` sets the app's (freed pages
# back at once: a madvise per free, +4 min of CI over hundreds of short-lived databases). The
# app's setting is tested in a fresh process (tests/test_memory.py).
os.environ.setdefault("DUCKDB_JE_MALLOC_CONF", "")

import pandas as pd
import pytest

from cx.dataset import build_database
from cx.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "cx.duckdb"
    build_database(path).close()
    return path


@pytest.fixture
def sample_db(sample_db_template, tmp_path) -> Path:
    """A private copy of the sample database (DuckDB allows one writer process per file)."""
    path = tmp_path / "cx.duckdb"
    shutil.copy(sample_db_template, path)
    return path


@pytest.fixture
def store(sample_db):
    from cx.store import Store

    with Store.open(sample_db) as s:
        yield s


@pytest.fixture
def app_env(sample_db, monkeypatch) -> Path:
    """Point the app at a private database copy."""
    monkeypatch.setenv("CX_DB", str(sample_db))
    monkeypatch.chdir(ROOT)
    return sample_db


@pytest.fixture
def empty(tmp_path):
    """A new, empty database (what `python -m cx ingest` creates for a first file)."""
    with Store.open(tmp_path / "empty.duckdb") as store:
        yield store


def cell_value(v):
    """A stored or generated cell, comparable across dtypes: None, a float or a string."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(v) if isinstance(v, numbers.Number) else str(v)


def by_file_row(stored: pd.DataFrame) -> pd.DataFrame:
    """Generated ids are `<sha8>-<row>`: order by the file's row."""
    order = stored["respondent_id"].str.rsplit("-", n=1).str[-1].astype(int)
    return stored.assign(_o=order).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def run_app(page: str | None = None, **query):
    """AppTest of the whole app (the frame first, then `page`), with `query` in the URL; fails
    on an exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def extras_of(store, upload_id: str):
    """The kept columns of an upload (`upload_extras`), read straight from the file."""
    with store.cursor() as cur:
        return cur.execute('SELECT "row", respondent_id, "column", value FROM upload_extras '
                           'WHERE upload_id = $id ORDER BY "row", "column"',
                           {"id": upload_id}).df()


def respondents_in_wave(store, wave: int) -> int:
    """How many responses of a wave the file holds, counted straight from it."""
    with store.cursor() as cur:
        return int(cur.execute("SELECT count(*) FROM responses WHERE wave = $wave",
                               {"wave": wave}).fetchall()[0][0])



@pytest.fixture
def server_address():
    """Set Streamlit's server.address for an in-process AppTest, restoring it afterwards."""
    from streamlit import config as st_config

    before = st_config.get_option("server.address")
    yield lambda value: st_config.set_option("server.address", value)
    st_config.set_option("server.address", before)

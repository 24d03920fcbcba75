"""Shared fixtures: real DuckDB files in temp dirs, built from the embedded sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cx.dataset import build_database

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

"""The one place that speaks SQL: the DuckDB file, its schema, every query and every write,
uploads included (`cx.store.staging`). Nothing above it holds a cursor.

`from cx.store import Store` loads the connection code (DuckDB, pandas) only when asked, so a
light module of the package (`cx.store.codes`) can be imported by itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cx.store.core import (
        PUBLISHED,
        SCORE_TYPES,
        SYSTEM_COLUMNS,
        Store,
        StoreError,
        response_columns,
    )
    from cx.store.csv_source import MAX_LINE, csv_body
    from cx.store.schema import SCHEMA_VERSION
    from cx.store.sql import sql_text

__all__ = ["MAX_LINE", "PUBLISHED", "SCHEMA_VERSION", "SCORE_TYPES", "SYSTEM_COLUMNS", "Store",
           "StoreError", "csv_body", "response_columns", "sql_text"]
_EXPORTS = {name: "cx.store.core" for name in __all__} | {
    "sql_text": "cx.store.sql", "MAX_LINE": "cx.store.csv_source",
    "SCHEMA_VERSION": "cx.store.schema",
    "csv_body": "cx.store.csv_source"}


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cx.store' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)

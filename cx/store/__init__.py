"""The one place that speaks SQL: the DuckDB file, its schema, every query and every write,
uploads included (`cx.store.staging`). Nothing above it holds a cursor.

`from cx.store import Store` loads the connection code (DuckDB, pandas) only when asked, so a
light module of the package (`cx.store.codes`) can be imported by itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cx.store.connection import StoreError
    from cx.store.core import Store
    from cx.store.csv_source import MAX_LINE, csv_body
    from cx.store.published import PUBLISHED
    from cx.store.schema import SCHEMA_VERSION, SCORE_TYPES, SYSTEM_COLUMNS, response_columns
    from cx.store.sql import sql_text

__all__ = ["MAX_LINE", "PUBLISHED", "SCHEMA_VERSION", "SCORE_TYPES", "SYSTEM_COLUMNS", "Store",
           "StoreError", "csv_body", "response_columns", "sql_text"]
_EXPORTS = {
    "Store": "cx.store.core", "StoreError": "cx.store.connection",
    "PUBLISHED": "cx.store.published", "sql_text": "cx.store.sql",
    "MAX_LINE": "cx.store.csv_source", "csv_body": "cx.store.csv_source",
    **{name: "cx.store.schema"
       for name in ("SCHEMA_VERSION", "SCORE_TYPES", "SYSTEM_COLUMNS", "response_columns")},
}


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cx.store' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)

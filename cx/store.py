"""The DuckDB store: the only module that speaks SQL.

* Named queries live in `cx/sql/*.sql`; values are always bound parameters.
* Identifiers (column names) come only from the allow-list built from the questionnaire.
* Every query runs on its own cursor, so concurrent Streamlit sessions never share one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from cx.access import new_access_codes
from cx.filters import ALL, Filters
from cx.questionnaire import Questionnaire, questionnaire
from cx.scoring import PILLAR_COLUMNS, PYRAMID_COLUMNS

SCHEMA_VERSION = 1
SCORE_TYPES = {
    **{c: "DOUBLE" for c in (*PYRAMID_COLUMNS, *PILLAR_COLUMNS, "maturity_index")},
    "maturity_stage": "VARCHAR",
    "has_journey_map": "BOOLEAN",
    "checks_real_journey": "BOOLEAN",
    "measures_nps": "BOOLEAN",
}
SYSTEM_COLUMNS = {"upload_id": "VARCHAR"}
_FILTER_MARK = "/*FILTER*/"


class StoreError(Exception):
    """A database problem explained in words (e.g. the file is locked by another process)."""


@cache
def sql_text(name: str) -> str:
    """The text of `cx/sql/<name>.sql` (KeyError for an unknown name)."""
    path = resources.files("cx.sql") / f"{name}.sql"
    if not path.is_file():
        raise KeyError(name)
    text = path.read_text(encoding="utf-8")
    if _FILTER_MARK in text:
        text = text.replace(_FILTER_MARK, sql_text("filter"))
    return text


def response_columns(qn: Questionnaire) -> dict[str, str]:
    """Allow-listed columns of the `responses` table and their SQL types."""
    cols = {q.id: q.sql_type for q in qn.questions}
    cols.update(SCORE_TYPES)
    cols.update(SYSTEM_COLUMNS)
    return cols


def _quote(identifier: str, allowed: Iterable[str]) -> str:
    if identifier not in allowed:
        raise KeyError(f"column not allowed: {identifier!r}")
    return f'"{identifier}"'


class Store:
    """One DuckDB file. Create with `Store.open(path)`; close with `close()`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, qn: Questionnaire):
        self._con = con
        self.path = path
        self.qn = qn
        self.columns = response_columns(qn)
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str, qn: Questionnaire | None = None) -> Store:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(path), config={"autoinstall_known_extensions": False,
                                                    "autoload_known_extensions": False})
        except duckdb.IOException as exc:
            raise StoreError(f"{path}: {exc}") from exc
        store = cls(con, path, qn or questionnaire())
        store._ensure_schema()
        return store

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    # ------------------------------------------------------------------ schema
    def _ensure_schema(self) -> None:
        cols = ",\n    ".join(f'"{c}" {t}' for c, t in self.columns.items())
        with self.cursor() as cur:
            cur.execute(sql_text("schema"))
            cur.execute(f"CREATE TABLE IF NOT EXISTS responses (\n    {cols}\n)")
            cur.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?), "
                        "('data_version', '0')", [str(SCHEMA_VERSION)])
        with self._write_lock, self.cursor() as cur:  # databases built before access codes
            cur.begin()
            self._assign_access_codes(cur)
            cur.commit()

    def meta(self, key: str) -> str | None:
        with self.cursor() as cur:
            row = cur.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        return row[0][0] if row else None

    @property
    def schema_version(self) -> int:
        return int(self.meta("schema_version") or 0)

    @property
    def data_version(self) -> int:
        """Bumped by every write: part of every cache key above the store."""
        return int(self.meta("data_version") or 0)

    # ------------------------------------------------------------------ reads
    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run the named query with bound parameters."""
        with self.cursor() as cur:
            return cur.execute(sql_text(name), params or None).df()

    def responses(self, columns: Iterable[str] | None = None,
                  filters: Filters = ALL) -> pd.DataFrame:
        """Selected columns of the responses in the filter (all columns by default)."""
        names = list(columns) if columns is not None else list(self.columns)
        select = ", ".join(_quote(c, self.columns) for c in names)
        sql = (f"SELECT {select} FROM responses WHERE {sql_text('filter')} "
               "ORDER BY wave, respondent_id")
        with self.cursor() as cur:
            return cur.execute(sql, filters.params()).df()

    def tally(self, columns: Iterable[str], filters: Filters = ALL) -> pd.DataFrame:
        """Respondents in the filter per combination of answers to `columns` (column `n`);
        a missing answer is its own combination. Aggregated in DuckDB: a few rows, not 100k."""
        select = ", ".join(_quote(c, self.columns) for c in columns)
        sql = (f"SELECT {select}, count(*) AS n FROM responses WHERE {sql_text('filter')} "
               "GROUP BY ALL ORDER BY ALL")
        with self.cursor() as cur:
            return cur.execute(sql, filters.params()).df()

    def stacked_tally(self, columns: Iterable[str], filters: Filters = ALL) -> pd.DataFrame:
        """Answers per question and value (`question`, `value`, `n`) for same-typed columns,
        e.g. every Likert item of a section; missing answers are left out."""
        select = ", ".join(_quote(c, self.columns) for c in columns)
        sql = (f"SELECT question, value, count(*) AS n FROM (UNPIVOT (SELECT {select} "
               f"FROM responses WHERE {sql_text('filter')}) ON {select} "
               "INTO NAME question VALUE value) GROUP BY ALL ORDER BY ALL")
        with self.cursor() as cur:
            return cur.execute(sql, filters.params()).df()

    def table_counts(self) -> dict[str, int]:
        with self.cursor() as cur:
            tables = [r[0] for r in cur.execute(
                "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
            return {t: cur.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}

    # ------------------------------------------------------------------ writes
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing write; bumps the data version on commit."""
        with self._write_lock, self.cursor() as cur:
            cur.begin()
            try:
                yield cur
                cur.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) "
                            "WHERE key = 'data_version'")
                cur.commit()
            except BaseException:
                cur.rollback()
                raise

    def insert_responses(self, cur: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
        """Append a frame whose columns are a subset of the allow-list (inside a transaction)."""
        names = [c for c in frame.columns if c in self.columns]
        cols = ", ".join(_quote(c, self.columns) for c in names)
        cur.register("staged_responses", frame[names])
        try:
            cur.execute(f"INSERT INTO responses ({cols}) SELECT {cols} FROM staged_responses")
        finally:
            cur.unregister("staged_responses")
        cur.execute(sql_text("assign_company_codes"))
        self._assign_access_codes(cur)
        if "wave" in frame:
            self.record_questionnaire(cur, frame["wave"].dropna().unique())
        return len(frame)

    def record_questionnaire(self, cur: duckdb.DuckDBPyConnection, waves: Iterable) -> None:
        """Remember how each question was asked in these waves (the first record wins)."""
        rows = [(int(w), q.id, q.signature()) for w in waves for q in self.qn.questions]
        if rows:
            cur.executemany("INSERT OR IGNORE INTO wave_questions VALUES (?, ?, ?)", rows)

    def _assign_access_codes(self, cur: duckdb.DuckDBPyConnection) -> None:
        missing = cur.execute(sql_text("companies_without_access_code")).df()["company"]
        if missing.empty:
            return
        taken = cur.execute("SELECT access_code FROM company_access").df()["access_code"]
        staged = pd.DataFrame({"company": missing,
                               "access_code": new_access_codes(len(missing), taken)})
        cur.register("staged_access", staged)
        try:
            cur.execute("INSERT INTO company_access SELECT company, access_code FROM staged_access")
        finally:
            cur.unregister("staged_access")

    def company_for_access_code(self, access_code: str) -> str | None:
        """The company a private access code opens, if any."""
        found = self.query("company_by_access_code", access_code=access_code)
        return None if found.empty else str(found["company"].iloc[0])

    def read_csv_typed(self, path: Path | str) -> pd.DataFrame:
        """Read a canonical CSV with the questionnaire's column types."""
        types = {q.id: q.sql_type for q in self.qn.questions}
        with self.cursor() as cur:
            rel = cur.read_csv(str(path), header=True, dtype=types, sep=",", quotechar='"')
            return rel.df()

"""The store's reads: named queries, the responses of a filter (from the file or, for published
filters, the release's table), tallies and the tables' fingerprints.

* Named queries live in `cx/store/queries/*.sql`; values are always bound parameters.
* Identifiers (column names) come only from the allow-list built from the questionnaire.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cx.filters import ALL, Filters
from cx.store.connection import Connection, StoreError
from cx.store.sql import ident, sql_text

if TYPE_CHECKING:  # pandas, numpy and pyarrow load when a method needs them: a command that
    import duckdb
    import pandas as pd  # only lists uploads starts in a fraction of a second
    import pyarrow as pa


def _as_pandas(table: pa.Table) -> pd.DataFrame:
    """A query's result as DuckDB's `.df()` gives it, through Arrow: the same dtypes (integers
    and booleans nullable only where NULLs occur, text with no value at all as objects) at half
    the peak memory and a third of the time on a million rows (`.df()` converts text through
    Python objects). For results of numbers, booleans and text (the responses, tallies, the
    company table); others keep `.df()`."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    nullable = {pa.bool_(): pd.BooleanDtype(), pa.int8(): pd.Int8Dtype(),
                pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
                pa.int64(): pd.Int64Dtype(), pa.uint64(): pd.UInt64Dtype()}
    # one chunk per column, copied out of DuckDB's buffers: the frame's text stays Arrow, and
    # chunks left in DuckDB's memory kept 100 MB more of it (the company table at 1M)
    table = table.combine_chunks()
    frame: pd.DataFrame = table.to_pandas(types_mapper=nullable.get)
    for i, column in enumerate(table.columns):
        if column.type in nullable and column.null_count == 0:
            frame.isetitem(i, frame.iloc[:, i].to_numpy(dtype=column.type.to_pandas_dtype()))
        elif pa.types.is_string(column.type) and column.null_count == table.num_rows:
            frame.isetitem(i, np.full(table.num_rows, None, dtype=object))
    return frame


def _result(cur: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]
            ) -> pd.DataFrame:
    """The rows of `sql` as pandas (`_as_pandas`)."""
    return _as_pandas(cur.sql(sql, params=params).to_arrow_table())


class Reads(Connection):
    """What the store reads (a part of `Store`)."""

    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run the named query with bound parameters."""
        with self.cursor() as cur:
            return cur.execute(sql_text(name), params or None).df()

    def rows(self, name: str, **params: object) -> list[dict[str, object]]:
        """Run the named query with bound parameters; its rows as plain dicts (no pandas)."""
        with self.cursor() as cur:
            cur.execute(sql_text(name), params or None)
            names = [d[0] for d in cur.description or ()]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    def query_in(self, name: str, filters: Filters, **params: object) -> pd.DataFrame:
        """Run a named query with the filter's parameters, over the table the filter reads."""
        with self.cursor(self._source(filters)) as cur:
            return _result(cur, sql_text(name), {**filters.params(), **params})

    def _source(self, filters: Filters) -> pa.Table | Path | None:
        """The published table when the filters ask for it (`cursor` reads it as responses)."""
        if not filters.published:
            return None
        if self.publisher is None:
            raise StoreError(self.path, "no publisher: published figures asked for")
        return self.publisher.table()

    def responses(self, columns: Iterable[str] | None = None,
                  filters: Filters = ALL, ordered: bool = True) -> pd.DataFrame:
        """Selected columns of the responses in the filter (all columns by default), by wave
        and respondent, or, not `ordered`, as stored (for sums, which need no order: sorting a
        million rows held 190 MB more)."""
        names = list(columns) if columns is not None else list(self.columns)
        select = ", ".join(ident(c, self.columns) for c in names)
        sql = (f"SELECT {select} FROM responses WHERE {sql_text('filter')}"
               + (" ORDER BY wave, respondent_id" if ordered else ""))
        with self.cursor(self._source(filters)) as cur:
            return _result(cur, sql, filters.params())

    def response_count(self) -> int:
        """Rows of the responses (what a release is made from)."""
        with self.cursor() as cur:
            return int(cur.execute("SELECT count(*) FROM responses").fetchall()[0][0])

    def tally(self, columns: Iterable[str], filters: Filters = ALL) -> pd.DataFrame:
        """Respondents in the filter per combination of answers to `columns` (column `n`);
        a missing answer is its own combination. Aggregated in DuckDB: a few rows, not 100k."""
        select = ", ".join(ident(c, self.columns) for c in columns)
        sql = (f"SELECT {select}, count(*) AS n FROM responses WHERE {sql_text('filter')} "
               "GROUP BY ALL ORDER BY ALL")
        with self.cursor(self._source(filters)) as cur:
            return _result(cur, sql, filters.params())

    def rest_of_sector(self, columns: Iterable[str], filters: Filters, sector: str,
                       company: str) -> dict[str, tuple[int, float, float]]:
        """Per column over the filter's respondents of `sector` outside `company`: answers,
        sum and sum of squares (what a company is tested against; one scan, a few numbers)."""
        names = list(columns)
        parts = ", ".join(f"count({c}), sum({c}), sum({c} * {c})"
                          for c in (ident(n, self.columns) for n in names))
        sql = (f"SELECT {parts} FROM responses WHERE {sql_text('filter')} "
               "AND sector = $rest_sector AND company <> $rest_company")
        with self.cursor(self._source(filters)) as cur:
            row = cur.execute(sql, {**filters.params(), "rest_sector": sector,
                                    "rest_company": company}).fetchall()[0]
        return {n: (int(row[3 * i]), float(row[3 * i + 1] or 0.0), float(row[3 * i + 2] or 0.0))
                for i, n in enumerate(names)}

    def stacked_tally(self, columns: Iterable[str], filters: Filters = ALL) -> pd.DataFrame:
        """Answers per question and value (`question`, `value`, `n`) for same-typed columns,
        e.g. every Likert item of a section; missing answers are left out."""
        select = ", ".join(ident(c, self.columns) for c in columns)
        sql = (f"SELECT question, value, count(*) AS n FROM (UNPIVOT (SELECT {select} "
               f"FROM responses WHERE {sql_text('filter')}) ON {select} "
               "INTO NAME question VALUE value) GROUP BY ALL ORDER BY ALL")
        with self.cursor(self._source(filters)) as cur:
            return cur.execute(sql, filters.params()).df()

    def table_counts(self) -> dict[str, int]:
        with self.cursor() as cur:
            tables = [r[0] for r in cur.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database() ORDER BY 1").fetchall()]
            return {t: cur.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """Row count and an order-independent content checksum of every table."""
        with self.cursor() as cur:
            tables = [r[0] for r in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
                "AND database_name = current_database() ORDER BY 1").fetchall()]
            return {t: tuple(cur.execute(
                f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{t}" t').fetchall()[0])
                for t in tables}

    def saved_mapping(self, shape: str) -> dict[str, str] | None:
        """The mapping saved for this header shape, if any."""
        found = self.query("saved_mapping", shape=shape)
        return None if found.empty else json.loads(found["mapping"].iloc[0])

    def company_for_access_code(self, access_code: str) -> str | None:
        """The company a private access code opens, if any."""
        found = self.query("company_by_access_code", access_code=access_code)
        return None if found.empty else str(found["company"].iloc[0])

    def read_csv_typed(self, path: Path | str) -> pd.DataFrame:
        """Read a canonical CSV with the questionnaire's column types (for the columns it has:
        a file of an earlier wave lacks the questions asked later)."""
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = set(next(csv.reader(fh), []))
        types = {q.id: q.sql_type for q in self.qn.questions if q.id in header}
        with self.cursor() as cur:
            rel = cur.read_csv(str(path), header=True, dtype=types, sep=",", quotechar='"')
            frame: pd.DataFrame = rel.df()  # DuckDB types df() as Any
            return frame

    def upload_bytes(self, upload_id: str) -> bytes:
        """The original bytes of an upload."""
        from cx.store import original

        parts = self.query("upload_file", upload_id=upload_id)
        data = b"".join(bytes(c) for c in parts["content"])
        return original.unpack(data, parts["codec"].iloc[0]) if len(parts) else data

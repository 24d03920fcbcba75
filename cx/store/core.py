"""The DuckDB file: connection, cursors, transactions, reads and the writes of responses.

* Named queries live in `cx/store/queries/*.sql`; values are always bound parameters.
* Identifiers (column names) come only from the allow-list built from the questionnaire.
* Every query runs on its own cursor, so concurrent Streamlit sessions never share one.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import duckdb

from cx.filters import ALL, Filters
from cx.i18n import t
from cx.questionnaire import Questionnaire, questionnaire
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.store import schema
from cx.store.sql import ident, sql_text

if TYPE_CHECKING:  # pandas, numpy and pyarrow load when a method needs them: a command that
    import pandas as pd  # only lists uploads starts in a fraction of a second
    import pyarrow as pa

    from cx.store.upload.session import Staging

SCORE_TYPES = {
    **{c: "DOUBLE" for c in (*PYRAMID_COLUMNS, *PILLAR_COLUMNS, "maturity_index")},
    "maturity_stage": "VARCHAR",
    "has_journey_map": "BOOLEAN",
    "checks_real_journey": "BOOLEAN",
    "measures_nps": "BOOLEAN",
}
SYSTEM_COLUMNS = {"upload_id": "VARCHAR"}
PUBLISHED = "cx_published"  # the in-memory database holding the release's table


class StoreError(Exception):
    """The database file cannot be opened; `text(lang)` says why in one sentence (most often:
    another process holds it, since DuckDB lets one process at a time open a file)."""

    def __init__(self, path: Path | str, detail: str):
        detail = re.sub(r"\s*See also https?://\S+", "", detail).strip()
        super().__init__(f"{path}: {detail}")
        self.path = str(path)
        self.detail = detail

    @property
    def locked(self) -> bool:
        return "Could not set lock" in self.detail

    def text(self, lang: str) -> str:
        if not self.locked:
            return t("app.store_error", lang, error=str(self))
        pid = re.search(r"\(PID (\d+)\)", self.detail)
        holder = t("app.store_holder", lang, pid=pid.group(1)) if pid else ""
        return t("app.store_locked", lang, path=self.path, holder=holder)


def response_columns(qn: Questionnaire) -> dict[str, str]:
    """Allow-listed columns of the `responses` table and their SQL types."""
    cols = {q.id: q.sql_type for q in qn.questions}
    cols.update(SCORE_TYPES)
    cols.update(SYSTEM_COLUMNS)
    return cols








def _responses_frame(table: pa.Table) -> pd.DataFrame:
    """Columns of `responses` (INTEGER, DOUBLE, BOOLEAN, VARCHAR) as pandas, through Arrow: the
    dtypes of DuckDB's `.df()` (integers and booleans nullable only where NULLs occur; text with
    no value at all as objects) in half its time, a fifth of it on a million rows of text."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    nullable = {pa.int32(): pd.Int32Dtype(), pa.bool_(): pd.BooleanDtype()}
    plain = {pa.int32(): np.int32, pa.bool_(): np.bool_}
    frame: pd.DataFrame = table.to_pandas(types_mapper=nullable.get)
    for i, column in enumerate(table.columns):
        if column.type in plain and column.null_count == 0:
            frame.isetitem(i, frame.iloc[:, i].to_numpy(dtype=plain[column.type]))
        elif pa.types.is_string(column.type) and column.null_count == table.num_rows:
            frame.isetitem(i, np.full(table.num_rows, None, dtype=object))
    return frame


def _staging(store: Store, cur: duckdb.DuckDBPyConnection) -> Staging:
    from cx.store.upload.session import Staging

    return Staging(store, cur)


class Publisher(Protocol):
    def table(self) -> pa.Table: ...


class Store:
    """One DuckDB file. Create with `Store.open(path)`; close with `close()`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, qn: Questionnaire):
        self._con = con
        # gives the published table for reads with `Filters(published=True)`; set by whoever
        # opened the store (cx.privacy.Publisher): without it such reads fail closed
        self.publisher: Publisher | None = None
        self.path = path
        self.qn = qn
        self.columns = response_columns(qn)
        self.write_lock = threading.Lock()
        # held while preserve_insertion_order is off (a direct insert) or relied upon (staging)
        self._insertion_order = threading.Lock()
        self._published_lock = threading.Lock()
        self._published_loaded: pa.Table | None = None  # the release copied in memory
        with con.cursor() as cur:
            self._main_catalog = str(cur.execute("SELECT current_database()").fetchall()[0][0])

    @classmethod
    def open(cls, path: Path | str, qn: Questionnaire | None = None) -> Store:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(path), config={"autoinstall_known_extensions": False,
                                                    "autoload_known_extensions": False})
        except duckdb.IOException as exc:
            raise StoreError(path, str(exc)) from exc
        store = cls(con, path, qn or questionnaire())
        schema.ensure(store)
        return store

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def cursor(self, published: pa.Table | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own. With `published` (the privacy layer's table, `cx.privacy`),
        `responses` means that table on this cursor only: a read sees what a viewer may."""
        cur = self._con.cursor()
        try:
            if published is not None:
                self._load_published(published)
                # the published copy first, then the file: `companies` and the rest still
                # resolve to the file's tables
                main = self._main_catalog.replace('"', '""')  # the file's name: any character
                cur.execute("SET search_path = $path", {"path": f'{PUBLISHED}.main,"{main}".main'})
            yield cur
        finally:
            cur.close()

    def _load_published(self, table: pa.Table) -> None:
        """Copy the release's table into an in-memory database beside the file, once per
        release: DuckDB scans its own columns faster than Arrow's (bench/privacy.py)."""
        if self._published_loaded is table:
            return
        with self._published_lock, self._con.cursor() as cur:
            if self._published_loaded is table:
                return
            cur.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {PUBLISHED}")
            cur.register("release_table", table)
            try:
                cur.execute(f"CREATE OR REPLACE TABLE {PUBLISHED}.responses AS "
                            "SELECT * FROM release_table")
            finally:
                cur.unregister("release_table")
            self._published_loaded = table


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
            return cur.execute(sql_text(name), {**filters.params(), **params}).df()

    def _source(self, filters: Filters) -> pa.Table | None:
        """The published table when the filters ask for it (`cursor` reads it as responses)."""
        if not filters.published:
            return None
        if self.publisher is None:
            raise StoreError(self.path, "no publisher: published figures asked for")
        return self.publisher.table()

    def responses(self, columns: Iterable[str] | None = None,
                  filters: Filters = ALL) -> pd.DataFrame:
        """Selected columns of the responses in the filter (all columns by default)."""
        names = list(columns) if columns is not None else list(self.columns)
        select = ", ".join(ident(c, self.columns) for c in names)
        sql = (f"SELECT {select} FROM responses WHERE {sql_text('filter')} "
               "ORDER BY wave, respondent_id")
        with self.cursor(self._source(filters)) as cur:
            return _responses_frame(cur.sql(sql, params=filters.params()).to_arrow_table())

    def tally(self, columns: Iterable[str], filters: Filters = ALL) -> pd.DataFrame:
        """Respondents in the filter per combination of answers to `columns` (column `n`);
        a missing answer is its own combination. Aggregated in DuckDB: a few rows, not 100k."""
        select = ", ".join(ident(c, self.columns) for c in columns)
        sql = (f"SELECT {select}, count(*) AS n FROM responses WHERE {sql_text('filter')} "
               "GROUP BY ALL ORDER BY ALL")
        with self.cursor(self._source(filters)) as cur:
            return cur.execute(sql, filters.params()).df()

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

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing write; bumps the data version on commit."""
        with self.write_lock, self.cursor() as cur:
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
        from cx.store import companies

        names = [c for c in frame.columns if c in self.columns]
        cols = ", ".join(ident(c, self.columns) for c in names)
        frame = companies.renamed_companies(cur, frame)
        cur.register("staged_responses", frame[names])
        try:
            cur.execute(f"INSERT INTO responses ({cols}) SELECT {cols} FROM staged_responses")
        finally:
            cur.unregister("staged_responses")
        self.after_insert(cur, frame["wave"].dropna().unique() if "wave" in frame else ())
        return len(frame)

    def insert_responses_select(self, cur: duckdb.DuckDBPyConnection, columns: Iterable[str],
                                select: str, params: dict[str, object]) -> int:
        """Append the rows of a SELECT (generated from the questionnaire, values bound) whose
        output columns are `columns` of the allow-list (inside a transaction); `after_insert`
        then gives new companies their codes."""
        cols = ", ".join(ident(c, self.columns) for c in columns)
        # in no particular order (reads sort): written in parallel, also under a memory cap,
        # where keeping the order made DuckDB write a million rows almost one thread at a time
        # The setting is global to the database: while it is off no CSV is staged (their row
        # numbers follow the order rows are stored in), and it is back on whatever happens,
        # from a cursor of its own since a failed statement leaves `cur`'s transaction aborted.
        with self._insertion_order:
            cur.execute("SET preserve_insertion_order = false")
            try:
                return int(cur.execute(f"INSERT INTO responses ({cols}) {select}",
                                       params).fetchall()[0][0])
            finally:
                with self.cursor() as other:
                    other.execute("RESET preserve_insertion_order")

    def try_insert_responses(self, cur: duckdb.DuckDBPyConnection, columns: Iterable[str],
                             select: str, params: dict[str, object]) -> int | None:
        """`insert_responses_select`, or None when DuckDB stops the statement (a value its
        SELECT refuses with `error()`, a malformed CSV line, bytes that are not UTF-8): the
        transaction must then be rolled back."""
        try:
            return self.insert_responses_select(cur, columns, select, params)
        except duckdb.Error:
            return None

    def after_insert(self, cur: duckdb.DuckDBPyConnection, waves: Iterable[int]) -> None:
        """New companies get their anonymous and private codes; the waves' questions are
        recorded."""
        from cx.store import companies

        companies.assign_company_codes(cur)
        companies.assign_access_codes(cur)
        self.record_questionnaire(cur, waves)

    @contextmanager
    def reissued_codes(self) -> Iterator[pd.DataFrame]:
        """Every anonymous and private access code retired (kept in `retired_codes`: never
        accepted nor issued again) and new ones issued, in one transaction. Inside the block,
        the new codes (code, company, access_code); committed when it ends, nothing changed if
        it raises."""
        from cx.store import companies

        with self.transaction() as cur:
            companies.reissue_codes(cur)
            yield cur.execute(sql_text("access_codes")).df()

    @contextmanager
    def scratch(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside a transaction that is always rolled back: previews write nothing."""
        with self.cursor() as cur:
            cur.begin()
            try:
                yield cur
            finally:
                cur.rollback()

    @contextmanager
    def staging(self) -> Iterator[Staging]:
        """An upload staged and checked, then rolled back: a preview writes nothing."""
        with self.scratch() as cur:
            yield _staging(self, cur)

    @contextmanager
    def writing(self) -> Iterator[Staging]:
        """An upload staged, checked and written in one all-or-nothing transaction."""
        with self.transaction() as cur:
            yield _staging(self, cur)

    @contextmanager
    def insertion_order(self) -> Iterator[None]:
        """Held while rows must be stored in the order they are read (staging a CSV, whose
        row numbers come from that order); a direct insert turns the order off meanwhile."""
        with self._insertion_order:
            yield

    def append_frame(self, frame: pd.DataFrame) -> int:
        """Append a frame of responses (`insert_responses`) in a transaction of its own."""
        with self.transaction() as cur:
            return self.insert_responses(cur, frame)

    def limit_memory(self, limit: str) -> None:
        """Cap DuckDB's memory (e.g. "1GB"): beyond it, work spills to disk. Per process."""
        if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", limit.strip()):
            raise ValueError(f"not a memory size: {limit!r}")
        with self.cursor() as cur:
            cur.execute(f"SET memory_limit = '{limit.strip()}'")  # validated just above

    def upload_bytes(self, upload_id: str) -> bytes:
        """The original bytes of an upload."""
        from cx.store import original

        parts = self.query("upload_file", upload_id=upload_id)
        data = b"".join(bytes(c) for c in parts["content"])
        return original.unpack(data, parts["codec"].iloc[0]) if len(parts) else data

    def undo_upload(self, upload_id: str) -> dict[str, int]:
        """Remove exactly this upload's rows, restore the rows it replaced, mark it undone."""
        cols = ", ".join(ident(c, self.columns) for c in self.columns)
        p = {"id": upload_id}
        with self.transaction() as cur:
            removed = cur.execute("DELETE FROM responses WHERE upload_id = $id", p).fetchall()
            cur.execute("DELETE FROM archived_responses WHERE upload_id = $id", p)
            restored = cur.execute(f"INSERT INTO responses ({cols}) SELECT {cols} FROM "
                                   "archived_responses WHERE replaced_by = $id", p).fetchall()
            cur.execute("DELETE FROM archived_responses WHERE replaced_by = $id", p)
            for table in ("quarantine", "upload_problems", "upload_extras"):
                cur.execute(f"DELETE FROM {table} WHERE upload_id = $id", p)
            cur.execute("UPDATE uploads SET undone_at = now()::TIMESTAMP WHERE upload_id = $id", p)
        return {"removed": int(removed[0][0]), "restored": int(restored[0][0])}

    def save_mapping(self, shape: str, columns: list[str], mapping: dict[str, str]) -> None:
        """Remember a column → question mapping for files with this header shape."""
        with self.transaction() as cur:
            cur.execute("INSERT OR REPLACE INTO saved_mappings VALUES "
                        "($shape, $columns, $mapping, now()::TIMESTAMP)",
                        {"shape": shape, "columns": json.dumps(columns, ensure_ascii=False),
                         "mapping": json.dumps(mapping, ensure_ascii=False)})

    def saved_mapping(self, shape: str) -> dict[str, str] | None:
        """The mapping saved for this header shape, if any."""
        found = self.query("saved_mapping", shape=shape)
        return None if found.empty else json.loads(found["mapping"].iloc[0])

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """Row count and an order-independent content checksum of every table."""
        with self.cursor() as cur:
            tables = [r[0] for r in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
                "AND database_name = current_database() ORDER BY 1").fetchall()]
            return {t: tuple(cur.execute(
                f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{t}" t').fetchall()[0])
                for t in tables}

    def record_questionnaire(self, cur: duckdb.DuckDBPyConnection, waves: Iterable[int]) -> None:
        """Remember how each question was asked in these waves (the first record wins)."""
        rows = [(int(w), q.id, q.signature()) for w in waves for q in self.qn.questions]
        if rows:  # one statement: executemany runs one per row
            wave, qid, signature = (list(col) for col in zip(*rows))
            cur.execute("INSERT OR IGNORE INTO wave_questions SELECT unnest($wave), "
                        "unnest($qid), unnest($signature)",
                        {"wave": wave, "qid": qid, "signature": signature})

    def company_for_access_code(self, access_code: str) -> str | None:
        """The company a private access code opens, if any."""
        found = self.query("company_by_access_code", access_code=access_code)
        return None if found.empty else str(found["company"].iloc[0])

    def read_csv_typed(self, path: Path | str) -> pd.DataFrame:
        """Read a canonical CSV with the questionnaire's column types."""
        types = {q.id: q.sql_type for q in self.qn.questions}
        with self.cursor() as cur:
            rel = cur.read_csv(str(path), header=True, dtype=types, sep=",", quotechar='"')
            frame: pd.DataFrame = rel.df()  # DuckDB types df() as Any
            return frame

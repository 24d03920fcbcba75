"""The store's writes of responses, each inside a transaction: rows appended from a frame or a
generated SELECT, new companies' codes, an upload undone, codes reissued, mappings saved."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import duckdb

from cx.store.connection import Connection
from cx.store.sql import ident, sql_text

if TYPE_CHECKING:
    import pandas as pd


class Writes(Connection):
    """What the store writes (a part of `Store`)."""

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

    def record_questionnaire(self, cur: duckdb.DuckDBPyConnection, waves: Iterable[int]) -> None:
        """Remember which questions these waves asked and how (the first record wins): a
        question asked from a later wave (`since`) is not recorded for an earlier one."""
        rows = [(int(w), q.id, q.signature(int(w))) for w in waves for q in self.qn.questions
                if q.asked_in(int(w))]
        if rows:  # one statement: executemany runs one per row
            wave, qid, signature = (list(col) for col in zip(*rows))
            cur.execute("INSERT OR IGNORE INTO wave_questions SELECT unnest($wave), "
                        "unnest($qid), unnest($signature)",
                        {"wave": wave, "qid": qid, "signature": signature})

    def append_frame(self, frame: pd.DataFrame) -> int:
        """Append a frame of responses (`insert_responses`) in a transaction of its own."""
        with self.transaction() as cur:
            return self.insert_responses(cur, frame)

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

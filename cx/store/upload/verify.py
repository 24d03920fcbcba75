"""What the direct path checks after its INSERT, over the rows it wrote (`upload_id`)."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from cx.store.sql import ident

Cursor = duckdb.DuckDBPyConnection


def distinct(cur: Cursor, upload_id: str, columns: list[str],
             allowed: Iterable[str]) -> list[list[float | str]]:
    """The distinct non-null values of each column among an upload's responses."""
    if not columns:
        return []
    quoted = [ident(c, allowed) for c in columns]
    lists = ", ".join(f"list(DISTINCT {c}) FILTER (WHERE {c} IS NOT NULL)" for c in quoted)
    found = cur.execute(f"SELECT {lists} FROM responses WHERE upload_id = $id",
                        {"id": upload_id}).fetchall()[0]
    return [values or [] for values in found]


def waves(cur: Cursor, upload_id: str) -> list[int]:
    """The waves of an upload's responses."""
    return [int(w) for (w,) in cur.execute(
        "SELECT DISTINCT wave FROM responses WHERE upload_id = $id AND wave IS NOT NULL "
        "ORDER BY 1", {"id": upload_id}).fetchall()]


def repeats(cur: Cursor, upload_id: str, same_wave: bool) -> bool:
    """Whether a respondent id of an upload repeats within it, or (`same_wave`) is already
    in the same wave from another upload."""
    p = {"id": upload_id}
    if cur.execute("SELECT count(*) <> count(DISTINCT respondent_id) FROM responses "
                   "WHERE upload_id = $id", p).fetchall()[0][0]:
        return True
    return same_wave and bool(cur.execute(
        "SELECT count(*) FROM responses a JOIN responses r USING (respondent_id, wave) "
        "WHERE a.upload_id = $id AND r.upload_id IS DISTINCT FROM $id", p).fetchall()[0][0])


def renames(cur: Cursor, upload_id: str) -> int:
    """How many company names among an upload's responses are to be stored as another
    spelling (`cx.store.companies.company_renames`)."""
    from cx.store.companies import company_renames  # numpy, pyarrow: loaded when used

    return company_renames(cur, "SELECT DISTINCT company AS name FROM responses "
                           "WHERE upload_id = $id", params={"id": upload_id})

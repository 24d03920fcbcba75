"""Companies: their names as stored (one spelling per company, `cx.naming`), their anonymous
codes and their private access codes. Functions on the caller's cursor, inside its
transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa

from cx.naming import SIMPLE, company_display, company_key
from cx.store.codes import code_numbers, draw_code_numbers, draw_company_numbers, spell_codes
from cx.store.sql import sql_text

if TYPE_CHECKING:  # for a frame of responses only: an upload's companies go without pandas
    import pandas as pd

Cursor = duckdb.DuckDBPyConnection


def spell_names(cur: Cursor, names: str,
                 params: dict[str, object] | None = None) -> None:
    """The temp table `company_spellings` (name, key, display) of the distinct company names
    the query `names` gives (column `name`): names in printable ASCII keyed in SQL, the
    others in Python (`cx.naming`; the tests hold both to the same keys)."""
    simple = f"regexp_full_match(name, '{SIMPLE}')"  # a constant: no quote in it
    cur.execute("CREATE OR REPLACE TEMP TABLE company_spellings AS SELECT name, "
                f"CASE WHEN {simple} THEN lower(name) END AS key, "
                f"CASE WHEN {simple} THEN name END AS display FROM ({names})", params)
    odd = [name for (name,) in cur.execute(
        "SELECT name FROM company_spellings WHERE key IS NULL").fetchall()]
    if not odd:
        return
    keys = [company_key(name) for name in odd]
    shown = [company_display(name) if key else None for name, key in zip(odd, keys)]
    cur.register("odd_spellings", pa.table(
        {"name": odd, "key": keys, "display": pa.array(shown, pa.string())}))
    try:
        cur.execute("UPDATE company_spellings SET key = o.key, display = o.display "
                    "FROM odd_spellings o WHERE company_spellings.name = o.name")
    finally:
        cur.unregister("odd_spellings")


def company_renames(cur: Cursor, names: str,
                    order: str | None = None, params: dict[str, object] | None = None) -> int:
    """How many of the distinct company names the query `names` gives (column `name`) are
    to be stored as another spelling: the temp table `company_renames` (name, company).

    A name already in the database stays. Another takes the spelling of the company of the
    same key (`cx.naming.company_key`) in the database, else of the first name of its key
    as `company_display` writes it; none (NULL) if it has only invisible characters.
    `order`, a query of (`name`, `seen`: the smallest first), runs only when two names
    share a key, over the names in the temp table `company_suspects`.
    """
    spell_names(cur, f"SELECT DISTINCT name FROM ({names}) WHERE name IS NOT NULL "
                      "AND name NOT IN (SELECT company FROM companies)", params)
    cur.execute(sql_text("company_suspects"))
    if not cur.execute("SELECT count(*) FROM company_suspects").fetchall()[0][0]:
        cur.execute("CREATE OR REPLACE TEMP TABLE company_renames AS "
                    "SELECT name, display AS company FROM company_suspects")
        return 0
    empty = "SELECT CAST(NULL AS VARCHAR) AS name, CAST(NULL AS BIGINT) AS seen WHERE false"
    cur.execute(f"CREATE OR REPLACE TEMP TABLE company_order AS {order or empty}",
                params if order else None)
    cur.execute(sql_text("company_renames"))
    return int(cur.execute("SELECT count(*) FROM company_renames").fetchall()[0][0])


def renamed_companies(cur: Cursor,
                       frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its company names as `company_renames` stores them (its first row of a
    key gives the key's spelling)."""
    import pandas as pd

    if "company" not in frame:
        return frame
    names = pd.DataFrame({"name": frame["company"].astype(object).to_numpy(),
                          "seen": np.arange(len(frame))}).dropna().drop_duplicates("name")
    cur.register("frame_company_names", names)
    try:
        renamed = company_renames(
            cur, "SELECT CAST(name AS VARCHAR) AS name FROM frame_company_names",
            order="SELECT CAST(name AS VARCHAR) AS name, CAST(seen AS BIGINT) AS seen "
                  "FROM frame_company_names")
    finally:
        cur.unregister("frame_company_names")
    if not renamed:
        return frame
    renames = dict(cur.execute("SELECT name, company FROM company_renames").fetchall())
    return frame.assign(company=frame["company"].map(lambda name: renames.get(name, name)))


def assign_company_codes(cur: Cursor) -> None:
    """An anonymous code for every company with answers and none yet."""
    spell_names(cur, sql_text("new_companies"))
    number_companies(cur, cur.sql("SELECT name AS company, key AS company_key "
                                        "FROM company_spellings").to_arrow_table())


def number_companies(cur: Cursor, pending: pa.Table) -> None:
    """Anonymous codes for `pending` (company, company_key): the numbers after the last ever
    issued, in a random order from the OS's secure source (`draw_company_numbers`), so that
    a code tells nothing about the name. Handed to DuckDB as one Arrow table."""
    if not pending.num_rows:
        return
    last = int(cur.execute(sql_text("last_company_number")).fetchall()[0][0])
    numbers = draw_company_numbers(pending.num_rows, last)
    cur.register("numbered_companies", pending.append_column("num", pa.array(numbers)))
    try:
        cur.execute(sql_text("assign_company_codes"))
    finally:
        cur.unregister("numbered_companies")


def reissue_codes(cur: Cursor) -> None:
    """Retire every anonymous and private access code and issue new ones to every company
    (inside the caller's transaction)."""
    cur.execute(sql_text("retire_codes"))
    spell_names(cur, "SELECT company AS name FROM companies")
    pending = cur.sql("SELECT name AS company, key AS company_key "
                      "FROM company_spellings").to_arrow_table()
    cur.execute("DELETE FROM companies")
    cur.execute("DELETE FROM company_access")
    number_companies(cur, pending)
    assign_access_codes(cur)


def assign_access_codes(cur: Cursor) -> None:
    """A private code for every company without one. Drawn in numpy and handed to DuckDB
    beside the companies as one Arrow table (the spelled codes: an array over their bytes):
    a million new companies take a fraction of a second."""
    pending = cur.sql(sql_text("companies_without_access_code")).to_arrow_table()
    n = pending.num_rows
    if not n:
        return
    taken = cur.execute(sql_text("access_codes_taken")).fetchnumpy()["code"]
    spelled = spell_codes(draw_code_numbers(n, code_numbers(taken)))
    width = spelled.dtype.itemsize
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    drawn = pending.append_column("access_code", pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(spelled.tobytes())))
    cur.register("drawn_access", drawn)
    try:
        cur.execute("INSERT INTO company_access SELECT company, access_code "
                    "FROM drawn_access")
    finally:
        cur.unregister("drawn_access")

"""The Club's member mix in the DuckDB file: a member list or typed totals, each replacing
the other whole in one transaction (which bumps the data version, so every cache keyed on it
is refreshed). Values arrive checked (`cx.coverage`); here they are only bound."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cx.store.sql import sql_text

if TYPE_CHECKING:
    import pandas as pd

    from cx.store.core import Store

MEMBER_COLUMNS = ("company", "company_key", "sector", "size_band", "region")
TOTAL_COLUMNS = ("sector", "size_band", "members")


def members(store: Store) -> pd.DataFrame:
    """The stored member list (empty when none)."""
    return store.query("members")


def member_totals(store: Store) -> pd.DataFrame:
    """The stored typed totals (empty when none)."""
    return store.query("member_totals")


def replace_members(store: Store, frame: pd.DataFrame) -> int:
    """The member list replaced by `frame` (MEMBER_COLUMNS), typed totals dropped."""
    rows = frame[list(MEMBER_COLUMNS)].astype(object).where(frame.notna(), None)
    with store.transaction() as cur:
        cur.execute("DELETE FROM members")
        cur.execute("DELETE FROM member_totals")
        if len(rows):
            cur.execute("INSERT INTO members SELECT unnest($company), unnest($key), "
                        "unnest($sector), unnest($size), unnest($region)",
                        {"company": list(rows["company"]), "key": list(rows["company_key"]),
                         "sector": list(rows["sector"]), "size": list(rows["size_band"]),
                         "region": list(rows["region"])})
    return len(rows)


def replace_totals(store: Store, frame: pd.DataFrame) -> int:
    """The typed totals replaced by `frame` (TOTAL_COLUMNS), the member list dropped."""
    rows = frame[list(TOTAL_COLUMNS)].astype(object).where(frame.notna(), None)
    with store.transaction() as cur:
        cur.execute("DELETE FROM members")
        cur.execute("DELETE FROM member_totals")
        if len(rows):
            cur.execute("INSERT INTO member_totals SELECT unnest($sector), unnest($size), "
                        "unnest($members)",
                        {"sector": list(rows["sector"]), "size": list(rows["size_band"]),
                         "members": [int(n) for n in rows["members"]]})
    return len(rows)


def clear_mix(store: Store) -> None:
    """No member mix: every figure unweighted, as before one was given."""
    with store.transaction() as cur:
        cur.execute(sql_text("members_clear"))

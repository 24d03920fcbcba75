"""The schema of the DuckDB file (`queries/schema.sql`, plus `responses` and its archive from
the questionnaire's columns, `response_columns`) and the migrations of older files."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

import duckdb

from cx.questionnaire import Questionnaire
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.store.sql import ident, sql_text

if TYPE_CHECKING:
    from cx.store.core import Store

SCHEMA_VERSION = 5  # 2: uploads, quarantine, extras, archive, saved mappings; 3–5: _migrate_*
SCORE_TYPES = {
    **{c: "DOUBLE" for c in (*PYRAMID_COLUMNS, *PILLAR_COLUMNS, "maturity_index")},
    "maturity_stage": "VARCHAR",
    "has_journey_map": "BOOLEAN",
    "checks_real_journey": "BOOLEAN",
    "measures_nps": "BOOLEAN",
}
SYSTEM_COLUMNS = {"upload_id": "VARCHAR"}


def response_columns(qn: Questionnaire) -> dict[str, str]:
    """Allow-listed columns of the `responses` table and their SQL types."""
    cols = {q.id: q.sql_type for q in qn.questions}
    cols.update(SCORE_TYPES)
    cols.update(SYSTEM_COLUMNS)
    return cols


def _migrate_3(cur: duckdb.DuckDBPyConnection) -> None:
    """Schema 3: company tables without indexes (unique by construction), compressed uploads.
    Files written before keep their parts as they were (codec 'raw')."""
    for table, cols in (("companies", "company, code"),
                        ("company_access", "company, access_code")):
        cur.execute(f"CREATE TABLE {table}_3 AS SELECT {cols} FROM {table}")
        cur.execute(f"DROP TABLE {table}")
        cur.execute(f"ALTER TABLE {table}_3 RENAME TO {table}")
    cur.execute("ALTER TABLE upload_files ADD COLUMN IF NOT EXISTS codec VARCHAR DEFAULT 'raw'")


def _migrate_4(cur: duckdb.DuckDBPyConnection) -> None:
    """Schema 4: companies keep the key their names are compared by (`cx.naming`); retired codes
    have their table (schema.sql). The caller then re-issues every code: anonymous codes followed
    the MD5 of the names, an order anyone holding the member list could redo."""
    cur.execute("ALTER TABLE companies ADD COLUMN IF NOT EXISTS company_key VARCHAR")


def _migrate_5(cur: duckdb.DuckDBPyConnection, qn: Questionnaire) -> None:
    """Schema 5: maturity rescored, a practice the questionnaire skipped (journey stages
    without a map) counting 0 instead of leaving the index (`Question.asked_if`)."""
    from cx.store.scores import scored_select  # the scoring SQL, loaded only to migrate

    for table in ("responses", "archived_responses"):
        _, select, p = scored_select(f"SELECT rowid AS _row, * FROM {table}", qn, ("_row",))
        cur.execute(f"CREATE OR REPLACE TEMP TABLE _rescored AS SELECT _row, maturity_index, "
                    f"maturity_stage FROM ({select})", dict(p))
        cur.execute(f"UPDATE {table} SET maturity_index = r.maturity_index, "
                    f"maturity_stage = r.maturity_stage FROM _rescored r "
                    f"WHERE {table}.rowid = r._row")
    cur.execute("DROP TABLE _rescored")
    cur.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) "
                "WHERE key = 'data_version'")


def _add_new_questions(cur: duckdb.DuckDBPyConnection, columns: dict[str, str]) -> None:
    """A file written before the questionnaire gained questions (2027) gets their columns,
    empty for the waves that did not ask them; nothing else changes."""
    for table in ("responses", "archived_responses"):
        have = {r[0] for r in cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = $t "
            "AND table_catalog = current_database()", {"t": table}).fetchall()}
        for column, sql_type in columns.items():
            if column not in have:  # names and types from the questionnaire's allow-list
                cur.execute(f"ALTER TABLE {table} ADD COLUMN {ident(column, columns)} {sql_type}")


def ensure(store: Store) -> None:
    """Create the tables a new file needs; bring an older file up to `SCHEMA_VERSION`."""
    cols = ",\n    ".join(f'"{c}" {t}' for c, t in store.columns.items())
    with store.cursor() as cur:
        cur.execute(sql_text("schema"))
        cur.execute(f"CREATE TABLE IF NOT EXISTS responses (\n    {cols}\n)")
        cur.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?), "
                    "('data_version', '0')", [str(SCHEMA_VERSION)])
        # replaced rows of a wave, kept so that undoing the replacing upload restores them
        cur.execute(f"CREATE TABLE IF NOT EXISTS archived_responses (\n    {cols},\n"
                    "    replaced_by VARCHAR NOT NULL\n)")
        version = int(store.meta("schema_version") or SCHEMA_VERSION)
        if version < 3:
            _migrate_3(cur)
        _add_new_questions(cur, store.columns)
    with store.write_lock, store.cursor() as cur:  # codes re-issued and version, or neither
        cur.begin()
        if version < 4:
            _migrate_4(cur)
            _companies().reissue_codes(cur)
        if version < 5:
            _migrate_5(cur, store.qn)
        cur.execute("UPDATE meta SET value = $v WHERE key = 'schema_version' "
                    "AND CAST(value AS INTEGER) < CAST($v AS INTEGER)",
                    {"v": str(SCHEMA_VERSION)})
        if cur.execute(f"SELECT count(*) FROM ({sql_text('companies_without_access_code')})"
                       ).fetchall()[0][0]:  # a database built before access codes
            _companies().assign_access_codes(cur)
        cur.commit()


def _companies() -> ModuleType:
    """The companies module, loaded only when codes are drawn (it needs numpy and pyarrow,
    which opening a file does not)."""
    from cx.store import companies

    return companies

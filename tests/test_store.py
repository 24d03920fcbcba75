import threading

import duckdb
import pandas as pd
import pytest

from cx.dataset import load_frame
from cx.filters import Filters
from cx.store import SCHEMA_VERSION, Store, response_columns, sql_text
from cx.store.sql import ident
from cx.synth import synthesize


def test_round_trip_keeps_every_answer(store, tmp_path):
    from cx.config import SAMPLE_CSV

    original = store.read_csv_typed(SAMPLE_CSV)
    stored = store.responses(list(original.columns))
    pd.testing.assert_frame_equal(
        original.sort_values("respondent_id").reset_index(drop=True),
        stored.sort_values("respondent_id").reset_index(drop=True), check_dtype=False)


def test_schema_version_and_data_version_are_recorded(store):
    assert store.schema_version == SCHEMA_VERSION
    before = store.data_version
    load_frame(store, synthesize(10, (2030,), 1))
    assert store.data_version == before + 1


def test_filters_are_bound_parameters(store):
    everything = store.responses(["sector"])
    finance = store.responses(["sector", "wave"], Filters(wave=2026, sectors=("finance",)))
    assert 0 < len(finance) < len(everything)
    assert set(finance["sector"]) == {"finance"} and set(finance["wave"]) == {2026}
    hostile = store.responses(["sector"], Filters(sectors=("x') OR 1=1 --",)))
    assert hostile.empty


def test_text_with_quotes_is_stored_literally(store):
    frame = synthesize(3, (2031,), 2)
    frame["company"] = ["O'Reilly S.r.l.", "Robert'); DROP TABLE responses;--", "Plain"]
    load_frame(store, frame)
    got = store.responses(["company"], Filters(wave=2031))["company"].tolist()
    assert sorted(got) == sorted(frame["company"])
    assert store.table_counts()["responses"] == 264 + 3


def test_columns_come_only_from_the_allow_list(store):
    with pytest.raises(KeyError):
        store.responses(["company", "1; DROP TABLE responses"])
    assert "pyramid_needs" in response_columns(store.qn)


def test_unknown_named_query():
    with pytest.raises(KeyError):
        sql_text("../../etc/passwd")


def test_failed_transaction_leaves_the_data_unchanged(store):
    before = store.table_counts()
    version = store.data_version
    with pytest.raises(duckdb.Error), store.transaction() as cur:
        store.insert_responses(cur, synthesize(5, (2032,), 3))
        cur.execute("SELECT * FROM no_such_table")
    assert store.table_counts() == before
    assert store.data_version == version


def test_companies_get_stable_anonymous_codes(store):
    codes = store.query("company_codes")
    assert codes["code"].is_unique and len(codes) == 200
    assert codes["code"].str.fullmatch(r"AZ-\d{3,}").all()
    load_frame(store, synthesize(30, (2033,), 4))
    again = store.query("company_codes").merge(codes, on="company", suffixes=("", "_before"))
    assert (again["code"] == again["code_before"]).all()


def test_new_companies_are_numbered_after_the_last_code_in_a_random_order(empty):
    def load(names: list[str], wave: int) -> None:
        frame = synthesize(len(names), (wave,), 5).assign(company=names)
        load_frame(empty, frame)

    def codes() -> dict[str, str]:
        return dict(empty.query("company_codes")[["company", "code"]].itertuples(index=False))

    first = ["Gamma", "Alfa", "Beta", "Delta"]
    load(first, 2030)
    before = codes()
    assert sorted(before.values()) == ["AZ-001", "AZ-002", "AZ-003", "AZ-004"]
    load(["Alfa", "Epsilon", "Zeta"], 2031)  # Alfa keeps its code; two new ones follow
    after = codes()
    assert after["Alfa"] == before["Alfa"]
    assert sorted(after[name] for name in ("Epsilon", "Zeta")) == ["AZ-005", "AZ-006"]


def test_the_same_companies_are_numbered_in_another_order_each_time(tmp_path):
    names = [f"Azienda {i:02d} S.r.l." for i in range(40)]
    orders = []
    for n in range(2):
        with Store.open(tmp_path / f"{n}.duckdb") as s:
            load_frame(s, synthesize(len(names), (2030,), 5).assign(company=names))
            orders.append(s.query("company_codes")["company"].tolist())
    assert sorted(orders[0]) == sorted(orders[1]) == names
    assert orders[0] != orders[1], "40 names in the same order twice: a one in 40! chance"
    assert names not in orders, "numbered alphabetically"


def test_concurrent_readers_each_use_their_own_cursor(store):
    errors: list[Exception] = []

    def read():
        try:
            for _ in range(20):
                assert len(store.responses(["company"], Filters(wave=2025))) > 0
        except Exception as exc:  # pragma: no cover - only on failure
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []


def test_reopen_keeps_data(sample_db):
    with Store.open(sample_db) as s:
        n = s.table_counts()["responses"]
    with Store.open(sample_db) as s:
        assert s.table_counts()["responses"] == n


def test_each_wave_records_how_its_questions_were_asked(store):
    recorded = store.query("wave_questions")
    assert set(recorded["wave"]) == {2025, 2026}
    # questions asked from 2027 (`since`) are not recorded for 2025 and 2026
    assert len(recorded) == 2 * len(store.qn.original().questions)
    assert not recorded["question_id"].str.startswith("tp_apply_").any()
    nps = recorded[recorded["question_id"] == "club_nps"]["signature"].unique()
    assert len(nps) == 1 and '"max": 10' in nps[0]


def test_a_schema_2_database_is_migrated_in_place(sample_db):
    import duckdb

    con = duckdb.connect(str(sample_db))  # as schema 2 left it: indexed company tables
    con.execute("CREATE TABLE c2 (company VARCHAR PRIMARY KEY, code VARCHAR NOT NULL UNIQUE)")
    con.execute("INSERT INTO c2 SELECT company, code FROM companies")
    con.execute("DROP TABLE companies")
    con.execute("ALTER TABLE c2 RENAME TO companies")
    con.execute("ALTER TABLE upload_files DROP COLUMN codec")
    con.execute("INSERT INTO upload_files VALUES ('UP-0009', 0, 'abc'::BLOB)")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    before = con.execute("SELECT * FROM companies ORDER BY code").fetchall()
    con.close()
    with Store.open(sample_db) as store:
        assert store.schema_version == SCHEMA_VERSION == 5
        after = store.query("company_codes")
        assert sorted(after["company"]) == sorted(name for name, _ in before)
        assert set(after["code"]).isdisjoint(code for _, code in before), "re-issued (schema 4)"
        assert store.upload_bytes("UP-0009") == b"abc", "kept as it was received"
        with store.cursor() as cur:
            indexed = cur.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name "
                                  "IN ('companies', 'company_access') AND constraint_type "
                                  "IN ('PRIMARY KEY', 'UNIQUE')").fetchall()[0][0]
        assert indexed == 0


def test_a_schema_4_database_gets_its_maturity_rescored(sample_db):
    """Schema 5 counts journey stages skipped for want of a map as 0: a file scored before
    (the stages left out of those respondents' index) is rescored in place, and its data
    version moves so that every cache reads the new numbers."""
    import duckdb

    con = duckdb.connect(str(sample_db))
    right = con.execute("SELECT respondent_id, wave, maturity_index FROM responses "
                        "ORDER BY ALL").df()
    skipped = "cj_ideal_map = 'none' AND journey_stages IS NULL AND maturity_index IS NOT NULL"
    assert con.execute(f"SELECT count(*) FROM responses WHERE {skipped}").fetchall()[0][0] > 0
    con.execute(f"UPDATE responses SET maturity_index = maturity_index + 5, "
                f"maturity_stage = 'ottimizzata' WHERE {skipped}")  # as schema 4 left them
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    version = int(con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0])
    con.close()
    with Store.open(sample_db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.data_version == version + 1
        with store.cursor() as cur:
            after = cur.execute("SELECT respondent_id, wave, maturity_index FROM responses "
                                "ORDER BY ALL").df()
            stages = cur.execute(f"SELECT DISTINCT maturity_stage FROM responses "
                                 f"WHERE {skipped}").fetchall()
    pd.testing.assert_frame_equal(after, right)
    assert ("ottimizzata",) not in stages


@pytest.mark.parametrize("filters", [
    Filters(), Filters(wave=2026, sectors=("finance",)), Filters(sectors=("nessuno",)),
    Filters(wave=2032),
], ids=["all", "some", "none", "a text never answered"])
def test_responses_read_through_arrow_as_duckdb_would_give_them(store, filters):
    load_frame(store, synthesize(40, (2031,), 5))  # rows without NULLs beside rows with them
    load_frame(store, synthesize(12, (2032,), 6).assign(pain_point=None))
    names = list(store.columns)
    got = store.responses(names, filters)
    select = ", ".join(f'"{c}"' for c in names)
    with store.cursor() as cur:
        expected = cur.execute(f"SELECT {select} FROM responses WHERE {sql_text('filter')} "
                               "ORDER BY wave, respondent_id", filters.params()).df()
    pd.testing.assert_frame_equal(got, expected, check_dtype=True, check_exact=True)
    some = store.responses(["wave", "club_nps", "has_journey_map"], Filters(wave=2031))
    assert str(some["wave"].dtype) == "int32", "no NULLs: numpy, as .df() gives"


@pytest.mark.parametrize("filters", [
    Filters(), Filters(wave=2026, sectors=("finance",)), Filters(sectors=("nessuno",)),
    Filters(wave=2032),
], ids=["all", "some", "none", "a text never answered"])
def test_tallies_and_the_company_table_read_through_arrow_as_duckdb_would_give_them(
        store, filters):
    """`_as_pandas` for every aggregate the pages read: integers with and without NULLs,
    counts (BIGINT), means (DOUBLE), text with values, without any, and no rows at all."""
    load_frame(store, synthesize(40, (2031,), 5))
    load_frame(store, synthesize(12, (2032,), 6).assign(pain_point=None))
    for key in (("cj_ideal_map", "wave", "company"), ("pain_point", "wave"),
                ("club_nps", "sector", "company"), ("touchpoints", "has_journey_map")):
        select = ", ".join(ident(c, response_columns(store.qn)) for c in key)
        with store.cursor() as cur:
            expected = cur.execute(f"SELECT {select}, count(*) AS n FROM responses WHERE "
                                   f"{sql_text('filter')} GROUP BY ALL ORDER BY ALL",
                                   filters.params()).df()
        pd.testing.assert_frame_equal(store.tally(key, filters), expected, check_exact=True)
    with store.cursor() as cur:
        expected = cur.execute(sql_text("company_table"), filters.params()).df()
    pd.testing.assert_frame_equal(store.query_in("company_table", filters), expected,
                                  check_exact=True)


def test_a_company_s_sector_is_its_most_frequent_and_a_tie_goes_to_the_first_by_name(store):
    """`mode()` broke ties by scan order: the same company showed «health» in one run and
    «manufacturing» in the next (CI, stop 31)."""
    frame = synthesize(5, (2033,), 7).assign(company="Pari e patta S.p.A.")
    frame["sector"] = ["retail", "finance", "retail", "finance", None]
    load_frame(store, frame)
    only = Filters(wave=2033)
    sectors = {store.query_in("company_table", only).set_index("company").loc[
        "Pari e patta S.p.A.", "sector"] for _ in range(20)}
    assert sectors == {"finance"}, "a tie (NULL not counted): the first by name, every run"
    more = synthesize(1, (2033,), 8).assign(company="Pari e patta S.p.A.", sector="retail")
    load_frame(store, more)
    table = store.query_in("company_table", only).set_index("company")
    assert table.loc["Pari e patta S.p.A.", "sector"] == "retail"
    assert table.loc["Pari e patta S.p.A.", "n"] == 6, "every respondent counted, NULL too"


def test_a_failed_direct_insert_leaves_insertion_order_on(store):
    """Issue 17 (3): `SET preserve_insertion_order = false` is global; a direct insert that
    DuckDB stopped left it off, and every later staged CSV was numbered in storage order."""
    columns = ["respondent_id"]
    with store.transaction() as cur:
        assert store.try_insert_responses(
            cur, columns, "SELECT error('refused') AS respondent_id", {}) is None
        cur.rollback()
        cur.begin()
    with store.cursor() as cur:
        assert cur.execute("SELECT current_setting('preserve_insertion_order')"
                           ).fetchall()[0][0] is True


def test_published_reads_work_whatever_the_file_is_called(sample_db, tmp_path):
    """The file's catalog name goes into the search path of published reads: a bound value,
    so a quote in the file's name breaks nothing."""
    import shutil

    from cx.privacy import attach

    odd = tmp_path / "soci d'Italia \"2026\".duckdb"
    shutil.copy(sample_db, odd)
    with Store.open(odd) as store:
        attach(store, 5, 8)
        published = store.tally(["wave"], Filters(published=True))
        raw = store.tally(["wave"])
        assert published["n"].sum() <= raw["n"].sum() and len(published) == len(raw)
        assert store.query("waves")["wave"].tolist() == [2025, 2026], "the file's own tables"

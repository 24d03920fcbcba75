"""Anonymous codes tell nothing about names (issue 16, point 4): drawn in a secret random order,
re-issued once by the schema 4 migration and on demand (`python -m cx reissue-codes`), the old
codes retired: an old access code no longer signs in, an old anonymous code no longer opens a
company."""

from __future__ import annotations

import csv
import hashlib
import io

import duckdb
import numpy as np
import pandas as pd
import pytest

from cx.cli import main
from cx.dataset import load_frame
from cx.store import SCHEMA_VERSION, Store
from cx.store.codes import draw_company_numbers
from cx.synth import synthesize


def _numbers(codes: pd.Series) -> pd.Series:
    return codes.str.slice(3).astype(int)


def _rank_correlation(codes: pd.DataFrame, key) -> float:
    ranks = codes["company"].map(key).rank()
    return float(_numbers(codes["code"]).rank().corr(ranks))


def _md5(name: str) -> str:
    return hashlib.md5(name.encode()).hexdigest()


def _assert_unrelated_to_names(codes: pd.DataFrame) -> None:
    """Spearman's rho of the code numbers against the MD5 and the alphabetical order of the
    names: for 200 companies in a random order its standard deviation is 0.07."""
    assert abs(_rank_correlation(codes, _md5)) < 0.3
    assert abs(_rank_correlation(codes, str)) < 0.3
    by_number = codes.assign(n=_numbers(codes["code"])).sort_values("n")["company"].tolist()
    assert by_number != sorted(by_number, key=_md5), "numbered in the MD5 order of the names"
    assert by_number != sorted(by_number), "numbered alphabetically"


def test_sample_codes_are_in_no_order_of_the_names(store):
    codes = store.query("company_codes")
    assert sorted(_numbers(codes["code"])) == list(range(1, 201))
    _assert_unrelated_to_names(codes)


def test_company_numbers_are_a_random_order_of_the_next_ones():
    drawn = [draw_company_numbers(500, 40) for _ in range(2)]
    assert all(sorted(d.tolist()) == list(range(41, 541)) for d in drawn)
    assert not np.array_equal(drawn[0], drawn[1])


def _as_schema_3(path) -> tuple[dict[str, str], dict[str, str]]:
    """Turn a fresh database back into what schema 3 left: codes in the MD5 order of the names,
    no company keys, no retired codes. Returns the codes then in use (name → anonymous code,
    name → access code)."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE c3 AS SELECT company, 'AZ-' || lpad(CAST(row_number() OVER "
                "(ORDER BY md5(company)) AS VARCHAR), 3, '0') AS code FROM companies")
    con.execute("DROP TABLE companies")
    con.execute("ALTER TABLE c3 RENAME TO companies")
    con.execute("DROP TABLE retired_codes")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    codes = dict(con.execute("SELECT company, code FROM companies").fetchall())
    access = dict(con.execute("SELECT company, access_code FROM company_access").fetchall())
    con.close()
    return codes, access


def _retired(store: Store) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute("SELECT code, kind FROM retired_codes").df()


def test_schema_4_reissues_every_code_and_retires_the_old_ones(sample_db):
    old_codes, old_access = _as_schema_3(sample_db)
    assert sorted(old_codes, key=old_codes.get) == sorted(old_codes, key=_md5)
    with Store.open(sample_db) as store:
        assert store.schema_version == SCHEMA_VERSION == 5
        codes = store.query("access_codes")
        retired = _retired(store)
    assert sorted(codes["company"]) == sorted(old_codes)
    assert sorted(_numbers(codes["code"])) == list(range(201, 401)), "after every old number"
    _assert_unrelated_to_names(codes)
    assert set(codes["access_code"]).isdisjoint(old_access.values())
    assert sorted(retired[retired["kind"] == "company"]["code"]) == sorted(old_codes.values())
    assert sorted(retired[retired["kind"] == "access"]["code"]) == sorted(old_access.values())

    with Store.open(sample_db) as store:  # once: opening again changes nothing
        assert store.query("access_codes").equals(codes)
        for row in codes.head(20).itertuples(index=False):
            assert store.company_for_access_code(old_access[row.company]) is None
            assert store.company_for_access_code(row.access_code) == row.company
            assert store.query("company_lookup", id=old_codes[row.company]).empty
            found = store.query("company_lookup", id=row.code)
            assert found[["company", "code"]].values.tolist() == [[row.company, row.code]]


def test_retired_codes_are_never_issued_again(sample_db):
    with Store.open(sample_db) as store:
        with store.reissued_codes():
            pass
        retired = _retired(store)
        taken = set(store.query("access_codes_taken")["code"])
        assert {c.replace("-", "") for c in retired[retired["kind"] == "access"]["code"]} <= taken
        load_frame(store, synthesize(3, (2031,), 9).assign(company=["Nuova A", "Nuova B",
                                                                    "Nuova C"]))
        codes = store.query("company_codes").set_index("company")["code"]
    assert sorted(_numbers(codes[["Nuova A", "Nuova B", "Nuova C"]])) == [401, 402, 403]
    assert set(codes).isdisjoint(retired["code"])


def test_a_failed_reissue_changes_nothing(store):
    before = store.query("access_codes")
    with pytest.raises(RuntimeError), store.reissued_codes() as codes:
        assert len(codes) == 200
        raise RuntimeError("the CSV could not be written")
    assert store.query("access_codes").equals(before)
    assert _retired(store).empty


def _read_csv(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("lang", ["it", "en"])
def test_reissue_codes_command_writes_the_mailing_list(sample_db, tmp_path, capsys, lang):
    with Store.open(sample_db) as store:
        old = store.query("access_codes")
    out = tmp_path / "codici.csv"
    assert main(["reissue-codes", "--db", str(sample_db), "--out", str(out),
                 "--lang", lang]) == 0
    assert "200" in capsys.readouterr().err
    rows = _read_csv(out)
    headers = {"it": ["Azienda", "Codice anonimo", "Codice di accesso"],
               "en": ["Company", "Anonymous code", "Access code"]}[lang]
    assert list(rows[0]) == headers
    sent = pd.DataFrame([list(r.values()) for r in rows],
                        columns=["company", "code", "access_code"])
    assert len(sent) == 200 and sent["company"].is_unique
    assert sent["company"].tolist() == sorted(sent["company"])
    with Store.open(sample_db) as store:
        current = store.query("access_codes")  # what Scheda azienda offers to download
        assert current.sort_values("company")[["company", "code", "access_code"]].reset_index(
            drop=True).equals(sent)
        for row in old.itertuples(index=False):
            assert store.company_for_access_code(row.access_code) is None
        row = sent.iloc[0]
        assert store.company_for_access_code(row["access_code"]) == row["company"]
    assert set(sent["code"]).isdisjoint(old["code"])
    assert not list(tmp_path.glob("*.part"))


def test_reissue_codes_command_refuses_without_writing(sample_db, tmp_path, capsys):
    with Store.open(sample_db) as store:
        before = store.query("access_codes")
    missing = tmp_path / "none.duckdb"
    out = tmp_path / "codici.csv"
    assert main(["reissue-codes", "--db", str(missing), "--out", str(out)]) == 1
    assert not missing.exists() and not out.exists()
    nowhere = tmp_path / "no" / "such" / "codici.csv"
    assert main(["reissue-codes", "--db", str(sample_db), "--out", str(nowhere)]) == 1
    assert str(nowhere) in capsys.readouterr().err
    with Store.open(sample_db) as store:
        assert store.query("access_codes").equals(before), "rolled back"
    with pytest.raises(SystemExit) as usage:
        main(["reissue-codes", "--db", str(sample_db)])
    assert usage.value.code == 2

"""The member list: read from CSV/XLSX as the importer reads, refused with the file, row,
column and value named, stored whole in a real DuckDB file (or not at all), and through
`python -m cx members` / `synth-members`."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from cx.cli import main
from cx.coverage import load_mix
from cx.coverage.members import MemberFileRefused, read_members
from cx.coverage.totals import TOTAL, grid_of, totals_of
from cx.store import Store
from cx.store import members as stored

GOOD = ("Azienda;Settore;Dimensione;Regione\n"
        "Alfa S.p.A.;Manifattura e industria;50–249;Nord-Ovest\n"
        "Beta S.r.l.;retail;small;\n"
        "Gamma Srl;Banking and insurance;1.000 e oltre;centro\n")


def _write(tmp_path, text: str, name: str = "soci.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_semicolon_windows_1252_csv_reads_codes_from_labels_and_codes(tmp_path):
    found = read_members(_write(tmp_path, GOOD, encoding="cp1252"))
    assert found.ok
    frame = found.members
    assert list(frame["company"]) == ["Alfa S.p.A.", "Beta S.r.l.", "Gamma Srl"]
    assert list(frame["sector"]) == ["manufacturing", "retail", "finance"]
    assert list(frame["size_band"]) == ["medium", "small", "xlarge"]
    assert list(frame["region"].fillna("-")) == ["nord_ovest", "-", "centro"]
    assert frame["company_key"].iloc[0] == "alfa s.p.a."


def test_an_xlsx_list_reads_as_the_csv(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD.splitlines():
        sheet.append(line.split(";"))
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "soci.xlsx"
    path.write_bytes(buffer.getvalue())
    assert read_members(path).members.equals(read_members(_write(tmp_path, GOOD)).members)


def test_a_wrong_sector_names_file_row_column_value_and_the_answers_allowed(tmp_path):
    text = GOOD.replace("retail;small", "Edilizia;small")
    found = read_members(_write(tmp_path, text))
    assert not found.ok and len(found.problems) == 1
    message = found.problems[0].text("it")
    assert message.startswith("soci.csv, riga 3, colonna «Settore»: «Edilizia»")
    assert "«Commercio e retail» (retail)" in message
    assert "row 3, column “Settore”: “Edilizia”" in found.problems[0].text("en")


def test_a_duplicated_company_names_both_rows(tmp_path):
    text = GOOD + "ALFA S.P.A.;retail;micro;Sud e Isole\n"
    problem = read_members(_write(tmp_path, text)).problems[0]
    assert (problem.row, problem.column, problem.value, problem.first) == (
        5, "Azienda", "ALFA S.P.A.", 2)
    assert "compare già alla riga 2" in problem.text("it")


def test_a_missing_column_refuses_the_file_naming_it(tmp_path):
    text = "Azienda;Settore;Regione\nAlfa;retail;Centro\n"
    with pytest.raises(MemberFileRefused) as refused:
        read_members(_write(tmp_path, text))
    assert refused.value.text("it").startswith("soci.csv: manca la colonna «size_band»")


def test_an_unreadable_file_says_why_with_its_name(tmp_path):
    path = tmp_path / "soci.csv"
    path.write_bytes(b"%PDF-1.4 not a list")
    with pytest.raises(MemberFileRefused) as refused:
        read_members(path)
    assert refused.value.text("en").startswith("soci.csv: The file is neither a CSV")


def test_store_round_trip_replaces_the_list_whole_and_bumps_the_version(sample_db, tmp_path):
    found = read_members(_write(tmp_path, GOOD))
    with Store.open(sample_db) as store:
        before = store.data_version
        assert load_mix(store).empty
        assert stored.replace_members(store, found.members) == 3
        assert store.data_version == before + 1
    with Store.open(sample_db) as store:  # read back from the file
        mix = load_mix(store)
        assert mix.source == "list"
        back = mix.members.sort_values("company_key").reset_index(drop=True)
        expected = found.members.sort_values("company_key").reset_index(drop=True)
        pd.testing.assert_frame_equal(back.astype(object), expected.astype(object))
        stored.replace_members(store, found.members.iloc[:1])
        assert len(load_mix(store).members) == 1
        stored.clear_mix(store)
        assert load_mix(store).empty


def test_typed_totals_round_trip_through_the_grid(store):
    grid = grid_of(load_mix(store))
    assert grid.isna().all().all()
    grid.loc[:, :] = float("nan")
    grid.loc[grid.index[:-1], TOTAL] = 10.0
    grid.loc[TOTAL, grid.columns[:-1]] = 14.0  # 7 sectors × 10 = 5 sizes × 14
    totals = totals_of(grid)
    assert totals is not None and len(totals) == 12
    stored.replace_totals(store, totals)
    mix = load_mix(store)
    assert mix.source == "totals" and not mix.joint
    again = grid_of(mix)
    assert again.loc["retail", TOTAL] == 10 and again.loc[TOTAL, "micro"] == 14
    grid.loc[TOTAL, "micro"] = 15.0  # the margins no longer add up to one total
    assert totals_of(grid) is None


def test_cli_members_dry_run_writes_nothing_then_saves(sample_db, tmp_path, capsys):
    path = _write(tmp_path, GOOD)
    assert main(["members", str(path), "--dry-run", "--db", str(sample_db)]) == 0
    assert "3 soci letti" in capsys.readouterr().out
    with Store.open(sample_db) as store:
        assert load_mix(store).empty
    assert main(["members", str(path), "--db", str(sample_db), "--lang", "en"]) == 0
    assert "Member list of 3 companies saved" in capsys.readouterr().out
    with Store.open(sample_db) as store:
        assert len(load_mix(store).members) == 3


def test_cli_bad_list_exits_1_naming_each_problem_and_keeps_the_stored_one(sample_db, tmp_path,
                                                                           capsys):
    assert main(["members", str(_write(tmp_path, GOOD)), "--db", str(sample_db)]) == 0
    with Store.open(sample_db) as store:
        before = store.fingerprint()
    bad = GOOD.replace("retail;small", "Edilizia;small") + "Alfa S.p.A.;retail;micro;\n"
    capsys.readouterr()
    assert main(["members", str(_write(tmp_path, bad, "bad.csv")), "--db", str(sample_db)]) == 1
    err = capsys.readouterr().err
    assert "2 problemi" in err and "bad.csv, riga 3, colonna «Settore»: «Edilizia»" in err
    assert "bad.csv, riga 5, colonna «Azienda»: l'azienda «Alfa S.p.A.»" in err
    missing = _write(tmp_path, "Azienda;Regione\nAlfa;Centro\n", "missing.csv")
    assert main(["members", str(missing), "--db", str(sample_db)]) == 1
    assert "missing.csv: manca la colonna «sector»" in capsys.readouterr().err
    with Store.open(sample_db) as store:
        assert store.fingerprint() == before


def test_cli_synth_members_is_deterministic_and_loads(sample_db, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (first, second):
        assert main(["synth-members", "--out", str(out), "--db", str(sample_db)]) == 0
    assert first.read_bytes() == second.read_bytes()
    frame = pd.read_csv(first)
    with Store.open(sample_db) as store:
        companies = set(store.responses(("company",))["company"])
    assert companies <= set(frame["company"]) and len(frame) > len(companies)
    assert main(["members", str(first), "--db", str(sample_db)]) == 0

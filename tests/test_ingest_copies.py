"""Rows already loaded, found again (issue 17, item 6): a file without respondent ids saved
again with other line endings, or an incremental Google Forms export, was appended in full
(ids come from the file's hash), counting every respondent twice without a warning."""

from __future__ import annotations

import json

import pytest

from cx.cli import main
from cx.store import Store
from tests import survey_exports as se

WAVE = "2027"


def _ingest(db, path, capsys, *extra: str) -> tuple[int, dict]:
    code = main(["ingest", str(path), "--db", str(db), "--wave", WAVE, "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def _rows(db) -> int:
    with Store.open(db) as store:
        return len(store.responses(["respondent_id"]))


@pytest.fixture
def forms(tmp_path):
    """A Google Forms export of 8 answers (CRLF), the same with LF, and a later export of
    the same form holding those 8 answers and 3 more."""
    frame = se.answers(11, 2027, seed=11)
    first, later = se.google_forms_csv(frame.iloc[:8]), se.google_forms_csv(frame)
    assert later.startswith(first.rstrip(b"\r\n")), "the later export begins with the earlier"
    paths = {}
    for name, data in (("first", first), ("lf", first.replace(b"\r\n", b"\n")),
                       ("later", later)):
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_bytes(data)
    return paths


def test_the_same_answers_in_other_bytes_are_named_and_need_a_choice(forms, tmp_path, capsys):
    db = tmp_path / "c.duckdb"
    assert _ingest(db, forms["first"], capsys)[0] == 0
    with Store.open(db) as store:
        before = store.fingerprint()
    code, report = _ingest(db, forms["lf"], capsys)
    assert code == 1 and report["status"] == "refused" and report["repeated"] == 8
    assert report["refusal"].startswith("8 righe dicono esattamente ciò che dicono righe già "
                                        "caricate nella stessa ondata (UP-0001)")
    with Store.open(db) as store:
        assert store.fingerprint() == before, "nothing written until the analyst chooses"
    code, report = _ingest(db, forms["lf"], capsys, "--repeats", "skip")
    assert code == 0 and (report["rows_committed"], report["rows_quarantined"]) == (0, 8)
    assert _rows(db) == 8, "the upload is logged (its bytes known), its rows left out"


def test_an_incremental_export_loads_only_the_new_answers_when_asked(forms, tmp_path, capsys):
    db = tmp_path / "c.duckdb"
    assert _ingest(db, forms["first"], capsys)[0] == 0
    code, dry = _ingest(db, forms["later"], capsys, "--dry-run")
    assert code == 1 and dry["repeated"] == 8 and dry["respondents"] == 11
    code, report = _ingest(db, forms["later"], capsys, "--repeats", "skip")
    assert code == 0, report
    assert (report["rows_committed"], report["rows_quarantined"]) == (3, 8)
    assert {p["code"] for p in report["problems"]} == {"repeated_row"}
    assert all("UP-0001" in p["reason"] for p in report["problems"])
    assert _rows(db) == 11
    assert main(["quarantine", "UP-0002", "--db", str(db), "--out",
                 str(tmp_path / "q.csv")]) == 0, "the rows left out are kept, named"
    assert (tmp_path / "q.csv").read_text(encoding="utf-8-sig").count("UP-0001") == 8


def test_keep_loads_them_anyway_and_a_file_with_ids_is_judged_by_its_ids(forms, tmp_path,
                                                                       capsys):
    db = tmp_path / "c.duckdb"
    assert _ingest(db, forms["first"], capsys)[0] == 0
    code, report = _ingest(db, forms["lf"], capsys, "--repeats", "keep")
    assert code == 0 and report["rows_committed"] == 8
    assert _rows(db) == 16


def test_replacing_the_wave_compares_nothing(forms, tmp_path, capsys):
    db = tmp_path / "c.duckdb"
    assert _ingest(db, forms["first"], capsys)[0] == 0
    code, report = _ingest(db, forms["lf"], capsys, "--mode", "replace")
    assert code == 0 and report["repeated"] == 0 and report["rows_replaced"] == 8

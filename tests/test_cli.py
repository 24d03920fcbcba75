import subprocess
import sys

import pandas as pd
import pytest

from cx.cli import main
from tests.conftest import ROOT

SCORE_COLUMNS = ["company", "wave", "n", "pyramid_needs", "pyramid_ease", "pyramid_enjoyment",
                 "pillar_personalisation", "pillar_integrity", "pillar_expectations",
                 "pillar_resolution", "pillar_time_effort", "pillar_empathy", "maturity_index",
                 "maturity_stage"]


def test_help_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "cx", "--help"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    for command in ("init", "synth", "export"):
        assert command in out


def test_init_builds_and_refuses_to_overwrite(tmp_path, capsys):
    db = tmp_path / "new.duckdb"
    assert main(["init", "--db", str(db)]) == 0
    size = db.stat().st_size
    assert main(["init", "--db", str(db)]) == 1
    assert "--force" in capsys.readouterr().err
    assert db.stat().st_size == size
    assert main(["init", "--db", str(db), "--force"]) == 0


def test_db_path_from_environment(tmp_path, monkeypatch):
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("CX_DB", str(db))
    assert main(["init"]) == 0
    assert db.exists()


def test_export_scores_has_the_agreed_columns(sample_db, tmp_path):
    out = tmp_path / "scores.csv"
    assert main(["export", "--what", "scores", "--out", str(out), "--db", str(sample_db)]) == 0
    df = pd.read_csv(out)
    assert list(df.columns) == SCORE_COLUMNS
    assert df.groupby(["company", "wave"]).size().max() == 1
    assert df["n"].sum() == 264
    assert df["maturity_index"].between(0, 100).all()


def test_export_responses_xlsx_for_one_wave(sample_db, tmp_path):
    out = tmp_path / "r.xlsx"
    assert main(["export", "--what", "responses", "--format", "xlsx", "--wave", "2025",
                 "--out", str(out), "--db", str(sample_db)]) == 0
    df = pd.read_excel(out)
    assert set(df["wave"]) == {2025}
    assert "club_nps" in df.columns


def test_export_unknown_wave_is_refused_and_writes_nothing(sample_db, tmp_path, capsys):
    out = tmp_path / "none.csv"
    assert main(["export", "--what", "scores", "--wave", "1999", "--out", str(out),
                 "--db", str(sample_db)]) == 1
    assert not out.exists()
    assert "1999" in capsys.readouterr().err


def test_usage_errors_exit_2():
    with pytest.raises(SystemExit) as exc:
        main(["export", "--what", "nonsense", "--out", "x.csv"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["synth", "--respondents", "0", "--out", "x.csv"])
    assert exc.value.code == 2


def test_english_messages(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    main(["init", "--db", str(db)])
    main(["init", "--db", str(db), "--lang", "en"])
    assert "already exists" in capsys.readouterr().err

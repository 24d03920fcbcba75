import shutil
import subprocess
import sys

import pandas as pd
import pytest

from cx.cli import main
from cx.i18n import catalogue, t
from tests.conftest import ROOT

SCORE_COLUMNS = ["company", "wave", "n", "pyramid_needs", "pyramid_ease", "pyramid_enjoyment",
                 "pillar_personalisation", "pillar_integrity", "pillar_expectations",
                 "pillar_resolution", "pillar_time_effort", "pillar_empathy", "maturity_index",
                 "maturity_stage"]


def test_help_lists_the_commands_in_italian():
    out = subprocess.run([sys.executable, "-m", "cx", "--help"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    for command in ("init", "synth", "export", "ingest", "uploads", "undo", "report", "deck"):
        assert command in out
    assert out.startswith("uso: python -m cx") and "mostra questo aiuto ed esce" in out
    assert "crea il database dal campione incorporato" in out
    assert "usage" not in out and "options" not in out


HEAVY = ("pandas", "scipy", "sklearn", "fpdf", "pptx", "altair", "streamlit")
# `python -m cx ARGS`, then the modules it imported, on the last line of stdout
PROBE = """import runpy, sys
try:
    runpy.run_module("cx", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)))"""


@pytest.fixture(scope="module")
def imported(sample_db_template, tmp_path_factory) -> dict[str, set[str]]:
    """The top-level modules `--help` and `uploads` have imported when they end."""
    db = tmp_path_factory.mktemp("light") / "cx.duckdb"
    shutil.copy(sample_db_template, db)
    upload = db.parent / "one.csv"
    upload.write_text("company,wave,club_nps\nAlfa,2031,9\n", encoding="utf-8")
    assert main(["ingest", str(upload), "--db", str(db)]) == 0  # the listing has a row to show
    found = {}
    for name, argv in (("help", ["--help"]), ("uploads", ["uploads", "--db", str(db)])):
        out = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
        found[name] = {module.split(".")[0] for module in out.splitlines()[-1].split()}
    return found


@pytest.mark.parametrize("module", HEAVY)
def test_help_imports_nothing_heavy(imported, module):
    """Registering a command imports nothing heavy: each imports what it needs when it runs."""
    assert "cx" in imported["help"]
    assert module not in imported["help"]


@pytest.mark.parametrize("module", HEAVY)
def test_uploads_imports_nothing_heavy(imported, module):
    assert "duckdb" in imported["uploads"], "the listing was read from the database"
    assert module not in imported["uploads"]


COMMANDS = ("init", "synth", "export", "hash-password", "ingest", "uploads", "undo", "quarantine",
            "template", "report", "deck")
ENGLISH_ONLY = [t(key, "en") for key in catalogue()
                if key.startswith(("cli.help.", "cli.argparse.")) and t(key, "en") != t(key, "it")]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_in_the_language_asked(command, capsys):
    shown = {}
    for lang in ("it", "en"):
        with pytest.raises(SystemExit) as exc:
            main([command, "--help", *(["--lang", "en"] if lang == "en" else [])])
        assert exc.value.code == 0
        shown[lang] = capsys.readouterr().out
    assert shown["en"].startswith("usage: ") and shown["it"].startswith("uso: ")
    assert "--db FILE" in shown["it"] and "--lang {it,en}" in shown["it"]
    unflowed = " ".join(shown["it"].split())
    leaked = [text for text in ENGLISH_ONLY if len(text) > 8 and text.strip() in unflowed]
    assert not leaked, f"English in the Italian help of {command}: {leaked}"



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
    assert main(["export", "--what", "scores", "--wave", "2031", "--out", str(out),
                 "--db", str(sample_db)]) == 1
    assert not out.exists()
    assert "2031" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "reason"), [
    (["export", "--what", "nonsense", "--out", "x.csv"],
     "argomento --what: scelta non valida: 'nonsense' (scegli tra 'responses', 'scores')"),
    (["synth", "--respondents", "0", "--out", "x.csv"],
     "argomento --respondents: serve un numero intero da 1 in su: 0"),
    (["synth", "--waves", "2025,oggi", "--out", "x.csv"],
     "argomento --waves: le ondate sono anni tra 2000 e 2100 separati da virgole: 2025,oggi"),
    (["export", "--what", "scores", "--out", "x.csv", "--wave", "1999"],
     "argomento --wave: un'ondata è un anno tra 2000 e 2100: 1999"),
    (["export", "--what", "scores"], "mancano questi argomenti: --out"),
    (["init", "--dry"], "argomenti non riconosciuti: --dry"),
    (["nonsense"], "argomento COMANDO: scelta non valida: 'nonsense'"),
])
def test_usage_errors_exit_2_with_the_reason_in_italian(argv, reason, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("uso: python -m cx") and f": errore: {reason}" in err


def test_usage_errors_in_english(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["synth", "--respondents", "zero", "--out", "x.csv", "--lang=en"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ")
    assert "error: argument --respondents: a whole number from 1 up is needed: zero" in err


def test_english_messages(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    main(["init", "--db", str(db)])
    main(["init", "--db", str(db), "--lang", "en"])
    assert "already exists" in capsys.readouterr().err


def test_a_file_that_cannot_be_written_is_said_in_the_users_language(sample_db, tmp_path,
                                                                       capsys):
    missing = tmp_path / "no" / "such" / "folder" / "x.csv"
    args = ["export", "--what", "scores", "--db", str(sample_db), "--out"]
    assert main([*args, str(missing)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"Impossibile leggere o scrivere {missing}: il file o la cartella non esiste.")
    assert main([*args, str(tmp_path), "--lang", "en"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"Cannot read or write {tmp_path}: it is a folder, not a file.")


def test_init_force_is_refused_while_another_process_holds_the_file(sample_db, capsys):
    """Issue 17 (2): `init --force` deleted the file under a running app (exit 0), whose WAL
    then no longer matched; it takes the file's lock first, like every other command."""
    holder = subprocess.Popen(  # another process holds the file, as a running app would
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(sample_db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = sample_db.read_bytes()
        assert main(["init", "--force", "--db", str(sample_db)]) == 1
        assert f"(processo {holder.pid})" in capsys.readouterr().err
        assert sample_db.exists() and sample_db.read_bytes() == before
    finally:
        holder.communicate()
    assert main(["init", "--force", "--db", str(sample_db)]) == 0, "free again: rebuilt"

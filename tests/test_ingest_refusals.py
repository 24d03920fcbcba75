"""Bad input of every kind: one clear sentence or the cells named, exit 1, and every table of the
database exactly as it was (row counts and content checksums), issue 3 items 5 and 9."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest

from cx.cli import main
from cx.ingest import read
from cx.store import Store
from tests import survey_exports as se
from tests.conftest import ROOT

HEAD = "respondent_id,wave,company,sector,club_nps,kpi_nps,pain_point,cx_indicators"
GOOD = "N1,2027,Alfa,finance,9,-20,Prezzi,nps|csat"


def _csv(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def _xlsx_truncated() -> bytes:
    data = se._xlsx([["company", "wave", "club_nps"], ["Alfa", 2027, 9]])
    return data[: len(data) // 2]


def _xlsx_not_a_workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return buf.getvalue()


def _wide() -> bytes:
    return _csv(",".join(f"c{i}" for i in range(5000)), ",".join("1" for _ in range(5000)))


# name: (bytes, extra CLI arguments, expected: a phrase of the refusal or a problem code)
BAD = {
    "empty": (b"", [], "vuoto"),
    "blank lines only": (b"\n\n  \n", [], "vuoto"),
    "binary": (bytes(range(256)) * 8, [], "binario"),
    "pdf renamed .csv": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", [], "binario"),
    "truncated in a quote": (_csv(HEAD, GOOD)[:-1] + b'\nN2,2027,"Beta', [], "troncato"),
    "truncated mid-row": (_csv(HEAD, GOOD) + b"N2,2027,Beta,fin", [], "troncato"),
    "stray quote": (_csv(HEAD, 'N2,2027,"Be"ta,finance,9,,,', GOOD), [], "virgolette"),
    "too many fields": (_csv(HEAD, GOOD + ",extra,more"), [], "campi"),
    "BOM claims UTF-8, bytes are Latin-1": (
        b"\xef\xbb\xbf" + _csv(HEAD, GOOD).replace(b"Prezzi", b"Citt\xe0"), [], "UTF-8"),
    "mixed UTF-8 and Latin-1": (
        _csv(HEAD, GOOD.replace("Prezzi", "Città")) + b"N3,2027,Gamma,finance,9,,Citt\xe0,nps\n",
        [], "codifiche"),
    "UTF-16 BOM, odd bytes": (b"\xff\xfe" + "company,wave\n".encode("utf-16-le") + b"\x00",
                              [], "UTF-16"),
    "headers only": (_csv(HEAD), [], "solo l'intestazione"),
    "company column missing": (_csv("respondent_id,wave,sector", "N1,2027,finance"), [],
                               "azienda"),
    "no answer column": (_csv("respondent_id,wave,company", "N1,2027,Alfa"), [],
                         "Nessuna colonna"),
    "no wave anywhere": (_csv("company,club_nps", "Alfa,9"), [], "ondata"),
    "5,000 columns": (_wide(), [], "5000 colonne"),
    "damaged xlsx": (_xlsx_truncated(), [], "Excel"),
    "zip that is not a workbook": (_xlsx_not_a_workbook(), [], "Excel"),
    "sheet that does not exist": (se._xlsx([["company", "wave", "club_nps"], ["A", 2027, 9]]),
                                  ["--sheet", "Nope"], "Nope"),
    # cell problems: the file is refused unless a partial import is accepted
    "Likert out of range": (_csv("company,wave,club_csat", "Alfa,2027,7"), [], "out_of_range"),
    "NPS out of range": (_csv(HEAD, GOOD.replace(",9,", ",11,")), [], "out_of_range"),
    "unknown option": (_csv(HEAD, GOOD.replace("finance", "banca")), [], "unknown_option"),
    "unknown option among chosen ones": (_csv(HEAD, GOOD.replace("nps|csat", "nps|fax")), [],
                                         "unknown_part"),
    "not a number": (_csv(HEAD, GOOD.replace("-20", "venti")), [], "not_a_number"),
    "not a whole number": (_csv(HEAD, GOOD.replace(",9,", ",7.5,")), [], "not_integer"),
    "duplicate ids in the file": (_csv(HEAD, GOOD, GOOD.replace("Alfa", "Beta")), [],
                                  "duplicate_in_file"),
    "duplicate id in the wave": (_csv(HEAD, GOOD.replace("N1,2027", "R000001,2026")), [],
                                 "duplicate_in_wave"),
    "=HYPERLINK formula": (_csv(HEAD, GOOD.replace("Prezzi", '"=HYPERLINK(""http://x"")"')),
                           [], "formula"),
    "@SUM formula": (_csv(HEAD, GOOD.replace("Prezzi", "@SUM(A1:A9)")), [], "formula"),
    "+ and - prefixes": (_csv(HEAD, GOOD.replace("Prezzi", "+cmd|' /C calc'!A0"),
                              GOOD.replace("N1", "N2").replace("Alfa", "-2+3")), [], "formula"),
    "HTML tags": (_csv(HEAD, GOOD.replace("Prezzi", '"<b onclick=""x()"">Prezzi</b>"')), [],
                  "markup"),
    "script tag": (_csv(HEAD, GOOD.replace("Prezzi", "<script>alert(1)</script>")), [],
                   "markup"),
    "company blank": (_csv(HEAD, GOOD.replace("Alfa", "")), [], "required"),
    "none with other options": (_csv(HEAD, GOOD.replace("nps|csat", "none|nps")), [],
                                "exclusive_option"),
    "wave differs from --wave": (_csv(HEAD, GOOD), ["--wave", "2028"], "wave_mismatch"),
    "per-option column not yes/no": (
        _csv("company,wave,touchpoints[store],touchpoints[app]", "Alfa,2027,Y,forse"), [],
        "not_yes_no"),
    "two columns on one question": (_csv("company,wave,club_nps,Club NPS", "A,2027,9,9"),
                                    ["--mapping", "DUP"], "stessa domanda"),
}


# DuckDB, which reads a large CSV, sees a last row cut short as a row with fewer fields
LARGE_SAYS = {"truncated mid-row": "campi"}


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_refused_and_nothing_changes(name, large, sample_db, tmp_path, capsys,
                                                  monkeypatch):
    """Also as a large CSV, whose body DuckDB reads, first through the direct path."""
    data, extra, expected = BAD[name]
    if large:
        monkeypatch.setattr(read, "LARGE_CSV", 10)
        expected = LARGE_SAYS.get(name, expected)
    path = tmp_path / "input.csv"
    path.write_bytes(data)
    if extra[:1] == ["--mapping"]:
        mapping = tmp_path / "m.json"
        mapping.write_text(json.dumps({"club_nps": "club_nps", "Club NPS": "club_nps"}))
        extra = ["--mapping", str(mapping)]
    with Store.open(sample_db) as store:
        before = store.fingerprint()
    code = main(["ingest", str(path), "--db", str(sample_db), "--json", *extra])
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert code == 1 and report["status"] == "refused"
    said = (report.get("refusal") or "") + " ".join(p["code"] for p in report["problems"])
    assert expected in said, said
    assert all(p["reason"] and p["row"] for p in report["problems"])
    with Store.open(sample_db) as store:
        assert store.fingerprint() == before


def test_a_file_over_the_size_limit(sample_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CX_MAX_UPLOAD_MB", "1")
    path = tmp_path / "big.csv"
    path.write_bytes(_csv(HEAD, *[GOOD.replace("N1", f"N{i}") for i in range(40_000)]))
    with Store.open(sample_db) as store:
        before = store.fingerprint()
    assert main(["ingest", str(path), "--db", str(sample_db)]) == 1
    assert "oltre il limite di 1 MB" in capsys.readouterr().err
    with Store.open(sample_db) as store:
        assert store.fingerprint() == before


def test_the_same_file_twice(sample_db, tmp_path, capsys):
    path = tmp_path / "once.csv"
    path.write_bytes(_csv(HEAD, GOOD))
    assert main(["ingest", str(path), "--db", str(sample_db)]) == 0
    with Store.open(sample_db) as store:
        before = store.fingerprint()
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(path.read_bytes())
    assert main(["ingest", str(copy), "--db", str(sample_db), "--lang", "en"]) == 1
    assert "already uploaded (UP-0001" in capsys.readouterr().err
    assert main(["ingest", str(copy), "--db", str(sample_db), "--dry-run"]) == 1
    said = capsys.readouterr()
    assert said.out == "", "nothing was read: no preview line"
    assert said.err.startswith("Questo file è già stato caricato (UP-0001, «once.csv»)")
    with Store.open(sample_db) as store:
        assert store.fingerprint() == before


def test_a_file_of_the_same_size_is_not_taken_for_the_same_file(sample_db, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(_csv(HEAD, GOOD))
    second.write_bytes(_csv(HEAD, GOOD.replace("N1,2027,Alfa", "N2,2027,Beta")))
    assert first.stat().st_size == second.stat().st_size
    assert main(["ingest", str(first), "--db", str(sample_db)]) == 0
    assert main(["ingest", str(second), "--db", str(sample_db)]) == 0
    with Store.open(sample_db) as store:
        assert set(store.responses(["company"]).query("company in ['Alfa', 'Beta']")
                   ["company"]) == {"Alfa", "Beta"}


def test_mapping_file_errors(sample_db, tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_bytes(_csv(HEAD, GOOD))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"club_nps": "no_such_question"}))
    for mapping, phrase in ((broken, "JSON valido"), (unknown, "no_such_question")):
        assert main(["ingest", str(path), "--db", str(sample_db), "--mapping", str(mapping)]) == 1
        assert phrase in capsys.readouterr().err


def test_missing_file_and_usage_errors(sample_db, capsys):
    assert main(["ingest", "/no/such/file.csv", "--db", str(sample_db), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "refused"
    for argv in (["ingest"], ["ingest", "x.csv", "--mode", "merge"],
                 ["ingest", "x.csv", "--wave", "soon"], ["undo"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
    assert main(["template", "--out", "t.pdf"]) == 2


def test_english_reasons(sample_db, tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_bytes(_csv("company,wave,club_csat", "Alfa,2027,7"))
    assert main(["ingest", str(path), "--db", str(sample_db), "--json", "--lang", "en"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == [{"row": 2, "column": "club_csat", "value": "7",
                                   "reason": "out of range: values from 1 to 5",
                                   "code": "out_of_range"}]


def test_an_unknown_answer_names_the_answers_allowed(sample_db, tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_bytes(_csv(HEAD, GOOD.replace("finance", "banca").replace("nps|csat", "nps|fax")))
    said = {}
    for lang in ("it", "en"):
        assert main(["ingest", str(path), "--db", str(sample_db), "--json", "--lang", lang]) == 1
        said[lang] = {p["column"]: p["reason"] for p in json.loads(capsys.readouterr().out)[
            "problems"]}
    assert said["it"]["sector"] == (
        "risposta non prevista; ammesse: «Manifattura e industria», «Commercio e retail», "
        "«Banche e assicurazioni», «Telecomunicazioni e utility», «Servizi professionali», "
        "«Turismo e trasporti», «Sanità e farmaceutico» (o i loro codici)")
    assert said["en"]["sector"].startswith("not an answer option; allowed: “Manufacturing”, ")
    assert said["it"]["cx_indicators"].startswith("«fax» non è una risposta prevista; ammesse: ")
    assert said["en"]["cx_indicators"].startswith("“fax” is not an answer option; allowed: ")


def test_a_long_list_of_answers_is_cut(monkeypatch):
    from cx.ingest import problems

    assert problems.allowed_options("no_such_question", "it") == "no_such_question"
    assert problems.allowed_options("cj_ideal_map", "en").count("“") == 4  # all of them
    monkeypatch.setattr(problems, "SHOWN_OPTIONS", 3)
    assert problems.allowed_options("touchpoints", "it") == (
        "«Punto vendita», «Sito web», «E-commerce» e altre (sono 13)")


def test_a_locked_database_is_one_json_refusal(sample_db, tmp_path, capsys, monkeypatch):
    """Another program holds the primary file for writing longer than a write waits (the app
    itself never does: it reads snapshots, see tests/test_snapshots.py)."""
    monkeypatch.setenv("CX_WRITE_WAIT", "0.5")
    holder = subprocess.Popen(  # e.g. the DuckDB shell left open on the file
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(sample_db)],  # held until closed
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = sample_db.read_bytes()
        path = tmp_path / "x.csv"
        path.write_bytes(_csv(HEAD, GOOD))
        assert main(["ingest", str(path), "--db", str(sample_db), "--json"]) == 1
        report = json.loads(capsys.readouterr().out)
        assert report["status"] == "refused"
        assert report["refusal"] == (
            f"Il database {sample_db} è occupato da un'altra scrittura (processo {holder.pid}) "
            "(un caricamento o un comando `python -m cx`) da più del tempo di attesa: nulla è "
            "stato modificato. Riprova tra poco.")
        assert main(["uploads", "--db", str(sample_db), "--lang", "en"]) == 1
        assert f"busy with another write (process {holder.pid})" in capsys.readouterr().err
        assert sample_db.read_bytes() == before
    finally:
        holder.communicate()  # closing its stdin lets it exit


@pytest.mark.parametrize("body", ["long", "quotes"])
def test_a_cell_over_128_kb_in_the_head_in_a_fresh_process(tmp_path, body):
    """Issue 17 (11): a cell over 128 KB in the first 256 KB of a CSV raised csv.Error (a
    traceback on the command line) in a fresh process, before any reader had raised Python's
    field limit. Read in a new process, as `python -m cx` is."""
    path = tmp_path / "lungo.csv"
    cell = "x" * 200_000 if body == "long" else '"' + 'a""b' * 60_000 + '"'
    path.write_text(f"company,wave,club_nps,pain_point\nAlfa,2030,9,{cell}\nBeta,2030,7,ok\n",
                    encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "cx", "ingest", str(path), "--dry-run",
                          "--db", str(tmp_path / "x.duckdb")], capture_output=True, text=True,
                         cwd=ROOT)
    assert "Traceback" not in run.stderr and run.returncode in (0, 1), run.stderr[-800:]


def _with_a_long_cell(path, cell_bytes: int, row: int = 3) -> None:
    """Five rows of a canonical CSV, row `row` holding a cell of `cell_bytes` quote
    characters (escaped, so the cell reads as half as many)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("respondent_id,company,wave,pain_point,club_nps\n")
        for i in range(1, 6):
            cell = '"' + '"' * cell_bytes + '"' if i == row else "ok"
            fh.write(f"r{i},Alfa,2027,{cell},{i}\n")


def test_a_32_mb_cell_of_quotes_is_read_not_skipped(tmp_path, capsys):
    """Issue 17, item 4: a CSV over 16 MB with one cell of 32 MB of `"` characters; DuckDB
    skipped that line without a reject, and preview and commit showed 4 of 5 rows."""
    path = tmp_path / "quotes.csv"
    _with_a_long_cell(path, 32 * 1024 * 1024)
    assert path.stat().st_size > read.LARGE_CSV
    db = tmp_path / "q.duckdb"
    assert main(["ingest", str(path), "--db", str(db), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows_total"], report["rows_committed"]) == (5, 5)
    with Store.open(db) as store:
        stored = store.responses(["respondent_id", "pain_point"]).set_index("respondent_id")
    assert len(stored.loc["r3", "pain_point"]) == 16 * 1024 * 1024


@pytest.mark.parametrize(("cell_mb", "said"), [
    (3, "La riga 5 del CSV è più lunga di 1 MB"),  # DuckDB rejects the line
    (40, "Il file ha 5 righe di dati, ma il lettore ne ha lette 4"),  # DuckDB drops it
], ids=["rejected", "dropped without a word"])
def test_a_line_the_reader_cannot_hold_is_a_named_refusal(cell_mb, said, sample_db, tmp_path,
                                                           capsys, monkeypatch):
    """A line over DuckDB's `max_line_size` is a reject, or, past its buffer, skipped without
    one: the independent count of the file's records catches that, and names the line.
    Both are refused in one sentence (on the direct and the thorough path), nothing written."""
    from cx.store import csv_source

    monkeypatch.setattr(csv_source, "MAX_LINE", 1024 * 1024)
    monkeypatch.setattr(read, "LARGE_CSV", 10)
    path = tmp_path / "long.csv"
    _with_a_long_cell(path, cell_mb * 1024 * 1024, row=4)
    with Store.open(sample_db) as store:
        before = store.fingerprint()
    for dry in (["--dry-run"], []):
        assert main(["ingest", str(path), "--db", str(sample_db), "--json", *dry]) == 1
        refusal = json.loads(capsys.readouterr().out)["refusal"]
        assert refusal.startswith(said) and "1 MB" in refusal and "riga 5" in refusal, refusal
    with Store.open(sample_db) as store:
        assert store.fingerprint() == before


def test_a_texts_row_shorter_than_the_ids_row_in_a_large_file(sample_db, tmp_path, capsys,
                                                              monkeypatch):
    """Found by the fuzzer: the template's two header rows (ids, then question texts) with a
    texts row of fewer cells, in a CSV whose head is not padded (read by DuckDB): IndexError."""
    monkeypatch.setattr(read, "LARGE_CSV", 10)
    path = tmp_path / "export.csv"
    path.write_text("respondent_id,company,wave,club_nps,Timestamp\n"
                    "Codice del rispondente,Azienda (nome o codice),"
                    "Ondata (anno della rilevazione)\n"
                    "FZ1,Alfa,2031,9,2031-03-01\nFZ2,Beta,2031,7,2031-03-02\n", encoding="utf-8")
    for dry in (["--dry-run"], []):
        assert main(["ingest", str(path), "--db", str(sample_db), "--json", *dry]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report.get("respondents", report.get("rows_total")) == 2


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
def test_lines_ending_in_a_bare_carriage_return_are_read(large, sample_db, tmp_path, capsys,
                                                         monkeypatch):
    """Found by the fuzzer: an old-Mac CSV (CR only) read by DuckDB raised «The CSV Parser
    state machine reached an invalid state» through to a traceback. It is read again row by
    row; any file the reader gives up on is one sentence, never a traceback."""
    if large:
        monkeypatch.setattr(read, "LARGE_CSV", 10)
    path = tmp_path / "mac.csv"
    path.write_bytes(b'respondent_id,company,wave,club_nps,pain_point\r'
                     b'M1,Alfa,2031,9,"attese\rlunghe"\rM2,Beta,2031,7,ok\r')
    assert main(["ingest", str(path), "--db", str(sample_db), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows_total"], report["rows_committed"]) == (2, 2)


def test_a_file_the_csv_reader_gives_up_on_is_one_sentence(sample_db, tmp_path, capsys,
                                                           monkeypatch):
    from cx.store.upload import staged

    def gives_up(cur, *args):
        cur.execute("SELECT * FROM read_csv('/nonexistent/cx.csv')")  # a duckdb.Error

    monkeypatch.setattr(read, "LARGE_CSV", 10)
    monkeypatch.setattr(staged, "csv_body", lambda *a, **k: ("read_csv($path)",
                                                            {"path": "/nonexistent.csv"}))
    path = tmp_path / "f.csv"
    path.write_text("company,wave,club_nps\nAlfa,2031,9\n", encoding="utf-8")
    with Store.open(sample_db) as store:
        before = store.fingerprint()
    assert main(["ingest", str(path), "--db", str(sample_db), "--json"]) == 1
    refusal = json.loads(capsys.readouterr().out)["refusal"]
    assert refusal.startswith("Il lettore non riesce a leggere questo CSV")
    with Store.open(sample_db) as store:
        assert store.fingerprint() == before

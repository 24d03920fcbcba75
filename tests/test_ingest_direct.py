"""The direct path of a large CSV (`cx.ingest.direct`) commits exactly what the thorough path
commits, or leaves the upload to it: each file below is ingested twice into copies of the sample
database, once as usual and once with the direct path switched off, and every table must come
out the same (anonymous and access codes are random: companies compared by name and key, access
codes only counted). Each case also says whether the direct path must have been taken, so
that a guard left out shows up either as a different database or as a clean file sent the long
way."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from cx import background
from cx.ingest import direct, read
from cx.ingest.commit import ingest
from cx.ingest.options import Options
from cx.ingest.upload import Upload
from cx.questionnaire import questionnaire
from cx.store import Store
from cx.synth import company_names, write_canonical_csv
from tests import survey_exports as se

WAVE = 2027
QN = questionnaire()


@pytest.fixture(scope="module")
def rows() -> list[list[str]]:
    """A clean canonical file as cells: header, then 40 respondents."""
    out = io.StringIO()
    write_canonical_csv(se.answers(40, WAVE), out)  # as the template and the app's export
    return [list(r) for r in csv.reader(io.StringIO(out.getvalue()))]


def _csv(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue().encode("utf-8")


def _cell(rows: list[list[str]], column: str, value: str, row: int = 3) -> bytes:
    changed = [list(r) for r in rows]
    changed[row][rows[0].index(column)] = value
    return _csv(changed)


def _rows(data: bytes) -> list[list[str]]:
    return [list(r) for r in csv.reader(io.StringIO(data.decode("utf-8")))]


def _empty_line_after(data: bytes, line: int) -> bytes:
    lines = data.split(b"\n")
    return b"\n".join([*lines[:line], b"", *lines[line:]])


def _label(qid: str, code: str, lang: str = "it") -> str:
    return QN[qid].option(code).label(lang)


# name: (file from the clean rows, options, direct path taken, status)
CELLS = {
    "clean": (lambda r: _csv(r), Options(), True, "committed"),
    "semicolons and CRLF": (lambda r: _csv(r, ";", "\r\n"), Options(), True, "committed"),
    "UTF-8 BOM": (lambda r: b"\xef\xbb\xbf" + _csv(r), Options(), True, "committed"),
    "company padded with spaces": (lambda r: _cell(r, "company", "  Alfa Srl  "), Options(),
                                   True, "committed"),
    "a company with accents": (lambda r: _cell(r, "company", "Caffè Borbone"), Options(), True,
                               "committed"),
    "a company with a zero-width space": (lambda r: _cell(r, "company", "Caffè\u200b Borbone"),
                                          Options(), False, "committed"),
    "two spellings of one company": (
        lambda r: _cell(_rows(_cell(r, "company", "Caffè Borbone")), "company",
                        "CAFFE  BORBONE", row=5), Options(), False, "committed"),
    "a company of the database spelled otherwise": (
        lambda r: _cell(r, "company", company_names(1)[0].upper()), Options(), False,
        "committed"),
    "a company of invisible characters only": (lambda r: _cell(r, "company", "\u200b\u2060"),
                                               Options(), False, "refused"),
    "text on two lines, and a < that is no tag": (
        lambda r: _cell(_rows(_cell(r, "pain_point", "prima riga\nseconda =riga")),
                        "cx_priority", "prezzi < 10 euro", row=4), Options(), True, "committed"),
    "a decimal written 4.50": (lambda r: _cell(r, "kpi_ces", "4.50"), Options(), True,
                               "committed"),
    "Likert 05": (lambda r: _cell(r, "pyr_needs_1", "05"), Options(), False, "committed"),
    "Likert 3.0": (lambda r: _cell(r, "pyr_needs_1", "3.0"), Options(), False, "committed"),
    "Likert by its label": (lambda r: _cell(r, "pyr_needs_1", _label("pyr_needs_1", "5")),
                            Options(), False, "committed"),
    "Likert 0": (lambda r: _cell(r, "pyr_ease_2", "0"), Options(), False, "refused"),
    "Likert 0 said to mean not applicable": (lambda r: _cell(r, "pyr_ease_2", "0"),
                                             Options(not_applicable=("0",)), False,
                                             "committed"),
    "Likert N/A": (lambda r: _cell(r, "pil_empathy_1", "N/A"), Options(), False, "committed"),
    "Likert out of range": (lambda r: _cell(r, "pyr_needs_1", "6"), Options(), False,
                            "refused"),
    "option by its Italian label": (lambda r: _cell(r, "sector", _label("sector", "retail")),
                                    Options(), False, "committed"),
    "option in capitals": (lambda r: _cell(r, "sector", "RETAIL"), Options(), False,
                           "committed"),
    "option with spaces": (lambda r: _cell(r, "region", " centro "), Options(), False,
                           "committed"),
    "unknown option": (lambda r: _cell(r, "sector", "banca"), Options(), False, "refused"),
    "choices in another order": (lambda r: _cell(r, "journey_stages", "loyalty|awareness"),
                                 Options(), False, "committed"),
    "an unknown choice": (lambda r: _cell(r, "touchpoints", "store|fax"), Options(), False,
                          "refused"),
    "none with other choices": (lambda r: _cell(r, "cx_indicators", "none|nps"), Options(),
                                False, "refused"),
    "decimal comma": (lambda r: _cell(r, "kpi_csat", "65,5"), Options(), False, "committed"),
    "thousands separator": (lambda r: _cell(r, "kpi_nps", "1.000"), Options(), False,
                            "refused"),
    "exponent": (lambda r: _cell(r, "kpi_ces", "5e0"), Options(), False, "refused"),
    "scale 07": (lambda r: _cell(r, "club_nps", "07"), Options(), False, "committed"),
    "scale 7.0": (lambda r: _cell(r, "club_nps", "7.0"), Options(), False, "committed"),
    "scale 0 on a 1–7 scale": (lambda r: _cell(r, "club_ces", "0"), Options(), False,
                               "refused"),
    "scale -99 said to mean not applicable": (lambda r: _cell(r, "club_ces", "-99"),
                                              Options(not_applicable=("-99",)), False,
                                              "committed"),
    "scale out of range": (lambda r: _cell(r, "club_nps", "11"), Options(), False, "refused"),
    "wave 2027.0": (lambda r: _cell(r, "wave", "2027.0"), Options(), False, "committed"),
    "formula": (lambda r: _cell(r, "pain_point", "=1+1"), Options(), False, "refused"),
    "formula after spaces": (lambda r: _cell(r, "cx_priority", "  @SUM(A1)"), Options(), False,
                             "refused"),
    "HTML": (lambda r: _cell(r, "company", "<b>Alfa</b>"), Options(), False, "refused"),
    "company blank": (lambda r: _cell(r, "company", ""), Options(), False, "refused"),
    "respondent id blank": (lambda r: _cell(r, "respondent_id", ""), Options(), False,
                            "committed"),
    "respondent id twice": (lambda r: _cell(r, "respondent_id", r[1][0]), Options(), False,
                            "refused"),
    "a blank row": (lambda r: _csv([*r[:5], [""] * len(r[0]), *r[5:]]), Options(), False,
                    "committed"),
    "an empty line": (lambda r: _csv(r[:5]) + b"\n" + _csv(r[5:]), Options(), True,
                      "committed"),  # skipped by both: it only shifts the numbers of rows
    "an empty line, then an unknown option": (
        lambda r: _empty_line_after(_cell(r, "sector", "banca", row=6), 3), Options(), False,
        "refused"),  # the problem's row counts the empty line, as in a spreadsheet
    "a NUL byte": (lambda r: _cell(r, "pain_point", "a\x00b"), Options(), False, "refused"),
    "a line with more fields": (lambda r: _csv([*r[:5], [*r[5], "x"], *r[6:]]), Options(),
                                False, "refused"),
    "replacing a chosen wave": (lambda r: _csv([[row[0], *row[2:]] for row in r]),
                                Options(wave=WAVE, mode="replace"), True, "committed"),
    "wave in the file and chosen": (lambda r: _csv(r), Options(wave=WAVE), False, "committed"),
    "replacing the file's waves": (lambda r: _csv(r), Options(mode="replace"), False,
                                   "committed"),
}


def _ingest(path, data: bytes, options: Options) -> tuple[object, list[str]]:
    steps: list[str] = []
    upload = path.with_suffix(".csv")
    upload.write_bytes(data)
    with Store.open(path) as store:
        result = ingest(store, Upload(upload, "export.csv"), options, progress=steps.append)
    return result, steps


def _took_direct(steps: list[str]) -> bool:
    """Whether the direct path committed (it did not hand the file back to be read again)."""
    return "direct" in steps and "read" not in steps[steps.index("direct"):]


def _contents(path) -> dict:
    with Store.open(path) as store:
        tables = store.fingerprint()
        log = store.query("upload_log").drop(columns=["uploaded_at"])
        with store.cursor() as cur:
            companies = cur.execute("SELECT company, company_key FROM companies "
                                    "ORDER BY ALL").fetchall()
    tables.pop("uploads")
    tables["companies"] = companies  # random codes: the companies themselves
    tables["company_access"] = tables["company_access"][0]  # random codes: how many
    return {**tables, "log": log.to_dict("records")}


@pytest.mark.parametrize("large", [True, False], ids=["large", "small"])
@pytest.mark.parametrize("name", list(CELLS))
def test_direct_path_commits_what_the_thorough_one_does(name, large, rows, sample_db, tmp_path,
                                                        monkeypatch):
    """`large`: the thorough path reads the body with DuckDB, as a file over 16 MB; else with
    Python's reader (the direct path always lets DuckDB read it)."""
    make, options, taken, status = CELLS[name]
    if large:
        monkeypatch.setattr(read, "LARGE_CSV", 100)
    data = make(rows)
    thorough_db = tmp_path / "thorough.duckdb"
    shutil.copy(sample_db, thorough_db)
    with Store.open(sample_db) as store:
        before = store.fingerprint()

    result, steps = _ingest(sample_db, data, options)
    with monkeypatch.context() as m:
        m.setattr(direct, "eligible", lambda *_: False)
        reference, _ = _ingest(thorough_db, data, options)

    assert _took_direct(steps) == taken, steps
    assert result.status == reference.status == status, result.preview.refusal_text("en")
    assert result.as_json("en") == reference.as_json("en")
    if name == "an empty line, then an unknown option":
        assert [p.row for p in result.preview.problems] == [8]
    assert _contents(sample_db) == _contents(thorough_db)
    if status == "refused":
        with Store.open(sample_db) as store:
            assert store.fingerprint() == before


def test_a_file_not_utf8_past_its_head_is_read_in_its_encoding(rows, sample_db, tmp_path,
                                                               monkeypatch):
    """DuckDB stops the direct INSERT at the first byte that is not UTF-8; the thorough path
    reads the file again as Windows-1252."""
    monkeypatch.setattr(read, "LARGE_CSV", 100)
    body = [list(r) for r in rows[1:]]
    filler = [[f"F{i:05d}", *r[1:]] for i in range(3500) for r in body[:1]]  # past 1 MB
    data = _csv([rows[0], *filler]) + _csv([["Z1", rows[2][1], "Citt\u00e0", *rows[2][3:]]])
    data = data.replace("Citt\u00e0".encode(), "Citt\u00e0".encode("cp1252"))
    assert data.index(b"\xe0") > read.HEAD_BYTES
    result, steps = _ingest(sample_db, data, Options())
    assert result.status == "committed", result.preview.problems[:3]
    assert result.preview.encoding == "cp1252"
    assert "direct" in steps and not _took_direct(steps)


def test_a_repeated_id_from_another_upload_in_the_same_wave(rows, sample_db, tmp_path,
                                                            monkeypatch):
    monkeypatch.setattr(read, "LARGE_CSV", 100)
    first, _ = _ingest(sample_db, _csv(rows[:20]), Options())
    assert first.status == "committed"
    again, steps = _ingest(sample_db, _csv([rows[0], *rows[15:]]), Options())
    assert again.status == "refused" and not _took_direct(steps)
    assert {p.reason for p in again.preview.problems} == {"duplicate_in_wave"}


def test_background_work_runs_at_the_lowest_priority_and_hands_back_errors():
    import os
    import threading

    def priority() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    assert background.run(priority).result(timeout=10) == background.LOWEST

    def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        background.run(fail).result(timeout=10)


# `python -m cx ARGS` in a fresh process: its exit code, then the top-level modules it imported
PROBE = """import runpy, sys
code = 0
try:
    runpy.run_module("cx", run_name="__main__")
except SystemExit as exc:
    code = exc.code
print(code, " ".join(sorted({m.split(".")[0] for m in sys.modules})))"""
HEAVY = ("pandas", "scipy", "sklearn", "altair", "fpdf", "pptx", "streamlit", "openpyxl")


def test_a_file_in_codes_goes_in_without_the_heavy_libraries(rows, sample_db, tmp_path):
    """A file already in codes, its companies known, takes the direct path in a process that
    imports none of the libraries it does not use: a user waits for DuckDB, not for pandas
    (bench/ingest.py measures the whole process)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    first, _ = _ingest(sample_db, _csv(rows[:20]), Options())  # the companies get their codes
    assert first.status == "committed"
    path = tmp_path / "again.csv"
    path.write_bytes(_csv([rows[0], *[[f"N{i}", *r[1:]] for i, r in enumerate(rows[1:20])]]))
    out = subprocess.run([sys.executable, "-c", PROBE, "ingest", str(path), "--db",
                          str(sample_db), "--json"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert '"status": "committed"' in out[0]
    code, *modules = out[-1].split()
    assert code == "0" and "duckdb" in modules
    assert not set(HEAVY) & set(modules)

"""Fuzzing the upload (issue 17): generated CSV and XLSX files (tests/fuzz/strategies.py) go
through `ingest --dry-run` and `ingest`, and the properties of tests/fuzz/properties.py hold:
never a traceback, exit 0/1/2 only, a refused file changes nothing, a committed file's rows
equal an independent reading of it, and undo returns every table to its checksum.

Seeded and bounded in CI (profile "ci", about a minute); `make fuzz` runs the profile "fuzz"
(`CX_FUZZ_PROFILE=fuzz`: many more examples, larger files and cells, a fresh seed each run;
`CX_FUZZ_EXAMPLES` sets how many). Defects the long run found are the regression tests at the
end, each its minimal example.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings

from tests.conftest import ROOT
from tests.fuzz import strategies as fs
from tests.fuzz.properties import check_sample

SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large,
                HealthCheck.large_base_example]
settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True,
                          database=None, print_blob=True, suppress_health_check=SLOW_IS_FINE)
# about 20 minutes on 2 cores (an example of the fuzz profile takes 1-2 s)
settings.register_profile("fuzz", max_examples=int(os.environ.get("CX_FUZZ_EXAMPLES", "1000")),
                          deadline=None, database=None, print_blob=True,
                          suppress_health_check=SLOW_IS_FINE)
PROFILE = os.environ.get("CX_FUZZ_PROFILE", "ci")
LIMITS = {"ci": fs.Limits(), "fuzz": fs.Limits(rows=40, huge=2_000_000, mutations=10)}[PROFILE]
SUBPROCESS_EXAMPLES = {"ci": 10, "fuzz": 60}[PROFILE]


@settings(settings.get_profile(PROFILE))
@given(sample=fs.samples(LIMITS), flags=fs.flags())
def test_every_upload_keeps_the_properties(sample, flags, sample_db_template):
    """One example: a private copy of the sample database (copied, not rebuilt: a few ms)."""
    with tempfile.TemporaryDirectory(prefix="cx-fuzz-") as tmp:
        db = Path(tmp) / "cx.duckdb"
        shutil.copy(sample_db_template, db)
        event(check_sample(sample, flags, db, Path(tmp) / sample.name))


@settings(settings.get_profile(PROFILE), max_examples=SUBPROCESS_EXAMPLES)
@given(sample=fs.samples(fs.Limits(rows=3, huge=5000)), flags=fs.flags())
def test_the_command_itself_never_shows_a_traceback(sample, flags, sample_db_template):
    """The real entry point, `python -m cx ingest`, for a few examples (a second each): what
    the in-process runs infer from exceptions, read on stderr."""
    with tempfile.TemporaryDirectory(prefix="cx-fuzz-") as tmp:
        db, path = Path(tmp) / "cx.duckdb", Path(tmp) / sample.name
        shutil.copy(sample_db_template, db)
        path.write_bytes(sample.data)
        done = subprocess.run([sys.executable, "-m", "cx", "ingest", str(path), "--db", str(db),
                               *flags.argv()], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
    assert done.returncode in (0, 1, 2), done
    assert "Traceback" not in done.stderr, done.stderr


# Found by fuzzing: minimal examples of the defects the long run found, fixed since.
def _csv_sample(data: bytes) -> fs.Sample:
    return fs.Sample("found.csv", data, "csv", fs.Table((), ()), "utf-8", ",")


LARGE = fs.Flags(large=True)  # the body read by DuckDB, as for a CSV over 16 MB


def test_a_lone_carriage_return_in_a_large_csv_is_refused(sample_db, tmp_path):
    data = b"company,wave,club_nps\nA\rB,2031,9\n"
    assert check_sample(_csv_sample(data), LARGE, sample_db, tmp_path / "found.csv") == "refused"


def test_a_short_row_of_question_texts(sample_db, tmp_path):
    data = (b"respondent_id,wave,company,club_nps\n"
            b"Codice del rispondente,Ondata (anno della rilevazione),Azienda (nome o codice)\n"
            b"R1,2031,Alfa,9\n")
    flags = fs.Flags()
    assert check_sample(_csv_sample(data), flags, sample_db, tmp_path / "found.csv") == \
        "committed"


def test_a_row_of_tabs_between_rows_is_blank(sample_db, tmp_path):
    data = b"company,wave,club_nps\nAlfa,2031,9\n\t,\t,\t\nBeta,2031,8\n"
    assert check_sample(_csv_sample(data), fs.Flags(), sample_db, tmp_path / "found.csv") == \
        "committed"

"""Many readers, one writer: readers open a published snapshot read-only, writes go to the
primary file and publish a new snapshot; `python -m cx ingest` runs while the app does."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cx import config
from cx.dataset import open_shared
from cx.store import Store
from cx.store.snapshots import KEEP, Snapshots
from tests.conftest import ROOT, run_app

HOLD = """
import sys
from cx.store import Store
reader = Store.reader(sys.argv[1])
print(reader.table_counts()["responses"], flush=True)
sys.stdin.readline()  # held open until told
print(reader.table_counts()["responses"], Store.reader(sys.argv[1]).table_counts()["responses"])
"""


def _count(store: Store) -> int:
    return store.table_counts()["responses"]


def test_a_reader_writes_through_the_primary_and_the_next_reader_sees_it(sample_db):
    reader = open_shared(sample_db)
    first = reader.snapshot
    assert first is not None
    assert first.version == reader.data_version == int(reader.meta("data_version") or 0)
    n = _count(reader)
    reader.save_mapping("shape", ["a"], {"a": "company"})
    assert reader.superseded and _count(reader) == n, "a reader keeps its snapshot"
    after = Store.reader(sample_db)
    assert after.snapshot is not None and after.snapshot.version == first.version + 1
    assert after.saved_mapping("shape") == {"a": "company"}
    with Store.open(sample_db) as primary:
        assert primary.data_version == after.data_version


def test_snapshots_are_read_only_and_old_ones_go(sample_db):
    reader = open_shared(sample_db)
    for i in range(KEEP + 3):
        reader.save_mapping(f"s{i}", ["a"], {"a": "company"})
    files = sorted(Snapshots(sample_db).dir.glob("v*.duckdb"))
    assert len(files) == KEEP, "only the current snapshot and the one before stay"
    assert Snapshots(sample_db).current().path == files[-1]  # type: ignore[union-attr]
    with reader.cursor() as cur, pytest.raises(Exception, match="read-only"):
        cur.execute("DELETE FROM responses")


def test_ingest_runs_while_another_process_reads(sample_db):
    """As the app does: a process reading a snapshot; `python -m cx ingest` commits beside it,
    and the reader's next open sees the new rows."""
    open_shared(sample_db).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(sample_db)], cwd=ROOT, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        n = int(holder.stdout.readline())  # type: ignore[union-attr]
        done = subprocess.run([sys.executable, "-m", "cx", "ingest",
                               str(config.SAMPLE_NEXT_CSV), "--db", str(sample_db)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        out, _ = holder.communicate("go\n", timeout=60)
        assert [int(x) for x in out.split()] == [n, n + config.SAMPLE_NEXT_RESPONDENTS], \
            "the open reader keeps its snapshot; a new one sees the upload"
    finally:
        holder.kill()


def test_two_writers_take_turns_and_versions_only_grow(sample_db):
    reader = open_shared(sample_db)
    start = reader.data_version
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            open_shared(sample_db).save_mapping(f"t{i}", ["a"], {"a": "company"})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    now = Store.reader(sample_db)
    assert now.data_version == start + 6
    assert Snapshots(sample_db).current().version == start + 6  # type: ignore[union-attr]
    assert all(now.saved_mapping(f"t{i}") for i in range(6))


def test_two_ingest_commands_at_once_both_land(sample_db, tmp_path):
    from tests import survey_exports as se

    open_shared(sample_db).close()
    files = []
    for seed in (1, 2):
        f = tmp_path / f"f{seed}.csv"
        f.write_bytes(se.google_forms_csv(se.answers(5, 2028, seed=seed)))
        files.append(f)
    procs = [subprocess.Popen([sys.executable, "-m", "cx", "ingest", str(f), "--wave", "2028",
                               "--db", str(sample_db)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in files]
    results = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    now = Store.reader(sample_db)
    assert list(now.query("upload_log")["upload_id"].sort_values()) == ["UP-0001", "UP-0002"]


def test_init_force_keeps_the_version_growing(tmp_path):
    db = tmp_path / "cx.duckdb"
    run = [sys.executable, "-m", "cx", "init", "--db", str(db)]
    assert subprocess.run(run, cwd=ROOT, capture_output=True).returncode == 0
    reader = Store.reader(db)
    for i in range(3):
        reader.save_mapping(f"x{i}", ["a"], {"a": "company"})
    before = Snapshots(db).current().version  # type: ignore[union-attr]
    assert subprocess.run([*run, "--force"], cwd=ROOT, capture_output=True).returncode == 0
    after = Snapshots(db).current()
    assert after is not None and after.version > before, "caches never mistake it for old"
    assert Store.reader(db).saved_mapping("x0") is None


def test_the_app_shows_an_upload_made_from_the_command_line(app_env, tmp_path):
    """The app running, `python -m cx ingest` in a terminal: the next rerun shows it."""
    from tests import survey_exports as se

    at = run_app()
    first = at.metric[0].value
    f = tmp_path / "f.csv"
    f.write_bytes(se.google_forms_csv(se.answers(7, 2027, seed=3)))
    done = subprocess.run([sys.executable, "-m", "cx", "ingest", str(f), "--wave", "2027",
                           "--db", str(app_env)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    at.run()
    assert not at.exception
    assert int(at.metric[0].value.replace(".", "")) == int(first.replace(".", "")) + 7


def test_a_damaged_database_is_a_sentence_in_the_app(app_env):
    data = Path(app_env).read_bytes()
    Path(app_env).write_bytes(data[: len(data) // 2])
    at = run_app()
    assert not at.exception
    assert "danneggiato o incompleto" in at.error[0].value


def test_a_damaged_primary_keeps_the_published_pages_and_says_so(app_env):
    """Damaged after it was published: viewers keep the last snapshot, a warning says that no
    upload is possible until a backup is restored, and a write is refused in a sentence."""
    open_shared(app_env).close()
    data = Path(app_env).read_bytes()
    Path(app_env).write_bytes(data[: len(data) // 2])
    at = run_app()
    assert not at.exception and not at.error
    assert "danneggiato o incompleto" in at.warning[0].value
    assert "ultima versione pubblicata" in at.warning[0].value
    assert at.metric[0].value == "264", "the published snapshot is still shown"


def test_a_reader_caps_duckdb_memory_but_not_while_an_upload_is_staged(sample_db, monkeypatch):
    """A reader keeps at most CX_READ_MEMORY in DuckDB (what freed blocks it keeps for later);
    an upload's checks (histograms of every column) run without the cap, which comes back."""
    monkeypatch.setenv("CX_READ_MEMORY", "300MB")
    reader = open_shared(sample_db)

    def limit() -> str:
        with reader.cursor() as cur:
            return str(cur.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])

    capped = limit()
    assert capped.startswith("286"), capped  # 300 MB in MiB
    with reader.staging(), reader.staging():
        assert limit() != capped
    assert limit() == capped
    reader.limit_memory("200MB")  # asked for (cx ingest): kept while staging
    with reader.staging():
        assert limit().startswith("190")

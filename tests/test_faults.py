"""Faults, each as it would happen: `kill -9` of `python -m cx ingest` (append and replace), of
`cx undo`, of a page upload and of a snapshot's publication, at every named point of a write
(`cx/store/faults.py`) and at timed moments; a full disk; a damaged file.

After each: the database opens, every table equals the state before or the committed state
after (never a mix), the published snapshot is whole, the log tells the truth, no stale lock
blocks the next command, and a retry ends in the committed state."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from cx import config
from cx.dataset import build_database
from cx.store import primary
from cx.store.snapshots import Snapshots
from tests.conftest import ROOT

COMMIT_POINTS = ["commit:before", "commit:after"]
PUBLISH_POINTS = ["publish:checkpointed", "publish:copying", "publish:copied",
                  "publish:renamed", "publish:pointed"]
# columns drawn at random or stamped with the time: two runs of one command differ there
UNSTABLE = {"code", "access_code", "uploaded_at", "undone_at", "retired_at", "saved_at",
            "edited_at", "created_at", "replaced_at", "archived_at"}

State = dict[str, tuple[int, int]]


def cx(*args: str, fault: str | None = None, timeout: float = 180,
       **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CX_WRITE_WAIT": "10"}
    env.pop("CX_FAULT", None)
    if fault:
        env["CX_FAULT"] = fault
    return subprocess.run([sys.executable, "-m", "cx", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, **kwargs)  # type: ignore[call-overload]


def state(path: Path) -> State:
    """Every table's rows and the sum of their hashes over the columns two runs agree on."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH $p AS s (READ_ONLY)", {"p": str(path)})
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 's'").fetchall()]
        found: State = {}
        for table in tables:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 's' "
                "AND table_name = $t ORDER BY column_index", {"t": table}).fetchall()
                    if r[0] not in UNSTABLE]
            row = ", ".join(f'"{c}"' for c in cols)
            n, total = con.execute(f'SELECT count(*), coalesce(sum(hash(struct_pack({row}))'
                                   f'::HUGEINT), 0) FROM s."{table}"').fetchall()[0]
            found[table] = (int(n), int(total))
        return found
    finally:
        con.close()


def rows(found: State) -> State:
    """The data, without `meta` (whose data version a restore moves on)."""
    return {k: v for k, v in found.items() if k != "meta"}


def copy_db(source: Path, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    db = target_dir / source.name
    shutil.copy(source, db)
    snaps = Snapshots(source).dir
    if snaps.exists():
        shutil.copytree(snaps, Snapshots(db).dir)
    return db


def published(db: Path) -> State:
    now = Snapshots(db).current()
    assert now is not None and now.path.exists(), "a snapshot is always published"
    return state(now.path)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The sample's first file, served (published once), without the 2027 wave."""
    db = tmp_path_factory.mktemp("base") / "cx.duckdb"
    build_database(db).close()
    primary.publish_now(db)
    return db


def _reference(base: Path, where: Path, *args: str) -> State:
    db = copy_db(base, where)
    done = cx(*args, "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert state(db) == published(db), "a finished write is published"
    return state(db)


@pytest.fixture(scope="module")
def appended(base, tmp_path_factory) -> State:
    return _reference(base, tmp_path_factory.mktemp("appended"), "ingest",
                      str(config.SAMPLE_NEXT_CSV))


@pytest.fixture(scope="module")
def replaced(base, tmp_path_factory) -> State:
    return _reference(base, tmp_path_factory.mktemp("replaced"), "ingest",
                      str(config.SAMPLE_CSV), "--mode", "replace")


@pytest.fixture(scope="module")
def with_upload(base, tmp_path_factory) -> Path:
    """The base with the 2027 file uploaded as UP-0001 (what the undo tests undo)."""
    db = copy_db(base, tmp_path_factory.mktemp("with_upload"))
    assert cx("ingest", str(config.SAMPLE_NEXT_CSV), "--db", str(db)).returncode == 0
    return db


@pytest.fixture(scope="module")
def undone(with_upload, tmp_path_factory) -> State:
    return _reference(with_upload, tmp_path_factory.mktemp("undone"), "undo", "UP-0001")


def check_after_kill(db: Path, before: State, after: State, retry: tuple[str, ...]) -> str:
    """The checks of every fault; returns which state the kill left ("before"/"after")."""
    left = state(db)
    assert left in (before, after), "the primary holds the old or the new state, never a mix"
    assert published(db) in (before, after), "the published snapshot is whole"
    # the next command starts at once (no stale lock), publishes what was committed
    listing = cx("uploads", "--json", "--db", str(db))
    assert listing.returncode == 0, listing.stderr
    assert published(db) == left, "what was committed is published by the next start"
    log = json.loads(listing.stdout)["uploads"]
    assert len(log) == (after if left == after else before)["uploads"][0], \
        "the log lists exactly the uploads the data holds"
    again = cx(*retry, "--db", str(db))
    assert again.returncode in (0, 1), again.stderr  # 1: refused, already done
    assert state(db) == after and published(db) == after, "a retry ends in the committed state"
    assert not [p for p in Snapshots(db).dir.iterdir() if p.name.endswith(".partial")
                or p.name.startswith(".CURRENT")], "no half-published file is left"
    return "after" if left == after else "before"


def _killed(db: Path, fault: str, *args: str) -> None:
    done = cx(*args, "--db", str(db), fault=fault)
    assert done.returncode == -signal.SIGKILL, f"{fault} was not reached: {done.stderr}"


@pytest.mark.parametrize("fault", COMMIT_POINTS + PUBLISH_POINTS)
def test_kill_ingest_append(fault, base, appended, tmp_path):
    db = copy_db(base, tmp_path)
    args = ("ingest", str(config.SAMPLE_NEXT_CSV))
    _killed(db, fault, *args)
    left = check_after_kill(db, state(base), appended, args)
    assert left == ("before" if fault == "commit:before" else "after")


@pytest.mark.parametrize("fault", ["commit:before", "commit:after", "publish:copying",
                                   "publish:renamed"])
def test_kill_ingest_replace(fault, base, replaced, tmp_path):
    db = copy_db(base, tmp_path)
    args = ("ingest", str(config.SAMPLE_CSV), "--mode", "replace")
    _killed(db, fault, *args)
    check_after_kill(db, state(base), replaced, args)


@pytest.mark.parametrize("fault", ["commit:before", "commit:after", "publish:copied",
                                   "publish:pointed"])
def test_kill_undo(fault, with_upload, undone, tmp_path):
    db = copy_db(with_upload, tmp_path)
    _killed(db, fault, "undo", "UP-0001")
    check_after_kill(db, state(with_upload), undone, ("undo", "UP-0001"))


@pytest.mark.parametrize("share", [0.25, 0.5, 0.75, 0.95])
def test_kill_ingest_at_a_moment(share, base, appended, tmp_path):
    """A kill at a moment nobody chose: a share of how long the whole command takes."""
    db = copy_db(base, tmp_path / "timing")
    started = time.monotonic()
    assert cx("ingest", str(config.SAMPLE_NEXT_CSV), "--db", str(db)).returncode == 0
    took = time.monotonic() - started
    db = copy_db(base, tmp_path / "killed")
    env = {**os.environ}
    env.pop("CX_FAULT", None)
    proc = subprocess.Popen([sys.executable, "-m", "cx", "ingest", str(config.SAMPLE_NEXT_CSV),
                             "--db", str(db)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(took * share)
    proc.kill()
    proc.wait()
    check_after_kill(db, state(base), appended, ("ingest", str(config.SAMPLE_NEXT_CSV)))


@pytest.mark.parametrize("fault", ["commit:before", "publish:copying"])
def test_kill_page_upload(fault, base, tmp_path):
    """The Carica dati page in real Streamlit, killed while it commits an upload."""
    from tests import survey_exports as se

    db = copy_db(base, tmp_path / "db")
    data = tmp_path / "risposte.csv"
    data.write_bytes(se.google_forms_csv(se.answers(6, 2027, seed=5)))
    env = {**os.environ, "CX_DB": str(db), "CX_FAULT": fault}
    script = ROOT / "tests" / "apps" / "upload_page.py"
    done = subprocess.run([sys.executable, str(script), str(data)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, f"{fault} was not reached: {done.stderr}"
    before = state(base)
    left = state(db)
    assert published(db) in (before, left)
    if fault == "commit:before":
        assert left == before
    else:
        assert left != before and left["uploads"][0] == 1, "committed before the publication"
    env.pop("CX_FAULT")
    done = subprocess.run([sys.executable, str(script), str(data)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert state(db)["uploads"][0] == 1 and published(db) == state(db)
    if fault == "commit:before":
        assert "UP-0001" in done.stdout, "the retry commits it"
    else:
        assert "già" in done.stdout, "the retry says the file is already loaded"


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_write_that_cannot_grow_the_files_refuses_cleanly(base, appended, tmp_path):
    """A process allowed files of 64 kB at most: the first write past it fails, as on a
    full disk. The command says so in a sentence, nothing changes, a retry succeeds."""
    db = copy_db(base, tmp_path)
    before = state(db)
    done = cx("ingest", str(config.SAMPLE_NEXT_CSV), "--db", str(db),
              preexec_fn=lambda: _limit_file_size(64 << 10))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "spazio" in done.stderr, done.stderr
    assert state(db) == before and published(db) == before
    retry = cx("ingest", str(config.SAMPLE_NEXT_CSV), "--db", str(db))
    assert retry.returncode == 0, retry.stderr
    assert state(db) == appended


def test_a_full_disk_refuses_cleanly(base, appended, tmp_path):
    """A real full disk: a small tmpfs holding the database, its snapshot and a filler that
    leaves too little room for the upload and its publication."""
    mount = tmp_path / "disk"
    mount.mkdir()
    size = 4 * base.stat().st_size + (16 << 20)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("this machine does not allow mounting a small tmpfs (the size limit "
                    "test above covers the same refusal)")
    try:
        db = copy_db(base, mount)
        before = state(db)
        free = shutil.disk_usage(mount).free
        (mount / "filler").write_bytes(b"\0" * (free - (1 << 20)))
        done = cx("ingest", str(config.SAMPLE_NEXT_CSV), "--db", str(db))
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and "spazio" in done.stderr, done.stderr
        assert state(db) == before and published(db) == before
        (mount / "filler").unlink()
        retry = cx("ingest", str(config.SAMPLE_NEXT_CSV), "--db", str(db))
        assert retry.returncode == 0, retry.stderr
        assert state(db) == appended
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_file_is_named_at_start(damage, base, tmp_path):
    db = copy_db(base, tmp_path)
    data = db.read_bytes()
    db.write_bytes({"truncated": data[: len(data) * 2 // 3], "garbage": b"ciao" * 1000,
                    "empty": b""}[damage])
    done = cx("uploads", "--db", str(db))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "danneggiato o incompleto" in done.stderr and "cx restore" in done.stderr


def test_backup_and_restore_while_damaged(base, tmp_path):
    db = copy_db(base, tmp_path / "live")
    out = tmp_path / "copie" / "cx-backup.duckdb"
    out.parent.mkdir()
    done = cx("backup", "--out", str(out), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert state(out) == state(base)
    assert cx("ingest", str(config.SAMPLE_NEXT_CSV), "--db", str(db)).returncode == 0
    version = Snapshots(db).current().version  # type: ignore[union-attr]
    db.write_bytes(db.read_bytes()[:50_000])  # damaged after the backup
    done = cx("restore", str(out), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert rows(state(db)) == rows(state(base)) and rows(published(db)) == rows(state(base))
    assert Snapshots(db).current().version > version, "readers see a newer version"  # type: ignore[union-attr]
    assert (tmp_path / "live" / "cx.duckdb.before-restore").stat().st_size == 50_000


def test_restore_refuses_what_is_not_a_backup(base, tmp_path):
    db = copy_db(base, tmp_path)
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database")
    done = cx("restore", str(bad), "--db", str(db), "--lang", "en")
    assert done.returncode == 1 and "damaged or incomplete" in done.stderr
    assert state(db) == state(base)


def test_a_killed_backup_leaves_the_old_backup(base, tmp_path):
    db = copy_db(base, tmp_path)
    out = tmp_path / "b.duckdb"
    assert cx("backup", "--out", str(out), "--db", str(db)).returncode == 0
    first = out.read_bytes()
    assert cx("ingest", str(config.SAMPLE_NEXT_CSV), "--db", str(db)).returncode == 0
    _killed(db, "backup:copied", "backup", "--out", str(out))
    assert out.read_bytes() == first, "the old backup is untouched"
    assert cx("backup", "--out", str(out), "--db", str(db)).returncode == 0
    assert state(out) == state(db)

"""The release stored beside its snapshot (`cx.privacy.stored`, `cx/store/release_file.py`): a
large release is made once, on disk, and every process reads it there. What a visitor sees
must not depend on where the release lives: each test compares the two on the sample."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from cx import config
from cx.access import hash_password
from cx.dataset import open_shared
from cx.filters import Filters
from cx.personas.report import PersonaReport
from cx.privacy import DIMENSIONS, admit, attach, stored
from cx.store import Store, release_file
from cx.store.snapshots import KEEP, Snapshots
from tests.conftest import ROOT, run_app

K, COMMENT_K = 5, 8
ON_DISK = {config.RELEASE_STORED_FROM_ENV: "0"}


def _releases(db: Path):
    """The sample's release made in memory, and the same made on disk and read back."""
    in_memory = attach(open_shared(db), K, COMMENT_K).current()
    return in_memory, stored.load(_stored_path(db))


def _stored_path(db: Path) -> Path:
    store = open_shared(db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(config.RELEASE_STORED_FROM_ENV, "0")
        made = attach(store, K, COMMENT_K).current()
    assert isinstance(made.table, Path) and made.table.exists()
    return made.table


def test_a_stored_release_publishes_exactly_what_the_one_in_memory_does(sample_db):
    mem, disk = _releases(sample_db)
    a, b = mem.publication, disk.publication
    assert (a.k, dict(a.groups), a.withheld_respondents, dict(a.blanked)) == \
        (b.k, dict(b.groups), b.withheld_respondents, dict(b.blanked))
    for dim in DIMENSIONS:
        assert a.options(dim) == b.options(dim)
    assert a.merged == b.merged
    assert len(b.frame) < len(a.frame) / 10, "the stored one keeps the groups, not the rows"
    assert (mem.persona_labels is None) == (disk.persona_labels is None)
    if mem.persona_labels is not None:
        assert list(mem.persona_labels) == list(disk.persona_labels)  # type: ignore[arg-type]
    assert isinstance(mem.personas, PersonaReport) == isinstance(disk.personas, PersonaReport)


def test_published_reads_are_the_same_from_memory_and_from_disk(sample_db, monkeypatch):
    chosen = Filters(published=True)
    in_memory = attach(open_shared(sample_db), K, COMMENT_K)
    from_memory = in_memory._store.responses(filters=chosen)
    monkeypatch.setenv(config.RELEASE_STORED_FROM_ENV, "0")
    on_disk = open_shared(sample_db)
    attach(on_disk, K, COMMENT_K).current()
    from_disk = on_disk.responses(filters=chosen)
    pd.testing.assert_frame_equal(from_memory, from_disk)
    assert len(from_disk) > 200
    group = in_memory.current().publication.options("sector")[0]
    narrowed = admit(Filters(published=True, sectors=(group,)),
                     in_memory.current().publication).filters
    pd.testing.assert_frame_equal(in_memory._store.tally(["wave"], narrowed),
                                  on_disk.tally(["wave"], narrowed))
    with on_disk.cursor() as cur, pytest.raises(Exception, match="read-only"):
        cur.execute("DELETE FROM cx_release_0.responses")


def test_the_analysts_reads_never_see_the_release(sample_db, monkeypatch):
    monkeypatch.setenv(config.RELEASE_STORED_FROM_ENV, "0")
    store = open_shared(sample_db)
    total = store.response_count()
    made = attach(store, 40, COMMENT_K).current()  # a threshold that blanks answers
    column, blanked = max(made.publication.blanked.items(), key=lambda kv: kv[1])
    assert isinstance(made.table, Path) and blanked > 0
    answered = {published: int(store.responses([column], Filters(published=published))[column]
                               .notna().sum()) for published in (False, True)}
    assert answered[False] - answered[True] == blanked
    assert store.response_count() == len(store.responses(filters=Filters())) == total


def test_release_command_makes_it_once_for_every_process(sample_db, monkeypatch):
    monkeypatch.setenv(config.RELEASE_STORED_FROM_ENV, "0")
    open_shared(sample_db).close()  # published: the three race for the release alone
    command = [sys.executable, "-m", "cx", "release", "--db", str(sample_db), "--k", str(K),
               "--comment-k", str(COMMENT_K)]
    runs = [subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    outs = [p.communicate(timeout=120)[1] for p in runs]
    assert all(p.returncode == 0 for p in runs), outs
    snapshot = Snapshots(sample_db).current()
    assert snapshot is not None
    files = [f for f in release_file.of_snapshot(snapshot.path) if f.suffix != ".lock"]
    assert files == [stored.path_of(snapshot, K, COMMENT_K)], "one whole file, no leftover"
    assert "414" in outs[0] or "rispondenti" in outs[0]


def test_a_maker_killed_halfway_leaves_nothing_a_reader_takes(sample_db, monkeypatch):
    monkeypatch.setenv(config.RELEASE_STORED_FROM_ENV, "0")
    store = open_shared(sample_db)
    assert store.snapshot is not None
    path = stored.path_of(store.snapshot, K, COMMENT_K)
    half = path.with_name(path.name + ".writing")
    half.write_bytes(b"DUCK" * 100)  # what a killed maker leaves: never under the final name
    made = attach(store, K, COMMENT_K).current()
    assert made.table == path and not half.exists()
    assert len(store.responses(filters=Filters(published=True))) > 200


def test_the_app_makes_it_apart_and_pages_read_it(app_env, monkeypatch):
    """The app process asks `python -m cx release` for it: the peak stays in that process."""
    monkeypatch.setenv(config.RELEASE_STORED_FROM_ENV, "0")
    monkeypatch.setenv("CX_ANALYST_PASSWORD_HASH", hash_password("not-an-analyst-here"))
    at = run_app("pages/risultati.py")
    snapshot = Snapshots(app_env).current()
    assert snapshot is not None and stored.path_of(snapshot, K, COMMENT_K).exists()
    assert at.metric or at.markdown  # the page was drawn from the stored release


def test_release_files_go_with_their_snapshots(sample_db, monkeypatch):
    monkeypatch.setenv(config.RELEASE_STORED_FROM_ENV, "0")
    reader = open_shared(sample_db)
    first = reader.snapshot
    assert first is not None
    attach(reader, K, COMMENT_K).current()
    assert release_file.of_snapshot(first.path)
    for i in range(KEEP + 1):
        reader.save_mapping(f"s{i}", ["a"], {"a": "company"})
    assert not first.path.exists() and release_file.of_snapshot(first.path) == []


def test_concurrent_sessions_of_one_process_make_it_once(sample_db, monkeypatch):
    monkeypatch.setenv(config.RELEASE_STORED_FROM_ENV, "0")
    store = open_shared(sample_db)
    publisher = attach(store, K, COMMENT_K)
    found: list[object] = []
    threads = [threading.Thread(target=lambda: found.append(publisher.current()))
               for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len({id(r) for r in found}) == 1


def test_a_small_database_keeps_its_release_in_memory(sample_db):
    store = open_shared(sample_db)
    made = attach(store, K, COMMENT_K).current()
    assert not isinstance(made.table, Path)
    assert store.snapshot is not None and release_file.of_snapshot(store.snapshot.path) == []


def test_ingest_makes_the_release_ahead(sample_db, monkeypatch, tmp_path):
    """A writer's last step: no visitor waits for it."""
    monkeypatch.setenv(config.RELEASE_STORED_FROM_ENV, "0")
    with Store.open(sample_db) as primary:
        csv = tmp_path / "wave.csv"
        frame = primary.responses()
        frame = frame[frame["wave"] == frame["wave"].max()].head(40).copy()
    frame["wave"] = 2031
    frame["respondent_id"] = [f"n{i}" for i in range(len(frame))]
    frame.drop(columns=[c for c in frame.columns if c not in _questions()]).to_csv(csv,
                                                                              index=False)
    done = subprocess.run([sys.executable, "-m", "cx", "ingest", str(csv), "--db",
                           str(sample_db), "--accept-partial"], cwd=ROOT, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    snapshot = Snapshots(sample_db).current()
    assert snapshot is not None
    assert stored.path_of(snapshot, 5, 8).exists()


def _questions() -> set[str]:
    from cx.questionnaire import questionnaire

    return {q.id for q in questionnaire().questions}


def test_a_release_made_late_for_a_snapshot_already_gone_is_removed(sample_db):
    """A reader pinned to an old snapshot may make its release after it was pruned: the next
    publication removes it, so none is left behind for ever."""
    reader = open_shared(sample_db)
    folder = Snapshots(sample_db).dir
    late = folder / f"v00000000-deadbeef.duckdb{release_file.SUFFIX}k5-c8-f1-sk0"
    late.write_bytes(b"x")
    late.with_name(late.name + ".lock").write_bytes(b"")
    reader.save_mapping("shape", ["a"], {"a": "company"})  # publishes, prunes
    assert not late.exists() and not late.with_name(late.name + ".lock").exists()
    assert (folder / "CURRENT").exists()

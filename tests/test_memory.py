"""`cx.memory`: what a page's thread freed goes back to the system (glibc keeps it otherwise)."""

from __future__ import annotations

import threading
import time

import pytest

from cx import memory
from cx.store import engine


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _churn() -> None:
    """What a page's run does: many small objects made and freed on a thread of its own (a
    thread gets an arena of its own), some kept, so the freed ones are in the middle."""
    made = [bytearray(900) for _ in range(250_000)]
    kept = made[::50]
    del made
    _churn.kept = kept  # type: ignore[attr-defined]


@pytest.mark.skipif(memory._libc() is None, reason="not glibc")
def test_trim_returns_what_a_thread_freed():
    worker = threading.Thread(target=_churn)
    worker.start()
    worker.join()
    before = _rss_mb()
    assert memory.trim()
    after = _rss_mb()
    assert before - after > 100, (before, after)  # ~220 MB were freed, ~5 MB kept


def test_only_a_run_that_computed_is_followed_by_a_trim(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(memory, "trim", lambda: calls.append(1) or True)
    memory.after_run(0.01)
    assert calls == []
    memory.after_run(memory.HEAVY + 0.1)
    assert calls == [1]


def _freed_within(seconds: float, before: float) -> float:
    """How far RSS fell below `before` within `seconds` (the allocator frees in the
    background, a little later)."""
    deadline = time.monotonic() + seconds
    while True:
        fell = before - _rss_mb()
        if fell > 100 or time.monotonic() > deadline:
            return fell
        time.sleep(0.2)


GROUP_BY = ("SELECT s, count(*) FROM (SELECT (i % 3000000)::VARCHAR AS s FROM range(6000000) "
            "t(i)) GROUP BY s")


def test_a_query_s_memory_goes_back_after_another_database_was_closed():
    """DuckDB 2.0 stops the allocator's background threads of the whole process when any
    database closes (a release's description read, a commit's primary closed): without
    `engine.close` starting them again, the app kept its largest query's peak."""
    reader = engine.connect()
    with engine.opened() as other:
        other.execute("SELECT 1").fetchall()
    result = reader.execute(GROUP_BY).fetchnumpy()
    del result
    peak = _rss_mb()
    try:
        assert _freed_within(10, peak) > 100
    finally:
        engine.close(reader)


def test_the_app_s_arrow_buffers_come_from_the_system_allocator():
    """pyarrow's default pool (mimalloc) kept what the text columns of a page's frames freed;
    the app process switches to the system's allocator, which `trim` empties."""
    import pyarrow as pa

    import cx.ui.frame  # noqa: F401  (importing the app's frame is what switches it)

    assert pa.default_memory_pool().backend_name == "system"
    column = pa.array([f"Azienda {i}" for i in range(200_000)])
    assert pa.default_memory_pool().bytes_allocated() >= column.nbytes

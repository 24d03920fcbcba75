"""`cx.memory`: what a page's thread freed goes back to the system (glibc keeps it otherwise)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cx import memory

ROOT = Path(__file__).resolve().parent.parent


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


GROUP_BY = ("SELECT s, count(*) FROM (SELECT (i % 3000000)::VARCHAR AS s FROM range(6000000) "
            "t(i)) GROUP BY s")

# a fresh process of the app's package: DuckDB's allocator is set up when DuckDB loads
FRESH = """
import time
from cx.store import engine
def rss():
    with open("/proc/self/status") as status:
        return int(next(x for x in status if x.startswith("VmRSS:")).split()[1]) // 1024
con = engine.connect()
{before}
before = rss()
result = con.execute({query!r}).fetchnumpy()
del result
deadline = time.monotonic() + {seconds}
while rss() - before > 60 and time.monotonic() < deadline:
    time.sleep(0.1)
print(rss() - before)
"""


def _kept_mb(seconds: float, before: str = "", conf: str | None = None) -> int:
    """RSS a GROUP BY of 200 MB left in a fresh process after `seconds` (`before`: code run
    first; `conf`: DuckDB's jemalloc settings, None for the package's own)."""
    env = {k: v for k, v in os.environ.items() if k != "DUCKDB_JE_MALLOC_CONF"}
    if conf is not None:
        env["DUCKDB_JE_MALLOC_CONF"] = conf
    script = FRESH.format(before=before, query=GROUP_BY, seconds=seconds)
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=120)
    return int(done.stdout.strip().splitlines()[-1])


def test_a_query_s_memory_goes_back_after_another_database_was_closed():
    """DuckDB 2.0 stops the allocator's background threads of the whole process when any
    database closes (a release's description read, a commit's primary closed): without
    `engine.close` starting them again, the app kept its largest query's peak. jemalloc's
    default decay here, so that only the background threads can return the memory."""
    closed = "with engine.opened() as other:\n    other.execute('SELECT 1').fetchall()"
    assert _kept_mb(10, closed, conf="") < 60


def test_duckdb_hands_a_query_s_memory_back_at_once_in_a_process_of_the_app():
    """`cx` sets jemalloc's decay to 0 before DuckDB loads: without it a GROUP BY's 200 MB
    stayed for seconds, while the next query of the same page added its own."""
    assert _kept_mb(0.2) < 60

"""`cx.memory`: what a page's thread freed goes back to the system (glibc keeps it otherwise)."""

from __future__ import annotations

import threading

import pytest

from cx import memory


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

"""Work on an upload's bytes beside the pipeline (its SHA-256, its compressed copy), on threads of
the lowest priority: they take the CPU that DuckDB leaves idle instead of slowing it down (on a
machine with two cores, a tenth of the ingest's time). Lowering one thread's priority works on
Linux; elsewhere the threads keep the normal one."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import suppress
from typing import TypeVar

T = TypeVar("T")
LOWEST = 19  # nice


def run(work: Callable[..., T], *args: object, **kwargs: object) -> Future[T]:
    """Start `work(*args, **kwargs)` on a low-priority daemon thread; its result (or exception)
    later."""
    future: Future[T] = Future()

    def target() -> None:
        _lower_priority()
        try:
            future.set_result(work(*args, **kwargs))
        except BaseException as exc:  # handed to the caller by result()
            future.set_exception(exc)

    threading.Thread(target=target, daemon=True, name=f"cx-{work.__name__}").start()
    return future


def _lower_priority() -> None:
    with suppress(AttributeError, OSError):  # not Linux, or not allowed: normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST)

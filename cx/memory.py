"""Giving freed memory back to the system. Streamlit runs each session's script on a thread of
its own, and glibc gives threads arenas of their own: what a page freed (a million-row frame
read and summed once, then cached as a few rows) stays in the process's RSS until a
`malloc_trim`. Measured at a million respondents: 100–300 MB back after a page's first run,
in a few milliseconds. Elsewhere than glibc, nothing to do.

The text columns pandas reads are Arrow arrays, allocated from pyarrow's default pool
(mimalloc), which keeps what it freed for itself: the system's allocator instead lets the
trim give it back (1M respondents: 200 MB fewer kept after Piramide CX's first run)."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

import pyarrow as pa

HEAVY = 0.3  # seconds: a run that computed something (a cached one takes milliseconds)


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def use_system_allocator() -> None:
    """Arrow's buffers from the system's allocator (see above); a process's first step."""
    pa.set_memory_pool(pa.system_memory_pool())


def trim() -> bool:
    """Return the free memory of every arena to the system; False where there is no glibc."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def after_run(seconds: float) -> None:
    """After a page's run: trim when it computed something (its frames are gone by now)."""
    if seconds >= HEAVY:
        trim()

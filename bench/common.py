"""Shared helpers: scale databases built once per size, timing of Streamlit reruns."""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def scale_db(label: str) -> tuple[Path, float | None]:
    """A private copy of the benchmark database for a size label, and its build time (None if
    it was already built). The copy lets benchmarks run beside each other: DuckDB allows one
    writer process per file."""
    from cx.dataset import load_frame
    from cx.store import Store
    from cx.synth import synthesize

    OUT.mkdir(parents=True, exist_ok=True)
    template = OUT / f"cx_{label}.duckdb"
    built = None
    with open(OUT / f"cx_{label}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time
        if not template.exists():
            frame = synthesize(SIZES[label], (2025, 2026), seed=1)
            start = time.perf_counter()
            with Store.open(template) as store:
                load_frame(store, frame, upload_id="bench")
            built = time.perf_counter() - start
    copy = Path(tempfile.mkdtemp(prefix="cx-bench-")) / template.name
    shutil.copy(template, copy)
    atexit.register(shutil.rmtree, copy.parent, True)
    return copy, built


def median_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


SCRIPT_TIMES: list[float] = []


def _time_script_runs() -> None:
    """Record the wall time of each script run (AppTest's own polling adds noise on top)."""
    import cx.ui.frame as frame

    if getattr(frame.run, "_timed", False):
        return
    original = frame.run

    def timed() -> None:
        start = time.perf_counter()
        try:
            original()
        finally:
            SCRIPT_TIMES.append((time.perf_counter() - start) * 1000)

    timed._timed = True  # type: ignore[attr-defined]
    frame.run = timed


def script_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    """Median script time (ms) of the reruns that `fn` triggers."""
    runs = []
    for _ in range(repeat):
        SCRIPT_TIMES.clear()
        fn()
        runs.append(sum(SCRIPT_TIMES))
    return statistics.median(runs)


def app_test(db: Path, page: str | None = None):
    """An AppTest of the app on `db`, already run once (and switched to `page`)."""
    from streamlit.testing.v1 import AppTest

    _time_script_runs()
    os.environ["CX_DB"] = str(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def filter_cycle(at, key: str, values: list) -> Callable[[], object]:
    """A rerun that changes a filter each time (cycling through `values`)."""
    state = {"i": 0}

    def step():
        state["i"] += 1
        widget = at.selectbox(key=key) if key == "ondata" else at.multiselect(key=key)
        widget.set_value(values[state["i"] % len(values)]).run()

    return step


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths))
    print(f"\n## {title}\n")
    print(f"| {line} |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(x).ljust(w) for x, w in zip(row, widths)) + " |")

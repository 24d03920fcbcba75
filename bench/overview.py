"""Issue 2: build time of the database and Panoramica script time per rerun."""

from __future__ import annotations

from bench.common import app_test, filter_cycle, print_table, scale_db, script_ms
from cx.questionnaire import questionnaire

SECTORS = questionnaire()["sector"].codes
TARGET = "Panoramica rerun after a filter change ≤ 150 ms median at 100k"


def run(labels: list[str]) -> None:
    rows = []
    for label in labels:
        db, build = scale_db(label)
        at = app_test(db)
        warm = script_ms(at.run)
        # seven distinct sectors: every rerun is a cache miss
        change = script_ms(filter_cycle(at, "settore", [[c] for c in SECTORS]))
        rows.append([label, f"{build:.1f} s" if build is not None else "(cached)",
                     f"{warm:.0f} ms", f"{change:.0f} ms"])
    print_table(f"Panoramica — {TARGET}",
                ["respondents", "build DB", "script rerun (warm)",
                 "script rerun after filter change"], rows)

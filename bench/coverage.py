"""Issue 21: coverage and weighting — the member list's rates and the weighted headline
figures, first computation and cached (Panoramica rerun with «Pesi: mix dei soci» on)."""

from __future__ import annotations

import time
from pathlib import Path

from bench.common import app_test, filter_cycle, print_table, scale_db, script_ms
from cx.questionnaire import questionnaire

SECTORS = questionnaire()["sector"].codes
TARGET = "weighted Panoramica ≤ 1 s at 100k after its first computation (cached)"


def _with_members(db: Path) -> int:
    """The synthetic member list of the database's companies, stored; its length."""
    from cx.coverage.mix import key_of
    from cx.store import Store
    from cx.store import members as stored
    from cx.synth.members import synth_members

    with Store.open(db) as store:
        frame = synth_members(store.responses(("company", "sector", "size_band", "region")))
        frame.insert(1, "company_key", [key_of(c) for c in frame["company"]])
        stored.replace_members(store, frame)
    return len(frame)


def _first_ms(db: Path) -> tuple[float, float, str]:
    """Rates and weighted figures computed once, straight from the store (ms), and the
    weights' summary."""
    from cx.coverage.report import load_coverage, load_weighted
    from cx.coverage.weighted import WeightedOverview
    from cx.filters import ALL
    from cx.store import Store

    with Store.open(db) as store:
        start = time.perf_counter()
        load_coverage(store, ALL, 5)
        rates = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        found = load_weighted(store, ALL, 5)
        weighted = (time.perf_counter() - start) * 1000
    summary = "–"
    if isinstance(found, WeightedOverview):
        w = found.weighting
        summary = f"{w.method}, {w.groups} cells, deff {w.deff:.2f}, n_eff {w.n_effective:.0f}"
    return rates, weighted, summary


def run(labels: list[str]) -> None:
    rows = []
    for label in labels:
        db, _ = scale_db(label)
        members = _with_members(db)
        rates, weighted, summary = _first_ms(db)
        at = app_test(db)
        at.toggle(key="weighted_mix").set_value(True).run()
        warm = script_ms(at.run)
        change = script_ms(filter_cycle(at, "settore", [[c] for c in SECTORS]))
        rows.append([label, f"{members:,}", f"{rates:.0f} ms", f"{weighted:.0f} ms",
                     f"{warm:.0f} ms", f"{change:.0f} ms", summary])
    print_table(f"Coverage and weighting — {TARGET}",
                ["respondents", "members", "rates (first)", "weighted figures (first)",
                 "Panoramica weighted rerun (cached)", "rerun after filter change (first)",
                 "weights"], rows)

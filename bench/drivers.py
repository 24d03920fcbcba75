"""Issue 21: Cosa spinge i risultati — the key-driver analysis computed the first time (load,
practice scores, 200 company-bootstrap replicates) and the page's rerun once it is cached."""

from __future__ import annotations

import time

from bench.common import app_test, print_table, scale_db, script_ms
from cx.drivers import data
from cx.drivers.model import analyse
from cx.filters import ALL
from cx.questionnaire import questionnaire

TARGET = "each analysis ≤ 1 s at 100k after its first computation (cached)"
CASES = (("club_nps", "pillars"), ("club_nps", "pyramid"), ("club_nps", "practices"),
         ("kpi_nps", "pillars"))


def _first_ms(db, outcome: str, driver_set: str) -> tuple[float, float, int]:
    """(load ms, analysis ms, respondents in the model), straight from the store."""
    from cx.store import Store

    qn = questionnaire()
    with Store.open(db) as store:
        start = time.perf_counter()
        frame = data.load(store, outcome, driver_set, ALL, qn)
        loaded = time.perf_counter()
        result = analyse(frame, outcome, data.driver_names(driver_set, qn), 5)
        done = time.perf_counter()
    return (loaded - start) * 1000, (done - loaded) * 1000, result.n


def _page_rows(label: str, db) -> list[list[str]]:
    rows = []
    start = time.perf_counter()
    at = app_test(db, "pages/fattori.py")  # the frame, then the page's first analysis
    first = (time.perf_counter() - start) * 1000
    warm = script_ms(at.run, repeat=5)
    rows.append([label, "page · club_nps × pillars", f"{first:.0f} ms (incl. app start)",
                 f"{warm:.0f} ms"])
    for outcome, driver_set in CASES[1:]:
        at.selectbox(key="esito").set_value(outcome)
        start = time.perf_counter()
        at.selectbox(key="fattori").set_value(driver_set).run()
        change = (time.perf_counter() - start) * 1000
        warm = script_ms(at.run, repeat=5)
        rows.append([label, f"page · {outcome} × {driver_set}", f"{change:.0f} ms",
                     f"{warm:.0f} ms"])
    return rows


def run(labels: list[str]) -> None:
    rows = []
    for label in labels:
        db, _ = scale_db(label)
        for outcome, driver_set in CASES:
            load, model, n = _first_ms(db, outcome, driver_set)
            rows.append([label, f"{outcome} × {driver_set} (n = {n:,})",
                         f"load {load:.0f} ms + model {model:.0f} ms", ""])
        rows += _page_rows(label, db)
    print_table(f"Cosa spinge i risultati — {TARGET}",
                ["respondents", "analysis", "first computation", "script rerun (cached)"],
                rows)

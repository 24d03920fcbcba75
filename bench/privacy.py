"""Issue 16: what the privacy layer costs. The release is made once per data version (shared
by every session); each rerun pays only for admitting the filters and reading the published
table instead of the responses. Baseline in the same run: the same page for an analyst, who
reads the responses (the app as it was before the layer), and DuckDB's own tally."""

from __future__ import annotations

import time

from bench.common import app_test, filter_cycle, median_ms, print_table, scale_db, script_ms
from cx.filters import Filters
from cx.privacy import admit, attach
from cx.questionnaire import questionnaire
from cx.store import Store

TARGET = "privacy layer ≤ 20 ms per page rerun at 100k"
SECTORS = questionnaire()["sector"].codes


def _visitor(on: bool) -> None:
    from streamlit import config as st_config

    st_config.set_option("server.address", "0.0.0.0" if on else "localhost")


def _rerun_ms(db, page: str | None, visitor: bool) -> float:
    _visitor(visitor)
    at = app_test(db, page)
    at.run()  # the release is made by the first run: it is not a rerun's cost
    return script_ms(filter_cycle(at, "settore", [[c] for c in SECTORS]))


def _store_rows(db) -> list[str]:
    with Store.open(db) as store:
        start = time.perf_counter()
        publisher = attach(store, 5, 8)
        release = publisher.current()
        made = time.perf_counter() - start
        raw = median_ms(lambda: store.tally(("club_nps", "wave"), Filters(sectors=("retail",))))
        pub = median_ms(lambda: store.tally(("club_nps", "wave"),
                                            Filters(sectors=("retail",), published=True)))
        crossed = Filters(sectors=("retail",), regions=("centro",))
        admitting = median_ms(lambda: admit(crossed, publisher.current().publication), 51)
    withheld = release.publication.withheld_respondents
    return [f"{made:.1f} s", f"{withheld}", f"{admitting:.2f} ms", f"{raw:.1f} ms",
            f"{pub:.1f} ms"]


def run(labels: list[str]) -> None:
    rows = []
    for label in labels:
        if label == "1M":
            continue  # a million respondents: the release alone is minutes of personas
        db, _ = scale_db(label)
        store_row = _store_rows(db)
        times = {}
        for page in (None, "pages/risultati.py"):
            analyst = _rerun_ms(db, page, visitor=False)
            visitor = _rerun_ms(db, page, visitor=True)
            times[page] = (analyst, visitor)
        _visitor(False)
        (a0, v0), (a1, v1) = times[None], times["pages/risultati.py"]
        rows.append([label, *store_row, f"{a0:.0f} / {v0:.0f} ms ({v0 - a0:+.0f})",
                     f"{a1:.0f} / {v1:.0f} ms ({v1 - a1:+.0f})"])
    print_table(f"Privacy layer — {TARGET}",
                ["respondents", "release (once per data version)", "respondents withheld",
                 "admitting the filters", "DuckDB tally, responses",
                 "same tally, published table",
                 "Panoramica rerun analyst / visitor", "Risultati rerun analyst / visitor"],
                rows)

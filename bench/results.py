"""Issue 4: Risultati and Customer Journey script time per rerun after a filter change."""

from __future__ import annotations

import statistics

from bench.common import app_test, filter_cycle, print_table, scale_db, script_ms
from cx.questionnaire import questionnaire

SECTORS = questionnaire()["sector"].codes
TARGET = "Risultati and Customer Journey rerun after a filter change ≤ 200 ms median at 100k"
# one view per question type, each with a different comparison
VIEWS = (("cj_ideal_map", "sector"), ("touchpoints", "size_band"), ("pil_empathy_1", "none"),
         ("club_nps", "role"), ("club_ces", "market"), ("kpi_nps", "wave"),
         ("pain_point", "region"))


def _show(at, qid: str, by: str) -> None:
    at.selectbox(key="domanda").set_value(qid)
    at.segmented_control(key="confronto").set_value(by)
    at.run()


def _results_rows(label: str, db) -> list[list[str]]:
    at = app_test(db, "pages/risultati.py")
    rows, changes = [], []
    for qid, by in VIEWS:
        _show(at, qid, by)
        warm = script_ms(at.run, repeat=3)
        # seven distinct sectors: every rerun is a cache miss
        change = script_ms(filter_cycle(at, "settore", [[c] for c in SECTORS]))
        changes.append(change)
        rows.append([label, f"Risultati · {qid} by {by}", f"{warm:.0f} ms", f"{change:.0f} ms"])
    rows.append([label, "Risultati · median of the views", "",
                 f"{statistics.median(changes):.0f} ms"])
    return rows


def _journey_row(label: str, db) -> list[str]:
    at = app_test(db, "pages/journey.py")
    warm = script_ms(at.run, repeat=3)
    change = script_ms(filter_cycle(at, "settore", [[c] for c in SECTORS]))
    return [label, "Customer Journey", f"{warm:.0f} ms", f"{change:.0f} ms"]


def run(labels: list[str]) -> None:
    rows = []
    for label in labels:
        db, _ = scale_db(label)
        rows += _results_rows(label, db)
        rows.append(_journey_row(label, db))
    print_table(f"Risultati and Customer Journey — {TARGET}",
                ["respondents", "view", "script rerun (warm)", "script rerun after filter change"],
                rows)

"""Issue 21 (item 2): themes of a free-text question — first computation and cached rerun.

Rows per size: reading the tally, the first computation of the themes (the lemmatiser's
dictionaries loaded on the first size), a recomputation, the same with every answer made
distinct (real exports rarely repeat an answer word for word: the synthetic sample draws from
40 texts), and Risultati's script rerun on pain_point (cached) and after a filter change."""

from __future__ import annotations

import time

from bench.common import app_test, filter_cycle, print_table, scale_db, script_ms
from cx import config
from cx.filters import ALL
from cx.questionnaire import questionnaire
from cx.store import Store
from cx.themes import analyse
from cx.view import View

TARGET = "Risultati rerun with themes ≤ 1 s at 100k after the first computation"
QID = "pain_point"
SECTORS = questionnaire()["sector"].codes


def _seconds(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def compute_rows(label: str, db) -> list[str]:
    rules = View(k=config.privacy_k(), comment_k=config.comment_k()).rules
    with Store.open(db) as store:
        read, counts = _seconds(lambda: store.tally((QID, "wave", "company"), ALL))
    first, th = _seconds(lambda: analyse(QID, counts, rules))
    again, _ = _seconds(lambda: analyse(QID, counts, rules))
    unique = counts.assign(**{QID: counts[QID].astype("string")
                              + " (" + counts.index.astype(str) + ")"})
    distinct, _ = _seconds(lambda: analyse(QID, unique, rules))
    return [label, f"{len(counts):,}", f"{read:.2f} s", f"{first:.2f} s", f"{again:.2f} s",
            f"{distinct:.2f} s", f"{len(th.table)}"]  # type: ignore[attr-defined]


def page_row(label: str, db) -> list[str]:
    at = app_test(db, "pages/risultati.py")
    at.selectbox(key="domanda").set_value(QID)
    at.run()
    warm = script_ms(at.run, repeat=3)
    change = script_ms(filter_cycle(at, "settore", [[c] for c in SECTORS]), repeat=3)
    return [label, f"{warm:.0f} ms", f"{change:.0f} ms"]


def run(labels: list[str]) -> None:
    computed, pages = [], []
    for label in labels:
        db, _ = scale_db(label)
        computed.append(compute_rows(label, db))
        pages.append(page_row(label, db))
    print_table(f"Themes of {QID} — computation",
                ["respondents", "tally rows", "read tally", "first", "again",
                 "every answer distinct", "themes"], computed)
    print_table(f"Themes on Risultati — {TARGET}",
                ["respondents", "script rerun (cached)", "script rerun after filter change"],
                pages)

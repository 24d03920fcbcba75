"""Issue 7: Presentazione first load, the rerun that turns to the next slide (first time each
slide is seen, then again), and the time to build the PDF and the PowerPoint."""

from __future__ import annotations

import statistics
import time

from bench.common import SCRIPT_TIMES, app_test, print_table, scale_db
from cx import config
from cx.deck.data import StoreSource, deck_inputs
from cx.deck.pdf import deck_pdf
from cx.deck.pptx import deck_pptx
from cx.deck.storyline import KEYS, build_deck
from cx.filters import ALL
from cx.store import Store
from cx.view import View

TARGET = "next slide ≤ 100 ms median at 100k (slides seen before); PDF and PPTX ≤ 5 s"
PAGE = "pages/presentazione.py"


def _first_load_ms(db) -> float:
    """Opening the presentation with every cache cold (the personas are fitted here)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = app_test(db)
    SCRIPT_TIMES.clear()
    at.switch_page(PAGE).run()
    return sum(SCRIPT_TIMES)


def _lap_ms(at) -> list[float]:
    """Each rerun of one lap through the slides with the Avanti button (the last one jumps
    back to the first slide through the picker)."""
    times = []
    for _ in KEYS[1:]:
        SCRIPT_TIMES.clear()
        next(b for b in at.button if b.key == "deck_next").click().run()
        times.append(sum(SCRIPT_TIMES))
    at.selectbox(key="slide").set_value("1").run()
    return times


def _build_seconds(db) -> tuple[float, float, float]:
    """(reading and computing the deck's inputs, building the PDF, building the PPTX)."""
    with Store.open(db) as store:
        start = time.perf_counter()
        inputs = deck_inputs(StoreSource(store),
                             View(ALL, "it", config.privacy_k(), config.comment_k()))
        read = time.perf_counter() - start
    deck = build_deck(inputs, "it")
    pdf, pptx = [], []
    for _ in range(3):
        start = time.perf_counter()
        deck_pdf(deck)
        pdf.append(time.perf_counter() - start)
        start = time.perf_counter()
        deck_pptx(deck)
        pptx.append(time.perf_counter() - start)
    return read, statistics.median(pdf), statistics.median(pptx)


def run(labels: list[str]) -> None:
    rows = []
    for label in labels:
        db, _ = scale_db(label)
        first = _first_load_ms(db)
        at = app_test(db, PAGE)
        seen_first = _lap_ms(at)
        seen_again = _lap_ms(at) + _lap_ms(at)
        read, pdf, pptx = _build_seconds(db)
        rows.append([label, f"{first:.0f} ms", f"{statistics.median(seen_first):.0f} ms",
                     f"{max(seen_first):.0f} ms", f"{statistics.median(seen_again):.0f} ms",
                     f"{max(seen_again):.0f} ms", f"{read:.2f} s", f"{pdf:.2f} s",
                     f"{pptx:.2f} s"])
    print_table(f"Presentazione — {TARGET}",
                ["respondents", "first load (cold)", "next slide, first time (median)",
                 "(slowest)", "next slide, seen before (median)", "(slowest)",
                 "deck inputs (CLI)", "PDF build", "PPTX build"], rows)

"""The Customer Journey's numbers (cx.journey): each share over its own base, checked by hand,
and «Journey ideale» one number on Panoramica, the Journey page and the slides."""

from __future__ import annotations

import pandas as pd
import pytest

from cx import intervals
from cx.deck.data import StoreSource
from cx.filters import ALL, Filters
from cx.journey import FUNNEL_COLUMNS, funnel, gap
from cx.overview import COLUMNS, compute_overview
from cx.privacy import attach
from cx.store import Store
from cx.view import View

# ten respondents of ten companies: the map (q1), field checks (q2), training (q3), plans (q4)
HAND = pd.DataFrame({
    "cj_ideal_map": ["complete", "partial", "partial", "partial", "partial", "partial",
                     "none", "in_progress", "none", "none"],
    "cj_real_checks": ["quarterly", "half_yearly", "yearly", None, "quarterly", "never",
                       "never", "never", "yearly", "never"],
    "cj_training": ["quarterly", "half_yearly", "never", "never", None, "yearly",
                    "never", "never", "never", "never"],
    "improvement_plans": ["systematic", "occasional", "never", "never", "never", "never",
                          "never", "never", "never", "never"],
    "company": [f"c{i}" for i in range(10)],
})


def test_the_funnel_by_hand():
    steps = funnel(HAND, k=1).set_index("step")
    # the map: 6 of the 10 who answered; with checks too: 3 (rows 0, 1, 4) of the 9 who answered
    # both; with training too: 2 (rows 0, 1) of the 8 who answered the three; plans: 1 of 8
    assert steps["n_alone"].tolist() == [10, 9, 9, 10]
    assert steps["n"].tolist() == [10, 9, 8, 8]
    assert steps["count_alone"].tolist() == [6, 3, 2, 1]
    assert steps["count_together"].tolist() == [6, 3, 2, 1]
    assert steps["alone"].tolist() == pytest.approx([0.6, 3 / 9, 2 / 9, 0.1])
    assert steps["together"].tolist() == pytest.approx([0.6, 3 / 9, 2 / 8, 1 / 8])


def test_the_gap_by_hand():
    g = gap(HAND, k=1)
    assert (g.draws.value, g.draws.n) == (pytest.approx(60), 10)
    assert (g.checks.value, g.checks.n) == (pytest.approx(100 / 3), 9)
    # of the 5 who draw the map and answered on checks, 2 (rows 2 and 5) do not check it
    assert (g.unchecked.value, g.unchecked.n) == (pytest.approx(40), 5)
    # one respondent per company: the clustered interval is Wilson's
    assert (g.unchecked.low, g.unchecked.high) == pytest.approx(intervals.wilson(2, 5))


def test_a_base_under_k_withholds_the_funnel_and_each_share():
    assert funnel(HAND, k=9).empty  # 8 answered all four
    assert not gap(HAND, k=6).unchecked.shown and gap(HAND, k=6).draws.shown


def _both(store: Store, filters: Filters):
    source = StoreSource(store)
    rules = View(filters, "it", 5, 8)
    overview = compute_overview(store.responses(COLUMNS, filters), 5)
    return overview.journey_map, source.journey(rules)


@pytest.mark.parametrize("published", [False, True], ids=["analyst", "published"])
def test_journey_ideale_is_one_number_everywhere(sample_db, published):
    """Panoramica's tile, the funnel's first bar, the Journey page's first tile and the deck's
    sentence: the same share over the same respondents, with the same interval."""
    with Store.open(sample_db) as store:
        attach(store, 5, 8)
        filters = Filters(published=True) if published else ALL
        tile, journey = _both(store, filters)
        answered = store.responses([*FUNNEL_COLUMNS], filters)
    assert journey.gap is not None
    draws = journey.gap.draws
    assert (draws.value, draws.n, draws.low, draws.high, draws.companies) == pytest.approx(
        (tile.value, tile.n, tile.low, tile.high, tile.companies))
    first = journey.funnel.iloc[0]
    assert first["alone"] * 100 == pytest.approx(tile.value)
    assert first["n_alone"] == tile.n == answered["cj_ideal_map"].notna().sum()
    if published:  # partial answers to the four are withheld there: one base for all of them
        assert journey.funnel["n"].eq(tile.n).all() and journey.funnel["n_alone"].eq(tile.n).all()
    else:  # the sample has respondents who skipped one practice: a wider base for the map
        assert journey.funnel["n"].iloc[-1] < tile.n
    assert journey.gap.checks.value == pytest.approx(journey.funnel.iloc[1]["together"] * 100)

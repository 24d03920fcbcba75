"""Rounded parts that add up (cx.rounding): hand tables, then the rules on random values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cx import fmt
from cx.rounding import difference_parts, largest_remainder


@pytest.mark.parametrize(("values", "parts"), [
    ([24.6, 7.6, 67.8], [25, 7, 68]),  # alone: 25 + 8 + 68 = 101
    ([15.9, 21.6, 30.3, 24.6, 7.6], [16, 22, 30, 25, 7]),  # the sample's maturity stages
    ([100 / 3] * 3, [34, 33, 33]),  # a tie goes to the first part
    ([50.0, 50.0], [50, 50]),
    ([0.4, 0.4, 0.2], [1, 0, 0]),  # the total (1) kept though every part is under .5; a tie: first
])
def test_largest_remainder_by_hand(values, parts):
    assert largest_remainder(values) == parts


def test_largest_remainder_with_a_decimal():
    assert largest_remainder([33.33, 33.33, 33.34], digits=1) == [33.3, 33.3, 33.4]


@given(st.lists(st.integers(0, 500), min_size=1, max_size=8).filter(lambda c: sum(c) > 0))
def test_parts_add_up_to_the_rounded_total_and_move_less_than_one(counts):
    shares = [c / sum(counts) * 100 for c in counts]
    parts = largest_remainder(shares)
    assert sum(parts) == 100
    assert all(abs(p - s) < 1 for p, s in zip(parts, shares))
    # any two parts a sentence adds are within one of their true sum
    assert abs(parts[0] + parts[-1] - shares[0] - shares[-1]) < 2


@pytest.mark.parametrize(("promoters", "detractors", "parts"), [
    (26.4, 24.6, (26, 24)),  # NPS +1.8 → +2; 26 − 25 would read +1
    (26.25, 23.94, (26, 24)),  # the sample's Club NPS, +2.3
    (30.5, 10.5, (30, 10)),  # +20 exactly: the nearer pair, the lower on a tie
    (0.0, 0.0, (0, 0)),
])
def test_difference_parts_by_hand(promoters, detractors, parts):
    assert difference_parts(promoters, detractors) == parts


@given(st.integers(1, 300), st.data())
def test_promoters_minus_detractors_is_the_nps_shown(n, data):
    pro = data.draw(st.integers(0, n))
    det = data.draw(st.integers(0, n - pro))
    p, d = pro / n * 100, det / n * 100
    a, b = difference_parts(p, d)
    assert fmt.signed(a - b) == fmt.signed(p - d)
    assert abs(a - p) < 1 and abs(b - d) < 1 and a >= 0 and b >= 0

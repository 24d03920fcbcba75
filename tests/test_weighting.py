"""Weighting maths on tables small enough to solve by hand: raking (its closed form on a 2×2
table), post-stratification, the collapse of thin cells, Kish's design effect, and the
linearised variance of a weighted mean against statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cx.coverage import weighting
from cx.coverage.weighted import linearised_variance, weighted_mean, weighted_nps


def _two_by_two():
    """Five companies: two in (A, small), one in each other cell; members A 60, B 40, small
    50, large 50."""
    sector = np.array([0, 0, 0, 1, 1])
    size = np.array([0, 0, 1, 0, 1])
    return [(sector, np.array([60.0, 40.0])), (size, np.array([50.0, 50.0]))]


def test_raking_a_two_by_two_table_reaches_its_hand_solution():
    # weights a_s·b_z with b_small = 1: 5 b² − b − 10 = 0 gives b_large = (1 + √201) / 10,
    # a_A = 60 / (2 + b), a_B = 40 / (1 + b)
    b = (1 + math.sqrt(201)) / 10
    a_a, a_b = 60 / (2 + b), 40 / (1 + b)
    raked = weighting.rake(_two_by_two())
    expected = [a_a, a_a, a_a * b, a_b, a_b * b]
    assert raked.weights == pytest.approx(expected, rel=1e-9)
    assert raked.trimmed == 0 and raked.iterations > 2
    for codes, target in _two_by_two():  # the margins hold after convergence
        assert np.bincount(codes, weights=raked.weights) == pytest.approx(target, rel=1e-9)


def test_trimmed_raking_caps_weights_and_still_meets_the_margins():
    # capped at 1.25 × the mean weight (20 → 25): (A, large) goes from 25.9 to 25 and the
    # margins are met by 17.5, 17.5, 25, 15, 25 (solved by hand)
    raked = weighting.rake(_two_by_two(), cap=1.25, max_iter=20_000, tol=1e-7)
    assert raked.trimmed >= 1
    assert raked.weights.max() <= 25 * (1 + 1e-6)
    assert raked.weights == pytest.approx([17.5, 17.5, 25, 15, 25], abs=1e-3)


def test_raking_a_category_without_respondents_is_refused():
    codes = np.array([0, 0])
    with pytest.raises(weighting.NotConverged):
        weighting.rake([(codes, np.array([10.0, 5.0]))])


def test_poststratification_weights_are_members_over_respondents():
    weights = weighting.poststratify(np.array([0, 0, 0, 1]), np.array([100.0, 50.0]))
    assert weights == pytest.approx([100 / 3, 100 / 3, 100 / 3, 50])
    assert weights.sum() == pytest.approx(150)


def test_kish_design_effect_and_effective_n_by_hand():
    w = np.array([1.0, 1.0, 2.0, 2.0])
    assert weighting.kish_deff(w) == pytest.approx(4 * 10 / 36)  # n Σw² / (Σw)²
    assert weighting.effective_n(w) == pytest.approx(36 / 10)
    assert weighting.kish_deff(np.ones(7)) == pytest.approx(1.0)


def test_thin_cells_join_a_neighbour_of_the_same_sector_first():
    cells = {(0, 0): 6, (0, 1): 1, (1, 0): 0, (1, 1): 7}
    groups = weighting.collapse(cells, least=5)
    assert groups[(0, 0)] == groups[(0, 1)]
    assert groups[(1, 0)] == groups[(1, 1)]
    assert groups[(0, 0)] != groups[(1, 1)]
    assert weighting.collapse({(0, 0): 6, (1, 1): 7}, least=5) == {(0, 0): 0, (1, 1): 1}


def test_thin_margin_categories_merge_with_their_thinner_neighbour_in_order():
    merged = weighting.collapse_margin(np.array([9, 2, 1, 8]), least=3, ordered=True)
    assert list(merged) == [0, 1, 1, 2]  # 1 joins 2 (thinner than 8), then 3 ≥ 3
    assert list(weighting.collapse_margin(np.array([9, 2, 7]), 3, ordered=False)) == [0, 1, 1]


def test_linearised_variance_is_statsmodels_clustered_wls():
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(3)
    y = rng.normal(50, 10, 40)
    w = rng.uniform(0.5, 3, 40)
    companies = np.repeat(np.arange(16), [3, 2, 1, 4, 2, 2, 3, 1, 3, 2, 4, 2, 3, 3, 2, 3])
    fit = sm.WLS(y, np.ones((40, 1)), weights=w).fit(
        cov_type="cluster", cov_kwds={"groups": companies, "use_correction": True})
    assert fit.params[0] == pytest.approx(np.sum(w * y) / w.sum())
    assert linearised_variance(y, w, companies) == pytest.approx(fit.cov_params()[0, 0],
                                                                 rel=1e-9)


def test_equal_weights_on_single_respondents_give_the_plain_variance():
    y = np.array([1.0, 4.0, 2.0, 7.0, 5.0])
    assert linearised_variance(y, np.ones(5), np.arange(5)) == pytest.approx(
        np.var(y, ddof=1) / 5)


def test_weighted_nps_by_hand():
    # scores 10, 9, 5, 8 weighing 1, 1, 2, 4: promoters 2/8, detractors 2/8 → 0;
    # unweighted it would be +25
    nps = weighted_nps(np.array([10, 9, 5, 8]), np.array([1.0, 1, 2, 4]), np.arange(4), k=1)
    assert nps.value == pytest.approx(0.0)
    assert nps.promoters == pytest.approx(25.0) and nps.detractors == pytest.approx(25.0)
    assert nps.low < 0 < nps.high


def test_weighted_mean_withheld_below_k_and_wider_with_unequal_weights():
    y = np.arange(20, dtype=float)
    companies = np.arange(20)
    assert not weighted_mean(y[:4], np.ones(4), companies[:4], k=5).shown
    even = weighted_mean(y, np.ones(20), companies, k=5)
    assert even.value == pytest.approx(y.mean())
    w = np.tile([1.0, 4.0], 10)  # unrelated to y: only the weights' inequality costs
    uneven = weighted_mean(y, w, companies, k=5)
    assert uneven.value == pytest.approx((90 + 4 * 100) / 50)
    variance = linearised_variance(y, w, companies)
    assert uneven.deff == pytest.approx(variance / (np.var(y, ddof=1) / 20))
    assert uneven.deff > 1.2  # near Kish's 20·170/50² = 1.36
    assert uneven.high - uneven.low > even.high - even.low

"""cx.stats against scipy on hand-made tables, and its formulas against hand computation."""

import math

import numpy as np
import pytest
from scipy import stats as sp

from cx import stats
from cx.stats import ALPHA, UNTESTABLE

BIG = np.array([[30, 20, 25], [20, 35, 30], [25, 30, 45]])


def test_large_tables_use_the_chi_square_test_as_scipy():
    res = stats.contingency_test(BIG)
    ref = sp.chi2_contingency(BIG)
    assert res.test == "chi2"
    assert res.statistic == pytest.approx(ref.statistic)
    assert res.p == pytest.approx(ref.pvalue)
    assert res.df == ref.dof


def test_two_by_two_tables_get_no_yates_correction():
    table = np.array([[40, 25], [22, 38]])
    res = stats.contingency_test(table)
    plain = sp.chi2_contingency(table, correction=False)
    assert res.test == "chi2" and res.statistic == pytest.approx(plain.statistic)
    assert res.p == pytest.approx(plain.pvalue)
    # by hand: N·(ad − bc)² / (row and column totals)
    assert res.statistic == pytest.approx(125 * (40 * 38 - 25 * 22) ** 2 / (65 * 60 * 62 * 63))
    assert res.p < sp.chi2_contingency(table).pvalue, "Yates' p would be larger"


def test_small_two_by_two_tables_use_fishers_exact_test():
    table = [[3, 1], [1, 4]]
    res = stats.contingency_test(table)
    ref = sp.fisher_exact(table)
    assert res.test == "fisher"
    assert res.p == pytest.approx(ref.pvalue)
    assert res.statistic == pytest.approx(ref.statistic)


def test_small_larger_tables_use_a_seeded_monte_carlo_fisher_test():
    table = np.array([[3, 1, 0], [1, 4, 2], [0, 2, 6]])
    res = stats.contingency_test(table)
    method = sp.MonteCarloMethod(n_resamples=stats.MC_RESAMPLES,
                                 rng=np.random.default_rng(stats.SEED))
    assert res.test == "fisher_mc"
    assert res.p == pytest.approx(sp.fisher_exact(table, method=method).pvalue)
    assert stats.contingency_test(table).p == res.p, "the same data, the same answer"


def test_a_tall_sparse_table_gets_a_plain_p_value():
    # scipy returns the Monte-Carlo p of this 7×4 table as a one-element array
    table = [[0, 0, 0, 1], [1, 0, 0, 2], [1, 4, 1, 0], [1, 4, 0, 0], [0, 0, 1, 0], [2, 0, 0, 2],
             [0, 2, 5, 0]]
    res = stats.contingency_test(table)
    assert res.test == "fisher_mc" and isinstance(res.p, float) and 0 < res.p < 0.05


def test_a_sparse_table_over_many_respondents_is_tested():
    # scipy 1.17's own Monte-Carlo Fisher test fails on it (a total above resamples × cells)
    table = np.array([[300_000, 1], [200_000, 2], [100_000, 3], [0, 4]])
    res = stats.contingency_test(table)
    assert res.test == "fisher_mc" and res.p == pytest.approx(1 / (stats.MC_RESAMPLES + 1))
    balanced = np.array([[300_000, 1], [200_000, 1], [100_000, 0], [0, 0]])
    assert stats.contingency_test(balanced).p > 0.05, "one rare answer spread as chance would"


def test_empty_rows_and_columns_are_dropped_before_testing():
    padded = np.zeros((4, 4), dtype=int)
    padded[:3, :3] = BIG
    assert stats.contingency_test(padded).p == pytest.approx(stats.contingency_test(BIG).p)


@pytest.mark.parametrize("table", [[[5, 6, 7]], [[5], [6]], [[0, 0], [0, 0]]])
def test_a_table_with_one_row_or_column_is_untestable(table):
    assert stats.contingency_test(table) == UNTESTABLE


def test_expected_counts_by_hand():
    # rows 30 / 70, columns 40 / 60, n = 100
    expected = stats.expected_counts([[10, 20], [30, 40]])
    assert expected.tolist() == [[12.0, 18.0], [28.0, 42.0]]


@pytest.mark.parametrize(("expected", "small"), [
    ([[6, 6], [6, 6]], False), ([[4.9, 6], [6, 6]], True),  # 25% of the cells below 5
    ([[0.9, 9], [9, 9], [9, 9], [9, 9], [9, 9]], True),  # one below 1
    ([[4, 9, 9], [9, 9, 9], [9, 9, 9], [9, 9, 9], [9, 9, 9], [9, 9, 9]], False),  # 1 of 18
])
def test_cochrans_rule(expected, small):
    assert stats.small_expected(np.array(expected, dtype=float)) is small


def test_adjusted_residuals_by_hand():
    # E11 = 12, variance 12 · (1 − 0.3) · (1 − 0.4) = 5.04
    residuals = stats.adjusted_residuals([[10, 20], [30, 40]])
    assert residuals[0, 0] == pytest.approx((10 - 12) / math.sqrt(5.04))
    assert residuals[1, 1] == pytest.approx(residuals[0, 0])
    assert residuals[0, 1] == pytest.approx(-residuals[0, 0])


def test_adjusted_residual_squared_is_the_uncorrected_chi_square_of_a_two_by_two_table():
    table = [[12, 30], [25, 18]]
    ref = sp.chi2_contingency(table, correction=False).statistic
    assert stats.adjusted_residuals(table)[0, 0] ** 2 == pytest.approx(ref)


def test_holm_by_hand():
    # sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 → monotone 0.06
    adjusted = stats.holm([0.01, 0.04, 0.03, 0.005])
    assert adjusted.tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert stats.holm([0.5, 0.9]).tolist() == [1.0, 1.0]
    assert stats.holm([np.nan, 0.01]).tolist() == pytest.approx([1.0, 0.02])


def test_residual_marks_only_where_the_table_differs():
    skewed = np.array([[80, 20, 50], [20, 80, 50]])
    marks = stats.residual_marks(skewed, stats.contingency_test(skewed))
    assert marks[:, 0].tolist() == [1, -1]
    assert marks[:, 1].tolist() == [-1, 1]
    assert marks[:, 2].tolist() == [0, 0]
    flat = np.array([[50, 51], [50, 49]])
    assert not stats.residual_marks(flat, stats.contingency_test(flat)).any()


def test_two_means_use_welchs_t_test_as_scipy():
    a, b = np.array([1, 2, 3, 4, 5.0]), np.array([2, 4, 6, 8, 10, 12.0])
    res = stats.means_test([a, b])
    ref = sp.ttest_ind(a, b, equal_var=False)
    assert res.test == "welch_t"
    assert (res.statistic, res.p, res.df) == pytest.approx((ref.statistic, ref.pvalue, ref.df))


def test_more_means_use_welchs_anova_as_scipy():
    groups = [np.array([1, 2, 3, 4.0]), np.array([2, 3, 4, 5, 9.0]), np.array([5, 6, 7.0])]
    res = stats.means_test(groups)
    ref = sp.f_oneway(*groups, equal_var=False)
    assert res.test == "welch_anova"
    assert (res.statistic, res.p) == pytest.approx((ref.statistic, ref.pvalue))
    assert res.verdict == ("significant" if ref.pvalue < ALPHA else "not_significant")


def test_a_group_without_variance_falls_back_to_classic_anova():
    groups = [np.array([3, 3, 3.0]), np.array([1, 2, 3.0]), np.array([4, 5, 6.0])]
    res = stats.means_test(groups)
    assert res.test == "anova"
    assert res.p == pytest.approx(sp.f_oneway(*groups).pvalue)


@pytest.mark.parametrize("groups", [
    [np.array([1.0, 2.0])], [np.array([1.0]), np.array([2.0, 3.0])],
    [np.array([2.0, 2.0]), np.array([2.0, 2.0])]])
def test_means_that_cannot_be_tested(groups):
    assert stats.means_test(groups).verdict == "untestable"


def test_welch_t_from_moments_matches_scipy():
    a, b = np.array([1, 5, 2, 8, 3.0]), np.array([9, 7, 8, 12, 10, 11.0])
    t, df, p = stats.welch_t(stats.Sample(len(a), a.mean(), a.var(ddof=1)),
                             stats.Sample(len(b), b.mean(), b.var(ddof=1)))
    ref = sp.ttest_ind(a, b, equal_var=False)
    assert (t, df, p) == pytest.approx((ref.statistic, ref.df, ref.pvalue))


def test_group_marks_compare_each_group_with_the_rest_as_scipy_and_holm():
    rng = np.random.default_rng(1)
    groups = [rng.normal(50, 10, 60), rng.normal(62, 10, 50), rng.normal(49, 10, 70)]
    overall = stats.means_test(groups)
    pvalues = [sp.ttest_ind(g, np.concatenate([h for j, h in enumerate(groups) if j != i]),
                            equal_var=False).pvalue for i, g in enumerate(groups)]
    signs = [np.sign(g.mean() - np.concatenate([h for j, h in enumerate(groups) if j != i])
                     .mean()) for i, g in enumerate(groups)]
    expected = np.where(stats.holm(pvalues) < ALPHA, signs, 0)
    assert stats.group_marks(groups, overall).tolist() == expected.tolist()
    assert stats.group_marks(groups, overall)[1] == 1


def test_group_marks_stay_empty_when_the_overall_test_is_not_significant():
    groups = [np.array([1, 2, 3.0]), np.array([1, 2, 4.0])]
    assert not stats.group_marks(groups, stats.means_test(groups)).any()


def test_multiple_choice_tests_each_option_and_holm_corrects_them():
    chosen = np.array([[40, 10, 25], [20, 21, 19]])  # option 1 differs, option 2 does not
    bases = np.array([50, 50, 50])
    overall, marks = stats.multi_response_test(chosen, bases)
    p_first = stats.contingency_test(np.vstack([chosen[0], bases - chosen[0]])).p
    p_second = stats.contingency_test(np.vstack([chosen[1], bases - chosen[1]])).p
    assert overall.test == "per_option"
    assert overall.p == pytest.approx(stats.holm([p_first, p_second]).min())
    assert marks[0].tolist() == [1, -1, 0]
    assert marks[1].tolist() == [0, 0, 0]


# Derrick, Toher and White's (2017) example: eight values seen in one sample only, in each
# sample, and eight units seen in both
A_ONLY = [20, 21, 16, 18, 14, 12, 14, 17]
B_ONLY = [10, 16, 18, 16, 15, 14, 13, 10]
PAIRS = list(zip([14, 15, 18, 20, 11, 19, 14, 15], [15, 10, 15, 17, 13, 19, 12, 13]))


def test_partially_paired_t_follows_the_published_formula():
    import statistics as st

    a, b = A_ONLY + [x for x, _ in PAIRS], B_ONLY + [y for _, y in PAIRS]
    s1, s2 = st.stdev(a), st.stdev(b)
    r = st.correlation([x for x, _ in PAIRS], [y for _, y in PAIRS])
    # T_new2 = (x̄1 − x̄2) / √(s1²/n1 + s2²/n2 − 2r·s1·s2·n12/(n1·n2)), n1 = n2 = 16, n12 = 8
    t = (st.mean(a) - st.mean(b)) / math.sqrt(s1**2 / 16 + s2**2 / 16 - 2 * r * s1 * s2 * 8 / 256)
    welch = (s1**2 / 16 + s2**2 / 16) ** 2 / ((s1**2 / 16) ** 2 / 15 + (s2**2 / 16) ** 2 / 15)
    # ν2 = (n12 − 1) + (γ − n12 + 1)/(na + nb + 2·n12) · (na + nb)
    df = 7 + (welch - 7) / 32 * 16
    result = stats.partially_paired_t(A_ONLY, B_ONLY, PAIRS)
    assert result.test == "partial_paired_t"
    assert (result.statistic, result.df) == (pytest.approx(t), pytest.approx(df))
    assert result.p == pytest.approx(2 * sp.t.sf(abs(t), df))


def test_partially_paired_t_without_unpaired_units_is_the_paired_t():
    first, second = [x for x, _ in PAIRS], [y for _, y in PAIRS]
    result = stats.partially_paired_t([], [], PAIRS)
    paired = sp.ttest_rel(first, second)
    assert (result.statistic, result.p) == (pytest.approx(paired.statistic),
                                            pytest.approx(paired.pvalue))
    assert result.df == 7


def test_partially_paired_t_needs_two_pairs():
    assert stats.partially_paired_t(A_ONLY, B_ONLY, PAIRS[:1]).verdict == "untestable"

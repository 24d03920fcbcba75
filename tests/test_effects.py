"""cx.effects against scipy and against hand tables (Newcombe 1998, Hedges' J, Cohen 1988)."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sp
from scipy.stats.contingency import association

from cx import effects, standing
from cx.effects import Interval, Sample

A = np.array([4.1, 5.0, 3.2, 6.3, 5.5, 4.8, 2.9, 5.1])
B = np.array([3.0, 2.2, 4.1, 3.8, 2.5, 3.3, 4.0, 2.9, 3.1, 3.6, 2.0])


def test_welch_interval_as_scipy():
    for level in (0.95, 0.99):
        got = effects.welch_interval(effects.sample(A), effects.sample(B), level)
        ref = sp.ttest_ind(A, B, equal_var=False).confidence_interval(level)
        assert (got.low, got.high) == pytest.approx((ref.low, ref.high))
        assert got.estimate == pytest.approx(A.mean() - B.mean()) and got.level == level


def test_hedges_g_by_hand():
    # 1..5 against 3..7: means 3 and 5, both variances 2.5, df 8;
    # J = Γ(4) / (√4 · Γ(3.5)) = 6 / (2 · 3.3233509704) = 0.9027033
    g = effects.hedges_g(Sample(5, 3.0, 2.5), Sample(5, 5.0, 2.5))
    assert effects.small_sample_correction(8) == pytest.approx(0.9027033, abs=1e-7)
    assert g == pytest.approx(-2 / math.sqrt(2.5) * 0.9027033, abs=1e-6)
    # J tends to Hedges' approximation 1 − 3/(4·df − 1) and to 1 in large samples
    assert effects.small_sample_correction(40) == pytest.approx(1 - 3 / 159, abs=1e-4)
    assert effects.small_sample_correction(20_000) == pytest.approx(1, abs=1e-4)


def test_hedges_g_from_data_matches_its_moments():
    pooled = math.sqrt(((len(A) - 1) * A.var(ddof=1) + (len(B) - 1) * B.var(ddof=1))
                       / (len(A) + len(B) - 2))
    d = (A.mean() - B.mean()) / pooled
    got = effects.hedges_g(effects.sample(A), effects.sample(B))
    assert got == pytest.approx(d * effects.small_sample_correction(len(A) + len(B) - 2))


def test_omega_squared_from_scipys_f():
    groups = [A, B, np.array([5.9, 6.1, 7.0, 6.4, 5.2])]
    f = sp.f_oneway(*groups).statistic
    n, k = sum(len(g) for g in groups), len(groups)
    expected = (k - 1) * (f - 1) / ((k - 1) * (f - 1) + n)
    assert effects.omega_squared([effects.sample(g) for g in groups]) == pytest.approx(expected)
    # groups that differ less than chance would make them: 0, never negative
    alike = [np.array([1.0, 2, 3]), np.array([1.0, 2, 3.1])]
    assert effects.omega_squared([effects.sample(g) for g in alike]) == 0


def test_cramers_v_as_scipy_and_bias_corrected_by_hand():
    table = np.array([[30, 20, 25], [20, 35, 30], [25, 30, 45]])
    assert effects.cramers_v(table) == pytest.approx(association(table, method="cramer"))
    two = np.array([[40, 25], [22, 38]])
    assert effects.cramers_v(two) == pytest.approx(association(two, method="cramer"))
    # Bergsma: φ² − (r−1)(c−1)/(n−1), r and c shrunk by (r−1)²/(n−1)
    n, chi2 = 260, sp.chi2_contingency(table, correction=False).statistic
    phi2 = max(chi2 / n - 4 / 259, 0)
    shrunk = 3 - 4 / 259
    assert effects.cramers_v(table, bias_corrected=True) == pytest.approx(
        math.sqrt(phi2 / (shrunk - 1)))
    assert effects.table_df(table) == 2 and effects.table_df(two) == 1


@pytest.mark.parametrize(("counts", "low", "high"), [
    ((56, 70, 48, 80), 0.0524, 0.3339),  # Newcombe (1998), table II, method 10
    ((9, 10, 3, 10), 0.1705, 0.8090),
    ((5, 56, 0, 29), -0.0381, 0.1926),
])
def test_newcombe_interval_reproduces_newcombes_table(counts, low, high):
    got = effects.newcombe_interval(*counts)
    assert (round(got.low, 4), round(got.high, 4)) == (low, high)


def test_wilson_bounds_as_the_apps_percent_interval():
    from cx.scoring import wilson

    low, high = effects.wilson_bounds(37, 90)
    assert (low * 100, high * 100) == pytest.approx(wilson(37, 90))


def test_paired_difference_as_scipy():
    x = np.array([60.0, 55, 70, 42, 58, np.nan, 66, 51])
    y = np.array([52.0, 50, 61, 45, 50, 40, 60, np.nan])
    interval, p, dz, n = standing.paired_difference(x, y)
    both = ~np.isnan(x) & ~np.isnan(y)
    ref = sp.ttest_rel(x[both], y[both])
    ci = ref.confidence_interval()
    assert n == 6 and p == pytest.approx(ref.pvalue)
    assert (interval.low, interval.high) == pytest.approx((ci.low, ci.high))
    d = x[both] - y[both]
    assert dz == pytest.approx(d.mean() / d.std(ddof=1))


@pytest.mark.parametrize(("value", "cuts", "name"), [
    (0.03, effects.G_CUTS, "negligible"), (-0.19, effects.G_CUTS, "negligible"),
    (0.2, effects.G_CUTS, "small"), (-0.6, effects.G_CUTS, "medium"),
    (0.8, effects.G_CUTS, "large"), (0.005, effects.OMEGA_CUTS, "negligible"),
    (0.07, effects.OMEGA_CUTS, "medium"), (0.12, effects.v_cuts(1), "small"),
    # V thresholds shrink with the table's degrees of freedom (Cohen's w over √df)
    (0.25, effects.v_cuts(1), "small"), (0.25, effects.v_cuts(2), "medium"),
    (0.30, effects.v_cuts(3), "large"),
])
def test_magnitudes_follow_cohens_conventions(value, cuts, name):
    assert effects.magnitude(value, cuts) == name


def test_two_means_give_hedges_g_and_the_gap_with_welchs_interval():
    eff = effects.means_effect([B, A], ["b", "a"], "mean")
    assert eff.size == "hedges_g" and eff.gap.first == "a" and eff.gap.second == "b"
    assert eff.value == pytest.approx(effects.hedges_g(effects.sample(A), effects.sample(B)))
    ref = sp.ttest_ind(A, B, equal_var=False).confidence_interval()
    assert (eff.gap.interval.low, eff.gap.interval.high) == pytest.approx((ref.low, ref.high))
    assert eff.gap.compared == 1 and eff.magnitude == "large"
    flipped = eff.flipped()
    assert flipped.value == -eff.value and flipped.gap.first == "b"


def test_several_means_give_omega_squared_and_a_bonferroni_gap():
    c = np.array([5.9, 6.1, 7.0, 6.4, 5.2])
    eff = effects.means_effect([A, B, c], ["a", "b", "c"], "mean")
    assert eff.size == "omega_squared"
    assert (eff.gap.first, eff.gap.second, eff.gap.compared) == ("c", "b", 3)
    ref = sp.ttest_ind(c, B, equal_var=False).confidence_interval(1 - 0.05 / 3)
    assert (eff.gap.interval.low, eff.gap.interval.high) == pytest.approx((ref.low, ref.high))


def test_choices_give_cramers_v_and_the_largest_gap_in_share():
    counts = np.array([[40, 10], [10, 40]])  # answers × groups
    eff = effects.choices_effect(counts, ["yes", "no"], ["g1", "g2"])
    assert eff.size == "cramers_v" and eff.value == pytest.approx(0.6)
    assert (eff.gap.code, eff.gap.first, eff.gap.second, eff.gap.compared) == (
        "yes", "g1", "g2", 1)
    assert eff.gap.interval.estimate == pytest.approx(0.6)
    three = np.array([[30, 10, 20], [10, 30, 20], [10, 10, 10]])
    eff = effects.choices_effect(three, ["a", "b", "c"], ["g1", "g2", "g3"])
    # 3 answers × 3 pairs of groups: the 95% interval is Bonferroni-corrected for 9 gaps
    assert eff.gap.compared == 9 and eff.gap.interval.level == pytest.approx(1 - 0.05 / 9)


def test_several_answers_give_the_largest_option_v():
    chosen = np.array([[30, 10], [20, 19]])  # options × groups
    bases = np.array([50, 50])
    eff = effects.options_effect(chosen, bases, ["x", "y"], ["g1", "g2"])
    expected = association(np.array([[30, 10], [20, 40]]), method="cramer")
    assert eff.size == "cramers_v_max" and eff.value == pytest.approx(expected)
    assert eff.gap.code == "x" and eff.gap.compared == 2


def _pillars(means, n=300, sd=12.0, seed=3):
    """Respondents × scores: one shared level plus independent noise (paired data)."""
    rng = np.random.default_rng(seed)
    person = rng.normal(0, 8, n)
    return pd.DataFrame({name: np.clip(m + person + rng.normal(0, sd, n), 0, 100)
                         for name, m in means.items()})


def test_a_tie_at_the_top_is_called_a_tie():
    scores = _pillars({"a": 56.0, "b": 55.8, "c": 45.0, "d": 35.0})
    st = standing.standing(scores, ["a", "b", "c", "d"])
    assert set(st.top) == {"a", "b"} and st.leader is None and st.lead is None
    assert st.last == "d" and st.trail is not None and st.trail.holds


def test_a_clear_lead_is_called():
    scores = _pillars({"a": 66.0, "b": 55.0, "c": 45.0})
    st = standing.standing(scores, ["c", "b", "a"])
    assert st.order == ("a", "b", "c") and st.leader == "a" and st.last == "c"
    assert st.lead.second == "b" and st.lead.interval.excludes_zero
    assert st.lead.interval.estimate == pytest.approx((scores["a"] - scores["b"]).mean())


def test_holm_decides_who_is_tied():
    from cx.stats import holm

    scores = _pillars({"a": 50.0, "b": 49.0, "c": 48.0}, n=40)
    family = standing.paired_family(scores, [("a", "b"), ("a", "c")])
    assert [p.p_holm for p in family] == pytest.approx(list(holm([p.p for p in family])))
    assert standing.standing(scores, ["a", "b", "c"]).all_tied


def test_student_interval_as_scipy():
    for a, b in ((A, B), (A[:2], B), (np.array([4.0, 4.0, 4.0]), B)):
        got, p = effects.student_interval(effects.sample(a), effects.sample(b))
        with warnings.catch_warnings():  # three equal answers: scipy warns, t is defined
            warnings.simplefilter("ignore", RuntimeWarning)
            ref = sp.ttest_ind(a, b)
        ci = ref.confidence_interval()
        assert (got.low, got.high) == pytest.approx((ci.low, ci.high))
        assert p == pytest.approx(ref.pvalue)


def test_the_most_common_answer_by_paired_shares():
    answers = pd.Series(["x"] * 60 + ["y"] * 30 + ["z"] * 10 + [None] * 5)
    st = standing.category_standing(answers)
    assert st.leader == "x" and st.lead.second == "y"
    # shares of one sample: var(p̂x − p̂y) = (px + py − (px − py)²)/n, the paired t's too
    diff = np.repeat([1.0, -1.0, 0.0], [60, 30, 10])
    ci = sp.ttest_1samp(diff, 0).confidence_interval()
    assert (st.lead.interval.low, st.lead.interval.high) == pytest.approx((ci.low, ci.high))
    assert st.lead.interval.estimate == pytest.approx(0.3)
    close = standing.category_standing(pd.Series(["x"] * 40 + ["y"] * 38 + ["z"] * 22))
    assert close.leader is None and set(close.top) == {"x", "y"}


def test_an_interval_says_whether_it_excludes_zero():
    assert Interval(1, 0.2, 1.8).excludes_zero and Interval(-1, -1.8, -0.1).excludes_zero
    assert not Interval(0.3, -0.1, 0.7).excludes_zero

"""Each formula against a small table computed by hand (and, where it exists, by scipy)."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cx import intervals, respondent_scores, scoring
from cx.questionnaire import questionnaire
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS


def test_nps_hand_table():
    # promoters: 10, 9, 10, 9 (4/10); detractors: 6, 0, 5, 3 (4/10); passives: 8, 7
    result = scoring.nps([10, 9, 8, 7, 6, 0, 10, 5, 9, 3])
    assert result.n == 10
    assert result.value == pytest.approx(0.0)
    assert result.promoters == pytest.approx(40.0)
    assert result.passives == pytest.approx(20.0)
    assert result.detractors == pytest.approx(40.0)
    # adjusted Wald: (4 + ¾)/13 promoters and detractors → var = (9.5/13 − 0²)/13 = 0.05621
    # → ±1.96·√0.05621·100 = ±46.47 (the plain Wald interval was ±55.44)
    assert result.high == pytest.approx(46.469, abs=1e-3)
    assert result.low == pytest.approx(-46.469, abs=1e-3)


def test_nps_ignores_missing_and_clips_ci():
    result = scoring.nps([10, 10, 10, None, float("nan")])
    assert result.n == 3
    assert result.value == 100
    # (3 + ¾)/6 − ¾/6 = 0.5, var = (0.75 − 0.25)/6 → 0.5 ± 0.566: [−6.6; +100], clipped
    assert (result.low, result.high) == pytest.approx((-6.579, 100.0), abs=1e-3)


def test_five_promoters_get_an_interval_not_a_point():
    result = scoring.nps([10, 9, 10, 9, 10])
    # (5 + ¾)/8 = 0.71875 promoters, ¾/8 = 0.09375 detractors → 0.625 ± 1.96·√(0.42188/8)
    assert result.value == 100
    assert (result.low, result.high) == pytest.approx((17.491, 100.0), abs=1e-3)


def test_five_equal_answers_get_an_interval_not_a_point():
    result = scoring.ces([4, 4, 4, 4, 4])
    # sd at least 1/√5 (one answer a step away) → 4 ± t(0.975, 4)·(1/√5)/√5 = 4 ± 0.555
    assert (result.low, result.high) == pytest.approx((3.4447, 4.5553), abs=1e-4)
    assert scoring.ces([4, 4, 4, 4, 5]).high - 4.2 == pytest.approx(0.5553, abs=1e-4)


def test_csat_hand_table_and_wilson_matches_scipy():
    result = scoring.csat([5, 4, 3, 2, 1, 4])
    assert result.value == pytest.approx(50.0)
    assert (result.low, result.high) == pytest.approx((18.76, 81.24), abs=0.01)
    ci = stats.binomtest(3, 6).proportion_ci(method="wilson")
    assert result.low == pytest.approx(ci.low * 100)
    assert result.high == pytest.approx(ci.high * 100)


def test_mean_ci_matches_student_t():
    result = scoring.ces([1, 7, 4, 4])
    assert result.value == 4
    # sd = √6, t(0.975, 3) = 3.1824 → ±3.1824·√6/2 = ±3.898
    assert result.high - 4 == pytest.approx(3.898, abs=1e-3)
    lo, hi = stats.t.interval(0.95, 3, loc=4, scale=stats.sem([1, 7, 4, 4]))
    assert (result.low, result.high) == pytest.approx((lo, hi))


# maturity-like scores of five respondents in three companies (A, A, B, B, C)
SCORES, COMPANIES = [60.0, 70.0, 40.0, 50.0, 30.0], ["A", "A", "B", "B", "C"]


def test_clustered_mean_by_hand():
    result = scoring.mean(SCORES, clusters=COMPANIES)
    # residuals 10, 20 | −10, 0 | −20 → company sums 30, −10, −20; CR1 = 3/2 · 1400/5² = 84;
    # independent: s² = 250 → 250/5 = 50; deff = 84/50; t(0.975, 3 − 1) = 4.3027
    assert (result.companies, result.deff) == (3, pytest.approx(1.68))
    assert result.high - 50 == pytest.approx(4.302653 * math.sqrt(84), abs=1e-4)
    assert intervals.cluster_variance(np.array(SCORES), COMPANIES) == pytest.approx(84.0)


def test_clustered_standard_error_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    y = np.array(SCORES)
    fit = sm.OLS(y, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": [0, 0, 1, 1, 2]})
    assert math.sqrt(intervals.cluster_variance(y, COMPANIES)) == pytest.approx(fit.bse[0])
    uneven, companies = np.array([3.0, 5, 4, 9, 7, 1, 2, 8]), [1, 1, 1, 2, 3, 3, 4, 4]
    fit = sm.OLS(uneven, np.ones(8)).fit(cov_type="cluster", cov_kwds={"groups": companies})
    assert math.sqrt(intervals.cluster_variance(uneven, companies)) == pytest.approx(fit.bse[0])


def test_a_clustered_interval_is_never_narrower_than_an_independent_one():
    # each company answers 10 and 0: the company sums are 0, the CR1 variance 0
    values, companies = [10, 0, 10, 0, 10, 0], ["A", "A", "B", "B", "C", "C"]
    clustered, independent = scoring.mean(values, clusters=companies), scoring.mean(values)
    assert clustered.deff == 0.0
    assert clustered.high - clustered.low >= independent.high - independent.low


def test_clustered_shares_and_nps_use_the_effective_sample_size():
    flags, companies = [1, 1, 0, 0, 1, 0], ["A", "A", "B", "B", "C", "C"]
    # company sums of (flag − 0.5): 1, −1, 0 → CR1 = 3/2 · 2/36; independent 0.3/6 → deff 5/3
    share = scoring.proportion(flags, clusters=companies)
    assert share.deff == pytest.approx(5 / 3)
    assert (share.low, share.high) == pytest.approx(scoring.wilson(0.5 * 3.6, 3.6))
    answers = [10, 10, 0, 0, 10, 0]  # the same as promoters and detractors
    result = scoring.nps(answers, clusters=companies)
    assert result.deff == pytest.approx(5 / 3)
    assert (result.low, result.high) == pytest.approx(intervals.nps_interval(1.8, 1.8, 3.6))


def test_one_company_or_none_leaves_the_interval_independent():
    alone = scoring.mean(SCORES, clusters=["A"] * 5)
    assert alone.companies == 1 and alone.deff is None
    assert (alone.low, alone.high) == pytest.approx((scoring.mean(SCORES).low,
                                                     scoring.mean(SCORES).high))


def test_figures_under_30_respondents_are_indicative():
    assert scoring.mean([50.0] * 29).indicative and not scoring.mean([50.0] * 30).indicative
    assert not scoring.mean([50.0] * 4, k=5).indicative, "a withheld figure is not shown"


@pytest.mark.parametrize("fn", [scoring.nps, scoring.csat, scoring.mean, scoring.proportion])
def test_aggregates_under_the_threshold_are_suppressed(fn):
    result = fn([1, 1, 1, 1], k=5)
    assert result.suppressed and result.value is None and result.n == 4
    assert not fn([1, 1, 1, 1, 1], k=5).suppressed


def _answers(**cols):
    return pd.DataFrame(cols)


def test_pyramid_and_pillars_rescale_the_item_mean():
    qn = questionnaire()
    answers = _answers(pyr_needs_1=[5, 1, None], pyr_needs_2=[4, 1, 3],
                       pyr_ease_1=[3, 2, None], pyr_ease_2=[3, 2, None],
                       pil_empathy_1=[5, 5, 1], pil_empathy_2=[5, 3, 2],
                       cj_ideal_map=["none"] * 3, cj_real_checks=["never"] * 3,
                       cx_indicators=["nps", None, "none"])
    scores = respondent_scores.respondent_scores(answers, qn)
    assert scores["pyramid_needs"].tolist() == pytest.approx([87.5, 0.0, 50.0])
    assert scores["pyramid_ease"].iloc[:2].tolist() == pytest.approx([50.0, 25.0])
    assert math.isnan(scores["pyramid_ease"].iloc[2])
    assert math.isnan(scores["pyramid_enjoyment"].iloc[0])
    assert scores["pillar_empathy"].tolist() == pytest.approx([100.0, 75.0, 12.5])
    assert scores["measures_nps"].tolist()[0] is True
    assert pd.isna(scores["measures_nps"].iloc[1])
    assert scores["measures_nps"].tolist()[2] is False


def _full_practices(**override):
    base = dict(cj_ideal_map="complete", cj_real_checks="quarterly", cj_training="quarterly",
                buyer_personas="data_based", cx_indicators="csi|nps|csat|ces",
                big_data="predictive", touchpoints="|".join(questionnaire()["touchpoints"].codes),
                journey_stages="|".join(questionnaire()["journey_stages"].codes),
                improvement_plans="systematic", cx_role="team", omnichannel=5)
    base.update(override)
    return {k: [v] for k, v in base.items()}


def test_maturity_index_hand_table():
    qn = questionnaire()
    full = respondent_scores.maturity_index(pd.DataFrame(_full_practices()), qn)
    assert full.iloc[0] == pytest.approx(100.0, abs=0.1)
    # total weight 16.5; cj_ideal_map (w 2) at 0 and omnichannel (w 1.5) at (3−1)/4 = 0.5
    # → (16.5 − 2 − 1.5·0.5)/16.5·100 = 83.33
    mixed = respondent_scores.maturity_index(
        pd.DataFrame(_full_practices(cj_ideal_map="none", omnichannel=3)), qn)
    assert mixed.iloc[0] == pytest.approx(83.333, abs=0.01)
    # unanswered practices leave the denominator: only cj_ideal_map 'partial' (0.67) and
    # big_data 'pilot' (0.34) answered → weight 3.5 < half of 16.5 → no index
    sparse = {k: [None] for k in _full_practices()}
    sparse["cj_ideal_map"], sparse["big_data"] = ["partial"], ["pilot"]
    assert math.isnan(respondent_scores.maturity_index(pd.DataFrame(sparse), qn).iloc[0])


def test_journey_stages_skipped_without_a_map_score_zero():
    """Without a map the questionnaire does not ask which stages it covers: that skip scores
    0 (weight 1 of 16.5), while stages left blank by someone with a map leave the index."""
    qn = questionnaire()
    no_map = respondent_scores.maturity_index(
        pd.DataFrame(_full_practices(cj_ideal_map="none", journey_stages=None)), qn)
    assert no_map.iloc[0] == pytest.approx((16.5 - 2 - 1) / 16.5 * 100)  # 81.82
    in_progress = respondent_scores.maturity_index(
        pd.DataFrame(_full_practices(cj_ideal_map="in_progress", journey_stages=None)), qn)
    assert in_progress.iloc[0] == pytest.approx((15.5 - 2 + 2 * 0.34) / 15.5 * 100)  # 91.48


def test_the_stored_scores_are_the_pandas_scores(store):
    """The SQL that scores an upload (cx/store/scores.py) and cx.scoring agree on the sample,
    structural skips included."""
    answers = store.responses()
    stored = answers[list(respondent_scores.SCORE_COLUMNS)]
    computed = respondent_scores.respondent_scores(answers[list(questionnaire().ids)],
                                                   questionnaire())
    skipped = respondent_scores.skipped_by_rule(answers, questionnaire()["journey_stages"])
    assert skipped.sum() > 20  # the sample's respondents without a map
    for column in ("maturity_index", *PYRAMID_COLUMNS, *PILLAR_COLUMNS):
        assert stored[column].to_numpy(dtype=float) == pytest.approx(
            computed[column].to_numpy(dtype=float), nan_ok=True, abs=1e-9), column
    assert (stored["maturity_stage"].fillna("") == computed["maturity_stage"].fillna("")).all()


def test_multi_choice_practice_is_summed_and_capped():
    q = questionnaire()["cx_indicators"]
    answers = pd.Series(["nps|csat", "none", None, "csi|nps|csat|ces"])
    s = respondent_scores.practice_score(answers, q)
    assert s.iloc[0] == pytest.approx(0.5)
    assert s.iloc[1] == 0
    assert math.isnan(s.iloc[2])
    assert s.iloc[3] == pytest.approx(1.0)


def test_option_codes_do_not_match_inside_other_codes():
    # 'ces' must not match inside another code, 'nps' must not match 'kpi_nps'
    flags = respondent_scores.has_option(pd.Series(["csat", "ces", "csat|ces"]), "ces")
    assert flags.tolist() == [False, True, True]


@pytest.mark.parametrize("index, stage", [(0, "iniziale"), (19.99, "iniziale"),
                                          (20, "in_sviluppo"), (59.9, "definita"),
                                          (60, "gestita"), (80, "ottimizzata"),
                                          (100, "ottimizzata")])
def test_stage_boundaries(index, stage):
    assert respondent_scores.maturity_stage(pd.Series([index])).iloc[0] == stage


def test_stage_distribution_keeps_every_stage_in_order():
    dist = scoring.stage_distribution(pd.Series(["gestita", "gestita", "iniziale", None]))
    assert dist["stage"].tolist() == list(scoring.STAGES)
    assert dist["count"].tolist() == [1, 0, 0, 2, 0]
    assert dist["pct"].sum() == pytest.approx(100)
    assert dist.attrs["n"] == 3


def test_group_scores_drop_groups_under_k():
    df = pd.DataFrame({"company": list("aaaaab"), "x": [10, 20, 30, 40, 50, 99.0]})
    out = scoring.group_scores(df, "company", ("x",), k=5)
    assert out["company"].tolist() == ["a"]
    assert out["x"].iloc[0] == 30
    assert out["n"].iloc[0] == 5
    assert len(scoring.group_scores(df, "company", ("x",), k=1)) == 2


def test_club_profile_reports_n_and_ci():
    df = pd.DataFrame({"pyramid_needs": [50, 75, 100, np.nan, 25, 50]})
    prof = scoring.club_profile(df, ("pyramid_needs",), k=5)
    row = prof.iloc[0]
    assert row["n"] == 5 and row["value"] == pytest.approx(60)
    assert not row["suppressed"]
    assert scoring.club_profile(df, ("pyramid_needs",), k=6).iloc[0]["suppressed"]


def test_club_profile_clusters_by_company_and_gives_the_mean_per_company():
    df = pd.DataFrame({"company": ["A", "A", "B", "B", "C"], "pyramid_needs": SCORES})
    row = scoring.club_profile(df, ("pyramid_needs",), k=2, by_company=True).iloc[0]
    assert (row["companies"], row["deff"]) == (3, pytest.approx(1.68))
    # company means 65, 45, 30 → 46.67 (per respondent: 50)
    assert (row["value"], row["by_company"]) == (50, pytest.approx(140 / 3))
    few = scoring.club_profile(df, ("pyramid_needs",), k=4, by_company=True).iloc[0]
    assert pd.isna(few["by_company"]), "a mean over fewer than k companies is withheld"
    assert "by_company" not in scoring.club_profile(df, ("pyramid_needs",), k=2)


def test_a_clustered_interval_reads_no_answer_of_too_few_respondents_in_shared_companies():
    """A and B share 2 + 2 respondents: besides the largest, 2. Under k = 3 the clustered
    variance would describe them, so the bound that reads no answer is used: Σ n_g²/n."""
    shared = scoring.mean(SCORES, k=3, clusters=COMPANIES)
    assert shared.deff == pytest.approx((4 + 4 + 1) / 5)
    assert shared.high - 50 == pytest.approx(4.302653 * math.sqrt(250 / 5 * 9 / 5), abs=1e-4)
    assert scoring.mean(SCORES, k=2, clusters=COMPANIES).deff == pytest.approx(1.68)
    singles = scoring.mean(SCORES, k=5, clusters=["A", "B", "C", "D", "E"])
    assert singles.deff == pytest.approx(1.0), "one respondent per company: independent"


def test_the_samples_maturity_interval_is_clustered_by_company(store):
    """Respondents of one company answer alike (design effect about 1.5): the interval that
    treats them as independent is about a fifth too narrow."""
    from cx.overview import COLUMNS, compute_overview

    scores = store.responses(COLUMNS)
    ov = compute_overview(scores, 5, by_company=True)
    independent = scoring.mean(scores["maturity_index"])
    assert ov.maturity.companies == 200 and ov.maturity.deff == pytest.approx(1.48, abs=0.01)
    widths = [a.high - a.low for a in (ov.maturity, independent)]
    assert widths[0] / widths[1] == pytest.approx(1.22, abs=0.01)
    by_company = scores.groupby("company")["maturity_index"].mean().mean()
    assert ov.maturity_by_company.value == pytest.approx(by_company)
    assert (ov.maturity.value, by_company) == (pytest.approx(46.74, abs=0.01),
                                               pytest.approx(46.16, abs=0.01))

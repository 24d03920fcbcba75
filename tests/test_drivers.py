"""Key-driver analysis (cx.drivers): LMG by hand on a five-row table, Johnson's weights against
LMG where both are the squared correlations, the company bootstrap by hand and its
determinism, the verdicts (too little explained, a lead, too few) and the quadrants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from cx.drivers import bootstrap, importance
from cx.drivers.data import Segment, driver_frame, in_segment, with_personas
from cx.drivers.model import _quadrants, analyse, needed
from cx.drivers.text import verdict
from cx.questionnaire import questionnaire

# deviations from the means (3, 3, 3): x1 −2 −1 0 1 2, x2 −1 −2 1 0 2, y −2 0 −1 2 1; every
# sum of squares is 10, so r12 = 8/10, r1y = 8/10, r2y = 3/10
HAND = pd.DataFrame({"x1": [1, 2, 3, 4, 5], "x2": [2, 1, 4, 3, 5], "y": [1, 3, 2, 5, 4]},
                    dtype=float)
# R²(x1) = .64, R²(x2) = .09, R²(x1, x2) = (.64 + .09 − 2·.8·.3·.8) / (1 − .64) = .346/.36
R2_BOTH = 0.346 / 0.36
LMG_X1 = (0.64 + (R2_BOTH - 0.09)) / 2  # entering first, entering second: on average
LMG_X2 = (0.09 + (R2_BOTH - 0.64)) / 2


def _corr(frame: pd.DataFrame) -> np.ndarray:
    return np.corrcoef(frame.to_numpy(dtype=float), rowvar=False)


def test_lmg_by_hand_on_two_drivers():
    corr = _corr(HAND)
    assert corr[0, 1] == pytest.approx(0.8) and corr[1, 2] == pytest.approx(0.3)
    r2 = importance.subset_r2(corr)
    assert r2[[0b01, 0b10, 0b11]] == pytest.approx([0.64, 0.09, R2_BOTH])
    assert importance.lmg(corr) == pytest.approx([LMG_X1, LMG_X2])
    assert pytest.approx(R2_BOTH) == LMG_X1 + LMG_X2
    ols = sm.OLS(HAND["y"], sm.add_constant(HAND[["x1", "x2"]])).fit()
    assert importance.full_r2(corr) == pytest.approx(ols.rsquared)


def test_contributions_add_up_to_the_r2_of_least_squares():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 5)) @ rng.normal(size=(5, 5))  # correlated drivers
    y = x @ np.array([1.0, 0.5, 0.0, -0.3, 0.2]) + rng.normal(scale=2, size=300)
    corr = _corr(pd.DataFrame(np.column_stack([x, y])))
    ols = sm.OLS(y, sm.add_constant(x)).fit()
    for method in (importance.lmg, importance.johnson):
        assert method(corr).sum() == pytest.approx(ols.rsquared)
    assert importance.full_r2(corr) == pytest.approx(ols.rsquared)
    # a stack of matrices (bootstrap replicates) gives each its own contributions
    stacked = importance.lmg(np.stack([corr, _corr(HAND.iloc[:, [0, 0, 0, 0, 1, 2]])]))
    assert stacked[0] == pytest.approx(importance.lmg(corr))


def test_johnson_equals_lmg_and_squared_correlations_on_uncorrelated_drivers():
    x1 = np.array([1, 1, -1, -1, 1, 1, -1, -1], dtype=float)
    x2 = np.array([1, -1, 1, -1, 1, -1, 1, -1], dtype=float)  # orthogonal to x1
    y = np.array([3, 1, 2, -1, 4, 0, 1, -2], dtype=float)
    corr = _corr(pd.DataFrame({"x1": x1, "x2": x2, "y": y}))
    assert corr[0, 1] == pytest.approx(0)
    squared = corr[:2, 2] ** 2
    assert importance.lmg(corr) == pytest.approx(squared)
    assert importance.johnson(corr) == pytest.approx(squared)


def test_many_drivers_fall_back_to_johnson():
    corr = np.eye(importance.MAX_EXACT + 2)
    corr[-1, 0] = corr[0, -1] = 0.5
    parts, method = importance.contributions(corr)
    assert method == "johnson" and parts[0] == pytest.approx(0.25)
    with pytest.raises(ValueError):
        importance.lmg(corr)


def test_a_replicate_draws_companies_with_all_their_respondents():
    values = HAND.to_numpy()
    companies = np.array([0, 0, 1, 2, 2])  # three companies
    sums = bootstrap.company_sums(values, companies, 3)
    assert bootstrap.correlations(sums.sum(axis=0), 3) == pytest.approx(_corr(HAND))
    # company 0 twice, company 1 once, company 2 not at all
    drawn = bootstrap.correlations(np.array([2.0, 1.0, 0.0]) @ sums, 3)
    by_hand = _corr(HAND.iloc[[0, 1, 0, 1, 2]])
    assert drawn == pytest.approx(by_hand)
    draws = bootstrap.draws(3, 50, np.random.default_rng(0))
    assert draws.shape == (50, 3) and (draws.sum(axis=1) == 3).all()
    assert len({tuple(row) for row in draws}) > 1, "replicates differ"


def _synthetic(seed: int, strong: bool, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    company = rng.integers(0, n // 2, size=n)
    x = rng.normal(size=(n, 4))
    y = (3 * x[:, 0] + 0.5 * x[:, 1] if strong else 0) + rng.normal(size=n)
    frame = pd.DataFrame(x * 10 + 50, columns=["a", "b", "c", "d"])
    return frame.assign(y=y, company=[f"c{c}" for c in company])


def test_the_bootstrap_is_deterministic_under_its_seed():
    frame = _synthetic(1, strong=True)
    first = analyse(frame, "y", ("a", "b", "c", "d"), 5)
    again = analyse(frame, "y", ("a", "b", "c", "d"), 5)
    other = analyse(frame, "y", ("a", "b", "c", "d"), 5, seed=99)
    pd.testing.assert_frame_equal(first.table, again.table)
    assert (first.r2_low, first.r2_high) == (again.r2_low, again.r2_high)
    assert not np.allclose(first.table["low"], other.table["low"])


def test_the_analysis_does_not_depend_on_the_order_of_the_rows():
    """The frame is read in storage order, which DuckDB does not promise: companies are
    numbered by name, so the same rows in another order draw the same companies."""
    frame = _synthetic(4, strong=True)
    first = analyse(frame, "y", ("a", "b", "c", "d"), 5)
    shuffled = analyse(frame.sample(frac=1, random_state=7), "y", ("a", "b", "c", "d"), 5)
    pd.testing.assert_frame_equal(first.table, shuffled.table, rtol=1e-9)
    assert (first.r2_low, first.r2_high) == pytest.approx((shuffled.r2_low, shuffled.r2_high))


def test_an_analysis_reads_only_the_keys_its_split_needs():
    """A row per respondent is read for every new analysis: the whole selection reads the
    company beside its numbers, a segment its dimension too, personas the respondent's key."""
    from cx.drivers import data

    qn = questionnaire()
    whole = data.columns("club_nps", "pillars", qn)
    assert whole[0] == "company" and not {"respondent_id", "wave", "sector"} & set(whole)
    assert "sector" in data.columns("club_nps", "pillars", qn, "sector")
    assert {"wave", "respondent_id"} <= set(data.columns("club_nps", "pillars", qn, "persona"))


def test_beyond_the_cap_whole_companies_are_resampled_in_random_groups(monkeypatch):
    """`bootstrap.units`: each company whole in one group, groups of nearly equal numbers of
    companies, the same groups under the seed; below the cap, the companies themselves."""
    companies = np.repeat(np.arange(1000), 3)
    same, count = bootstrap.units(companies, 1000)
    assert count == 1000 and same is companies
    monkeypatch.setattr(bootstrap, "UNITS", 64)
    groups, count = bootstrap.units(companies, 1000)
    assert count == 64 and groups.max() == 63
    assert (groups.reshape(1000, 3) == groups[::3, None]).all(), "a company stays whole"
    per_group = np.bincount(groups[::3], minlength=64)
    assert per_group.min() in (15, 16) and per_group.max() == 16  # 1000 = 64·15 + 40
    assert (bootstrap.units(companies, 1000)[0] == groups).all()


def test_random_groups_give_the_same_estimate_and_intervals_of_the_same_width(monkeypatch):
    """The point estimates read every respondent as before; the intervals come from the
    groups' sums and estimate the same variation: the mean width over a few seeds agrees
    (one seed's widths differ by sampling noise alone, up to a third for a share near 0)."""
    frame = _synthetic(3, strong=True, n=4000)  # 2000 companies
    drivers = ("a", "b", "c", "d")

    def widths() -> tuple[pd.Series, np.ndarray]:
        runs = [analyse(frame, "y", drivers, 5, seed=seed) for seed in range(4)]
        return runs[0].table["share"], np.mean(
            [np.r_[a.r2_high - a.r2_low, a.table["high"] - a.table["low"]] for a in runs],
            axis=0)

    exact_shares, exact = widths()
    monkeypatch.setattr(bootstrap, "UNITS", 400)
    shares, grouped = widths()
    pd.testing.assert_series_equal(shares, exact_shares)
    assert grouped == pytest.approx(exact, rel=0.25)
    assert not np.allclose(grouped, exact), "the groups were resampled"


def test_a_clear_driver_leads_and_the_shares_add_up_to_100():
    a = analyse(_synthetic(2, strong=True), "y", ("a", "b", "c", "d"), 5)
    assert a.status == "ok" and a.method == "lmg"
    assert a.table["share"].sum() == pytest.approx(100)
    assert a.lead is not None and a.lead.first == "a" and a.lead.holds
    assert a.tied == ("a",)
    assert (a.table["low"] <= a.table["share"]).all()
    assert (a.table["share"] <= a.table["high"]).all()
    assert a.r2_low < a.r2 < a.r2_high and a.companies <= 200 and a.n == 400


def test_noise_explains_too_little_to_rank_anything():
    a = analyse(_synthetic(5, strong=False), "y", ("a", "b", "c", "d"), 5)
    assert a.status == "too_little" and not a.ranked
    assert "troppo poco" in verdict(a, "it") and "too little" in verdict(a, "en")


def test_too_few_respondents_and_blank_drivers():
    frame = _synthetic(2, strong=True, n=60)
    assert needed(5, 4) == 40 and needed(5, 6) == 60 and needed(50, 2) == 50
    few = analyse(frame.iloc[:39], "y", ("a", "b", "c", "d"), 5)
    assert few.status == "too_few" and few.r2 is None
    assert "almeno 40" in verdict(few, "it")
    blanks = frame.assign(a=frame["a"].where(frame.index % 10 != 0))  # 6 blanks: mean-filled
    filled = analyse(blanks, "y", ("a", "b", "c", "d"), 5)
    assert filled.imputed == 6 and filled.n == 60
    constant = analyse(frame.assign(d=1.0), "y", ("a", "b", "c", "d"), 5)
    assert constant.dropped == ("d",) and constant.drivers == ("a", "b", "c")


def test_quadrants_split_at_an_equal_share_and_the_mean_performance():
    table = pd.DataFrame({"share": [40.0, 30.0, 20.0, 10.0],
                          "performance": [80.0, 40.0, 30.0, 70.0]})  # mean 55, equal share 25
    assert list(_quadrants(table)) == ["keep", "improve", "monitor", "overinvested"]


def test_practice_drivers_are_the_parts_of_the_maturity_index(store):
    qn = questionnaire()
    answers = store.responses()
    frame = driver_frame(answers, "maturity_index", "practices", qn)
    practices = qn.practices
    complete = frame[[q.id for q in practices]].notna().all(axis=1)
    weights = np.array([q.weight for q in practices])
    rebuilt = frame.loc[complete, [q.id for q in practices]].to_numpy() @ weights / weights.sum()
    assert complete.sum() > 100  # 165 in the sample
    assert rebuilt == pytest.approx(frame.loc[complete, "maturity_index"].to_numpy())


def test_segments_and_personas_match_rows_by_wave_and_respondent():
    frame = pd.DataFrame({"wave": [2025, 2025, 2026], "respondent_id": ["a", "b", "a"],
                          "sector": ["x", "y", "x"]})
    keys = frame.iloc[[2, 0, 1]][["wave", "respondent_id"]]
    labelled = with_personas(frame, keys, [1, 0, None])
    persona = labelled["persona"].tolist()  # persona numbers count from 1
    assert persona[0] == "1" and pd.isna(persona[1]) and persona[2] == "2"
    assert len(in_segment(frame, Segment("sector", "x"))) == 2
    assert len(in_segment(frame, Segment())) == 3


def test_the_charts_validate_and_split_the_matrix_where_the_quadrants_meet():
    from cx.charts.drivers import MatrixText, matrix_chart, shares_chart
    from cx.charts.titles import Titles

    table = pd.DataFrame({"label": ["A", "B", "C", "D"], "share": [40.0, 30.0, 20.0, 10.0],
                          "low": [30.0, 20.0, 10.0, 5.0], "high": [50.0, 40.0, 30.0, 15.0],
                          "performance": [80.0, 40.0, 30.0, 70.0],
                          "quadrant": ["keep", "improve", "monitor", "overinvested"]})
    bars = shares_chart(table[["label", "share", "low", "high"]], "Quota",
                        Titles("Pesi", "n = 10", "it")).to_dict()  # validates
    assert [layer["mark"]["type"] for layer in bars["layer"]] == ["bar", "rule", "text"]
    assert bars["layer"][0]["encoding"]["y"]["sort"] == ["A", "B", "C", "D"]
    words = MatrixText("Performance", "Importanza", (("keep", "Da mantenere"),
                                                     ("improve", "Da migliorare"),
                                                     ("monitor", "Da monitorare"),
                                                     ("overinvested", "Sovra-investito")))
    spec = matrix_chart(table, words, Titles("Matrice", "n = 10", "en")).to_dict()
    vline, hline = spec["layer"][0], spec["layer"][1]
    # the split: the drivers' mean performance, an equal share of 100/4
    assert [{"x": 55.0, "y": 25.0}] in spec["datasets"].values()
    assert vline["encoding"]["x"]["field"] == "x" and hline["encoding"]["y"]["field"] == "y"
    colours = spec["layer"][2]["encoding"]["color"]["scale"]
    assert colours["domain"][:2] == ["Da mantenere", "Da migliorare"]

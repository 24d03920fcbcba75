"""cx.results and cx.comments: summaries, privacy-safe breakdowns, trends and free text,
on hand-made answer counts (worked out by hand) and on the sample database."""

import json
import pickle
import shutil

import numpy as np
import pandas as pd
import pytest

from cx import comments, results, scoring, stats
from cx.questionnaire import questionnaire
from cx.results import MISSING, OTHERS, TOTAL
from cx.results.trend import company_means
from cx.store import Store
from cx.view import View

QN = questionnaire()
K5 = View(k=5)  # the privacy threshold of these tests


def tally(column: str, rows: list[tuple], by: str | None = None) -> pd.DataFrame:
    """A hand-made tally: (answer, n) or (answer, group, n) rows."""
    return pd.DataFrame(rows, columns=[column, *([by] if by else []), "n"])


@pytest.fixture(scope="module")
def sample(sample_db_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("results") / "cx.duckdb"
    shutil.copy(sample_db_template, path)
    with Store.open(path) as store:
        yield store


def test_every_question_but_identifiers_can_be_explored():
    ids = [q.id for q in results.explorable(QN)]
    assert {"respondent_id", "company", "wave"}.isdisjoint(ids)
    assert {"sector", "touchpoints", "club_nps", "kpi_nps", "pain_point"} <= set(ids)


def test_picker_labels_read_section_then_question():
    q = QN["club_nps"]
    assert results.picker_label(q, QN, "it").startswith("Il Club · Quanto è probabile")
    assert results.picker_label(q, QN, "en").startswith("The Club · How likely")


@pytest.mark.parametrize(("qid", "kind"), [
    ("sector", "single"), ("touchpoints", "multi"), ("omnichannel", "likert"),
    ("club_nps", "nps"), ("club_ces", "scale"), ("kpi_csat", "number"), ("pain_point", "text")])
def test_kind_of_each_question(qid, kind):
    assert QN[qid].kind.name == kind


def test_single_choice_shares_sorted_by_frequency():
    q = QN["market"]  # unordered: sorted by count
    counts = tally("market", [("b2b", 2), ("b2c", 5), ("both", 3), (None, 4)])
    s = results.summarise(q, counts, K5)
    assert (s.respondents, s.n) == (14, 10)
    assert s.table["code"].tolist() == ["b2c", "both", "b2b"]
    assert s.table["share"].tolist() == pytest.approx([0.5, 0.3, 0.2])
    low, high = scoring.wilson(5, 10)
    assert (s.table["low"].iloc[0], s.table["high"].iloc[0]) == pytest.approx(
        (low / 100, high / 100))


def test_ordered_single_choice_keeps_its_order():
    q = QN["cj_ideal_map"]
    counts = tally(q.id, [("complete", 9), ("none", 1), ("partial", 2)])
    s = results.summarise(q, counts, K5)
    assert s.table["code"].tolist() == ["none", "in_progress", "partial", "complete"]
    assert s.table["count"].tolist() == [1, 0, 2, 9]


def test_multiple_choice_base_is_respondents_and_none_comes_last():
    q = QN["cx_indicators"]
    counts = tally(q.id, [("nps|csat", 3), ("nps", 2), ("none", 4), (None, 6)])
    s = results.summarise(q, counts, K5)
    assert s.n == 9  # respondents who answered, not answers given
    shares = dict(zip(s.table["code"], s.table["share"]))
    assert shares["nps"] == pytest.approx(5 / 9)
    assert shares["csat"] == pytest.approx(3 / 9)
    assert s.table["code"].iloc[-1] == "none"


def test_likert_summary_net_agreement_and_mean_by_hand():
    q = QN["pil_empathy_1"]
    counts = tally(q.id, [(1, 1), (2, 1), (3, 2), (4, 4), (5, 2)])
    s = results.summarise(q, counts, K5)
    assert s.net == pytest.approx(0.6 - 0.2)  # (4+2)/10 − (1+1)/10
    assert s.headline.value == pytest.approx(3.5)  # (1+2+6+16+10)/10
    assert s.table["share"].sum() == pytest.approx(1.0)


def test_nps_summary_by_hand():
    q = QN["club_nps"]  # 3 promoters, 1 passive, 1 detractor → NPS 40
    counts = tally(q.id, [(10, 2), (9, 1), (7, 1), (3, 1)])
    s = results.summarise(q, counts, K5)
    assert s.headline.value == pytest.approx(40.0)
    assert s.table["value"].tolist() == list(range(11))
    cats = dict(zip(s.table["value"], s.table["category"]))
    assert (cats[6], cats[7], cats[8], cats[9]) == ("detractor", "passive", "passive", "promoter")


def test_number_summary_histogram_and_median_by_hand():
    q = QN["kpi_csat"]  # 0–100 → twenty bins of 5
    counts = tally(q.id, [(10.0, 1), (52.0, 2), (80.0, 1), (99.0, 1)])
    s = results.summarise(q, counts, K5)
    # the median is the mean of the k = 5 answers around it, never one respondent's value:
    # with five answers, (10 + 52 + 52 + 80 + 99) / 5
    assert s.median == pytest.approx(58.6)
    assert results.summarise(q, counts, View(k=3)).median == pytest.approx(
        (52 + 52 + 80) / 3)  # rank 2 of 0..4: the window 1..3
    assert len(s.table) == 20 and s.table["count"].sum() == 5
    assert s.table.loc[s.table["start"] == 50, "count"].item() == 2
    assert results.Labels(q, QN, "it").table(s.table)["label"].iloc[0] == "0–5"


def test_bin_edges_are_round():
    assert results.bin_edges(-100, 100).tolist() == list(range(-100, 101, 10))
    assert results.bin_edges(1, 7)[:3].tolist() == [1.0, 1.5, 2.0]
    assert results.bin_label(-20, -10, "it") == "−20 – −10"


def test_nothing_is_shown_under_k():
    counts = tally("club_nps", [(10, 2), (3, 2)])
    s = results.summarise(QN["club_nps"], counts, K5)
    assert s.suppressed and s.table.empty and s.headline is None


@pytest.mark.parametrize(("sizes", "merged"), [
    ({"a": 10, "b": 3, "c": 8, "d": 2}, {"b", "d"}),  # 3 + 2 = 5: enough together
    ({"a": 10, "b": 3, "c": 8}, {"b", "c"}),  # 3 alone is too few: the next smallest joins
    ({"a": 10, "b": 6}, set()),
    ({"a": 2, "b": 1}, {"a", "b"}),  # everyone in Others: the breakdown will be hidden
])
def test_small_groups_are_merged_into_others(sizes, merged):
    mapping = results.privacy_groups(pd.Series(sizes), k=5)
    assert {g for g, shown in mapping.items() if shown == OTHERS} == merged


def test_breakdown_never_shows_a_group_under_k_and_adds_up_to_the_total():
    q = QN["market"]
    counts = tally("market", [("b2b", "finance", 6), ("b2c", "finance", 4),
                              ("b2b", "health", 2), ("b2c", "retail", 7), ("b2b", "tourism", 1),
                              ("both", None, 2)], by="sector")
    bd = results.break_down(q, counts, "sector", QN, K5)
    assert bd.shown
    sizes = bd.groups.sizes
    assert sizes == {"finance": 10, "retail": 7, OTHERS: 5}  # health 2 + tourism 1 + missing 2
    assert min(sizes.values()) >= 5
    crosstab = bd.comparison.crosstab
    totals = crosstab.groupby("group")["count"].sum()
    assert totals[TOTAL] == sum(sizes.values()) == 22, "no hidden remainder to subtract"
    assert bd.groups.merged == ("tourism", "health", MISSING)
    words = results.Labels(q, QN, "it", "sector").merged(bd.groups.merged)
    assert words == "Turismo e trasporti, Sanità e farmaceutico, Non indicato"


def test_a_breakdown_keeps_its_groups_not_a_row_per_company():
    """A tally by company has a row per respondent at scale: the result (cached, pickled per
    session for Risultati) keeps the groups' order and sizes, never the rows' codes."""
    rng = np.random.default_rng(3)
    rows = 20_000
    counts = pd.DataFrame({"market": rng.choice(["b2b", "b2c"], rows),
                           "sector": rng.choice(["finance", "retail", "energy"], rows),
                           "company": [f"Azienda {i}" for i in range(rows)], "n": 1})
    bd = results.break_down(QN["market"], counts, "sector", QN, K5)
    assert bd.shown and bd.groups is not None
    assert set(bd.groups.order) == {"finance", "retail", "energy"}
    assert sum(bd.groups.sizes.values()) == rows and bd.groups.codes.empty
    assert len(pickle.dumps(bd)) < 20_000


def test_a_breakdown_with_a_single_safe_group_is_hidden():
    counts = tally("market", [("b2b", "finance", 9), ("b2c", "health", 2)], by="sector")
    bd = results.break_down(QN["market"], counts, "sector", QN, K5)
    assert bd.hidden == "too_few_groups"


def test_breaking_a_question_down_by_itself_is_refused():
    bd = results.break_down(QN["sector"], tally("sector", [("finance", 9)]), "sector", QN, K5)
    assert bd.hidden == "same_variable"


@pytest.mark.parametrize("by", results.BREAKDOWNS[1:])
def test_every_breakdown_of_the_sample_respects_k_in_a_narrow_filter(sample, by):
    from cx.filters import Filters

    narrow = Filters(wave=2025, regions=("centro",))
    for q in results.explorable(QN):
        columns = (q.id,) if by == q.id else (q.id, by)
        bd = results.break_down(q, sample.tally(columns, narrow), by, QN, K5)
        if not bd.shown:
            continue
        threshold = 8 if q.type == "text" else 5
        assert min(bd.groups.sizes.values()) >= threshold, (q.id, by)
        crosstab = bd.comparison.crosstab
        if q.type in ("single", "likert"):
            per_group = crosstab[crosstab["group"] != TOTAL].groupby("group")["count"].sum()
            total = crosstab[crosstab["group"] == TOTAL]["count"].sum()
            assert per_group.sum() == total, (q.id, by)


def test_single_choice_comparison_uses_the_contingency_test_and_marks_cells():
    rows = [("b2b", "finance", 40), ("b2c", "finance", 10), ("b2b", "retail", 10),
            ("b2c", "retail", 40)]
    bd = results.break_down(QN["market"], tally("market", rows, by="sector"), "sector", QN, K5)
    comparison = bd.comparison
    assert comparison.test.test == "chi2" and comparison.test.significant
    marks = comparison.crosstab.set_index(["code", "group"])["mark"]
    assert marks[("b2b", "finance")] == 1 and marks[("b2b", "retail")] == -1
    assert marks[("b2b", TOTAL)] == 0


def test_nps_comparison_tests_the_nps_points():
    rows = [(10, "b2b", 8), (9, "b2b", 2), (3, "b2c", 7), (8, "b2c", 3), (9, "b2c", 1)]
    bd = results.break_down(QN["club_nps"], tally("club_nps", rows, by="market"), "market", QN,
                            K5)
    means = bd.comparison.means.set_index("group")
    assert means.loc["b2b", "value"] == pytest.approx(100.0)
    assert means.loc["b2c", "value"] == pytest.approx((1 - 7) / 11 * 100)
    assert bd.comparison.test.test == "welch_t" and bd.comparison.test.significant
    categories = bd.comparison.crosstab
    assert set(categories["code"]) == {"detractor", "passive", "promoter"}


def test_crosstab_table_reads_share_count_and_marks():
    rows = [("b2b", "finance", 40), ("b2c", "finance", 10), ("b2b", "retail", 10),
            ("b2c", "retail", 40)]
    bd = results.break_down(QN["market"], tally("market", rows, by="sector"), "sector", QN, K5)
    table = results.crosstab_table(bd.comparison, results.Labels(QN["market"], QN, "it", "sector"))
    assert list(table.columns) == ["Commercio e retail", "Banche e assicurazioni", "Totale"]
    assert table.loc["Rispondenti (n)", "Totale"] == "100"
    assert table.loc["B2B", "Banche e assicurazioni"] == "80% (40) ▲"
    assert table.loc["B2B", "Commercio e retail"] == "20% (10) ▼"


def test_verdicts_in_plain_words():
    from cx.stats import Significance

    yes = Significance("chi2", 9.1, 0.0031, "significant", 2)
    no = Significance("welch_t", 0.4, 0.7, "not_significant", 30)
    assert results.verdict_text(yes, "it") == (
        "**Differenza significativa al 95%** (test del chi quadrato, p = 0,003).")
    assert results.verdict_text(no, "en").startswith("**No significant difference** at 95%")
    assert "p < 0,001" in results.verdict_text(Significance("chi2", 50, 1e-9, "significant"),
                                               "it")


# the case: 10,000 respondents per market, CES 4.19 against 4.15 on 1–7
CES_B2B = (300, 800, 1800, 3100, 2300, 1200, 500)
CES_B2C = (300, 800, 1800, 3500, 1900, 1200, 500)


def _ces_breakdown():
    rows = [(v, g, n) for g, counts in (("b2b", CES_B2B), ("b2c", CES_B2C))
            for v, n in zip(range(1, 8), counts)]
    return results.break_down(QN["club_ces"], tally("club_ces", rows, by="market"), "market",
                              QN, K5)


def test_a_significant_but_negligible_difference_is_called_so():
    from scipy import stats as sp

    bd = _ces_breakdown()
    b2b = np.repeat(np.arange(1, 8), CES_B2B)
    b2c = np.repeat(np.arange(1, 8), CES_B2C)
    assert (b2b.mean(), b2c.mean()) == pytest.approx((4.19, 4.15))
    test, effect = bd.comparison.test, bd.comparison.effect
    ref = sp.ttest_ind(b2b, b2c, equal_var=False)
    assert test.significant and test.p == pytest.approx(ref.pvalue)
    assert effect.size == "hedges_g" and effect.magnitude == "negligible"
    assert round(effect.value, 2) == 0.03
    ci = ref.confidence_interval()
    assert (effect.gap.first, effect.gap.second) == ("b2b", "b2c")
    assert (effect.gap.interval.low, effect.gap.interval.high) == pytest.approx((ci.low, ci.high))
    labels = results.Labels(QN["club_ces"], QN, "it", "market")
    text = results.verdict_text(test, "it", effect, labels)
    assert text.startswith("**Differenza statisticamente significativa ma trascurabile** "
                           f"(g = 0,03; test t di Welch, {results.p_text(ref.pvalue, 'it')}).")
    # the interval's lower end is 0.002: above zero, as p < 0.05 says, but shown as 0,00
    assert "Scarto: B2B rispetto a B2C, +0,04 (IC 95% [0,00; +0,08])." in text
    english = results.Labels(QN["club_ces"], QN, "en", "market")
    en = results.verdict_text(test, "en", effect, english)
    assert en.startswith("**Statistically significant but negligible difference** (g = 0.03;")


@pytest.mark.parametrize(("magnitude", "words"), [
    ("small", "**Differenza significativa e piccola**"),
    ("medium", "**Differenza significativa e di media entità**"),
    ("large", "**Differenza significativa e grande**")])
def test_significant_verdicts_name_the_size(magnitude, words):
    from cx.effects import Effect
    from cx.stats import Significance

    effect = Effect("cramers_v", 0.3, magnitude, None, "share")
    text = results.verdict_text(Significance("chi2", 30, 0.001, "significant", 4), "it", effect)
    assert text == f"{words} (V = 0,30; test del chi quadrato, p = 0,001)."


def test_a_non_significant_verdict_keeps_its_size_and_its_name():
    from cx.effects import Effect
    from cx.stats import Significance

    effect = Effect("hedges_g", 0.45, "small", None, "mean")
    text = results.verdict_text(Significance("welch_t", 1.2, 0.24, "not_significant", 20), "it",
                                effect)
    assert text.startswith("**Nessuna differenza significativa** al 95% "
                           "(g = 0,45, piccola; test t di Welch, p = 0,240)")


def test_the_crosstab_ends_with_the_effect_and_the_download_carries_it():
    bd = _ces_breakdown()
    labels = results.Labels(QN["club_ces"], QN, "it", "market")
    table = results.crosstab_table(bd.comparison, labels)
    last = table.loc["Dimensione dell'effetto"]
    assert last["Totale"].startswith("g = 0,03, trascurabile · Scarto: B2B rispetto a B2C")
    assert (last.drop("Totale") == "").all()
    download = results.with_test(labels.table(bd.comparison.means), bd.comparison.test,
                                 bd.comparison.effect, labels)
    row = download.iloc[0]
    assert (row["test"], row["effect_size"], row["magnitude"]) == (
        "test t di Welch", "g di Hedges", "trascurabile")
    assert row["gap"] == "B2B rispetto a B2C" and row["gap_value"] == pytest.approx(0.04)
    assert row["p"] == pytest.approx(bd.comparison.test.p)
    assert row["gap_low"] < row["gap_value"] < row["gap_high"] and row["gap_level"] == 0.95


def test_a_crosstab_of_choices_gives_cramers_v_and_the_gap_in_points():
    from scipy.stats.contingency import association

    rows = [("b2b", "finance", 40), ("b2c", "finance", 10), ("b2b", "retail", 10),
            ("b2c", "retail", 40)]
    bd = results.break_down(QN["market"], tally("market", rows, by="sector"), "sector", QN, K5)
    effect = bd.comparison.effect
    assert effect.size == "cramers_v" and effect.magnitude == "large"
    assert effect.value == pytest.approx(association(np.array([[40, 10], [10, 40]])))
    assert effect.gap.code in ("b2b", "b2c") and effect.gap.compared == 1
    assert effect.gap.interval.estimate == pytest.approx(0.6)
    labels = results.Labels(QN["market"], QN, "it", "sector")
    assert "+60,0 punti percentuali" in results.gap_text(effect, labels)


def test_free_text_and_untestable_comparisons_have_no_effect():
    rows = [("lento", "b2b", 3), ("caro", "b2c", 4)]
    bd = results.break_down(QN["pain_point"], tally("pain_point", rows, by="market"), "market",
                            QN, View(k=1, comment_k=1))
    assert bd.comparison.effect is None


def test_trend_across_waves_with_cis(sample):
    q = QN["club_nps"]
    tr = results.trend(q, sample.tally((q.id, "wave")), sample.query("wave_questions"), QN, K5)
    assert tr.shown and tr.measure == "nps" and not tr.changes
    assert tr.table["wave"].tolist() == [2025, 2026]
    assert (tr.table["low"] <= tr.table["value"]).all()
    assert (tr.table["value"] <= tr.table["high"]).all()
    # the gap reads as a change: the later wave against the earlier one
    assert (tr.effect.gap.first, tr.effect.gap.second) == ("2026", "2025")
    nps = tr.table.set_index("wave")["value"]
    assert tr.effect.gap.interval.estimate == pytest.approx(nps[2026] - nps[2025])


@pytest.mark.parametrize(("qid", "axis"), [
    ("club_nps", (-100.0, 100.0)), ("club_ces", None), ("cj_ideal_map", (0.0, 1.0))])
def test_a_trend_is_drawn_on_its_whole_scale(sample, qid, axis):
    """NPS from −100 to +100, a rating from its first point to its last, shares from 0 to 1:
    a move of four tenths of a point on a 1–5 scale looks like one."""
    from cx.charts.titles import Titles
    from cx.charts.trends import trend_chart

    q = QN[qid]
    tr = results.trend(q, sample.tally((q.id, "wave")), sample.query("wave_questions"), QN, K5)
    expected = axis or (float(q.min), float(q.max))
    assert tr.axis == expected
    labelled = tr.table.assign(series_label=tr.table["series"])
    spec = trend_chart(labelled, tr.measure, Titles("T", "n", "it"), tr.axis).to_dict()
    # every layer carries the one domain: the browser's Vega-Lite merges a layer that leaves
    # its scale out, and zero came back on the CES axis
    axis_name = "x" if tr.measure == "share" else "y"
    domains = [layer["encoding"][axis_name].get("scale", {}).get("domain")
               for layer in spec["layer"] if axis_name in layer["encoding"]]
    assert domains and all(d is not None and [float(v) for v in d] == list(expected)
                           for d in domains), domains
    assert tr.measure != "share" or (tr.moves is not None and len(tr.moves) == len(q.codes))


def test_the_club_nps_headline_is_clustered_as_on_the_overview(sample):
    q = QN["club_nps"]
    s = results.summarise(q, sample.tally((q.id,)), K5, None, sample.tally((q.id, "company")))
    answers = sample.responses(["club_nps", "company"])
    club = scoring.nps(answers["club_nps"], clusters=answers["company"])
    assert (s.headline.value, s.headline.low, s.headline.high) == pytest.approx(
        (club.value, club.low, club.high))
    assert s.headline.companies == 197
    plain = results.summarise(q, sample.tally((q.id,)), K5).headline
    assert s.headline.high - s.headline.low >= plain.high - plain.low


def test_a_trend_pairs_the_companies_present_in_both_waves(sample):
    q = QN["club_ces"]
    counts, companies = sample.tally((q.id, "wave")), sample.tally((q.id, "company", "wave"))
    tr = results.trend(q, counts, sample.query("wave_questions"), QN, K5, companies)
    means = company_means(q, companies, [2025, 2026])
    both = means.dropna()
    assert tr.paired == len(both) == 26 and tr.test.test == "partial_paired_t"
    only = means[means.isna().any(axis=1)]
    expected = stats.partially_paired_t(only[2025].dropna(), only[2026].dropna(),
                                        both.to_numpy())
    assert (tr.test.statistic, tr.test.p) == (expected.statistic, expected.p)
    # the per-wave values and intervals are the respondents' as before
    plain = results.trend(q, counts, sample.query("wave_questions"), QN, K5)
    assert plain.test.test == "welch_t" and plain.paired == 0
    pd.testing.assert_frame_equal(tr.table, plain.table)


def test_a_trend_keeps_the_respondents_test_with_fewer_than_k_pairs(sample):
    q = QN["club_nps"]
    companies = sample.tally((q.id, "company", "wave"))
    tr = results.trend(q, sample.tally((q.id, "wave")), sample.query("wave_questions"), QN,
                       View(k=30), companies)
    assert tr.paired == 0 and tr.test.test == "welch_t"


def test_company_means_of_the_nps_are_means_of_points():
    companies = pd.DataFrame({"club_nps": [10, 0, 8, 9], "company": ["A", "A", "A", "B"],
                              "wave": [1, 1, 2, 2], "n": [3, 1, 2, 1]})
    means = company_means(QN["club_nps"], companies, [1, 2])
    # A in wave 1: three promoters and a detractor → (300 − 100)/4 = 50; B absent in wave 1
    assert means.loc["A", 1] == 50 and means.loc["A", 2] == 0 and pd.isna(means.loc["B", 1])


NO_CHANGES = pd.DataFrame(columns=["wave", "question_id", "signature"])


def test_trend_keeps_an_ordered_scale_in_its_order():
    # 2026: "partial" is the most frequent, yet the scale reads none → complete, as above it
    counts = tally("cj_ideal_map", [("none", 2025, 9), ("partial", 2025, 3), ("complete", 2025, 8),
                                    ("none", 2026, 2), ("partial", 2026, 12),
                                    ("complete", 2026, 6)], by="wave")
    tr = results.trend(QN["cj_ideal_map"], counts, NO_CHANGES, QN, K5)
    series = list(dict.fromkeys(tr.table["series"]))
    assert series == ["none", "in_progress", "partial", "complete"]
    assert tr.table["wave"].tolist() == [2025, 2026] * 4


def test_trend_orders_other_options_by_the_latest_wave_with_none_last():
    counts = tally("cx_indicators", [("nps|csat", 2025, 10), ("none", 2025, 10),
                                     ("csat", 2026, 6), ("none", 2026, 8), ("nps|csat", 2026, 4),
                                     ("ces", 2026, 1)], by="wave")
    tr = results.trend(QN["cx_indicators"], counts, NO_CHANGES, QN, K5)
    latest = tr.table[tr.table["wave"] == 2026].set_index("series")["value"]
    assert latest["csat"] == pytest.approx(10 / 19) and latest["none"] == pytest.approx(8 / 19)
    assert list(dict.fromkeys(tr.table["series"])) == ["csat", "nps", "ces", "csi", "none"]


def test_trend_is_hidden_when_one_wave_is_under_k():
    counts = tally("club_nps", [(9, 2025, 20), (3, 2026, 2)], by="wave")
    tr = results.trend(QN["club_nps"], counts, pd.DataFrame(
        columns=["wave", "question_id", "signature"]), QN, K5)
    assert tr.hidden == "small_wave" and tr.table.empty


def test_a_question_asked_differently_in_one_wave_is_flagged(sample_db, tmp_path):
    path = tmp_path / "changed.duckdb"
    shutil.copy(sample_db, path)
    q = QN["club_nps"]
    changed = json.loads(q.signature())
    changed["it"] = "Consiglieresti il Club a un collega?"
    changed["max"] = 5
    with Store.open(path) as store, store.transaction() as cur:
        cur.execute("UPDATE wave_questions SET signature = ? WHERE wave = 2025 AND "
                    "question_id = ?", [json.dumps(changed), q.id])
    with Store.open(path) as store:
        signatures = store.query("wave_questions")
        tr = results.trend(q, store.tally((q.id, "wave")), signatures, QN, K5)
    assert [(c.before, c.after, c.aspects) for c in tr.changes] == [
        (2025, 2026, ("text", "scale"))]
    unchanged = results.trend(QN["club_csat"], tally("club_csat", [(4, 2025, 9), (5, 2026, 9)],
                              by="wave"), signatures, QN, K5)
    assert not unchanged.changes


def test_likert_items_of_a_section(sample):
    q = QN["pil_empathy_1"]
    items = results.likert_family(q, QN)
    assert len(items) == 12 and q in items
    table = results.likert_items(items, sample.stacked_tally([i.id for i in items]), K5)
    assert table["group"].nunique() == 12
    assert table.groupby("group")["share"].sum().tolist() == pytest.approx([1.0] * 12)


def test_free_text_waits_for_the_comment_threshold():
    counts = tally("pain_point", [("Tempi di attesa lunghi.", 6)])
    assert results.summarise(QN["pain_point"], counts, View(k=5, comment_k=8)).suppressed
    counts = tally("pain_point", [("Tempi di attesa lunghi.", 6), ("Troppi passaggi.", 2)])
    s = results.summarise(QN["pain_point"], counts, View(k=5, comment_k=8))
    assert not s.suppressed and s.answers["count"].sum() == 8


def test_company_names_are_blanked_out_of_answers():
    index = comments.name_index(["Rossi Group S.p.A.", "Bianchi Servizi S.r.l."])
    counts = tally("pain_point", [("Da Rossi Group i clienti aspettano troppo.", 5),
                                  ("Come da BIANCHI SERVIZI, il reso è lento.", 3)])
    s = results.summarise(QN["pain_point"], counts, View(k=5, comment_k=8), names=index)
    text = " ".join(results.answers_table(s.answers, "it")["answer"])
    assert "Rossi" not in text and "BIANCHI" not in text
    assert text.count("[azienda]") == 2
    assert " ".join(results.answers_table(s.answers, "en")["answer"]).count("[company]") == 2
    assert "azienda" not in s.table["word"].tolist(), "the placeholder is not a word"


def test_word_counts_skip_stop_words_and_count_answers():
    answers = pd.DataFrame({"answer": ["Il cliente aspetta, il cliente chiama.",
                                       "Troppi passaggi per il cliente."], "count": [3, 1]})
    words = comments.word_counts(answers)
    assert words.iloc[0].tolist()[:2] == ["cliente", 4]  # mentioned by 4 answers, not 7 times
    assert {"il", "per", "troppi"}.isdisjoint(words["word"])
    assert "aspetta" in set(words["word"])


def test_stop_words_are_italian_and_local():
    assert {"il", "della", "che", "non", "sono"} <= comments.stopwords()
    assert comments.STOPWORDS_PATH.is_file()


def test_answers_are_never_in_the_order_given():
    answers = pd.DataFrame({"answer": ["b", "a", "c"], "count": [1, 1, 2]})
    table = comments.answer_table(answers, {}, "[x]")
    assert table["answer"].tolist() == ["c", "a", "b"]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_question_with_every_breakdown_is_computed(sample, lang):
    signatures = sample.query("wave_questions")
    for q in results.explorable(QN):
        s = results.summarise(q, sample.tally((q.id,)), View(k=5, comment_k=8), {})
        if q.since is not None:  # asked from 2027: the 2025–2026 sample has no answer
            assert s.n == 0 and s.suppressed, q.id
            continue
        assert not s.suppressed, q.id
        for by in results.BREAKDOWNS[1:]:
            columns = (q.id,) if by == q.id else (q.id, by)
            bd = results.break_down(q, sample.tally(columns), by, QN, K5)
            if bd.shown:
                labels = results.Labels(q, QN, lang, by)
                assert not results.crosstab_table(bd.comparison, labels).empty
        results.trend(q, sample.tally((q.id, "wave")), signatures, QN, K5)


def test_group_codes_keep_missing_values_as_a_group():
    codes = results.group_codes(pd.Series(["a", None, "b"], dtype="string"))
    assert codes.tolist() == ["a", MISSING, "b"]
    assert results.group_codes(pd.Series(np.array([2025, 2026], dtype="int32"))).tolist() == [
        "2025", "2026"]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_count_text_writes_numbers_as_fmt_does(lang):
    from cx import fmt

    for value in (0, 7, 999, 1000, 12345, 1234567):
        assert results.count_text(value, lang) == fmt.number(value, lang)


@pytest.mark.parametrize("wave", [None, 2025])
def test_sums_of_the_wide_tally_match_the_store(sample, wave):
    from cx.filters import Filters

    wide = sample.tally(("club_nps", "role", "wave"))
    for columns in (("club_nps",), ("club_nps", "role")):
        got = results.sub_tally(wide, columns, wave)
        expected = sample.tally(columns, Filters(wave=wave))
        key = list(columns)
        got = got.sort_values(key, na_position="last", ignore_index=True)
        expected = expected.sort_values(key, na_position="last", ignore_index=True)
        assert got["n"].tolist() == expected["n"].tolist()
        assert got[key].astype(str).values.tolist() == expected[key].astype(str).values.tolist()


def test_sums_of_an_empty_tally_are_empty():
    empty = tally("club_nps", [], by="wave")
    summed = results.sub_tally(empty, ("club_nps",), 2025)
    assert summed.empty and "n" in summed
    assert results.summarise(QN["club_nps"], summed, K5).suppressed


def test_the_chosen_statement_is_marked_among_its_section(sample):
    items = results.likert_family(QN["pil_empathy_1"], QN)
    table = results.likert_items(items, sample.stacked_tally([i.id for i in items]), K5)
    labelled = results.Labels(QN["pil_empathy_1"], QN, "it", results.ITEMS).table(table)
    marked = results.mark_item(labelled, "pil_empathy_1")
    labels = set(marked.loc[marked["group"] == "pil_empathy_1", "group_label"])
    assert labels == {"▶ " + QN["pil_empathy_1"].it}
    assert not marked.loc[marked["group"] != "pil_empathy_1", "group_label"].str.startswith(
        "▶").any()


@pytest.mark.parametrize("qid", ["touchpoints", "cj_ideal_map", "omnichannel"])
def test_option_counts_and_flags_on_distinct_answers_equal_row_by_row(qid):
    """Counted on the distinct (answer, group) pairs of a large tally: the same table as
    expanding every row, as `option_counts` did before (a tally by company is a row per
    respondent at scale)."""
    from cx.questionnaire import MULTI_SEPARATOR, questionnaire
    from cx.results.tally import count_matrix, option_counts, option_flags

    q = questionnaire()[qid]
    rng = np.random.default_rng(7)
    codes = list(q.codes)
    if q.qtype.multiple:
        answers = [MULTI_SEPARATOR.join(sorted(rng.choice(codes, rng.integers(1, 4),
                                                          replace=False))) for _ in range(400)]
    else:
        answers = list(rng.choice(codes, 400))
    values = pd.Series(answers, dtype="category") if not q.qtype.positional else \
        pd.Series([float(a) for a in answers])
    frame = pd.DataFrame({qid: values, "n": rng.integers(1, 4, 400)})
    groups = pd.Series(rng.choice(["a", "b", "c"], 400))
    found = option_counts(q, frame, groups)
    text = values.astype(str) if not q.qtype.positional else \
        pd.to_numeric(values).round().astype(int).astype(str)
    chosen = text.str.split(MULTI_SEPARATOR) if q.qtype.multiple else text.map(lambda a: [a])
    lengths = chosen.str.len().to_numpy(dtype=int)
    expected = count_matrix(np.concatenate(chosen.to_numpy()), np.repeat(groups.to_numpy(),
                            lengths), np.repeat(frame["n"].to_numpy(), lengths), list(q.codes))
    pd.testing.assert_frame_equal(found, expected)
    flags = option_flags(q, frame)
    assert flags.shape == (400, len(q.codes))
    for row, answer in zip(flags, chosen):
        assert [c for c, f in zip(q.codes, row) if f] == [c for c in q.codes if c in answer]

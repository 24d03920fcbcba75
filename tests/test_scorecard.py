"""Pyramid, Six Pillars and the company scorecard: scores against hand-computed tables, chart
geometry on the Vega-Lite spec, the one-page PDF and the `report` command."""

import datetime as dt
import io
import json
import math
import warnings

import altair as alt
import numpy as np
import pandas as pd
import pypdf
import pytest
from scipy import stats

from cx import fmt
from cx import standing as standings
from cx.access import PUBLIC, Viewer
from cx.charts.pyramid import GAP, PyramidLayout, half_width, pyramid_chart, pyramid_vertices
from cx.charts.radar import DOMAIN, TOP, RadarStyle, band_ring, radar_chart, radar_points
from cx.charts.titles import Titles
from cx.cli import main
from cx.companies import (
    company_labels,
    company_table,
    peer_band,
    sector_band,
    visible_companies,
)
from cx.filters import ALL, Filters, describe_scope
from cx.pillars import heatmap_table, pillar_ranking, radar_profiles
from cx.pyramid import foundation_tests, level_profile, segment_profiles, weak_foundations
from cx.questionnaire import PILLARS, questionnaire
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.scorecard.card import company_practice_score, next_practice
from cx.scorecard.data import find_company, scorecard_for
from cx.scorecard.figures import (
    company_pyramid,
    company_radar,
    level_names,
    pillar_axes,
    radar_names,
    ranking_summary,
    sector_note,
    tier_labels,
    weak_foundation_note,
)
from cx.scorecard.pdf import PdfContext, scorecard_pdf

# ------------------------------------------------------------------ company-level numbers


def test_company_score_is_the_mean_of_its_respondents(store):
    table = company_table(store, ALL)
    raw = store.responses(["company", "pillar_empathy", "pyramid_needs"])
    expected = raw.groupby("company")[["pillar_empathy", "pyramid_needs"]].mean()
    got = table.set_index("company")[["pillar_empathy", "pyramid_needs"]]
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_names=False)
    assert table["n"].sum() == 264 and table["code"].is_unique
    one = table.iloc[0]
    pillars = [one[c] for c in PILLAR_COLUMNS]
    assert one["overall"] == pytest.approx(np.mean(pillars))


TABLE = pd.DataFrame({
    "company": ["A", "B", "C", "D", "E", "F"],
    "code": ["AZ-001", "AZ-002", "AZ-003", "AZ-004", "AZ-005", "AZ-006"],
    "sector": ["x", "x", "x", "y", "y", "x"],
    "n": [1, 5, 2, 6, 1, 3],
    "pillar_empathy": [10.0, 20.0, 30.0, 40.0, 50.0, np.nan],
})


def test_peer_band_median_and_quartiles_over_companies():
    band = peer_band(TABLE, ("pillar_empathy",), k=3).iloc[0]
    # 10, 20, 30, 40, 50 (F did not answer), each statistic the mean of the 3 scores around
    # its rank: Q1 at rank 1 → (10+20+30)/3, median at rank 2 → 30, Q3 at rank 3 → 40
    assert (band["median"], band["q1"], band["q3"], band["companies"]) == (30, 20, 40, 5)
    assert not band["suppressed"]
    # with k = 5 every statistic covers all five companies: none is one company's score
    whole = peer_band(TABLE, ("pillar_empathy",), k=5).iloc[0]
    assert whole["median"] == whole["q1"] == whole["q3"] == 30
    hidden = peer_band(TABLE, ("pillar_empathy",), k=6).iloc[0]
    assert hidden["suppressed"] and math.isnan(hidden["median"])


def test_sector_median_needs_k_companies():
    band = sector_band(TABLE, ("pillar_empathy",), k=3).set_index("sector")
    assert band.loc["x", "median"] == 20 and band.loc["x", "companies"] == 3
    assert band.loc["y", "suppressed"] and math.isnan(band.loc["y", "median"])


def test_who_sees_which_company():
    assert len(visible_companies(TABLE, Viewer("analyst"), k=5)) == 6
    # a company's row describes one company, however many respondents it has (issue 16):
    # a visitor sees none, a manager only their own
    assert visible_companies(TABLE, PUBLIC, k=5).empty
    manager = Viewer("manager", company="A")
    assert list(visible_companies(TABLE, manager, k=5)["company"]) == ["A"]
    labels = company_labels(TABLE, manager)
    assert labels["AZ-001"] == "A" and labels["AZ-002"] == "AZ-002"
    assert set(company_labels(TABLE, Viewer("analyst", show_names=False)).values()) == set(
        TABLE["code"])


# ------------------------------------------------------------------ pyramid


def test_level_profile_mean_and_t_interval():
    scores = pd.DataFrame({"pyramid_needs": [40.0, 50.0, 60.0], "pyramid_ease": [0.0, 50.0, 100.0],
                           "pyramid_enjoyment": [np.nan, 75.0, 75.0]})
    levels = level_profile(scores, k=1).set_index("level")
    half = stats.t.ppf(0.975, 2) * 10 / math.sqrt(3)  # sd 10 on three answers
    assert levels.loc["needs", "value"] == 50
    assert levels.loc["needs", "low"] == pytest.approx(50 - half)
    assert levels.loc["needs", "high"] == pytest.approx(50 + half)
    assert (levels.loc["ease", "low"], levels.loc["ease", "high"]) == (0, 100), "clipped"
    assert levels.loc["enjoyment", "n"] == 2
    assert list(levels.index) == ["needs", "ease", "enjoyment"]
    assert level_profile(scores, k=4)["suppressed"].all()


def _levels(needs, ease, enjoyment):
    return pd.DataFrame({"level": ["needs", "ease", "enjoyment"],
                         "value": [needs, ease, enjoyment], "suppressed": False})


def _respondents(needs, ease, enjoyment, n=60, sd=10.0, seed=7):
    """Respondents' level scores: a person effect shared by the levels plus noise, so that the
    levels are paired as in the survey."""
    rng = np.random.default_rng(seed)
    person = rng.normal(0, 8, n)
    return pd.DataFrame({f"pyramid_{level}": mean + person + rng.normal(0, sd, n)
                         for level, mean in (("needs", needs), ("ease", ease),
                                             ("enjoyment", enjoyment))})


@pytest.mark.parametrize(("means", "pairs"), [
    ((70, 60, 50), []),
    ((50, 60, 55), [("ease", "needs"), ("enjoyment", "needs")]),
    ((70, 50, 60), [("enjoyment", "ease")]),
    ((61.6, 62.4, 40), []),  # 0.8 points on 60 respondents: no claim
])
def test_weak_foundations_need_a_paired_difference_that_excludes_zero(means, pairs):
    scores = _respondents(*means)
    shown = _levels(*(scores[f"pyramid_{lv}"].mean() for lv in ("needs", "ease", "enjoyment")))
    found = weak_foundations(foundation_tests(scores), shown)
    assert [(w.upper, w.lower) for w in found] == pairs
    for w in found:
        diff = scores[f"pyramid_{w.upper}"] - scores[f"pyramid_{w.lower}"]
        ci = stats.ttest_1samp(diff, 0).confidence_interval()
        assert (w.difference.low, w.difference.high) == pytest.approx((ci.low, ci.high))
        assert w.difference.low > 0


def test_the_weak_foundation_note_gives_the_difference_and_its_interval():
    scores = _respondents(50, 60, 55)
    levels = _levels(*(scores[f"pyramid_{lv}"].mean() for lv in ("needs", "ease", "enjoyment")))
    found = weak_foundations(foundation_tests(scores), levels)
    note = weak_foundation_note(found, "AZ-007", "it")
    ease = found[0].difference
    assert note.startswith("**Fondamenta deboli** (AZ-007): Facilità (")
    assert (f"di {fmt.number(ease.estimate, 'it', 1)} punti (IC 95% della differenza: da "
            f"{fmt.number(ease.low, 'it', 1)} a {fmt.number(ease.high, 'it', 1)}; "
            f"d_z = {fmt.number(found[0].dz, 'it', 2)}, ") in note
    assert "by " in weak_foundation_note(found, "AZ-007", "en")
    assert weak_foundation_note([], "AZ-007", "it") is None


def test_holm_across_the_three_pairs_can_withhold_a_raw_p_under_005():
    # ease above needs by a hair: raw p just under 0.05, second smallest of the three, so
    # Holm doubles it — no weak foundation is claimed
    scores = _respondents(60, 62.5, 61, n=100, seed=4)
    tests = {(t.first, t.second): t for t in foundation_tests(scores)}
    ease = tests[("pyramid_ease", "pyramid_needs")]
    assert ease.interval.estimate > 0 and ease.p < 0.05 <= ease.p_holm
    assert ease.p_holm == pytest.approx(2 * ease.p)
    assert weak_foundations(tuple(tests.values()), _levels(60, 62, 61)) == []


def test_a_level_equal_in_every_pair_of_two_respondents_makes_no_claim():
    scores = pd.DataFrame({"pyramid_needs": [50.0, 75.0], "pyramid_ease": [62.5, 87.5],
                           "pyramid_enjoyment": [25.0, 50.0]})
    assert weak_foundations(foundation_tests(scores), _levels(62, 75, 37)) == []


def test_suppressed_levels_are_never_compared():
    scores = _respondents(50, 60, 55)
    hidden = _levels(50, 60, 55).assign(suppressed=[True, False, False])
    assert weak_foundations(foundation_tests(scores), hidden) == []


def test_segments_under_k_respondents_or_companies_are_suppressed():
    scores = pd.DataFrame({
        "company": ["a", "b", "c", "d", "e", "f", "f", "f"],
        "sector": ["x"] * 5 + ["y"] * 3,
        "pyramid_needs": [50.0] * 8, "pyramid_ease": [25.0] * 8,
        "pyramid_enjoyment": [0.0] * 8})
    seg = segment_profiles(scores, "sector", k=3, min_companies=3).set_index(["panel", "level"])
    assert seg.loc[("x", "needs"), "value"] == 50 and not seg.loc[("x", "needs"), "suppressed"]
    assert seg.loc[("y", "needs"), "suppressed"], "3 respondents but one company"
    assert math.isnan(seg.loc[("y", "needs"), "value"])


# ------------------------------------------------------------------ pillars


def _pillar_scores(means, n=250, seed=5):
    rng = np.random.default_rng(seed)
    person = rng.normal(0, 8, n)
    return pd.DataFrame({c: m + person + rng.normal(0, 12, n)
                         for c, m in zip(PILLAR_COLUMNS, means)})


def _profile(scores):
    return pd.DataFrame({"measure": list(PILLAR_COLUMNS),
                         "value": [scores[c].mean() for c in PILLAR_COLUMNS],
                         "low": 0.0, "high": 100.0, "n": len(scores), "suppressed": False})


def test_pillar_ranking_marks_a_clear_strongest_and_weakest():
    scores = _pillar_scores([50.0, 70.0, 40.0, 60.0, 55.0, 65.0])
    standing = standings.standing(scores, PILLAR_COLUMNS)
    ranking = pillar_ranking(_profile(scores), standing)
    assert list(ranking["pillar"]) == ["integrity", "empathy", "resolution", "time_effort",
                                       "personalisation", "expectations"]
    assert list(ranking["role"]) == ["strongest", *["other"] * 4, "weakest"]
    sentence = ranking_summary(standing, "it")
    assert sentence.startswith("Il pilastro più forte è «Integrità» (")
    assert "punti sopra «Empatia» (IC 95% della differenza: da " in sentence
    assert "il più debole è «Aspettative»" in sentence


def test_the_issues_tie_at_the_top_is_called_a_tie():
    # the sample's Club: Personalizzazione 55.6 against Integrità 55.4, paired p = 0.77
    scores = _pillar_scores([55.6, 55.4, 48.8, 52.7, 53.8, 54.9], n=264, seed=2)
    standing = standings.standing(scores, PILLAR_COLUMNS)
    assert standing.leader is None and {"pillar_personalisation", "pillar_integrity"} <= set(
        standing.top)
    ranking = pillar_ranking(_profile(scores), standing)
    roles = dict(zip(ranking["pillar"], ranking["role"]))
    assert roles["personalisation"] == roles["integrity"] == "top_tie"
    sentence = ranking_summary(standing, "it")
    assert "più forte" not in sentence and "sono in testa a pari merito" in sentence
    assert "«Personalizzazione»" in sentence and "«Integrità»" in sentence
    assert "share the lead" in ranking_summary(standing, "en")


def test_no_standing_no_roles():
    scores = _pillar_scores([50.0, 50.0, 50.0, 50.0, 50.0, 50.2], n=30)
    standing = standings.standing(scores, PILLAR_COLUMNS)
    assert standing.all_tied
    assert set(pillar_ranking(_profile(scores), standing)["role"]) == {"other"}
    assert set(pillar_ranking(_profile(scores), None)["role"]) == {"other"}
    assert ranking_summary(standing, "it").startswith("Nessun pilastro si distingue")


def test_heatmap_keeps_the_best_overall_scores_first():
    table = pd.DataFrame({"code": ["AZ-1", "AZ-2", "AZ-3"], "overall": [50.0, 80.0, np.nan],
                          **{c: [50.0, 80.0, np.nan] for c in PILLAR_COLUMNS}})
    heat = heatmap_table(table, {"AZ-1": "Uno", "AZ-2": "AZ-2", "AZ-3": "AZ-3"}, rows=5)
    assert list(heat.drop_duplicates("label")["label"]) == ["AZ-2", "Uno"]
    assert len(heat) == 2 * 6 and set(heat["rank"]) == {1, 2}


# ------------------------------------------------------------------ next practice


def _answers(**changes):
    top = {"cj_ideal_map": "complete", "cj_real_checks": "quarterly", "cj_training": "quarterly",
           "buyer_personas": "data_based", "cx_indicators": "csi|nps|csat|ces",
           "big_data": "predictive",
           "touchpoints": "store|website|ecommerce|app|social|email|chat|contact_center|ticketing",
           "journey_stages": "awareness|consideration|purchase|use|loyalty|advocacy",
           "improvement_plans": "systematic", "cx_role": "team", "omnichannel": 5}
    return pd.DataFrame([{**top, **changes}])


def test_next_practice_is_the_largest_weighted_gain():
    qn = questionnaire()
    total = sum(q.weight for q in qn.practices)
    assert total == 16.5
    # real checks: weight 2 × (1 − 0.34) = 1.32 beats big data: 1.5 × (1 − 0.34) = 0.99
    step = next_practice(_answers(cj_real_checks="yearly", big_data="pilot"), qn)
    assert step.question == "cj_real_checks"
    assert step.gain == pytest.approx(2 * 0.66 / 16.5 * 100)
    assert (step.current, step.target) == ("yearly", ("half_yearly",))


def test_company_practice_score_matches_scoring(store):
    from cx.respondent_scores import practice_score

    qn = questionnaire()
    answers = store.responses(["company", *(q.id for q in qn.practices)])
    for _, group in list(answers.groupby("company"))[:25]:
        for q in qn.practices:
            mean = practice_score(group[q.id], q).mean()
            expected = float(mean) if pd.notna(mean) else math.nan
            got = company_practice_score(group[q.id], q)
            assert got == pytest.approx(expected, nan_ok=True), q.id


def test_next_practice_for_a_multiple_choice_lists_what_is_missing():
    step = next_practice(_answers(cx_indicators="csi|nps"), questionnaire())
    assert step.question == "cx_indicators" and step.target == ("csat", "ces")
    assert step.current is None


def test_next_practice_ties_go_to_the_first_asked_and_none_when_all_done():
    qn = questionnaire()
    step = next_practice(_answers(cj_ideal_map="partial", improvement_plans="sometimes"), qn)
    assert step.question == "improvement_plans"  # 2 × 0.5 beats 2 × 0.33
    # both weight 2, both at 0.67: the journey map is asked first
    step = next_practice(_answers(cj_ideal_map="partial", cj_real_checks="half_yearly"), qn)
    assert step.question == "cj_ideal_map"
    assert next_practice(_answers(), qn) is None


# ------------------------------------------------------------------ geometry on the spec


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer") or spec["spec"]["layer"]


def _dataset(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data", spec.get("data", {}))
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def test_radar_vertices_on_the_axes():
    frame = pd.DataFrame({"pillar": list(PILLARS), "value": [100, 50, 0, 0, 0, 0]})
    pts = radar_points(frame)
    assert (pts.loc[0, "x"], pts.loc[0, "y"]) == pytest.approx((0.0, 1.0))  # 12 o'clock
    assert (pts.loc[1, "x"], pts.loc[1, "y"]) == pytest.approx(
        (0.5 * math.sin(math.pi / 3), 0.5 * math.cos(math.pi / 3)))  # clockwise


def _signed_area(xy: pd.DataFrame) -> float:
    x, y = xy["x"].to_numpy(), xy["y"].to_numpy()
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def test_band_ring_is_q3_clockwise_then_q1_counter_clockwise():
    band = pd.DataFrame({"pillar": list(PILLARS), "low": 40.0, "high": 80.0})
    ring = band_ring(band)
    assert len(ring) == 14 and list(ring["order"]) == list(range(14))
    outer, inner = ring.iloc[:6], ring.iloc[8:14]
    assert _signed_area(outer) < 0 < _signed_area(inner), "opposite windings leave a hole"
    assert ring.iloc[6][["x", "y"]].tolist() == ring.iloc[0][["x", "y"]].tolist()
    assert np.hypot(ring.iloc[7]["x"], ring.iloc[7]["y"]) == pytest.approx(0.4)


def test_radar_spec_is_square_closed_and_labelled():
    pieces = {"company": pd.DataFrame({"pillar": list(PILLARS), "value": [60.0] * 6}),
              "club": pd.DataFrame({"pillar": list(PILLARS), "value": [50.0] * 6}),
              "band": pd.DataFrame({"pillar": list(PILLARS), "low": 40.0, "high": 70.0})}
    spec = radar_chart(pieces, radar_names("AZ-007", "it"), pillar_axes("it"),
                       Titles("T", "s", "it"), RadarStyle(size=400))
    assert spec["width"] == spec["height"] == 400
    polygons = [la for la in _layers(spec) if isinstance(la["mark"], dict)
                and la["mark"].get("interpolate") == "linear-closed"]
    assert len(polygons) == 2  # the grid rings, then every profile (one closed path per kind)
    layer = polygons[1]
    assert layer["encoding"]["detail"]["field"] == "kind"
    assert layer["encoding"]["order"]["field"] == "order"
    scales = [layer["encoding"][c]["scale"]["domain"] for c in ("x", "y")]
    assert [b - a for a, b in scales] == [2 * DOMAIN, 2 * DOMAIN], "equal units: no squash"
    assert scales[1][1] == TOP
    rows = _dataset(spec, layer)
    assert [r["kind"] for r in rows] == ["band"] * 14 + ["club"] * 6 + ["company"] * 6
    company = [r for r in rows if r["kind"] == "company"]
    assert (company[0]["x"], company[0]["y"]) == pytest.approx((0.0, 0.6))
    assert (company[3]["x"], company[3]["y"]) == pytest.approx((0.0, -0.6))  # 6 o'clock
    assert [r["order"] for r in company] == list(range(6))
    text = str(spec)
    for name in ("Personalizzazione", "Tempo e impegno", "Mediana del Club", "AZ-007"):
        assert name in text


def test_pyramid_tiers_are_stacked_trapezoids():
    levels = pd.DataFrame({"panel": "club", "level": ["needs", "ease", "enjoyment"],
                           "value": [70.0, 60.0, 50.0], "low": [65.0, 55.0, 45.0],
                           "high": [75.0, 65.0, 55.0], "n": 120, "suppressed": False})
    verts = pyramid_vertices(levels, level_names("it"), "it", 5)
    assert len(verts) == 12
    base = verts[verts["level"] == "needs"].sort_values("vertex")
    assert base[["x", "y"]].iloc[0].tolist() == pytest.approx([-half_width(GAP / 2), GAP / 2])
    for level, i in (("needs", 0), ("ease", 1), ("enjoyment", 2)):
        tier = verts[verts["level"] == level].sort_values("vertex")
        bottom, top = tier.iloc[1]["x"], tier.iloc[2]["x"]
        assert top < bottom and tier["y"].between(i, i + 1).all()
    assert verts["detail"].iloc[0] == "n = 120 · IC 95% [65; 75]"
    spec = pyramid_chart(levels, tier_labels("it", 5), Titles("T", "s", "it"),
                         PyramidLayout(width=360, height=240))
    assert (spec["width"], spec["height"]) == (360, 240)
    assert spec["layer"][0]["mark"]["interpolate"] == "linear-closed"


def test_pyramid_small_multiples_facet_by_panel():
    levels = pd.concat([pd.DataFrame({"panel": p, "level": ["needs", "ease", "enjoyment"],
                                      "value": [70.0, 60.0, 50.0], "low": np.nan,
                                      "high": np.nan, "n": 7, "suppressed": False})
                        for p in ("a", "b")], ignore_index=True)
    spec = pyramid_chart(levels, tier_labels("en", 5), Titles("T", "s", "en"),
                         PyramidLayout((("a", "Segment A"), ("b", "Segment B"))))
    assert spec["facet"]["field"] == "panel_title" and spec["columns"] == 3
    assert spec["facet"]["sort"] == ["Segment A", "Segment B"]


# ------------------------------------------------------------------ scorecard and PDF


@pytest.fixture(scope="module")
def card(sample_db_template):
    from cx.store import Store

    with Store.open(sample_db_template) as s:
        name, code = find_company(s, "AZ-010")
        return scorecard_for(s, code, ALL, 5), name


def test_scorecard_against_the_store(card, sample_db_template):
    from cx.store import Store

    sc, name = card
    with Store.open(sample_db_template) as s:
        raw = s.responses(["company", "pyramid_ease", "maturity_index"])
        assert find_company(s, name) == (name, "AZ-010")
        assert find_company(s, "nessuna") is None
    own = raw[raw["company"] == name]
    levels = sc.levels.set_index(["panel", "level"])
    assert levels.loc[("company", "ease"), "value"] == pytest.approx(own["pyramid_ease"].mean())
    assert levels.loc[("club", "ease"), "n"] == raw["pyramid_ease"].notna().sum()
    assert sc.maturity.value == pytest.approx(own["maturity_index"].mean())
    assert sc.n == len(own) and set(sc.radar) == {"company", "club", "band", "sector"}
    assert set(sc.kpis["kpi"]) == {"kpi_nps", "kpi_csat", "kpi_ces", "kpi_csi"}


def test_a_company_under_30_respondents_is_marked_indicative(card):
    from cx.scorecard.figures import company_pyramid, indicator_table

    sc, _ = card
    assert sc.n < 30 and sc.maturity.indicative
    table = indicator_table(sc, "it").set_index("Indicatore")
    shown = table["Azienda"][table["Azienda"] != "–"]
    assert len(shown) and shown.str.endswith("· indicativo)").all()
    assert not table["Club"].str.contains("indicativo").any()
    panels = company_pyramid(sc, "AZ-010", "tutte le ondate", "it")["facet"]["sort"]
    assert panels[0] == "AZ-010 · indicativo"
    assert sc.levels.set_index("panel").loc["club", "companies"].min() > 1, "clustered"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_pdf_opens_with_one_page_with_the_code_and_translated_headings(card, lang):
    sc, _ = card
    scope = describe_scope(Filters(wave=2026), questionnaire(), lang)
    pdf = scorecard_pdf(sc, PdfContext("AZ-010", scope, lang, dt.date(2026, 11, 23)))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # the one-pager first; where the company stands and how it moved on the following pages
    assert len(reader.pages) >= 2
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    text = " ".join(reader.pages[0].extract_text().split())
    headings = {"it": ["Scheda azienda", "Indice di maturità CX", "Prossima pratica da adottare",
                       "KPI dichiarati", "Indicatori del Club", "Ondata 2026",
                       "23 novembre 2026"],
                "en": ["Company scorecard", "CX maturity index", "Next practice to adopt",
                       "Declared KPIs", "Club indicators", "Wave 2026", "23 November 2026"]}
    assert "AZ-010" in text
    for heading in headings[lang]:
        assert heading in text, heading


def test_a_company_is_above_or_below_its_sector_only_where_the_test_holds(sample_db_template):
    from cx.stats import holm
    from cx.store import Store

    with Store.open(sample_db_template) as s:
        _, code = find_company(s, "Serra Meccanica S.p.A.")  # codes are drawn at random
        sc = scorecard_for(s, code, ALL, 5)
        raw = s.responses(["company", "sector", *PYRAMID_COLUMNS, *PILLAR_COLUMNS])
    own = raw[raw["company"] == sc.company]
    rest = raw[(raw["sector"] == sc.sector) & (raw["company"] != sc.company)]
    gaps = {g.measure: g for g in sc.versus_sector}
    assert set(gaps) == {*PYRAMID_COLUMNS, *PILLAR_COLUMNS}
    with warnings.catch_warnings():  # three equal answers: scipy warns, the test is defined
        warnings.simplefilter("ignore", RuntimeWarning)
        refs = {m: stats.ttest_ind(own[m].dropna(), rest[m].dropna()) for m in gaps}
    adjusted = dict(zip(refs, holm([r.pvalue for r in refs.values()])))
    for m, gap in gaps.items():
        ci = refs[m].confidence_interval()
        assert (gap.difference.low, gap.difference.high) == pytest.approx((ci.low, ci.high))
        assert gap.p_holm == pytest.approx(adjusted[m])
        assert gap.rest == pytest.approx(rest[m].mean())
        assert (gap.side == "in_line") == (adjusted[m] >= 0.05)
    assert [m for m, g in gaps.items() if g.side != "in_line"] == ["pillar_resolution"]
    note = sector_note(sc, "it")
    assert note.startswith("**Rispetto al resto del settore** (Manifattura e industria): "
                           "sopra in Risoluzione (+24,2 punti, IC 95% [")
    assert note.endswith("in linea negli altri 8 punteggi.")
    assert "above in Resolution" in sector_note(sc, "en")


def test_one_respondent_is_never_above_or_below_the_sector(sample_db_template):
    from cx.store import Store

    with Store.open(sample_db_template) as s:
        table = company_table(s, ALL)
        sc = scorecard_for(s, table.loc[table["n"] == 1, "code"].iloc[0], ALL, 5)
    assert sc.n == 1 and sc.versus_sector == () and sector_note(sc, "it") is None
    assert sc.weak == ()


def test_scorecard_charts_render_offline(card):
    from cx.charts import to_png

    sc, _ = card
    png = to_png(company_pyramid(sc, "AZ-010", "Tutte le ondate", "it"), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    radar = company_radar(sc.radar, "AZ-010", Titles("T", "s", "en"))
    alt.LayerChart.from_dict(radar, validate=True)  # a valid Vega-Lite spec
    alt.FacetChart.from_dict(company_pyramid(sc, "AZ-010", "x", "en"), validate=True)
    json.dumps(radar, allow_nan=False)


def test_scorecard_command(sample_db, tmp_path, capsys):
    out = tmp_path / "scheda.pdf"
    assert main(["report", "--company", "AZ-010", "--out", str(out), "--db", str(sample_db),
                 "--lang", "en"]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    assert "AZ-010" in capsys.readouterr().err
    text = " ".join(pypdf.PdfReader(out).pages[0].extract_text().split())
    assert "Buyer Persona" in text and "is closest to the Buyer Persona" in text
    missing = tmp_path / "none.pdf"
    assert main(["report", "--company", "AZ-999", "--out", str(missing),
                 "--db", str(sample_db)]) == 1
    assert main(["report", "--company", "AZ-010", "--wave", "2031", "--out", str(missing),
                 "--db", str(sample_db)]) == 1
    assert not missing.exists()
    with pytest.raises(SystemExit) as usage:
        main(["report", "--out", str(missing)])
    assert usage.value.code == 2


def test_radar_pieces_leave_out_what_is_suppressed():
    band = peer_band(TABLE.assign(**{c: 50.0 for c in PILLAR_COLUMNS}), PILLAR_COLUMNS, k=7)
    pieces = radar_profiles(TABLE.assign(**{c: 50.0 for c in PILLAR_COLUMNS}).iloc[0], band,
                            None)
    assert set(pieces) == {"company"}


def test_the_company_persona_is_the_nearest_to_its_answers(sample_db):
    from cx.personas.matching import company_persona, match_company
    from cx.personas.report import build_report, report_columns
    from cx.personas.text import company_persona_sentence
    from cx.store import Store
    from cx.view import View

    view = View(Filters(), "it", k=5, comment_k=8)
    with Store.open(sample_db) as s:
        name = s.query("company_codes").set_index("code").loc["AZ-010", "company"]
        match = company_persona(s, name, view)
        report = build_report(s.responses(report_columns(s.qn)), s.qn, view)
        expected = match_company(report, s.query("personas_company", company=name))
    assert match == expected and match.respondents >= 1
    sentence = company_persona_sentence(match, "AZ-010", "it")
    assert sentence.startswith("AZ-010 è più vicina alla Buyer Persona «")


@pytest.mark.parametrize("published", [False, True])
def test_the_rest_of_a_sector_is_summed_in_duckdb_as_by_hand(sample_db, published):
    """A company is tested against its sector without it: the sums the store returns equal
    those of the respondents' own rows, counted here one by one."""
    from cx.companies import TESTED, rest_sample
    from cx.dataset import open_shared
    from cx.privacy import attach

    store = open_shared(sample_db)
    attach(store, 5, 8)
    chosen = Filters(published=published)
    rows = store.responses(("company", "sector", *TESTED), chosen)
    sector = rows["sector"].value_counts().index[0]
    company = rows.loc[rows["sector"] == sector, "company"].iloc[0]
    rest = rows[(rows["sector"] == sector) & (rows["company"] != company)]
    found = store.rest_of_sector(TESTED, chosen, str(sector), str(company))
    for measure in TESTED:
        values = [float(v) for v in rest[measure] if not pd.isna(v)]
        n, total, squares = found[measure]
        assert n == len(values) > 5
        assert total == pytest.approx(sum(values))
        assert squares == pytest.approx(sum(v * v for v in values))
        sample = rest_sample(n, total, squares)
        assert sample.mean == pytest.approx(np.mean(values))
        assert sample.var == pytest.approx(np.var(values, ddof=1))

"""Buyer Personas: features, model, descriptions and statistics against hand tables and scipy,
then the page through real Streamlit (AppTest) on a real database copy."""

import math
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from scipy import stats
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from cx.i18n import LANGS, catalogue, t
from cx.personas import report as report_mod
from cx.personas.features import (
    column_weights,
    encode_answers,
    learn_fill,
    persona_features,
    persona_questions,
)
from cx.personas.matching import match_company
from cx.personas.model import (
    K_MAX,
    K_MIN,
    KStability,
    agreement,
    assign,
    assign_mean,
    choose_k,
    fit_personas,
    other_stable_k,
    reading,
)
from cx.personas.names import NOUNS, PRACTICE_TRAITS, PROFILE_TRAITS
from cx.personas.outcomes import built_from, holm, nps_points, persona_outcomes, welch
from cx.personas.report import TooFew, build_report
from cx.personas.text import (
    feature_table,
    outcome_details,
    outcome_table,
    persona_name,
    stability_warning,
    trait_text,
    traits_text,
    untested_note,
)
from cx.personas.traits import TRAIT_Z, TRAITS_MAX, persona_traits, share_test, trait_p_values
from cx.questionnaire import parse_questionnaire, questionnaire
from cx.stats import Sample
from cx.synth import synthesize
from cx.view import View
from tests.conftest import ROOT

RULES = View(k=5, comment_k=8)  # privacy k and comment k of the tests below


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """The embedded sample (same seed and size) with its latent profiles and its scores."""
    from cx.dataset import with_scores

    frame = synthesize(264, (2025, 2026), seed=2026, with_profile=True)
    return with_scores(frame.drop(columns="_profile")).assign(_profile=frame["_profile"])


@pytest.fixture(scope="module")
def four(sample):
    return build_report(sample, questionnaire(), RULES, 4)


@pytest.fixture(scope="module")
def auto(sample):
    return build_report(sample, questionnaire(), RULES)


def _blob_questionnaire(n_features: int):
    return parse_questionnaire({
        "version": 1, "sections": {"s": {"it": "S", "en": "S"}},
        "questions": [{"id": f"x{i}", "section": "s", "type": "number", "role": "behavioural",
                       "min": -100, "max": 100, "it": f"x{i}", "en": f"x{i}"}
                      for i in range(n_features)]})


def _blobs(x: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(x * 5, columns=[f"x{i}" for i in range(x.shape[1])])


def _planted(seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Four groups of 150 around equidistant centres in 6 dimensions: no two groups are closer
    than any other two, so no coarser split is stable."""
    truth = np.repeat(np.arange(4), 150)
    x = np.eye(4, 6)[truth] * 6 + np.random.default_rng(seed).normal(size=(600, 6))
    return _blobs(x), truth


# ---------------------------------------------------------------- features and missing answers

def test_features_are_the_profile_and_practice_questions():
    qn = questionnaire()
    ids = {q.id for q in persona_questions(qn)}
    assert {"sector", "size_band", "region", "market", "touchpoints", "big_data"} <= ids
    assert not ids & {"company", "pyr_needs_1", "club_nps", "pain_point", "kpi_nps"}
    features = persona_features(persona_questions(qn))
    names = [f.name for f in features]
    assert sum(n.startswith("sector=") for n in names) == 7, "a category is one-hot"
    assert "size_band" in names and "omnichannel" in names, "ordered scales are numbers"
    assert sum(n.startswith("touchpoints=") for n in names) == 9, "multi: one 0/1 per option"
    assert len(features) == 52


def test_missing_answers_follow_the_documented_rules():
    qn = questionnaire()
    # as every wave asked them (persona_questions): cx_indicators without 2027's «Altro»
    original = qn.original()
    questions = tuple(original[q] for q in ("market", "size_band", "omnichannel",
                                            "cx_indicators"))
    answers = pd.DataFrame({
        "market": ["b2b", "b2c", "b2b", None],
        "size_band": ["micro", "large", "xlarge", None],  # positions 0, 3, 4 → median 3
        "omnichannel": pd.array([1, 2, None, 5], dtype="Int64"),  # median of 1, 2, 5 = 2
        "cx_indicators": ["nps|csat", None, "none", "nps"],
    })
    fill = learn_fill(answers, questions)
    assert fill == {"market": "b2b", "size_band": 3.0, "omnichannel": 2.0, "cx_indicators": None}
    x = encode_answers(answers, questions, fill)
    # columns: b2b b2c both | size | omni | csi nps csat ces none
    assert x[0].tolist() == [1, 0, 0, 0, 1, 0, 1, 1, 0, 0]
    assert x[1].tolist() == [0, 1, 0, 3, 2, 0, 0, 0, 0, 0], "blank checklist: nothing ticked"
    assert x[2].tolist() == [1, 0, 0, 4, 2, 0, 0, 0, 0, 1], "missing Likert: the median"
    assert x[3].tolist() == [1, 0, 0, 3, 5, 0, 1, 0, 0, 0], "missing category: the mode"


def test_unknown_codes_count_as_missing():
    qn = questionnaire()
    questions = (qn["market"],)
    x = encode_answers(pd.DataFrame({"market": ["b2b", "nonsense"]}), questions,
                       {"market": "b2c"})
    assert x.tolist() == [[1, 0, 0], [0, 1, 0]]


# ---------------------------------------------------------------- the model

def test_planted_groups_give_the_true_k_and_stable_personas():
    answers, truth = _planted()
    model = fit_personas(answers, _blob_questionnaire(6))
    curve = {s.k: s.ari for s in model.stability_}
    assert model.k_ == model.best_k_ == 4, curve
    assert adjusted_rand_score(truth, model.labels_) >= 0.99
    assert model.stability >= 0.99 and (model.jaccard_ > 0.75).all()
    assert curve[2] < 0.8 and curve[3] < 0.8, "merging equidistant groups is arbitrary"


def test_hierarchical_blobs_take_the_coarsest_equally_stable_k():
    """make_blobs(random_state=7) puts its four groups in two pairs: two personas are exactly
    as reproducible as four, and the one-standard-error rule prefers the simpler; the page
    offers the four (other_stable_k)."""
    x, truth = make_blobs(n_samples=600, centers=4, n_features=6, cluster_std=1.0,
                          random_state=7)
    model = fit_personas(_blobs(x), _blob_questionnaire(6))
    curve = {s.k: s.ari for s in model.stability_}
    assert curve[2] == curve[4] == pytest.approx(1.0)
    assert model.k_ == 2 and model.stability == pytest.approx(1.0)
    assert other_stable_k(model) in {3, 4}
    four = fit_personas(_blobs(x), _blob_questionnaire(6), k=4)
    assert adjusted_rand_score(truth, four.labels_) >= 0.99


def test_pure_noise_is_unstable_and_the_page_says_so():
    noise = np.random.default_rng(0).normal(size=(600, 6)) * 4
    found = build_report(_blobs(noise), _blob_questionnaire(6), RULES)
    assert found.model.stability < 0.65
    assert max(s.ari for s in found.model.stability_) < 0.65
    assert all(p.reading != "stable" for p in found.personas)
    for lang, words in (("it", "Personas poco stabili"), ("en", "Unstable personas")):
        assert stability_warning(found, lang).startswith(words)


def test_a_dissolving_persona_is_named_in_the_warning(sample):
    five = build_report(sample, questionnaire(), RULES, 5)
    dissolved = [p for p in five.personas if p.reading == "dissolved"]
    assert five.model.stability >= 0.65 and len(dissolved) == 1
    label = f"{dissolved[0].index + 1} · {persona_name(dissolved[0].name, 'it')}"
    assert stability_warning(five, "it") == (
        f"1 persona si dissolve quando i rispondenti vengono ricampionati ({label}): "
        "è segnalata sulla sua scheda.")


def test_the_slide_card_flags_a_dissolving_persona_and_never_forces_a_trait(four):
    from dataclasses import replace

    from cx.deck.personas import persona_card

    persona = four.personas[0]
    assert persona_card(four, persona, questionnaire(), "it", 3).traits == tuple(
        trait_text(tr, questionnaire(), "it") for tr in persona.traits[:3])
    bare = persona_card(four, replace(persona, traits=()), questionnaire(), "en", 3)
    assert bare.traits == ("No reliable difference from the Club.",)
    gone = persona_card(four, replace(persona, jaccard=0.4), questionnaire(), "it", 3)
    assert gone.traits[0].startswith("Persona instabile") and len(gone.traits) == 3


def test_one_standard_error_rule_hand_curves():
    def curve(*points):
        return tuple(KStability(k, ari, se, ()) for k, (ari, se) in enumerate(points, start=2))

    # best 4 (0.95 ± 0.02): the floor 0.93 admits 3 (0.94) but not 2 (0.90) → 3
    assert choose_k(curve((0.90, 0.01), (0.94, 0.01), (0.95, 0.02), (0.70, 0.03))) == 3
    # best 2: nothing smaller → 2, whatever the others
    assert choose_k(curve((0.99, 0.001), (0.985, 0.001), (0.60, 0.05))) == 2
    # a tie at the top goes to the smaller k
    assert choose_k(curve((0.80, 0.0), (0.90, 0.0), (0.90, 0.0))) == 3
    # a k never measured (too few rows for it) is skipped
    assert choose_k(curve((float("nan"), float("nan")), (0.7, 0.1), (0.75, 0.01))) == 4


def test_agreement_is_sklearn_s_ari_and_hand_jaccard():
    reference = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    labels = np.array([1, 1, 0, 0, 0, 0, 2, 2])
    ari, jaccard = agreement(reference, labels, 4)
    assert ari == pytest.approx(adjusted_rand_score(reference, labels))
    # cluster 0 {0,1,2} vs found 1 {0,1}: 2 / 3; cluster 1 {3,4,5} vs found 0 {2,3,4,5}: 3 / 4;
    # cluster 2 {6,7} = found 2: 1; cluster 3 has no row here: NaN
    assert jaccard[:3] == pytest.approx([2 / 3, 3 / 4, 1.0]) and math.isnan(jaccard[3])
    rng = np.random.default_rng(3)
    for _ in range(20):
        a, b = rng.integers(0, 4, 60), rng.integers(0, 5, 60)
        assert agreement(a, b, 4)[0] == pytest.approx(adjusted_rand_score(a, b))


def test_hennig_reading():
    assert [reading(j) for j in (0.59, 0.6, 0.75, 0.76, float("nan"))] == [
        "dissolved", "weak", "weak", "stable", "dissolved"]


def test_every_question_weighs_the_same(sample):
    """Standardised one-hot columns gave a question as many units of variance as it has
    options, and a rare option a disagreement worth 1 / (p (1 − p)); now every question has
    variance 1 and every disagreement on a question weighs the same."""
    questions = persona_questions(questionnaire())
    features = persona_features(questions)
    raw = encode_answers(sample, questions, learn_fill(sample, questions))
    weighted = (raw - raw.mean(axis=0)) * column_weights(raw, features)
    owner = np.array([f.question for f in features])
    for q in questions:
        assert weighted[:, owner == q.id].var(axis=0).sum() == pytest.approx(1.0), q.id
    sector = owner == "sector"
    share = raw[:, sector].mean(axis=0)
    before = 1 / (share * (1 - share))  # a standardised 0/1 column's weight (squared units)
    after = column_weights(raw, features)[sector] ** 2
    # one step on a practice scale weighs 1 / variance in both schemes (scales standardised)
    step = np.median([1 / raw[:, j].var() for j, f in enumerate(features)
                      if f.kind == "scale" and questionnaire()[f.question].role == "behavioural"])
    rare_to_common = before.max() + before.min()  # two columns change
    assert rare_to_common / step > 20, "a rare sector outweighed 20 practice steps"
    assert np.ptp(after) == 0, "every sector change now weighs the same"
    assert 2 * after[0] / step < 2, "and less than two practice steps"


def test_column_weights_hand_values():
    features = persona_features(tuple(questionnaire()[q] for q in ("market", "omnichannel")))
    # market b2b, b2b, b2c, both → shares .5/.25/.25, variances .25, .1875, .1875 (total .625)
    raw = np.array([[1, 0, 0, 1.0], [1, 0, 0, 3.0], [0, 1, 0, 5.0], [0, 0, 1, 3.0]])
    weights = column_weights(raw, features)
    assert weights[:3] == pytest.approx([1 / math.sqrt(0.625)] * 3)
    assert weights[3] == pytest.approx(1 / math.sqrt(2.0)), "omnichannel: variance 2"
    flat = raw.copy()
    flat[:, :3] = [1, 0, 0]
    assert column_weights(flat, features)[:3].tolist() == [0, 0, 0], "nobody differs: no say"


def test_the_sample_s_four_latent_profiles_are_recovered(sample, four):
    assert adjusted_rand_score(sample["_profile"], four.model.labels_) >= 0.9


def test_same_data_same_k_stability_personas_and_traits(sample, auto):
    again = build_report(sample, questionnaire(), RULES)
    assert again.model.k_ == auto.model.k_
    assert again.model.stability_ == auto.model.stability_
    assert np.array_equal(again.model.labels_, auto.model.labels_)
    assert np.array_equal(again.model.jaccard_, auto.model.jaccard_)
    assert again.personas == auto.personas, "names, traits, quotes, stability"


def test_canonical_order_does_not_depend_on_row_order(sample, four):
    shuffled = sample.sample(frac=1, random_state=11).reset_index(drop=True)
    other = build_report(shuffled, questionnaire(), RULES, 4)
    mine = pd.Series(four.model.labels_, index=sample["respondent_id"])
    theirs = pd.Series(other.model.labels_, index=shuffled["respondent_id"])
    assert (mine.loc[theirs.index] == theirs).all()
    assert [p.name for p in other.personas] == [p.name for p in four.personas]
    np.testing.assert_allclose(other.model.centers_, four.model.centers_, atol=1e-9)
    assert other.model.stability_ == four.model.stability_, "resamples drawn by content"
    assert np.array_equal(other.model.jaccard_, four.model.jaccard_)


def test_personas_are_numbered_by_size(four):
    sizes = [p.n for p in four.personas]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == 264
    # whole shares that add up to 100 (largest remainder), each within one of its exact value:
    # a card's share and «the others» on the slide add up
    assert sum(p.share for p in four.personas) == 100
    assert all(p.share == int(p.share) and abs(p.share - p.n / 264 * 100) < 1
               for p in four.personas)


def test_the_sample_s_k_comes_from_the_resampling(auto):
    model = auto.model
    curve = {s.k: s for s in model.stability_}
    assert list(curve) == list(range(K_MIN, K_MAX + 1))
    assert model.k_ == model.best_k_ == choose_k(model.stability_) == 3
    best = max(curve.values(), key=lambda s: s.ari)
    assert curve[3].ari >= best.ari - best.se and curve[2].ari < best.ari - best.se
    assert model.stability == curve[3].ari >= 0.9
    assert (model.jaccard_ > 0.75).all() and all(p.reading == "stable" for p in auto.personas)
    assert other_stable_k(model) == 4, "four personas are stable too"


def test_override_keeps_the_automatic_k_and_its_stability(sample, auto, four):
    assert four.model.k_ == 4 and four.model.best_k_ == auto.model.k_ == 3
    assert four.model.stability_ == auto.model.stability_
    assert four.model.stability == next(s.ari for s in four.model.stability_ if s.k == 4)
    assert len(four.model.jaccard_) == 4 and (four.model.jaccard_ > 0.75).all()
    assert four.model.illustrative, "264 respondents for 52 variables"
    seven = build_report(sample, questionnaire(), RULES, 7)
    assert any(p.reading != "stable" for p in seven.personas), "seven is too many to hold"


def test_too_few_respondents(sample):
    found = build_report(sample.head(12), questionnaire(), RULES)
    assert isinstance(found, TooFew) and found.n == 12 and found.needed == 20


def test_any_respondent_is_assigned_to_its_nearest_persona(sample, four):
    model = four.model
    labels = assign(model, sample)
    assert (labels == model.labels_).mean() >= 0.99
    z = model.transform(sample.head(5))
    nearest = ((z[:, None, :] - model.centers_[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert assign(model, sample.head(5)).tolist() == nearest.tolist()


def test_a_company_is_assigned_from_its_average_answers(sample, four):
    company = sample["company"].value_counts().index[0]
    rows = sample[sample["company"] == company]
    match = match_company(four, rows)
    assert match.index == assign_mean(four.model, rows)
    assert match.respondents == len(rows)
    assert match.name == four.personas[match.index].name
    one_wave = match_company(four, rows, wave=int(rows["wave"].iloc[0]))
    assert one_wave.respondents == int((rows["wave"] == rows["wave"].iloc[0]).sum())
    assert match_company(four, rows.iloc[0:0]) is None


# ---------------------------------------------------------------- names, traits, quotes

def test_names_exist_in_both_languages_and_are_distinct(sample):
    keys = [k for k, *_ in (*PRACTICE_TRAITS, *PROFILE_TRAITS)]
    for lang in LANGS:
        nouns = [t(f"personas.noun.{noun}", lang) for _, noun in NOUNS]
        traits = [t(f"personas.trait.{key}", lang) for key in keys]
        assert len(set(nouns)) == len(nouns) and len(set(traits)) == len(traits)
    assert persona_name(("pioneers", "data_driven"), "it") == "Pionieri data-driven"
    assert persona_name(("explorers", "digital"), "en") == "Digital explorers"
    for k in range(2, 9):
        found = build_report(sample, questionnaire(), RULES, k)
        for lang in LANGS:
            names = [persona_name(p.name, lang) for p in found.personas]
            assert len(set(names)) == k, names


def test_the_sample_personas_are_the_planted_profiles(four):
    assert [persona_name(p.name, "it") for p in four.personas] == [
        "Tradizionali B2B", "Esploratori digitali", "Pionieri data-driven",
        "Costruttori relazionali"]


def test_traits_pass_the_floor_and_holm(four):
    model = four.model
    names = [f.name for f in model.features]
    for persona in four.personas:
        assert len(persona.traits) <= TRAITS_MAX
        questions = [tr.question for tr in persona.traits]
        assert len(set(questions)) == len(questions), "one trait per question"
        assert [abs(tr.z) for tr in persona.traits] == sorted(
            (abs(tr.z) for tr in persona.traits), reverse=True)
        for tr in persona.traits:
            j = names.index(tr.question if tr.option is None else f"{tr.question}={tr.option}")
            assert abs(tr.z) >= TRAIT_Z and tr.p < 0.05
            assert tr.z == pytest.approx(model.deviations_[persona.index, j])
            assert tr.club == pytest.approx(model.mean_[j])
    top = four.personas[0].traits[0]
    assert (top.question, top.option) == ("market", "b2b")
    assert trait_text(top, questionnaire(), "it").startswith("**Mercato** · B2B: 96% (Club 28%)")


def _scipy_p(column: np.ndarray, members: np.ndarray, scale: bool) -> float:
    if scale:
        return stats.ttest_ind(column[members], column[~members], equal_var=False).pvalue
    table = np.array([[column[members].sum(), (1 - column[members]).sum()],
                      [column[~members].sum(), (1 - column[~members]).sum()]])
    expected = stats.contingency.expected_freq(table)
    if expected.min() < 5:
        return stats.fisher_exact(table.astype(int)).pvalue
    return stats.chi2_contingency(table, correction=False).pvalue


def test_trait_tests_against_scipy(sample, four):
    """Every tested persona × feature against scipy on the members' and the rest's answers,
    then Holm over all 4 × 52 cells (those under the floor at p = 1)."""
    model = four.model
    raw = encode_answers(sample, model.questions, model.fill_)
    expected = np.ones((model.k_, len(model.features)))
    for i, j in zip(*np.nonzero(np.abs(model.deviations_) >= TRAIT_Z)):
        expected[i, j] = _scipy_p(raw[:, j], model.labels_ == i,
                                  model.features[j].kind == "scale")
    assert (expected < 1).sum() > 20 and (expected == 1).sum() > 100
    np.testing.assert_allclose(trait_p_values(model, raw), holm(expected.ravel()).reshape(
        expected.shape), rtol=1e-9, atol=1e-300)


def test_share_test_is_fisher_under_five_expected_else_chi_square():
    small = share_test(Sample(10, 0.8, 0), Sample(20, 0.1, 0))  # 8/2 against 2/18
    assert small == pytest.approx(stats.fisher_exact([[8, 2], [2, 18]]).pvalue)
    large = share_test(Sample(200, 0.3, 0), Sample(800, 0.2, 0))  # 60/140 against 160/640
    assert large == pytest.approx(stats.chi2_contingency([[60, 140], [160, 640]],
                                                         correction=False).pvalue)
    assert math.isnan(share_test(Sample(10, 1.0, 0), Sample(20, 1.0, 0))), "everyone ticked"


def test_no_trait_is_forced(four):
    from dataclasses import replace

    model = four.model
    nothing = np.ones((model.k_, len(model.features)))
    assert all(persona_traits(model, nothing, i) == () for i in range(model.k_))
    persona = four.personas[0]
    bare = replace(persona, traits=())
    assert traits_text(bare, questionnaire(), "it").startswith("Nessuna risposta distingue")
    assert traits_text(bare, questionnaire(), "en").startswith("No answer sets")
    everything = np.zeros_like(nothing)
    for i in range(model.k_):
        shown = persona_traits(model, everything, i)
        assert all(abs(tr.z) >= TRAIT_Z for tr in shown), "the floor holds without the test"
        strong = {f.question for f, z in zip(model.features, model.deviations_[i])
                  if abs(z) >= TRAIT_Z}
        assert len(shown) == min(TRAITS_MAX, len(strong))


def test_quote_is_the_nearest_member_text_and_needs_the_comment_threshold(sample, four):
    model = four.model
    z = model.transform(sample)
    for persona in four.personas:
        members = np.flatnonzero(model.labels_ == persona.index)
        has_text = sample["pain_point"].notna() | sample["cx_priority"].notna()
        members = members[has_text.to_numpy()[members]]
        nearest = members[np.argmin(((z[members] - model.centers_[persona.index]) ** 2).sum(1))]
        row = sample.iloc[nearest]
        expected = row["pain_point"] if pd.notna(row["pain_point"]) else row["cx_priority"]
        assert persona.quote.text == expected
    sizes = sorted(p.n for p in four.personas)
    between = build_report(sample, questionnaire(), View(k=5, comment_k=sizes[0] + 1), 4)
    for persona in between.personas:
        assert (persona.quote is None) == (persona.n < sizes[0] + 1)


def test_small_personas_are_suppressed(sample):
    eight = build_report(sample, questionnaire(), RULES, 8)
    threshold = sorted(p.n for p in eight.personas)[2]  # the two smallest fall under it
    found = build_report(sample, questionnaire(), View(k=threshold, comment_k=8), 8)
    small = [p for p in found.personas if p.n < threshold]
    assert small and all(p.suppressed for p in small)
    cells = found.outcomes[found.outcomes["persona"].isin([p.index for p in small])]
    assert cells["value"].isna().all() and cells["p"].isna().all()


# ---------------------------------------------------------------- statistics

def test_nps_points():
    points = nps_points(pd.Series([10, 9, 8, 7, 6, 0, None]))
    assert points.iloc[:6].tolist() == [100, 100, 0, 0, -100, -100]
    assert math.isnan(points.iloc[6])


def test_welch_matches_scipy():
    a, b = np.array([60.0, 70, 80, 75, np.nan]), np.array([50.0, 55, 40, 65, 45, 52])
    t_stat, p = welch(a, b)
    expected = stats.ttest_ind(a[:4], b, equal_var=False)
    assert (t_stat, p) == pytest.approx((expected.statistic, expected.pvalue))
    assert welch(np.array([1.0]), b) is None
    assert welch(np.array([3.0, 3.0]), np.array([3.0, 3.0])) is None


def test_holm_hand_table():
    # sorted p 0.01, 0.03, 0.04 (m = 3): 3·0.01 = 0.03; 2·0.03 = 0.06; max(0.06, 1·0.04) = 0.06
    adjusted = holm(np.array([0.04, 0.01, np.nan, 0.03]))
    assert adjusted[[0, 1, 3]] == pytest.approx([0.06, 0.03, 0.06])
    assert math.isnan(adjusted[2])
    assert holm(np.array([0.6, 0.7])).tolist() == [1.0, 1.0]


def test_outcomes_hand_table():
    # persona 0: maturity 80, 90, 70 (mean 80); persona 1: 20, 30, 40, 10, 50 (mean 30)
    answers = pd.DataFrame({"maturity_index": [80, 90, 70, 20, 30, 40, 10, 50],
                            "club_nps": [10, 9, 6, 0, 10, 7, 8, 3]})
    labels = np.array([0, 0, 0, 1, 1, 1, 1, 1])
    out = persona_outcomes(labels, answers, k=3).set_index(["persona", "measure"])
    cell = out.loc[(0, "maturity_index")]
    assert (cell["value"], cell["n"], cell["rest"], cell["rest_n"]) == (80, 3, 30, 5)
    expected = stats.ttest_ind([80, 90, 70], [20, 30, 40, 10, 50], equal_var=False)
    assert cell["p"] == pytest.approx(expected.pvalue)
    # NPS of persona 0: 2 promoters, 1 detractor of 3 → +33.3; tested on +100/+100/−100
    nps_cell = out.loc[(0, "club_nps")]
    assert nps_cell["value"] == pytest.approx(100 / 3)
    assert nps_cell["p"] == pytest.approx(stats.ttest_ind(
        [100, 100, -100], [-100, 100, 0, 0, -100], equal_var=False).pvalue)
    assert out["p_holm"].notna().sum() == 4 and out["tested"].all()
    assert cell["signif"] == (1 if cell["p_holm"] < 0.05 else 0)
    shown = persona_outcomes(labels, answers, 3, frozenset({"maturity_index"}))
    shown = shown.set_index(["persona", "measure"])
    untested = shown.loc[(0, "maturity_index")]
    assert (untested["value"], untested["rest"], untested["tested"]) == (80, 30, False)
    assert math.isnan(untested["p"]) and untested["signif"] == 0
    assert shown.loc[(0, "club_nps"), "p_holm"] == pytest.approx(min(1.0, 2 * nps_cell["p"])), \
        "Holm over the two NPS tests only"
    suppressed = persona_outcomes(labels, answers, k=4).set_index(["persona", "measure"])
    assert math.isnan(suppressed.loc[(0, "maturity_index"), "value"])
    assert math.isnan(suppressed.loc[(1, "maturity_index"), "p"]), "rest under k: no test"


def test_maturity_is_shown_but_not_tested(four):
    """Maturity is computed from the practice answers the personas are built from: the
    personas differ on it by construction, so it carries no test (issue 19)."""
    qn = questionnaire()
    assert built_from(qn, frozenset(q.id for q in persona_questions(qn))) == {"maturity_index"}
    cells = four.outcomes[four.outcomes["measure"] == "maturity_index"]
    assert cells["value"].notna().all() and not cells["tested"].any()
    assert cells["p"].isna().all() and cells["p_holm"].isna().all()
    assert (cells["signif"] == 0).all()
    others = four.outcomes[four.outcomes["measure"] != "maturity_index"]
    assert others["tested"].all() and others["p"].notna().all()
    for lang, label in (("it", "Indice di maturità CX (senza test)"),
                        ("en", "CX maturity index (not tested)")):
        table = outcome_table(four, lang)
        row = table[table.iloc[:, 0] == label]
        assert len(row) == 1 and not any(str(c).endswith(("▲", "▼")) for c in row.iloc[0])
        details = outcome_details(four, lang, as_text=True)
        assert set(details.loc[details.iloc[:, 1] == label.split(" (")[0]].iloc[:, -1]) == {
            "senza test" if lang == "it" else "not tested"}
    assert untested_note(four, "it").startswith("Indice di maturità CX: nessun test, perché si "
                                                "calcola dalle stesse risposte")
    assert untested_note(four, "en").startswith("CX maturity index: no test, because it is")


def test_map_draws_a_fixed_sample_at_scale(sample, monkeypatch):
    monkeypatch.setattr(report_mod, "MAP_POINTS", 50)
    found = build_report(sample, questionnaire(), RULES, 4)
    again = build_report(sample, questionnaire(), RULES, 4)
    assert len(found.points) == 50 and len(found.centres) == 4
    assert found.points.equals(again.points)


def test_tables_read_in_both_languages(four):
    table = outcome_table(four, "it")
    assert table.columns[:3].tolist() == ["Misura", "Club", "1 · Tradizionali B2B"]
    assert table.iloc[0, 0] == "Rispondenti (n)"
    assert table.iloc[2, 0] == "NPS del Club"
    assert table.iloc[2, 2].endswith("▼"), "traditionalists' Club NPS below the rest"
    features = feature_table(four.model, "en")
    assert features["Columns"].sum() == 52
    assert "the most common answer" in " ".join(features["Missing answer replaced by"])


def test_only_the_personas_model_imports_sklearn():
    from tests.test_architecture import imported_modules

    users = {str(p.relative_to(ROOT)) for p in [*ROOT.glob("cx/**/*.py"), *ROOT.glob("pages/*.py")]
             if "sklearn" in imported_modules(p)}
    assert users == {"cx/personas/model.py"}


def test_every_persona_question_has_a_short_label():
    for q in persona_questions(questionnaire()):
        assert f"personas.question.{q.id}" in catalogue()


# ---------------------------------------------------------------- the page (AppTest)

PAGE = "pages/personas.py"


def _page(lang: str = "it", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(PAGE).run()


def _cards(at: AppTest) -> list[str]:
    sections = {t("personas.outcomes.title", lang) for lang in LANGS} | {
        t("personas.method.title", lang) for lang in LANGS}
    return [s.value for s in at.main.subheader if s.value not in sections]


@pytest.fixture
def server_address(monkeypatch):
    """Set Streamlit's server.address (local mode or not) for an in-process AppTest."""
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    before = st_config.get_option("server.address")
    yield lambda value: st_config.set_option("server.address", value)
    st_config.set_option("server.address", before)


def _chart_text(at: AppTest) -> str:
    return "".join(c.proto.spec + "".join(str(d) for d in c.proto.datasets)
                   for c in at.get("vega_lite_chart"))


def test_page_with_automatic_k_in_italian(app_env):
    at = _page("it")
    assert not at.exception, [e.value for e in at.exception]
    assert _cards(at) == ["Esploratori del commercio", "Pionieri data-driven",
                          "Tradizionali B2B"]
    summary = at.markdown[0].value
    assert "numero scelto automaticamente · stabilità 0,98" in summary
    assert not at.warning, "the sample's personas are stable"
    assert len(at.get("vega_lite_chart")) == 2, "map and stability curve"
    assert "per numero di personas" in _chart_text(at), "the stability curve"
    captions = " ".join(c.value for c in at.caption)
    assert captions.count(", stabile") >= 3, "each card and the method give its stability"
    assert "Indice di maturità CX: nessun test" in captions
    assert at.button(key="personas_other_k").label == "Mostra 4 personas"
    assert "personas" not in at.query_params, "the default stays out of the URL"


def test_page_with_k_from_the_url_in_english(app_env):
    at = _page("en", personas="4")
    assert not at.exception, [e.value for e in at.exception]
    assert _cards(at) == ["B2B traditionalists", "Digital explorers", "Data-driven pioneers",
                          "Relationship builders"]
    assert "number chosen by hand (the automatic choice would be 3)" in at.markdown[0].value
    assert at.segmented_control(key="personas").value == "4"


def test_page_k_override_by_the_control_and_the_other_stable_k(app_env):
    at = _page("it")
    at.segmented_control(key="personas").set_value("5").run()
    assert len(_cards(at)) == 5 and not at.exception
    assert at.query_params["personas"] == "5"
    at.segmented_control(key="personas").set_value("auto").run()
    at.button(key="personas_other_k").click().run()
    assert len(_cards(at)) == 4
    assert at.query_params["personas"] == "4"


def test_page_flags_a_dissolving_persona(app_env):
    at = _page("it", personas="8")
    assert not at.exception
    model = build_report(synthesize(264, (2025, 2026), seed=2026), questionnaire(), RULES, 8)
    dissolved = sum(reading(j) == "dissolved" for j in model.model.jaccard_)
    assert dissolved, "eight personas are more than 264 respondents hold"
    flags = [w.value for w in at.warning if w.value.startswith("Questa persona si dissolve")]
    assert len(flags) == dissolved
    assert model.model.stability < 0.65
    assert at.warning[0].value.startswith("Personas poco stabili: ricampionando i rispondenti")


def test_map_shows_a_visitor_persona_centres_only(app_env, server_address):
    """A dot per respondent (with its company, sector, size, role and region) is a row about
    one respondent (#16): a visitor's map has the persona centres and nothing else."""
    import json

    from cx.store import Store

    with Store.open(app_env) as s:
        names = set(s.responses(["company"])["company"])
    server_address("0.0.0.0")  # no password hash and reachable beyond localhost: a visitor
    at = _page("it")
    text = _chart_text(at) + "".join(str(m.value) for m in at.markdown)
    assert not [n for n in names if n in text] and not re.search(r"AZ-\d", text)
    chart = next(c for c in at.get("vega_lite_chart") if "personas_map" in c.proto.id
                 or "Mappa delle personas" in c.proto.spec)
    rows = [pa.ipc.open_stream(d.data.data).read_all().num_rows for d in chart.proto.datasets]
    k = len(_cards(at))
    assert sum(rows) == k, "one row per persona centre, none per respondent"
    assert "i singoli rispondenti non sono mostrati" in json.dumps(json.loads(chart.proto.spec))


def test_an_analyst_who_shows_names_sees_them_on_the_map(app_env, server_address):
    server_address("localhost")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["access_show_names"] = True  # local mode: the analyst's switch
    at.run()
    at.switch_page(PAGE).run()
    assert "S.p.A." in _chart_text(at) or "S.r.l." in _chart_text(at)


def test_a_manager_sees_the_persona_of_their_company(app_env, server_address):
    from cx.store import Store

    with Store.open(app_env) as s:
        company = s.responses(["company"])["company"].iloc[0]
    server_address("0.0.0.0")  # beyond localhost: a manager signed in with their code
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["_access_role"] = "manager"
    at.session_state["_access_company"] = company
    at.run()
    at.switch_page(PAGE).run()
    message = " ".join(s.value for s in at.success).replace("\\", "")  # Markdown escapes
    assert f"La vostra azienda, **{company}**" in message


def test_filters_apply(app_env):
    at = _page("it", ondata="2025", settore="retail")
    assert not at.exception
    # the summary line («**3 personas** da 41 rispondenti · …»), after the filter chips
    summary = next(m.value for m in at.markdown if "personas** da " in m.value)
    n = int(summary.split(" da ")[1].split()[0])
    assert 20 <= n < 100


def test_too_few_respondents_explained(app_env):
    at = _page("it", ondata="2025", settore="health", dimensione="xlarge", area="sud_isole")
    assert not at.exception
    assert any("Servono almeno" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")


def test_persona_of_company_for_the_scorecard(app_env):
    from cx.filters import ALL
    from cx.store import Store
    from cx.ui.personas import persona_of_company

    with Store.open(app_env) as s:
        company = s.responses(["company"])["company"].iloc[0]
        version = s.data_version
    view = View(ALL, "it", 5, 8)
    match = persona_of_company(str(app_env), version, company, view, "4")
    assert match is not None and 0 <= match.index < 4 and match.respondents >= 1
    assert persona_of_company(str(app_env), version, "Nessuna S.p.A.", view) is None


def test_a_quote_naming_a_company_is_blanked_out(app_env):
    import duckdb

    con = duckdb.connect(str(app_env))
    for qid in ("pain_point", "cx_priority"):
        con.execute(f"UPDATE responses SET {qid} = 'Come dice ' || company || ', serve velocità.' "
                    f"WHERE {qid} IS NOT NULL")
    names = [n for (n,) in con.execute("SELECT DISTINCT company FROM responses").fetchall()]
    con.close()
    at = _page("it")
    quotes = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("> ###")]
    assert quotes and all("[azienda]" in q for q in quotes)
    assert not [n for n in names if any(n in q for q in quotes)]


def test_both_languages_share_one_fit(app_env, monkeypatch):
    """The report holds codes: a view in English reuses the fit (and the company match) made
    for the same view in Italian."""
    from cx.filters import ALL
    from cx.store import Store
    from cx.ui import personas as personas_ui

    calls: list[str] = []
    for name in ("build_report", "match_company"):
        original = getattr(personas_ui, name)
        monkeypatch.setattr(personas_ui, name, lambda *a, _f=original, _n=name, **kw:
                            calls.append(_n) or _f(*a, **kw))
    with Store.open(app_env) as s:
        company = s.responses(["company"])["company"].iloc[0]
        version = s.data_version
    italian = View(ALL, "it", 5, 8)
    for view in (italian, italian.in_lang("en")):
        found = personas_ui.report(str(app_env), version, view, "3")
        match = personas_ui.persona_of_company(str(app_env), version, company, view, "3")
        assert found is not None and not isinstance(found, TooFew) and match is not None
    assert calls == ["build_report", "match_company"], "fitted and matched once"


def test_each_outcome_test_carries_its_difference_and_hedges_g():
    """Persona against the rest: the difference with scipy's Welch interval and Hedges' g by
    hand (pooled SD, exact small-sample correction J)."""
    from scipy import stats as sp

    from cx.personas.outcomes import persona_outcomes

    rng = np.random.default_rng(7)
    values = np.concatenate([rng.normal(60, 10, 40), rng.normal(50, 10, 60)])
    labels = np.repeat([0, 1], [40, 60])
    frame = persona_outcomes(labels, pd.DataFrame({"pillar_empathy": values}), k=5)
    row = frame[frame["persona"] == 0].iloc[0]
    a, b = values[:40], values[40:]
    ci = sp.ttest_ind(a, b, equal_var=False).confidence_interval()
    assert (row["diff"], row["diff_low"], row["diff_high"]) == pytest.approx(
        (a.mean() - b.mean(), ci.low, ci.high))
    pooled = np.sqrt(((40 - 1) * a.var(ddof=1) + (60 - 1) * b.var(ddof=1)) / 98)
    j = math.exp(math.lgamma(98 / 2) - math.lgamma(97 / 2)) / math.sqrt(98 / 2)  # Hedges' J
    assert row["g"] == pytest.approx((a.mean() - b.mean()) / pooled * j)
    untested = persona_outcomes(labels, pd.DataFrame({"maturity_index": values}), 5,
                                frozenset({"maturity_index"}))
    assert untested[["diff", "g"]].isna().all().all()

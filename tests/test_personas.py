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
from cx.personas.model import assign, assign_mean, fit_personas, second_peak
from cx.personas.names import NOUNS, PRACTICE_TRAITS, PROFILE_TRAITS
from cx.personas.outcomes import built_from, holm, nps_points, persona_outcomes, welch
from cx.personas.report import TooFew, build_report
from cx.personas.text import (
    feature_table,
    outcome_details,
    outcome_table,
    persona_name,
    trait_text,
    untested_note,
)
from cx.questionnaire import parse_questionnaire, questionnaire
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


def _blob_questionnaire(n_features: int):
    return parse_questionnaire({
        "version": 1, "sections": {"s": {"it": "S", "en": "S"}},
        "questions": [{"id": f"x{i}", "section": "s", "type": "number", "role": "behavioural",
                       "min": -100, "max": 100, "it": f"x{i}", "en": f"x{i}"}
                      for i in range(n_features)]})


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
    questions = tuple(qn[q] for q in ("market", "size_band", "omnichannel", "cx_indicators"))
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

def test_planted_blobs_are_recovered_and_k_is_found():
    x, truth = make_blobs(n_samples=600, centers=4, n_features=6, cluster_std=1.0,
                          random_state=7)
    qn = _blob_questionnaire(6)
    answers = pd.DataFrame(x * 5, columns=[f"x{i}" for i in range(6)])
    model = fit_personas(answers, qn)
    assert model.k_ == 4, dict(model.silhouette_)
    assert adjusted_rand_score(truth, model.labels_) >= 0.9
    assert model.stability >= 0.99


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


def test_same_seed_same_labels_and_names(sample):
    qn = questionnaire()
    a = build_report(sample, qn, RULES, 4)
    b = build_report(sample, qn, RULES, 4)
    assert np.array_equal(a.model.labels_, b.model.labels_)
    assert [p.name for p in a.personas] == [p.name for p in b.personas]


def test_canonical_order_does_not_depend_on_row_order(sample, four):
    shuffled = sample.sample(frac=1, random_state=11).reset_index(drop=True)
    other = build_report(shuffled, questionnaire(), RULES, 4)
    mine = pd.Series(four.model.labels_, index=sample["respondent_id"])
    theirs = pd.Series(other.model.labels_, index=shuffled["respondent_id"])
    assert (mine.loc[theirs.index] == theirs).all()
    assert [p.name for p in other.personas] == [p.name for p in four.personas]
    np.testing.assert_allclose(other.model.centers_, four.model.centers_, atol=1e-9)


def test_personas_are_numbered_by_size(four):
    sizes = [p.n for p in four.personas]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == 264
    assert sum(p.share for p in four.personas) == pytest.approx(100)


def test_silhouette_choice_and_second_peak(sample):
    model = fit_personas(sample, questionnaire())
    curve = dict(model.silhouette_)
    assert list(curve) == list(range(2, 9))
    assert model.k_ == model.best_k_ == max(curve, key=curve.get)
    peak = second_peak(model)
    assert peak is not None and curve[peak] >= curve.get(peak - 1, -np.inf)


def test_override_stability_and_size_note(sample, four):
    three = build_report(sample, questionnaire(), RULES, 3)
    assert three.model.k_ == 3 and three.model.best_k_ == 4, "k set by hand, silhouette's 4 kept"
    assert four.model.k_ == four.model.best_k_ == 4
    assert len(four.model.stability_) == 10
    assert 0.8 <= four.model.stability <= 1
    assert four.model.illustrative, "264 respondents for 52 variables"


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
        "Tradizionali della manifattura", "Esploratori digitali", "Pionieri data-driven",
        "Costruttori relazionali"]


def test_traits_are_the_largest_deviations_with_the_club_value(four):
    model = four.model
    for persona in four.personas:
        assert 3 <= len(persona.traits) <= 5
        questions = [tr.question for tr in persona.traits]
        assert len(set(questions)) == len(questions), "one trait per question"
        top = np.abs(model.centers_[persona.index]).max()
        assert abs(persona.traits[0].z) == pytest.approx(top)
        for tr in persona.traits:
            j = [f.name for f in model.features].index(
                tr.question if tr.option is None else f"{tr.question}={tr.option}")
            assert tr.club == pytest.approx(model.mean_[j])
    top = four.personas[0].traits[0]
    assert (top.question, top.option) == ("sector", "manufacturing")
    assert trait_text(top, questionnaire(), "it").startswith(
        "**Settore** · Manifattura e industria: 95% (Club 28%)")


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
    found = build_report(sample, questionnaire(), View(k=20, comment_k=8), 8)
    small = [p for p in found.personas if p.n < 20]
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
    assert table.columns[:3].tolist() == ["Misura", "Club", "1 · Tradizionali della manifattura"]
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
    assert _cards(at) == ["Tradizionali della manifattura", "Esploratori digitali",
                          "Pionieri data-driven", "Costruttori relazionali"]
    assert "numero scelto automaticamente" in at.markdown[0].value
    assert len(at.get("vega_lite_chart")) == 2, "map and silhouette curve"
    assert at.button(key="personas_peak").label == "Mostra 2 personas"
    assert "personas" not in at.query_params, "the default stays out of the URL"


def test_page_with_k_from_the_url_in_english(app_env):
    at = _page("en", personas="3")
    assert not at.exception, [e.value for e in at.exception]
    assert _cards(at) == ["Relationship builders", "Manufacturing traditionalists",
                          "Digital explorers"]
    assert "number chosen by hand" in at.markdown[0].value
    assert at.segmented_control(key="personas").value == "3"


def test_page_k_override_by_the_control_and_the_second_peak(app_env):
    at = _page("it")
    at.segmented_control(key="personas").set_value("3").run()
    assert len(_cards(at)) == 3 and not at.exception
    assert at.query_params["personas"] == "3"
    at.segmented_control(key="personas").set_value("auto").run()
    at.button(key="personas_peak").click().run()
    assert len(_cards(at)) == 2
    assert at.query_params["personas"] == "2"


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
    n = int(at.markdown[0].value.split(" da ")[1].split()[0])
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

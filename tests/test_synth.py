import numpy as np
import pandas as pd

from cx.cli import main
from cx.config import SAMPLE_CSV, SAMPLE_NEXT_CSV, SAMPLE_RESPONDENTS, SAMPLE_SEED
from cx.dataset import with_scores
from cx.questionnaire import MULTI_SEPARATOR, questionnaire
from cx.synth import synthesize


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["synth", "--respondents", "500", "--seed", "7", "--out", str(a)]) == 0
    assert main(["synth", "--respondents", "500", "--seed", "7", "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    c = tmp_path / "c.csv"
    main(["synth", "--respondents", "500", "--seed", "8", "--out", str(c)])
    assert a.read_bytes() != c.read_bytes()


def test_embedded_sample_is_generated_by_synth(tmp_path):
    out = tmp_path / "sample.csv"
    main(["synth", "--respondents", str(SAMPLE_RESPONDENTS), "--seed", str(SAMPLE_SEED),
          "--waves", "2025,2026", "--out", str(out)])
    assert out.read_bytes() == SAMPLE_CSV.read_bytes()


def test_sample_shape():
    df = pd.read_csv(SAMPLE_CSV)
    # the questions of 2025–2026: those asked from 2027 are in the next wave's file
    assert list(df.columns) == list(questionnaire().as_of(2025).ids)
    assert len(df) >= 250
    assert set(df["wave"]) == {2025, 2026}
    assert 180 <= df["company"].nunique() <= 220
    assert df["respondent_id"].is_unique
    assert df["pyr_needs_1"].isna().any(), "some answers are missing, as in real surveys"
    assert df["pain_point"].dropna().str.len().gt(20).all()


def test_answers_are_valid_codes_and_ranges():
    qn = questionnaire()
    df = synthesize(2000, (2026, 2027), 3)  # the 2027 questions too, for a wave of their rows
    assert set(df.columns) == set(qn.ids)
    for q in qn.questions:
        col = df[q.id].dropna()
        if q.since is not None:
            assert not df.loc[df["wave"] < q.since, q.id].notna().any(), q.id
        if q.asked_if is not None and q.asked_if[0] == "touchpoints":  # asked of its users
            has = df["touchpoints"].fillna("").str.split("|").map(set)
            users = has.map(lambda s, a=set(q.asked_if[1]): bool(s & a))
            assert not df.loc[~users & df["touchpoints"].notna(), q.id].notna().any(), q.id
        if q.type == "single":
            assert set(col) <= set(q.codes), q.id
        elif q.type == "multi":
            chosen = {c for cell in col for c in str(cell).split(MULTI_SEPARATOR)}
            assert chosen <= set(q.codes), q.id
        elif q.bounds:
            assert col.between(*q.bounds).all(), q.id


def test_practices_correlate_with_outcomes():
    df = with_scores(synthesize(3000, (2026,), 11))
    corr = df[["maturity_index", "pyramid_ease", "pillar_empathy", "kpi_nps"]].astype(float).corr()
    assert corr.loc["maturity_index", "pyramid_ease"] > 0.4
    assert corr.loc["maturity_index", "pillar_empathy"] > 0.4
    assert corr.loc["maturity_index", "kpi_nps"] > 0.4


def _persona_like_features(df: pd.DataFrame) -> np.ndarray:
    from sklearn.preprocessing import StandardScaler

    qn = questionnaire()
    used = [q for q in qn.questions if q.role != "none"]
    parts = [pd.get_dummies(df[[q.id for q in used if q.type == "single" and not q.ordered]])]
    for q in used:
        if q.type == "single" and q.ordered:
            parts.append(df[q.id].map({c: i for i, c in enumerate(q.codes)}).rename(q.id))
        elif q.type == "multi":
            parts += [df[q.id].fillna("").str.split("|").map(lambda cs, c=c: c in cs).rename(c)
                      for c in q.codes]
        elif q.type == "likert":
            parts.append(df[q.id].rename(q.id))
    x = pd.concat(parts, axis=1).astype(float)
    return StandardScaler().fit_transform(x.fillna(x.mean()))


def test_latent_profiles_are_recoverable():
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    df = synthesize(1500, (2026,), 5, with_profile=True)
    labels = KMeans(4, n_init=10, random_state=0).fit_predict(_persona_like_features(df))
    assert adjusted_rand_score(df["_profile"], labels) >= 0.8


def test_company_profile_is_stable_within_a_company():
    df = synthesize(2000, (2025, 2026), 9)
    per_company = df.groupby("company")[["sector", "size_band", "region"]].nunique()
    assert (per_company <= 1).all().all()
    assert np.isin(df["wave"].unique(), [2025, 2026]).all()


def test_the_samples_2027_wave_is_generated_by_synth(tmp_path):
    out = tmp_path / "next.csv"
    main(["synth", "--after", "2027", "--out", str(out)])
    assert out.read_bytes() == SAMPLE_NEXT_CSV.read_bytes()


def test_the_2027_wave_asks_the_new_questions_of_the_same_companies():
    """The same Club a year later: every company answered before, with the same industry; the
    2027 questions answered as the questionnaire asks them (application only at a touchpoint
    the company manages); companies that check the journey in the field apply it better."""
    before, after = pd.read_csv(SAMPLE_CSV), pd.read_csv(SAMPLE_NEXT_CSV)
    qn = questionnaire()
    assert list(after.columns) == list(qn.ids) and set(after["wave"]) == {2027}
    sectors = before.drop_duplicates("company").set_index("company")["sector"]
    assert (after["sector"] == after["company"].map(sectors)).all()
    store = after["tp_apply_store"].notna()
    assert after.loc[store, "touchpoints"].str.contains("store").all()
    apply = after[[f"tp_apply_{c}" for c in qn["touchpoints"].codes]].mean(axis=1)
    by_checks = apply.groupby(after["cj_real_checks"]).mean()
    assert by_checks["quarterly"] > by_checks["never"] + 0.5
    assert after["kpi_csi"].notna().any() and after["touchpoints"].str.contains("advertising").any()

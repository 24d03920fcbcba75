"""The privacy layer (cx/privacy): recoding, the linking check, admission, smoothed quantiles,
and the disclosure auditor — run against a deliberately leaky configuration (the app before
issue 16), where it must find every attack of the issue, and against the release, where it
must find none, on the sample and on a dataset with planted small cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cx.dataset import build_database, with_scores
from cx.filters import Filters
from cx.privacy import admit, allowed_breakdowns, as_raw, publish, release, smoothed_quantiles
from cx.privacy.audit import Figure, companies_of, find_leaks, pair_leaks, visitor_figures
from cx.privacy.linking import withheld
from cx.privacy.recoding import Answers, Categories, recode
from cx.questionnaire import questionnaire
from cx.results import OTHERS, privacy_groups
from cx.synth import synthesize

K = 5
QN = questionnaire()
SYSTEM = ("respondent_id", "company", "wave", "upload_id")


# ------------------------------------------------------------------ planted dataset


def planted() -> pd.DataFrame:
    """400 synthetic respondents with the small cells the issue's attacks aim at: one
    respondent alone in finance × xlarge × Sud, services with 3 respondents in 2026 (and one
    of them the only services respondent in Centro), one micro company in Centro."""
    frame = synthesize(400, (2025, 2026), seed=16)
    cell = (frame["sector"] == "finance") & (frame["size_band"] == "xlarge") \
        & (frame["region"] == "sud_isole")
    frame.loc[cell, "region"] = "nord_ovest"
    frame.loc[0, ["sector", "size_band", "region", "wave"]] = \
        ["finance", "xlarge", "sud_isole", 2026]
    services = frame.index[(frame["sector"] == "services") & (frame["wave"] == 2026)]
    frame.loc[services[3:], "sector"] = "retail"
    frame.loc[services[:3], "region"] = ["centro", "nord_est", "nord_est"]
    micro = frame.index[(frame["size_band"] == "micro") & (frame["region"] == "centro")]
    frame.loc[micro, "size_band"] = "small"
    frame.loc[1, ["size_band", "region", "sector"]] = ["micro", "centro", "manufacturing"]
    frame["respondent_id"] = [f"P{i:04d}" for i in range(len(frame))]
    return with_scores(frame, QN)


@pytest.fixture(scope="module")
def planted_frame() -> pd.DataFrame:
    return planted()


@pytest.fixture(scope="module")
def planted_release(planted_frame):
    return release(planted_frame, QN, K, 8)


@pytest.fixture(scope="module")
def sample_frame(tmp_path_factory) -> pd.DataFrame:
    with build_database(tmp_path_factory.mktemp("privacy") / "cx.duckdb") as store:
        return store.responses()


def _ids(frame: pd.DataFrame, rows: np.ndarray | pd.Series) -> frozenset[str]:
    sel = frame[np.asarray(rows, dtype=bool)]
    return frozenset(sel["respondent_id"].astype(str) + "@" + sel["wave"].astype(str))


def _in(frame: pd.DataFrame, **chosen) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    for column, values in chosen.items():
        keep &= frame[column].isin(values if isinstance(values, list | tuple) else [values])
    return keep


def _as_columns(filters: Filters) -> dict[str, tuple[str, ...] | int]:
    chosen: dict[str, tuple[str, ...] | int] = {
        column: getattr(filters, field) for column, field in (
            ("sector", "sectors"), ("size_band", "size_bands"), ("region", "regions"))
        if getattr(filters, field)}
    if filters.wave is not None:
        chosen["wave"] = (filters.wave,)
    return chosen


def _answered(frame: pd.DataFrame, qid: str) -> np.ndarray:
    return frame[qid].notna().to_numpy()


# ------------------------------------------------------------------ recoding


def test_recoding_merges_a_category_small_in_one_wave_with_the_next_smallest():
    values = pd.Series(["a"] * 10 + ["b"] * 6 + ["c"] * 4 + ["a"] * 10 + ["b"] * 6 + ["c"] * 6)
    waves = pd.Series([1] * 20 + [2] * 22)
    mapping = recode(Answers(values, waves), Categories(("a", "b", "c")), k=5)
    # c has 4 in wave 1: it joins b (the next smallest), and b+c has 10 and 12
    assert mapping == {"a": "a", "b": "b+c", "c": "b+c"}


def test_recoding_of_an_ordered_scale_joins_a_neighbour():
    values = pd.Series(["s"] * 3 + ["m"] * 20 + ["l"] * 6)
    scale = Categories(("s", "m", "l"), ordered=True)
    mapping = recode(Answers(values, pd.Series([1] * 29)), scale, k=5)
    assert mapping["s"] == "s+m" and mapping["l"] == "l"


def test_recoding_keeps_big_enough_categories_and_missing_answers_as_a_category():
    values = pd.Series(["a"] * 6 + [None] * 2 + ["b"] * 7)
    mapping = recode(Answers(values, pd.Series([1] * 15)), Categories(("a", "b")), k=5)
    # the 2 missing answers join the smallest other category, a (6); b (7) stays
    assert mapping == {"a": "a+_na", "b": "b", "_na": "a+_na"}


# ------------------------------------------------------------------ linking check


def _keys(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["wave", "sector", "region"])


def test_linking_withholds_a_cell_that_margins_pin_down():
    # every margin cell has at least 5 respondents, but the one finance-in-Sud respondent is
    # Sud − (Sud's retail) = Sud − (retail − retail's Nord): nested margins isolate it
    rows = [(1, "retail", "sud")] * 6 + [(1, "finance", "sud")] + [(1, "finance", "nord")] * 6 \
        + [(1, "retail", "nord")] * 0
    keys = _keys(rows)
    out = withheld(keys, [("wave", "sector"), ("wave", "region")], K)
    assert out.tolist() == [False] * 6 + [True] + [False] * 6


def test_linking_keeps_cells_that_no_combination_isolates():
    rows = [(1, s, r) for s in ("a", "b") for r in ("x", "y") for _ in range(3)]
    keys = _keys(rows)  # a 2×2 table of 3s: margins of 6, no cell is determined by them
    assert not withheld(keys, [("wave", "sector"), ("wave", "region")], K).any()


def test_linking_withholds_a_small_margin_cell():
    keys = _keys([(1, "a", "x")] * 8 + [(1, "b", "x")] * 2)
    out = withheld(keys, [("wave", "sector")], K)
    assert out.tolist() == [False] * 8 + [True] * 2


# ------------------------------------------------------------------ smoothed quantiles


def test_smoothed_quantiles_by_hand():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    # k = 3: the median (rank 4.5) is the mean of ranks 4–6 → (4+5+6)/3 = 5 (ranks from 0:
    # start = round(4.5 − 1) = 4 → values 5, 6, 7?) — computed explicitly below
    q1, med, q3 = smoothed_quantiles(values, (0.25, 0.5, 0.75), 3)
    # rank of Q1 = 0.25·9 = 2.25 → window starts at round(2.25 − 1) = 1: values 2, 3, 4
    assert q1 == pytest.approx(3.0)
    # median rank 4.5 → start round(3.5) = 4 (banker's rounding): values 5, 6, 7
    assert med == pytest.approx(6.0)
    # Q3 rank 6.75 → start round(5.75) = 6: values 7, 8, 9
    assert q3 == pytest.approx(8.0)
    assert np.isnan(smoothed_quantiles([1, 2], (0.5,), 3)[0])


def test_a_quartile_is_never_one_companys_score():
    scores = [10.0, 20.0, 35.0, 61.0, 88.0, 97.0]
    for q in smoothed_quantiles(scores, (0.25, 0.5, 0.75), K):
        assert q not in scores


# ------------------------------------------------------------------ admission


@pytest.fixture(scope="module")
def sample_release(sample_frame):
    return release(sample_frame, QN, K, 8)


def test_crossed_filters_are_narrowed_to_the_first_dimension(sample_release):
    pub = sample_release.publication
    chosen = Filters(sectors=("finance",), size_bands=("xlarge",), regions=("sud_isole",))
    admitted = admit(chosen, pub)
    assert admitted.filters == Filters(sectors=("finance",), published=True)
    assert admitted.segment == "sector"
    assert [n.key for n in admitted.notices] == ["privacy.one_dimension"]
    assert allowed_breakdowns(admitted) == ("none", "sector", "wave")
    assert "role" not in allowed_breakdowns(admit(Filters(), pub))


def test_a_small_category_is_filtered_as_its_published_group(sample_release):
    pub = sample_release.publication
    group = pub.group_of("sector", "services")
    assert group != "services" and "services" in group.split("+"), "9 services respondents"
    admitted = admit(Filters(sectors=("services",)), pub)
    assert admitted.filters.sectors == (group,)
    assert "privacy.merged_filter" in [n.key for n in admitted.notices]
    assert set(as_raw(admitted.filters).sectors) == set(group.split("+"))


def test_every_published_group_has_0_or_k_respondents_per_wave(sample_release):
    frame = sample_release.publication.frame
    for dim in ("sector", "size_band", "region", "market"):
        cells = frame.groupby(["wave", dim]).size()
        assert (cells >= K).all(), dim


def test_release_personas_all_hold_k_and_draw_no_respondent(sample_release):
    personas = sample_release.personas
    assert min(personas.model.sizes_) >= K
    assert personas.points.empty, "the map carries centres only"
    labels = sample_release.persona_labels
    assert len(labels) == len(sample_release.publication.frame)


# ------------------------------------------------------------------ the auditor


def _variables(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in SYSTEM]


@pytest.mark.parametrize("dataset", ["sample", "planted"])
def test_auditor_finds_nothing_a_visitor_can_reach(dataset, sample_release, planted_release):
    found = sample_release if dataset == "sample" else planted_release
    figures = visitor_figures(found, _variables(found.publication.frame))
    assert len(figures) > 1000
    assert find_leaks(figures, K) == []
    # a manager knows their own company's answers: no figure leaves 1..k−1 besides them
    assert find_leaks(figures, K, companies_of(found)) == []


def test_release_of_the_planted_dataset_withholds_the_planted_cells(planted_release):
    pub = planted_release.publication
    # services in 2026 has 3: services is merged, never shown on its own
    assert pub.group_of("sector", "services") != "services"
    # micro has one company in Centro, but a visitor never crosses size with region: the
    # micro group is published on its own (every wave ≥ k) and Centro on its own
    frame = pub.frame
    assert (frame.groupby(["wave", "size_band"]).size() >= K).all()


# --- the attacks of issue 16, on the configuration without the fix (raw data, filters on
# --- several dimensions, groups hidden or merged view by view): the auditor finds each


def _legacy(frame: pd.DataFrame, views: dict[str, np.ndarray], qid: str) -> list[Figure]:
    """What the old app published: a view's figure whenever it had k answers or more."""
    out = []
    for name, rows in views.items():
        members = _ids(frame, rows & _answered(frame, qid))
        if len(members) >= K:
            out.append(Figure(name, members, qid))
    return out


def test_attack_a_minus_b_minus_c_plus_d_isolates_one_respondent(planted_frame,
                                                                planted_release):
    f = planted_frame
    sud = _in(f, region="sud_isole")
    fin, xl = _in(f, sector="finance"), _in(f, size_band="xlarge")
    views = {"Sud": sud, "Sud senza finanza": sud & ~fin, "Sud senza xlarge": sud & ~xl,
             "Sud senza entrambi": sud & ~fin & ~xl}
    figures = _legacy(f, views, "club_nps")
    assert len(figures) == 4 and min(len(x.members) for x in figures) >= 31 - 10
    combo = pd.Series(0, index=sorted(_ids(f, sud)))
    for sign, figure in zip((1, -1, -1, 1), figures):
        combo[sorted(figure.members)] += sign
    assert set(combo[combo != 0].index) == {"P0000@2026"}, "A − B − C + D is one respondent"
    assert find_leaks(figures, K), "the auditor finds a combination that isolates"
    # fixed: crossed filters are one dimension at a time, so the four views are Sud and
    # three sector selections, whose figures isolate nobody
    pub = planted_release.publication
    others = tuple(c for c in QN["sector"].codes if c != "finance")
    chosen = [Filters(regions=("sud_isole",)), Filters(regions=("sud_isole",), sectors=others),
              Filters(regions=("sud_isole",), size_bands=("micro", "small", "medium", "large")),
              Filters(regions=("sud_isole",), sectors=others,
                      size_bands=("micro", "small", "medium", "large"))]
    admitted = [admit(c, pub).filters for c in chosen]
    assert all(sum(bool(x) for x in (a.sectors, a.size_bands, a.regions)) == 1
               for a in admitted)
    figures = [Figure(str(a), _ids(pub.frame, _in(pub.frame, **_as_columns(a))), "club_nps")
               for a in admitted]
    assert find_leaks(figures, K) == []


def test_attack_all_waves_minus_the_visible_wave(planted_frame):
    f = planted_frame
    services = _in(f, sector="services")
    views = {"services, tutte le ondate": services,
             "services 2025": services & _in(f, wave=2025),
             "services 2026": services & _in(f, wave=2026)}  # hidden: 3 < k
    leaks = find_leaks(_legacy(f, views, "club_nps"), K)
    isolated = _ids(f, services & _in(f, wave=2026))
    assert len(isolated) == 3 and isolated in [leak.respondents for leak in leaks]


def test_attack_others_minus_a_filter_on_the_other_groups(planted_frame):
    f = planted_frame
    centro = _in(f, region="centro")
    sizes = f[centro].groupby("sector").size()
    groups = privacy_groups(sizes, K)  # the old per-view merge into «Altri»
    others = [s for s, g in groups.items() if g == OTHERS]
    assert "services" in others
    views = {"Centro, Altri": centro & _in(f, sector=others),
             "Centro, filtro sugli altri del gruppo": centro & _in(
                 f, sector=[s for s in others if s != "services"])}
    leaks = pair_leaks(_legacy(f, views, "club_nps"), K)
    assert _ids(f, centro & _in(f, sector="services")) in [leak.respondents for leak in leaks]


def test_attack_hidden_pyramid_segment_from_club_and_visible_segments(planted_frame):
    f = planted_frame
    centro = _in(f, region="centro")
    views = {"Centro": centro, **{
        f"Centro, {s}": centro & _in(f, size_band=s) for s in QN["size_band"].codes}}
    leaks = find_leaks(_legacy(f, views, "pyramid_needs"), K)
    micro = _ids(f, centro & _in(f, size_band="micro"))
    assert len(micro) < K and micro in [leak.respondents for leak in leaks]


def test_attack_persona_map_rows_are_single_respondents(planted_frame):
    f = planted_frame.head(50)
    rows = [Figure(f"mappa, punto {i}", _ids(f, np.arange(len(f)) == i), "map")
            for i in range(len(f))]
    assert len(find_leaks(rows, K)) == len(f)


def test_attack_suppressed_persona_from_rest_and_club(planted_frame):
    f = planted_frame
    labels = np.arange(len(f)) % 3 + 1
    labels[:4], small = 0, 0  # a persona of 4: its card hidden, its «rest» column shown
    everyone = np.ones(len(f), dtype=bool)
    views = {"Club": everyone, f"resto della persona {small}": labels != small}
    leaks = find_leaks(_legacy(f, views, "maturity_index"), K)
    assert _ids(f, labels == small) in [leak.respondents for leak in leaks]


def test_attack_quartile_equal_to_one_companys_score():
    # three companies in the peer band: the old quartile is a company's own exact score
    scores = pd.Series({"A": 40.0, "B": 55.0, "C": 70.0})
    median = float(np.median(scores))
    owner = scores.index[scores == median]
    figures = [Figure("mediana della banda", frozenset(f"{c}@1" for c in owner), "pillar")]
    assert find_leaks(figures, K)
    # fixed: the band's median is the mean of k scores; with fewer than k it is not shown
    assert np.isnan(smoothed_quantiles(scores.to_numpy(), (0.5,), K)[0])


def test_attack_two_downloads_differ_by_one_answer(planted_frame):
    f = planted_frame
    services_all = _in(f, sector="services")
    largest = f[services_all]["size_band"].value_counts().index[-1]
    views = {"?settore=services": services_all,
             "?settore=services + ogni dimensione tranne una": services_all & ~_in(
                 f, size_band=largest)}
    leaks = pair_leaks(_legacy(f, views, "club_nps"), K)
    assert leaks and all(len(leak.respondents) < K for leak in leaks)


def test_release_figures_stop_each_attack(planted_release):
    """What each attack yields now: the same views, admitted, give sets the auditor passes."""
    found = planted_release
    pub = found.publication
    frame = pub.frame
    attacks = [
        Filters(regions=("sud_isole",)),
        Filters(regions=("sud_isole",), sectors=("retail",)),
        Filters(regions=("sud_isole",), size_bands=("large",)),
        Filters(sectors=("services",)), Filters(sectors=("services",), wave=2026),
        Filters(regions=("centro",), size_bands=("micro",)),
    ]
    figures = []
    for chosen in attacks:
        admitted = admit(chosen, pub).filters
        rows = np.ones(len(frame), dtype=bool)
        if admitted.wave is not None:
            rows &= frame["wave"].to_numpy() == admitted.wave
        for column, field in (("sector", "sectors"), ("size_band", "size_bands"),
                              ("region", "regions")):
            if getattr(admitted, field):
                rows &= frame[column].isin(getattr(admitted, field)).to_numpy()
        members = _ids(frame, rows & frame["club_nps"].notna().to_numpy())
        assert len(members) >= K, chosen
        figures.append(Figure(str(admitted), members, "club_nps"))
    assert find_leaks(figures, K) == []


def test_publish_withholds_isolable_answers_to_an_optional_question():
    frame = synthesize(120, (2026,), seed=3)
    frame = with_scores(frame, QN)
    frame["kpi_nps"] = np.nan
    frame.loc[frame.index[:3], "kpi_nps"] = [10.0, 20.0, 30.0]  # three answers in all
    pub = publish(frame, QN, K)
    assert pub.frame["kpi_nps"].notna().sum() == 0 and pub.blanked["kpi_nps"] == 3


def test_insider_a_manager_subtracts_their_own_company():
    """Eight respondents in a cell, four of them from one company: its manager knows those
    four answers, so the cell tells them about four others. The release merges or withholds
    the cell; the auditor, told who belongs to which company, flags the old figure."""
    frame = with_scores(synthesize(200, (2026,), seed=5), QN)
    frame["respondent_id"] = [f"I{i:04d}" for i in range(len(frame))]
    frame.loc[frame["sector"] == "services", "sector"] = "retail"
    frame.loc[frame.index[:8], "sector"] = "services"
    frame.loc[frame.index[:4], "company"] = "Insider S.p.A."
    members = _ids(frame, _in(frame, sector="services"))
    company_of = dict(zip(frame["respondent_id"] + "@2026", frame["company"]))
    old = [Figure("?settore=services", members, "club_nps")]
    assert find_leaks(old, K) == [] and find_leaks(old, K, company_of)
    pub = publish(frame, QN, K)
    assert pub.group_of("sector", "services") != "services", "merged: 4 besides the insider"


def test_joint_questions_are_the_journey_funnel():
    from cx.journey import FUNNEL_COLUMNS
    from cx.privacy.publication import JOINT

    assert FUNNEL_COLUMNS in JOINT


def test_an_answer_to_one_funnel_question_without_the_others_is_withheld():
    frame = with_scores(synthesize(150, (2026,), seed=9), QN)
    frame.loc[frame.index[:3], "cj_training"] = None  # three skipped one funnel question
    pub = publish(frame, QN, K)
    answered = pub.frame[["cj_ideal_map", "cj_real_checks", "cj_training",
                          "improvement_plans"]].notna()
    assert (answered.all(axis=1) | ~answered.any(axis=1)).all(), "all four or none"
    assert pub.blanked["cj_ideal_map"] >= 3

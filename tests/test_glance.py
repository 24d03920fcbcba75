"""At a glance: the change since the previous wave (its interval checked by hand and against
Newcombe's), the tiles that show it, the filter chips and «Rimuovi filtri», titles that name
the segment, one drawing and one order for the same thing, and the empty states."""

import json
import re

import duckdb
import pytest

from cx import effects, scoring
from cx.filters import Filters
from cx.glance import change, compared_waves
from cx.i18n import t
from cx.score_columns import PILLAR_COLUMNS
from cx.scoring import Aggregate
from tests.conftest import run_app

PANORAMICA = "pages/panoramica.py"


def test_compared_waves():
    assert compared_waves(None, [2026, 2025, 2024]) == (2025, 2026)  # all: the last two
    assert compared_waves(2025, [2024, 2025, 2026]) == (2024, 2025)  # chosen: the one before
    assert compared_waves(2024, [2024, 2025]) is None  # the first wave
    assert compared_waves(None, [2026]) is None  # one wave
    assert compared_waves(2030, [2025, 2026]) is None  # not in the data


def test_change_by_hand():
    # 10 [6; 14] after 4 [1; 7]: 6 − √(4² + 3²) = 1, 6 + √(4² + 3²) = 11
    moved = change(Aggregate(10, 50, 6, 14), Aggregate(4, 50, 1, 7), (2025, 2026))
    assert (moved.value, moved.low, moved.high) == pytest.approx((6, 1, 11))
    assert moved.significant and (moved.before, moved.after) == (2025, 2026)
    # asymmetric intervals: the lower bound takes the after's lower arm and the before's upper
    moved = change(Aggregate(10, 50, 7, 14), Aggregate(8, 50, 7, 8.5), (2025, 2026))
    assert moved.low == pytest.approx(2 - (3**2 + 0.5**2) ** 0.5)
    assert moved.high == pytest.approx(2 + (4**2 + 1**2) ** 0.5)
    assert not moved.significant


def test_change_of_two_proportions_is_newcombes_interval():
    after = scoring.proportion([1] * 30 + [0] * 20)  # 60%, Wilson, no clustering
    before = scoring.proportion([1] * 18 + [0] * 42)  # 30%
    moved = change(after, before, (2025, 2026))
    expected = effects.newcombe_interval(30, 50, 18, 60)
    assert moved.value == pytest.approx(expected.estimate * 100)
    assert (moved.low, moved.high) == pytest.approx((expected.low * 100, expected.high * 100))
    assert moved.significant


def test_no_change_for_a_withheld_figure():
    shown = Aggregate(10, 50, 6, 14)
    assert change(scoring.suppressed(3), shown, (2025, 2026)) is None
    assert change(shown, Aggregate(4, 50), (2025, 2026)) is None  # no interval


def _edit(db, *statements):
    con = duckdb.connect(str(db))
    for sql in statements:
        con.execute(sql)
    con.close()


def _tiles(at):
    return {m.label: m for m in at.metric}


def test_tiles_show_the_change_since_the_previous_wave(app_env):
    # every 2025 respondent a detractor, every 2026 one a promoter: NPS −100 → +100; all
    # measuring NPS in both waves: no change
    _edit(app_env, "UPDATE responses SET club_nps = CASE wave WHEN 2025 THEN 0 ELSE 10 END",
          "UPDATE responses SET measures_nps = TRUE")
    at = run_app(PANORAMICA)
    tiles = _tiles(at)
    nps = tiles["NPS del Club"]
    assert nps.proto.delta == "+200 vs 2025"
    assert nps.proto.delta_description.startswith("ondata 2026 · variazione: IC 95% [+")
    low = float(re.search(r"\[\+(\d+)", nps.proto.delta_description).group(1))
    assert 0 < low < 200
    assert (nps.proto.color, nps.proto.direction) == (
        type(nps.proto).MetricColor.GREEN, type(nps.proto).MetricDirection.UP)
    measured = tiles["Misurano l'NPS"]
    assert measured.proto.delta == "0 p.p. vs 2025"
    low, high = re.search(r"\[(.+); (.+)\]", measured.proto.delta_description).groups()
    assert low.startswith("−") and high.startswith("+") and low[1:] == high[1:]
    assert measured.proto.color == type(measured.proto).MetricColor.GRAY, "not significant"
    assert measured.proto.direction == type(measured.proto).MetricDirection.NONE
    assert "Rispondenti" in tiles and not tiles["Rispondenti"].proto.delta  # a count: no change


def test_the_first_wave_has_no_change(app_env):
    at = run_app(PANORAMICA, ondata="2025")
    assert [m.proto.delta for m in at.metric] == [""] * 6


def test_a_chosen_wave_is_compared_with_the_one_before(app_env):
    at = run_app(PANORAMICA, ondata="2026")
    nps = _tiles(at)["NPS del Club"]
    assert nps.proto.delta.endswith(" vs 2025")
    assert nps.proto.delta_description.startswith("variazione: IC 95% [")


def test_chips_titles_and_reset(app_env):
    at = run_app(PANORAMICA, ondata="2026", settore="finance")
    chips = [m.value for m in at.markdown if "badge[" in m.value]
    assert any("Ondata 2026" in c for c in chips)
    assert any("Settore: Banche e assicurazioni" in c for c in chips)
    assert "NPS · Banche e assicurazioni" in _tiles(at)
    titles = [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]
    assert "Piramide CX · Banche e assicurazioni" in titles
    assert "Six Pillars · Banche e assicurazioni" in titles
    assert any("L'NPS per Banche e assicurazioni è" in m.value for m in at.markdown)
    n_filtered = int(at.metric[0].value)

    at.button(key="cx_reset_filters").click().run()
    assert not at.exception
    assert at.session_state["ondata"] == "tutte" and at.session_state["settore"] == []
    assert "ondata" not in at.query_params and "settore" not in at.query_params
    assert not [m for m in at.markdown if "badge[" in m.value]
    assert "NPS del Club" in _tiles(at) and int(at.metric[0].value) == 264 > n_filtered
    titles = [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]
    assert "Piramide CX del Club" in titles


def test_chips_show_on_every_page(app_env):
    at = run_app("pages/risultati.py", settore="finance")
    assert any("Settore: Banche e assicurazioni" in m.value for m in at.markdown)
    assert at.button(key="cx_reset_filters").label == "Rimuovi filtri"
    assert not [m for m in run_app("pages/risultati.py").markdown if "badge[" in m.value]


def _specs(at):
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_one_drawing_and_one_order(app_env):
    con = duckdb.connect(str(app_env), read_only=True)
    means = dict(zip(PILLAR_COLUMNS, con.execute(
        f"SELECT {', '.join(f'avg({c})' for c in PILLAR_COLUMNS)} FROM responses").fetchone()))
    con.close()
    at = run_app(PANORAMICA)
    charts = {json.loads(c.proto.spec)["title"]["text"]: c for c in at.get("vega_lite_chart")}
    datasets = [d.name for d in charts["Piramide CX del Club"].proto.datasets]
    assert datasets == ["pyramid_tiers"], "the pyramid drawn as on Piramide CX"
    by_score = [t(f"score.{c}", "it") for c in sorted(means, key=means.get, reverse=True)]
    spec = json.loads(charts["Six Pillars del Club"].proto.spec)
    assert spec["layer"][0]["encoding"]["y"]["sort"] == by_score, "as Six Pillars ranks them"


def test_risultati_orders_groups_alike_in_chart_and_table(app_env):
    at = run_app("pages/risultati.py", confronto="sector", domanda="club_nps")
    table = [c for c in at.dataframe[0].value.columns][1:]
    sorts = []
    for spec in _specs(at):
        for layer in spec.get("layer", [spec]):
            sort = layer.get("encoding", {}).get("y", {}).get("sort")
            if isinstance(sort, list) and "Totale" in sort:
                sorts.append(sort)
    assert sorts and all(s == table for s in sorts), (sorts, table)


PAGES = ("panoramica", "risultati", "personas", "piramide", "pilastri", "journey", "fattori",
         "azienda")


def test_method_sections_name_questions_not_ids(app_env):
    from cx.questionnaire import questionnaire

    ids = [q.id for q in questionnaire().questions if "_" in q.id]
    raw = re.compile(r"(?<![\w/#.{-])(" + "|".join(map(re.escape, ids)) + r")(?![\w}])")
    for lang in ("it", "en"):
        for page in PAGES:
            at = run_app(f"pages/{page}.py", lang=lang)
            texts = [md.value for exp in at.expander for md in exp.markdown]
            assert texts or page == "azienda", page
            found = {m.group(0) for text in texts for m in raw.finditer(text)}
            assert not found, (page, lang, found)


def test_an_empty_database_says_so_once(empty, monkeypatch):
    from tests.conftest import ROOT

    monkeypatch.setenv("CX_DB", str(empty.path))
    monkeypatch.chdir(ROOT)
    empty.close()
    at = run_app(PANORAMICA)
    assert not at.metric and not at.get("vega_lite_chart") and not at.info
    card = [m.value for m in at.markdown]
    assert card == ["Nessun rispondente ancora: carica il primo file di risposte."]
    assert at.get("page_link")[0].proto.label == "Carica dati"


def test_a_filter_under_k_says_so_once(app_env):
    con = duckdb.connect(str(app_env), read_only=True)
    wave, sector, region, n = con.execute(
        "SELECT wave, sector, region, count(*) AS n FROM responses GROUP BY ALL "
        "HAVING n < 5 ORDER BY n LIMIT 1").fetchone()
    con.close()
    at = run_app(PANORAMICA, ondata=str(wave), settore=sector, area=region)
    assert not at.metric and not at.get("vega_lite_chart") and not at.info
    sentences = [m.value for m in at.markdown if "badge[" not in m.value]
    rispondent = "rispondente" if n == 1 else "rispondenti"
    assert sentences == [f"Solo {n} {rispondent} per questa selezione, meno di 5: i risultati "
                         "non vengono mostrati."]
    at.button(key="cx_empty_reset").click().run()
    assert int(at.metric[0].value) == 264


def test_a_wave_that_did_not_ask_shows_one_line_not_axes(app_env):
    from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS

    cleared = ", ".join(f"{c} = NULL" for c in (*PYRAMID_COLUMNS, *PILLAR_COLUMNS))
    _edit(app_env, f"UPDATE responses SET {cleared} WHERE wave = 2026")
    at = run_app(PANORAMICA, ondata="2026")
    titles = [s["title"]["text"] for s in _specs(at)]
    assert titles == ["Stadi di maturità CX"]
    assert [c.value for c in at.caption].count(
        "Nessuna risposta in questa selezione: le domande non sono state poste.") == 2


def test_the_changes_compare_what_each_wave_shows(sample_db_template):
    from cx.glance import COLUMNS, wave_changes
    from cx.overview import COLUMNS as OVERVIEW_COLUMNS
    from cx.overview import compute_overview
    from cx.store import Store

    with Store.open(sample_db_template) as s:
        scores = s.responses(COLUMNS)
        waves = [compute_overview(s.responses(OVERVIEW_COLUMNS, Filters(wave=w)), 5)
                 for w in (2025, 2026)]
    found = wave_changes(scores, (2025, 2026), 5)
    assert set(found) == {"nps", "maturity", "journey_map", "measures_nps"}
    for name, moved in found.items():
        assert moved == change(getattr(waves[1], name), getattr(waves[0], name), (2025, 2026))
    assert found["maturity"].value == pytest.approx(
        scores.groupby("wave")["maturity_index"].mean().diff().iloc[-1])

"""Risultati and Customer Journey through real Streamlit (AppTest) on a real database copy:
every question, every type with every breakdown, both languages, privacy thresholds."""

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from cx import results
from cx.questionnaire import questionnaire
from cx.store import Store
from tests.conftest import ROOT

QN = questionnaire()
TYPES = {"single": "cj_ideal_map", "multi": "touchpoints", "likert": "pil_empathy_1",
         "nps": "club_nps", "scale": "club_ces", "number": "kpi_csat", "text": "pain_point"}


@pytest.fixture(scope="module")
def db(sample_db_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("results_pages") / "cx.duckdb"
    shutil.copy(sample_db_template, path)
    return path


@pytest.fixture
def app(db, monkeypatch):
    monkeypatch.setenv("CX_DB", str(db))
    monkeypatch.chdir(ROOT)

    def start(page: str = "pages/risultati.py", lang: str = "it", **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        return at.switch_page(page).run()

    return start


def show(at: AppTest, qid: str, by: str) -> AppTest:
    at.selectbox(key="domanda").set_value(qid)
    at.segmented_control(key="confronto").set_value(by)
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.label + " " + str(m.value) for m in at.metric]
    for kind in ("markdown", "caption", "title", "info", "warning", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def assert_fine(at: AppTest, what: object) -> None:
    assert not at.exception, (what, [e.value for e in at.exception])
    assert not at.error, (what, [e.value for e in at.error])


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_question_renders_with_a_breakdown(app, lang):
    at = app(lang=lang)
    for i, q in enumerate(results.explorable(QN)):
        show(at, q.id, results.BREAKDOWNS[1 + i % 6])
        assert_fine(at, q.id)
        assert at.get("vega_lite_chart") or at.info, q.id


@pytest.mark.parametrize("kind", list(TYPES))
def test_each_type_with_each_breakdown(app, kind):
    at = app()
    for by in results.BREAKDOWNS:
        show(at, TYPES[kind], by)
        assert_fine(at, (kind, by))
        shown = texts(at)
        if by != results.NONE and kind != "text":
            assert "significativ" in shown or "Il confronto non è mostrato" in shown, (kind, by)
        if by != results.NONE and by != TYPES[kind]:
            assert at.dataframe, (kind, by, "the crosstab")


def test_the_question_and_breakdown_come_from_the_url(app):
    at = app(domanda="club_nps", confronto="sector")
    assert at.selectbox(key="domanda").value == "club_nps"
    assert at.segmented_control(key="confronto").value == "sector"
    titles = [s["title"]["text"] for s in specs(at)]
    assert any("per settore" in " ".join(t if isinstance(t, list) else [t]) for t in titles)


def test_the_trend_of_a_mean_pairs_the_companies_in_both_waves(app):
    at = app(domanda="club_ces")
    shown = texts(at)
    assert "test t per campioni parzialmente appaiati, sulle medie per azienda" in shown
    assert "le 26 aziende che hanno risposto in entrambe" in shown
    subtitle = specs(at)[0]["title"]["subtitle"]
    assert "indicativo" not in json.dumps(subtitle), "each wave has over 100 answers"


def test_a_headline_under_30_answers_is_marked_indicative(app):
    at = app(domanda="club_nps", ondata="2025", settore="finance")
    subtitle = json.dumps(specs(at)[0]["title"]["subtitle"], ensure_ascii=False)
    assert "n = 19 · indicativo" in subtitle, subtitle


def test_likert_chart_is_diverging_and_sorted_in_the_app(app):
    at = app(domanda="pil_empathy_1", confronto="region")
    spec = specs(at)[0]
    bars = spec["layer"][1]
    assert bars["encoding"]["x"]["field"] == "start"
    rows = bars["encoding"]["y"]["sort"]
    assert rows[0] == "Totale" and len(rows) == 5
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_english_page_speaks_english(app):
    at = show(app(lang="en"), "cj_ideal_map", "sector")
    shown = texts(at)
    assert at.title[0].value == "Results"
    assert "significant" in shown.lower()
    assert "Risultati" not in shown and "Totale" not in json.dumps(specs(at))


def test_nothing_is_shown_over_fewer_than_k(app, monkeypatch):
    monkeypatch.setenv("CX_PRIVACY_K", "1000")
    at = show(app(), "club_nps", "sector")
    assert_fine(at, "k")
    assert not at.get("vega_lite_chart") and not at.dataframe
    assert "meno di 1000 risposte" in texts(at)


def test_free_text_needs_the_comment_threshold(app, monkeypatch):
    monkeypatch.setenv("CX_COMMENT_K", "5000")
    at = show(app(), "pain_point", "none")
    assert_fine(at, "comment_k")
    assert not at.dataframe
    assert "almeno 5000 persone" in texts(at)


def test_no_company_name_is_ever_shown(app, db):
    with Store.open(db) as store:
        names = set(store.responses(["company"])["company"])
    at = app()
    for qid, by in (("pain_point", "sector"), ("cx_priority", "none"), ("sector", "region")):
        show(at, qid, by)
        shown = texts(at) + json.dumps(specs(at))
        shown += "".join(df.value.to_csv() for df in at.dataframe)
        assert not [n for n in names if n in shown], qid


def test_one_computed_result_serves_both_languages(app, monkeypatch):
    """Switching the language names the same result again: nothing is computed twice."""
    import streamlit as st

    st.cache_data.clear()
    calls = []
    for name in ("summarise", "break_down", "trend"):
        real = getattr(results, name)
        monkeypatch.setattr(results, name, lambda *a, _real=real, _name=name, **kw: (
            calls.append(_name), _real(*a, **kw))[1])
    at = show(app(), "cj_ideal_map", "sector")
    computed = sorted(calls)
    assert {"summarise", "break_down", "trend"} <= set(computed)
    italian = specs(at)[0]["title"]["text"]
    at.segmented_control(key="lang").set_value("en").run()
    assert_fine(at, "en")
    assert specs(at)[0]["title"]["text"] != italian, "the chart is named in English"
    assert "Total" in json.dumps(specs(at)[0]) and "Totale" not in json.dumps(specs(at)[0])
    assert sorted(calls) == computed, "switching language recomputed a result"


def test_a_filter_narrows_the_results(app):
    at = show(app(), "club_nps", "none")
    before = specs(at)[0]["title"]["subtitle"]
    at.multiselect(key="settore").set_value(["finance"]).run()
    assert_fine(at, "filter")
    assert specs(at)[0]["title"]["subtitle"] != before


@pytest.fixture
def journey_app(app):
    return lambda lang="it": app("pages/journey.py", lang)


@pytest.mark.parametrize(("lang", "labels"), [
    ("it", ["Disegnano il journey ideale", "Lo verificano anche sul campo",
            "Di chi la disegna, non la verifica"]),
    ("en", ["Draw the ideal journey", "Also check it in the field",
            "Of those who draw it, do not check it"])])
def test_customer_journey_page(journey_app, app, lang, labels):
    at = journey_app(lang)
    assert_fine(at, lang)
    assert [m.label for m in at.metric] == labels
    draws, checks, unchecked = (int(m.value.rstrip("%")) for m in at.metric)
    assert draws > checks and 0 < unchecked < 100
    assert len(at.get("vega_lite_chart")) == 6
    sentence = texts(at)
    assert ("ha disegnato la mappa" if lang == "it" else "have drawn") in sentence
    # «Journey ideale» is Panoramica's tile: the same share, and the same caption (n, companies,
    # interval) under it
    overview = app("pages/panoramica.py", lang)
    tile = next(m for m in overview.metric if m.label in ("Journey ideale", "Ideal journey map"))
    assert tile.value == at.metric[0].value
    shared = {c.value for c in at.caption} & {c.value for c in overview.caption}
    assert any("n = " in c and ("IC 95%" in c or "95% CI" in c) for c in shared), shared


def test_customer_journey_follows_the_filters(journey_app):
    at = journey_app()
    before = [m.value for m in at.metric]
    at.multiselect(key="settore").set_value(["finance"]).run()
    assert_fine(at, "filter")
    assert [m.value for m in at.metric] != before


def test_customer_journey_suppressed_under_k(journey_app, monkeypatch):
    monkeypatch.setenv("CX_PRIVACY_K", "1000")
    at = journey_app()
    assert_fine(at, "k")
    assert not at.get("vega_lite_chart") and not at.metric
    assert "meno di 1000" in texts(at)


def test_a_likert_statement_is_shown_among_its_section(app):
    at = show(app(), "pil_empathy_1", "none")
    assert_fine(at, "likert")
    bars = specs(at)[0]["layer"][1]
    rows = bars["encoding"]["y"]["sort"]
    assert len(rows) == 12 and sum(r.startswith("▶") for r in rows) == 1

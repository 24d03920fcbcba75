"""Cosa spinge i risultati through real Streamlit (AppTest) on a private copy of the sample:
Italian by default, English by the switch without computing again, the verdicts, the
downloads, and visitors' analyses over the published table only."""

from __future__ import annotations

import json

import pytest
from streamlit import config as st_config

from cx.privacy import attach
from cx.store import Store
from cx.ui import drivers as drivers_ui
from tests.conftest import run_app

PAGE = "pages/fattori.py"


def _texts(at) -> str:
    parts = [m.label + " " + str(m.value) for m in at.metric]
    for kind in ("markdown", "caption", "title", "info"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)


def _specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def _answered(db, column: str, published: bool = False) -> int:
    with Store.open(db) as store:
        if published:
            frame = attach(store, 5, 8).current().publication.frame
        else:
            frame = store.responses([column])
        return int(frame[column].notna().sum())


@pytest.fixture
def visitor(app_env, monkeypatch):
    """No analyst password and a server reachable beyond localhost: an anonymous visitor."""
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")
    yield app_env
    st_config.set_option("server.address", before)


def test_the_page_in_italian_then_english_computes_once(app_env, monkeypatch):
    import streamlit as st

    st.cache_data.clear()
    calls = []
    real = drivers_ui.analyse
    monkeypatch.setattr(drivers_ui, "analyse", lambda *a, **kw: (calls.append(1),
                                                                  real(*a, **kw))[1])
    at = run_app(PAGE)
    assert at.title[0].value == "Cosa spinge i risultati"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rispondenti nel modello"] == str(_answered(app_env, "club_nps"))
    assert "R² (variabilità spiegata)" in metrics
    specs = _specs(at)
    assert [s["title"]["text"] for s in specs] == [
        "Quanto pesa ogni fattore su «NPS del Club»",
        "Importanza × performance per «NPS del Club»"]
    assert "Punti di forza da mantenere" in json.dumps(specs[1]) or \
        "Priorità di miglioramento" in json.dumps(specs[1])
    ids = " ".join(b.proto.id for b in at.get("download_button"))
    for chart in ("drivers_shares", "drivers_matrix"):
        for kind in ("png", "svg", "csv", "xlsx"):
            assert f"{kind}_{chart}" in ids, (kind, chart)
    assert "«Aspettative»" in _texts(at) or "Aspettative" in json.dumps(specs[0])
    computed = len(calls)
    assert computed == 1
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "What drives results"
    assert _specs(at)[0]["title"]["text"] == "How much each driver weighs on “Club NPS”"
    assert len(calls) == computed, "switching language recomputed the analysis"


def test_the_maturity_index_is_not_explained_by_its_own_practices(app_env):
    at = run_app(PAGE, esito="maturity_index", fattori="practices")
    assert "per costruzione" in _texts(at)
    assert not at.get("vega_lite_chart")
    at = run_app(PAGE, esito="maturity_index", fattori="pillars", lang="en")
    assert len(at.get("vega_lite_chart")) == 2 and "Adjusted R²" in _texts(at)


def test_a_small_segment_says_it_has_too_few(app_env):
    at = run_app(PAGE, esito="kpi_nps", segmento="sector")
    assert "Troppo pochi rispondenti" in _texts(at)
    assert not at.get("vega_lite_chart")


def test_a_visitor_reads_the_published_table_and_splits_within_the_margins(visitor):
    at = run_app(PAGE)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rispondenti nel modello"] == str(_answered(visitor, "club_nps", True))
    assert "persona" in at.selectbox(key="segmento").options or \
        "Buyer Persona" in at.selectbox(key="segmento").options
    at = run_app(PAGE, settore="finance")  # a sector filter: no split by size or persona
    options = at.selectbox(key="segmento").options
    assert "Dimensione" not in options and "Buyer Persona" not in options
    assert "Settore" in options


@pytest.mark.parametrize("who", ["analyst", "visitor"])
def test_a_persona_segment_is_analysed_or_says_why(request, app_env, who):
    if who == "visitor":
        request.getfixturevalue("visitor")
    at = run_app(PAGE, segmento="persona")
    groups = at.selectbox(key="gruppo").options
    assert groups and groups[0].startswith("1 · ")
    text = _texts(at)
    assert "Rispondenti nel modello" in text
    assert at.get("vega_lite_chart") or "Troppo pochi" in text or "troppo poco" in text

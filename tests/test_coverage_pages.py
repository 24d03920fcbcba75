"""Coverage and weighting in real Streamlit (AppTest): Panoramica without a member list is as
before; with one, an analyst sees the response rates (withheld under k responding companies)
and, with «Pesi: mix dei soci», each headline figure weighted beside the unweighted one; a
visitor sees nothing new; the list is uploaded on Carica dati."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from streamlit import config as st_config

from cx import fmt
from cx.coverage.report import load_weighted
from cx.coverage.weighted import WeightedOverview
from cx.filters import ALL
from cx.naming import company_key
from cx.store import Store
from cx.store import members as stored
from cx.synth.members import synth_members
from tests.conftest import run_app

TOGGLE = "weighted_mix"


def _with_members(db) -> None:
    with Store.open(db) as store:
        frame = synth_members(store.responses(("company", "sector", "size_band", "region")))
        frame.insert(1, "company_key", [company_key(c) for c in frame["company"]])
        stored.replace_members(store, frame)


def _rates(at, title: str):
    """The table under the rate chart titled `title` (its dataset)."""
    chart = next(c for c in at.get("vega_lite_chart") if title in c.proto.spec)
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _shape(at) -> tuple:
    """What Panoramica shows, element by element (values that a member list could change)."""
    return (tuple(_metrics(at).items()), tuple(c.value for c in at.caption),
            tuple(s.value for s in at.subheader), len(at.get("vega_lite_chart")),
            tuple(t.label for t in at.toggle), len(at.dataframe))


def test_without_a_member_list_panoramica_is_unchanged(app_env):
    at = run_app()
    assert "Pesi: mix dei soci" not in [t.label for t in at.toggle]
    assert not any("Copertura" in s.value for s in at.subheader)
    assert len(at.get("vega_lite_chart")) == 3  # stages, pyramid, pillars
    assert len(at.metric) == 6
    before = _shape(at)
    _with_members(app_env)
    at = run_app()
    # with a list and the toggle off, the figures above are the same: only the toggle and
    # the coverage section are added
    assert _metrics(at) == dict(before[0])
    assert len(at.get("vega_lite_chart")) == 5


def test_response_rates_by_sector_and_size_with_n_and_withheld_cells(app_env):
    _with_members(app_env)
    at = run_app()
    assert next(s.value for s in at.subheader) == "Copertura: tasso di risposta dei soci"
    with Store.open(app_env) as store:
        members = stored.members(store)
        answered = store.responses(("company",))["company"].map(company_key).unique()
    sectors = _rates(at, "Tasso di risposta per settore")
    retail = sectors[sectors["label"] == "Commercio e retail"].iloc[0]
    listed = members[members["sector"] == "retail"]
    assert retail["members"] == len(listed)
    assert retail["responding"] == listed["company_key"].isin(answered).sum()
    assert retail["text"].endswith(f"({int(retail['responding'])} su {len(listed)})")
    assert len(_rates(at, "Tasso di risposta per dimensione")) == 5
    at.multiselect(key="settore").set_value(["services"]).run()  # 9 companies
    assert not at.exception
    sizes = _rates(at, "Tasso di risposta per dimensione")
    thin = sizes["responding"].isna()
    assert thin.any() and (sizes.loc[thin, "text"] == "< 5").all()
    assert sizes.loc[thin, "rate"].isna().all()


def test_the_toggle_shows_each_headline_figure_weighted_beside_the_unweighted(app_env):
    _with_members(app_env)
    at = run_app()
    plain = _metrics(at)
    at.toggle(key=TOGGLE).set_value(True).run()
    assert not at.exception
    metrics = _metrics(at)
    with Store.open(app_env) as store:
        expected = load_weighted(store, ALL, 5)
    assert isinstance(expected, WeightedOverview)
    assert metrics["NPS del Club · pesato"] == fmt.signed(expected.nps.value, "it")
    assert metrics["Maturità media · pesato"] == fmt.number(expected.maturity.value, "it")
    assert metrics["Journey ideale · pesato"] == fmt.percent(expected.journey_map.value, "it")
    assert metrics["NPS del Club"] == plain["NPS del Club"]  # the unweighted stays beside
    assert metrics["NPS del Club · pesato"] != metrics["NPS del Club"]
    w = expected.weighting
    line = next(c.value for c in at.caption if c.value.startswith("Pesati sul mix dei soci"))
    assert f"deff {fmt.number(w.deff, 'it', 2)}" in line
    assert f"n effettivo {fmt.number(w.n_effective, 'it')}" in line
    table = at.dataframe[0].value
    assert list(table["Cifra"])[:3] == ["NPS del Club", "Maturità media", "Journey ideale"]
    assert table["Pesato"].iloc[1] == fmt.number(expected.maturity.value, "it")
    pillars = dict(expected.profile)  # the pyramid levels and the pillars follow
    assert len(table) == 6 + len(pillars)
    empathy = table[table["Cifra"] == "Empatia"].iloc[0]
    assert empathy["Pesato"] == fmt.number(pillars["pillar_empathy"].value, "it")
    at.toggle(key=TOGGLE).set_value(False).run()
    assert _metrics(at) == plain


@pytest.fixture
def visitor(app_env, monkeypatch):
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")
    yield app_env
    st_config.set_option("server.address", before)


def test_a_visitor_sees_no_coverage_nor_weights(visitor):
    _with_members(visitor)
    at = run_app()
    assert "Pesi: mix dei soci" not in [t.label for t in at.toggle]
    assert not any("Copertura" in s.value for s in at.subheader)


def test_carica_dati_checks_then_saves_a_member_list(app_env):
    at = run_app("pages/carica.py")
    assert any("Nessun elenco soci salvato" in c.value for c in at.caption)
    bad = "Azienda;Settore;Dimensione\nAlfa;Edilizia;small\nBeta;retail;small\n"
    uploader = next(u for u in at.get("file_uploader") if "Elenco soci" in u.proto.label)
    at.file_uploader(key=uploader.key).set_value(("soci.csv", bad.encode(), "text/csv")).run()
    assert "1 problema" in at.error[0].value
    problems = next(d.value for d in at.dataframe if "Riga" in d.value.columns)
    assert problems["Riga"].tolist() == [2] and problems["Valore"].tolist() == ["Edilizia"]
    assert problems["Colonna"].tolist() == ["Settore"]
    with Store.open(app_env) as store:
        assert stored.members(store).empty
    good = bad.replace("Edilizia", "Sanità e farmaceutico")
    at.file_uploader(key=uploader.key).set_value(("soci.csv", good.encode(), "text/csv")).run()
    at.button(key="members_save").click().run()
    assert not at.exception
    assert any("Elenco soci salvato" in s.value for s in at.success)
    assert any(c.value == "Salvato: elenco di 2 soci." for c in at.caption)
    with Store.open(app_env) as store:
        assert list(stored.members(store)["sector"]) == ["health", "retail"]
    at.button(key="members_clear").click().run()
    assert any("Elenco soci eliminato" in s.value for s in at.success)
    assert any("Nessun elenco soci salvato" in c.value for c in at.caption)
    with Store.open(app_env) as store:
        assert stored.members(store).empty


def test_the_stage_deck_says_its_figures_are_unweighted_once_a_list_is_known(app_env):
    at = run_app("pages/presentazione.py")
    texts = " ".join(str(e.value) for kind in ("markdown", "caption") for e in at.get(kind))
    assert "non pesati" not in texts  # no member list: the deck as before
    _with_members(app_env)
    at = run_app("pages/presentazione.py")
    texts = " ".join(str(e.value) for kind in ("markdown", "caption") for e in at.get(kind))
    assert "Dati non pesati" in texts.replace("\\", "")  # the stage: published figures


def test_in_english(app_env):
    _with_members(app_env)
    at = run_app(lang="en")
    assert "Coverage: members' response rate" in [s.value for s in at.subheader]
    at.toggle(key=TOGGLE).set_value(True).run()
    assert not at.exception
    assert "Club NPS · weighted" in _metrics(at)
    assert any(c.value.startswith("Weighted to the member mix: post-stratification")
               for c in at.caption)
    at = run_app("pages/carica.py", lang="en")
    assert "Member list (coverage and weights)" in [s.value for s in at.subheader]


def test_typed_margins_are_raked_and_a_region_filter_leaves_figures_unweighted(app_env):
    with Store.open(app_env) as store:
        frame = synth_members(store.responses(("company", "sector", "size_band", "region")))
        margins = pd.concat([
            frame.groupby("sector").size().rename("members").reset_index().assign(size_band=None),
            frame.groupby("size_band").size().rename("members").reset_index().assign(sector=None)])
        stored.replace_totals(store, margins[["sector", "size_band", "members"]])
    at = run_app()
    at.toggle(key=TOGGLE).set_value(True).run()
    assert not at.exception
    line = next(c.value for c in at.caption if c.value.startswith("Pesati sul mix dei soci"))
    assert "raking sui margini di settore e dimensione" in line
    assert "NPS del Club · pesato" in _metrics(at)
    sectors = _rates(at, "Tasso di risposta per settore")  # every responding company counts
    assert sectors["members"].sum() == len(frame)
    at.multiselect(key="area").set_value(["centro"]).run()
    assert any("non hanno la regione" in i.value for i in at.info)
    assert "NPS del Club · pesato" not in _metrics(at)

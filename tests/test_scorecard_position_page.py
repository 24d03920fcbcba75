"""Scheda azienda in real Streamlit: where the company stands and how it moved (the standing
table, the percentiles, the gap bar per pillar, the practices beside the peers'), in Italian
and English, for a company picked from the sample's company table (codes are random)."""

import json

import pytest
from streamlit import config as st_config

from cx.companies import company_table
from cx.filters import Filters
from cx.store import Store
from tests.conftest import run_app

COMPANY = "pages/azienda.py"
WORDS = {
    "it": {"title": "Dove si colloca l'azienda", "vs": "Differenza dal Club (IC 95%)",
           "move": "Variazione 2025→2026 (IC 95%)", "pct": "nel Club (",
           "practices": "Altre aziende del Club che la adottano", "gap": "Scarto dal resto"},
    "en": {"title": "Where the company stands", "vs": "Difference from the Club (95% CI)",
           "move": "Change 2025→2026 (95% CI)", "pct": "in the Club (",
           "practices": "Other companies of the Club that adopt it", "gap": "Gap from the rest"},
}


@pytest.fixture
def analyst(monkeypatch):
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "localhost")  # local mode: analyst
    yield
    st_config.set_option("server.address", before)


def _moved_company(db) -> str:
    """A company of 2026 that also answered in 2025, read from the store."""
    with Store.open(db) as s:
        table = company_table(s, Filters(wave=2026))
        earlier = set(company_table(s, Filters(wave=2025))["company"])
    return str(table[table["company"].isin(earlier)]["code"].iloc[0])


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_scheda_shows_where_the_company_stands_and_how_it_moved(app_env, analyst, lang):
    code = _moved_company(app_env)
    words = WORDS[lang]
    at = run_app(COMPANY, azienda=code, ondata="2026", lang=lang)
    assert words["title"] in [h.value for h in at.subheader]
    frames = [d.value for d in at.dataframe]
    standing = next(f for f in frames if words["vs"] in f.columns)
    assert words["move"] in standing.columns
    assert len(standing) >= 10  # maturity, three levels, six pillars at least
    first = standing.iloc[0]
    assert first.iloc[0] in ("Indice di maturità CX", "CX maturity index")
    assert "[" in first[words["vs"]] and "[" in first[words["move"]]
    text = " ".join(m.value for m in at.markdown)
    assert words["pct"] in text
    practices = next(f for f in frames if words["practices"] in f.columns)
    assert len(practices) == 11
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    gaps = [s for s in specs if words["gap"] in json.dumps(s, ensure_ascii=False)]
    assert len(gaps) == 1 and len(specs) == 3  # pyramid, gap bar, radar
    keys = {b.proto.id for b in at.get("download_button")}
    for name in (f"posizione-{code}", f"pratiche-{code}"):
        assert any(f"csv_{name}" in k for k in keys) and any(f"xlsx_{name}" in k for k in keys)
    assert not at.exception


def test_a_manager_sees_their_own_position_and_a_visitor_none(app_env, monkeypatch):
    from tests.test_scorecard_pages import _leaks, _output

    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")  # served: visitors unless signed in
    try:
        with Store.open(app_env) as s:
            codes = s.query("access_codes")
            latest = company_table(s, Filters(wave=int(s.query("waves")["wave"].max())))
        visitor = run_app(COMPANY)
        assert WORDS["it"]["title"] not in [h.value for h in visitor.subheader]
        assert not visitor.dataframe, "no table of any company"
        # a company of the latest wave (in the selection whatever the default), from the store
        own = codes[codes["code"] == latest["code"].iloc[0]].iloc[0]
        at = run_app()
        at.text_input(key="access_code_input").set_value(own["access_code"])  # then submit
        at.get("form_submit_button")[0].click().run()
        at.switch_page(COMPANY).run()
        assert not at.exception
        assert WORDS["it"]["title"] in [h.value for h in at.subheader]
        frames = [d.value for d in at.dataframe]
        assert any(WORDS["it"]["vs"] in f.columns for f in frames)
        assert not _leaks(_output(at), list(codes["company"]), allowed=own["company"])
    finally:
        st_config.set_option("server.address", before)

"""The «Accesso» box as each kind of user meets it (AppTest): in local mode a company's code
switches to that company's manager view and back; each sign-in error shows under its own
field; a visitor's Scheda azienda offers the code field; analysts reach the access codes with
names hidden (codes only); Six Pillars folds a heatmap of anonymous codes away."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cx.access import hash_password
from cx.store import Store
from tests.conftest import run_app

COMPANY, PILLARS, UPLOAD = "pages/azienda.py", "pages/pilastri.py", "pages/carica.py"


@pytest.fixture
def codes(app_env):
    with Store.open(app_env) as s:
        return s.query("access_codes")


def _captions(at: AppTest) -> str:
    return "\n".join(str(c.value).replace("\\", "") for c in at.sidebar.caption)


def _local(monkeypatch, server_address) -> None:
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    server_address("localhost")


def test_local_mode_tries_a_company_view_and_comes_back(app_env, codes, server_address,
                                                        monkeypatch):
    _local(monkeypatch, server_address)
    at = run_app(COMPANY)
    assert "Modalità locale" in _captions(at)
    box = next(e for e in at.sidebar.expander if e.label == "Prova la vista di un'azienda")
    row = codes.iloc[7]
    box.text_input(key="access_code_input").set_value(row["access_code"])
    box.button(key="access_code_submit").click().run()
    assert not at.exception
    assert f"Azienda: **{row['company']}**" in _captions(at).replace("\\", "")
    assert "Modalità locale" not in _captions(at)
    assert at.selectbox(key="azienda").value == row["code"], "the Scheda opens on its company"
    assert not at.toggle, "no names switch: a manager sees only their own company's name"
    at.switch_page(UPLOAD).run()
    assert "Torna alla vista analista" in at.info[0].value, "Carica dati is the analysts'"
    back = at.sidebar.button(key="access_sign_out")
    assert back.label == "Torna alla vista analista"
    back.click().run()
    assert "Modalità locale" in _captions(at)
    assert at.toggle(key="access_show_names").value is False


def _children(block) -> list:
    return list(block.children.values())


def test_each_error_shows_under_its_own_field(app_env, server_address, monkeypatch):
    monkeypatch.setenv("CX_ANALYST_PASSWORD_HASH", hash_password("giusta", iterations=1000))
    server_address("0.0.0.0")
    at = run_app()
    at.sidebar.text_input(key="access_code_input").set_value("ZZZZ-ZZZZ")
    at.sidebar.button(key="access_code_submit").click().run()
    box = _children(at.sidebar.expander[0])
    kinds = [getattr(c, "type", None) or c.proto.WhichOneof("type") for c in box]
    assert kinds == ["form", "error", "form"], kinds
    assert box[1].value.startswith("Codice non riconosciuto")

    at.sidebar.text_input(key="access_password_input").set_value("sbagliata")
    at.sidebar.button(key="access_analyst_submit").click().run()
    box = _children(at.sidebar.expander[0])
    kinds = [getattr(c, "type", None) or c.proto.WhichOneof("type") for c in box]
    assert kinds == ["form", "form", "error"], "the password's error under the password"
    assert box[2].value == "Password errata."


def test_a_visitors_scheda_offers_the_code_field(app_env, codes, server_address, monkeypatch):
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    server_address("0.0.0.0")
    at = run_app(COMPANY)
    field = at.main.text_input(key="scorecard_code_input")
    assert field.label == "Hai un codice azienda? Inseriscilo qui"
    field.set_value("nessuno")
    at.main.button(key="scorecard_code_submit").click().run()
    assert [e.value for e in at.main.error] == [
        "Codice non riconosciuto. Controlla di averlo copiato per intero."]
    assert not at.sidebar.error, "the error is beside the field that failed"
    row = codes.iloc[11]
    at.main.text_input(key="scorecard_code_input").set_value(row["access_code"])
    at.main.button(key="scorecard_code_submit").click().run()
    assert not at.exception
    assert row["company"] in [h.value.replace("\\", "") for h in at.subheader]
    assert not at.main.text_input, "a manager is not asked for a code again"


def test_analysts_reach_the_access_codes_without_the_names(app_env, codes, server_address,
                                                           monkeypatch):
    _local(monkeypatch, server_address)
    at = run_app(COMPANY)
    at.toggle(key="scorecard_access_show").set_value(True).run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["Codice anonimo", "Codice di accesso"]
    assert sorted(table["Codice di accesso"]) == sorted(codes["access_code"])
    assert not set(codes["company"]) & set(table.to_numpy().ravel()), "no name in the list"
    at.toggle(key="access_show_names").set_value(True).run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["Codice anonimo", "Azienda", "Codice di accesso"]
    assert set(table["Azienda"]) == set(codes["company"])


def test_six_pillars_folds_a_heatmap_of_codes_away(app_env, server_address, monkeypatch):
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    server_address("0.0.0.0")
    visitor = run_app(PILLARS)
    assert not [e for e in visitor.expander if e.label == "Aziende × pilastri"]
    assert len(visitor.get("vega_lite_chart")) == 2, "the Club's radar and ranking only"
    _local(monkeypatch, server_address)
    analyst = run_app(PILLARS)  # names hidden: the rows are anonymous codes
    folded = [e for e in analyst.expander if e.label == "Aziende × pilastri"]
    assert len(folded) == 1 and folded[0].proto.expanded is False
    assert folded[0].get("vega_lite_chart"), "still there, one click away"
    analyst.toggle(key="access_show_names").set_value(True).run()
    assert not [e for e in analyst.expander if e.label == "Aziende × pilastri"]
    assert len(analyst.get("vega_lite_chart")) == 3, "named rows: the heatmap in the open"

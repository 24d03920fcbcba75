"""«Temi» on Risultati through real Streamlit (AppTest) on a real database copy: the themes of
pain_point in Italian and English above the word list, hidden under the comment threshold, and
an analyst's rename and merge kept in the file."""

from __future__ import annotations

import json

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from cx.store import Store
from tests.conftest import ROOT


def _listening(address: str):
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", address)
    yield
    st_config.set_option("server.address", before)


@pytest.fixture
def local_analyst(monkeypatch):
    """The server listens on localhost only, no password set: the session is an analyst."""
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    yield from _listening("localhost")


@pytest.fixture
def visitor(monkeypatch):
    """The server listens beyond this machine without a password: everyone is a visitor."""
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    yield from _listening("0.0.0.0")


def _risultati(lang: str = "it", qid: str = "pain_point") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.query_params["domanda"] = qid
    at.run()
    at.switch_page("pages/risultati.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest, column: str) -> list[str]:
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert found, column
    return list(found[0][column])


@pytest.mark.parametrize(("lang", "title", "theme", "column", "coverage"), [
    ("it", "Temi", "Assistenza e reclami", "Tema", "Copertura"),
    ("en", "Themes", "Customer service and complaints", "Theme", "Coverage")])
def test_pain_point_themes_in_both_languages(app_env, visitor, lang, title, theme, column,
                                             coverage):
    at = _risultati(lang)
    heads = [s.value for s in at.subheader]
    assert title in heads and heads.index(title) < len(heads) - 1
    answers = "Le risposte" if lang == "it" else "The answers"
    assert heads.index(title) < heads.index(answers), "the themes come above the words"
    themes = _table(at, column)
    assert theme in themes and len(themes) == len(set(themes)) >= 5
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert title in json.dumps(spec["title"], ensure_ascii=False)
    marks = {layer["mark"]["type"] for layer in spec["layer"]}
    assert {"bar", "rule", "text"} <= marks, "bars with error bars and labels"
    assert any(coverage in str(m.value) for m in at.markdown)
    assert not [e for e in at.expander if "analist" in e.label.lower()], "visitors edit nothing"


def test_themes_hidden_under_the_comment_threshold(app_env, monkeypatch):
    monkeypatch.setenv("CX_COMMENT_K", "5000")
    at = _risultati()
    assert "Temi" not in [s.value for s in at.subheader]
    assert not at.get("vega_lite_chart")


def test_an_analyst_renames_and_merges_and_the_file_keeps_it(app_env, local_analyst):
    at = _risultati()
    assert [e for e in at.expander if e.label == "Modifica i temi (analisti)"]
    at.selectbox(key="themes_rename_theme_pain_point").set_value("service")
    at.text_input(key="themes_label_it_pain_point").set_value("Assistenza clienti")
    at.text_input(key="themes_label_en_pain_point").set_value("Customer care")
    at.button(key="FormSubmitter:themes_rename_pain_point-Rinomina").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Assistenza clienti" in _table(at, "Tema")

    at.selectbox(key="themes_merge_theme_pain_point").set_value("price")
    at.selectbox(key="themes_merge_target_pain_point").set_value("service")
    at.button(key="FormSubmitter:themes_merge_pain_point-Unisci").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Prezzi e costi" not in _table(at, "Tema")

    with Store.open(app_env) as store:  # the primary: the app only reads snapshots
        edits = store.theme_edits("pain_point")
    assert [(e["action"], e["theme"], e["target"], e["label_it"]) for e in edits] == [
        ("rename", "service", None, "Assistenza clienti"), ("merge", "price", "service", None)]


def test_an_analyst_sees_the_themes_of_text_uploaded_beside_the_questions(app_env, local_analyst,
                                                                          tmp_path):
    from tests.test_themes import load_with_comments

    with Store.open(app_env) as store:
        load_with_comments(store, tmp_path, wave=2028, n=40)
    at = _risultati()
    assert "Temi nelle altre colonne di testo caricate" in [s.value for s in at.subheader]
    assert at.selectbox(key="themes_extra_column").value == "commento_club"
    tables = [df.value for df in at.dataframe if "Tema" in df.value.columns]
    assert len(tables) == 2 and "«evento · lontano» (dalle risposte)" in set(tables[1]["Tema"])


def test_a_visitor_never_sees_the_uploads_other_columns(app_env, visitor, tmp_path):
    from tests.test_themes import load_with_comments

    with Store.open(app_env) as store:
        load_with_comments(store, tmp_path, wave=2028, n=40)
    at = _risultati()
    assert "Temi nelle altre colonne di testo caricate" not in [s.value for s in at.subheader]
    assert "commento" not in str([df.value.to_csv() for df in at.dataframe])

"""Issue 17 (12): text from an upload is data, never markup. A company named like a Markdown
image became an <img> in the analyst's Scheda heading and the manager's sidebar, and the
browser fetched its URL. Every place a name is rendered shows it literally."""

from __future__ import annotations

import pytest
from streamlit import config as st_config

from cx.cli import main
from cx.store import Store
from cx.ui.widgets import literal
from tests.conftest import run_app

NAME = "![x](http://127.0.0.9/t.png) [y](javascript:alert(1)) Tracker S.p.A."


@pytest.fixture
def tracked(app_env, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(f'company,wave,club_nps,pyr_needs_1,pyr_ease_1,pyr_enjoyment_1\n'
                    f'"{NAME}",2031,9,1,5,5\n', encoding="utf-8")
    assert main(["ingest", str(path), "--db", str(app_env)]) == 0
    with Store.open(app_env) as store:
        codes = store.query("access_codes")
    return codes[codes["company"] == NAME].iloc[0]


def _rendered(at) -> list[str]:
    """Every piece of text the page hands to Markdown."""
    kinds = ("markdown", "caption", "subheader", "title", "header", "info", "warning",
             "success", "error")
    return [str(e.value) for kind in kinds for e in at.get(kind)]


def _raw_markup(texts: list[str]) -> list[str]:
    """Texts holding the name's image or link unescaped (escaped, `!` is followed by `\\`)."""
    return [x for x in texts if "![x](" in x or "[y](" in x]


def test_literal_escapes_every_markdown_sign():
    assert literal(NAME).startswith(r"\!\[x\]\(http\://127\.0\.0\.9/t\.png\)")
    assert "[" not in literal(NAME).replace("\\[", "")


def test_analyst_scorecard_and_pyramid_show_the_name_literally(tracked):
    at = run_app("pages/azienda.py", azienda=tracked["code"])
    at.toggle(key="access_show_names").set_value(True).run()
    texts = _rendered(at)
    assert literal(NAME) in texts, "the heading is the escaped name"
    assert not _raw_markup(texts)
    at.switch_page("pages/piramide.py").run()
    assert not at.exception and not _raw_markup(_rendered(at))


def test_manager_sidebar_shows_the_name_literally(tracked, monkeypatch):
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")
    try:
        at = run_app()
        at.text_input(key="access_code_input").set_value(tracked["access_code"])
        at.get("form_submit_button")[0].click().run()
        texts = _rendered(at)
        assert any(literal(NAME) in x for x in texts)
        assert not _raw_markup(texts)
        at.switch_page("pages/personas.py").run()
        assert not at.exception and not _raw_markup(_rendered(at))
    finally:
        st_config.set_option("server.address", before)

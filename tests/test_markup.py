"""Issue 17 (12): text from an upload is data, never markup. A company named like a Markdown
image became an <img> in the analyst's Scheda heading and the manager's sidebar, and the
browser fetched its URL. Every place a name is rendered shows it literally."""

from __future__ import annotations

import ast
import re

import pytest
from streamlit import config as st_config

from cx.cli import main
from cx.store import Store
from cx.ui.widgets import literal
from tests.conftest import ROOT, run_app

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


# ---------------------------------------------------------------------------- every page
# markup in every kind of text an upload brings: a company name, free-text answers, the header
# and cells of a column that matches no question, and the file's own name
IMAGE = "![m](http://127.0.0.9/m.png)"
LINK = "[l](javascript:alert(1))"
UNESCAPED = re.compile(r"(?<!\\)\]\((?:http://127\.0\.0\.9|javascript:)")
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
TEXT_QUESTIONS = ("pain_point", "cx_priority")


@pytest.fixture
def marked(app_env, tmp_path):
    company = f"{IMAGE} Marcata {LINK}"
    header = f"Note {IMAGE}"
    rows = [f'"{company}",2031,{9 - i % 3},{1 + i % 5},"Attese {IMAGE} **forti** {i}",'
            f'"Priorità {LINK} _{i}_","{IMAGE} nota {i}"' for i in range(12)]
    path = tmp_path / f"{LINK}.csv"
    path.write_text(f'company,wave,club_nps,pyr_needs_1,pain_point,cx_priority,"{header}"\n'
                    + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["ingest", str(path), "--db", str(app_env)]) == 0
    with Store.open(app_env) as store:
        codes = store.query("access_codes")
    return codes[codes["company"] == company].iloc[0]["code"]


def _unescaped(at) -> list[str]:
    return [x for x in _rendered(at) if UNESCAPED.search(x)]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_renders_uploaded_text_as_markup(page, marked):
    """Every page, as the analyst with company names shown: any text that reaches Markdown
    holds the upload's images and links escaped (`cx.ui.widgets.literal`)."""
    at = run_app(f"pages/{page}", azienda=marked)
    if any(t.key == "access_show_names" for t in at.toggle):  # not on stage: always anonymous
        at.toggle(key="access_show_names").set_value(True).run()
    assert not at.exception and not _unescaped(at), _unescaped(at)
    if page == "risultati.py":
        for qid in TEXT_QUESTIONS:
            at.selectbox(key="domanda").set_value(qid).run()
            assert not at.exception and not _unescaped(at), (qid, _unescaped(at))


def _constant(node: ast.expr) -> bool:
    """`STYLE`, or `HTML[lang]` / `HTML[normalise_lang(lang)]`: a module constant."""
    if isinstance(node, ast.Subscript):
        node = node.value
    return isinstance(node, ast.Name) and node.id.isupper()


def test_html_is_only_ever_the_apps_own_constants():
    """Markdown is escaped by `literal`; HTML would need its own escaping, so none is built
    from data: `st.html` takes module constants only (or one language's entry of a module
    constant built from the catalogue), and `unsafe_allow_html` is never used."""
    offenders = []
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "cx").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if any(k.arg == "unsafe_allow_html" for k in node.keywords):
                offenders.append(f"{path.name}: {name}(unsafe_allow_html=…)")
            if name.endswith(("st.html", "components.html")) and not all(
                    _constant(a) for a in node.args):
                offenders.append(f"{path.name}: {ast.unparse(node)}")
    assert offenders == []

"""The layering rules of the project, as tests."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


DOMAIN = sorted(p for p in (ROOT / "cx").rglob("*.py") if "ui" not in p.relative_to(ROOT).parts)
PAGES = sorted((ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_never_imports_streamlit(path):
    assert "streamlit" not in imported_modules(path)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_never_import_duckdb_or_sklearn(path):
    assert not imported_modules(path) & {"duckdb", "sklearn"}
    assert "SELECT " not in path.read_text()


def test_only_the_store_imports_duckdb():
    users = {p.name for p in DOMAIN if "duckdb" in imported_modules(p)}
    assert users <= {"store.py"}


def test_app_lists_every_page_with_navigation():
    from cx.ui.frame import PAGES as NAV

    listed = {path for _, path, *_ in NAV}
    assert listed == {f"pages/{p.name}" for p in PAGES}
    assert "st.navigation" in (ROOT / "cx/ui/frame.py").read_text()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_page_first_makes_sure_it_runs_inside_the_frame(path):
    body = [node for node in ast.parse(path.read_text(encoding="utf-8")).body
            if not isinstance(node, (ast.Import, ast.ImportFrom))
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    assert ast.unparse(body[0]) == "frame.ensure()"


def test_page_files_are_named_after_their_url():
    """Streamlit's legacy pages/ mode finds a page by its file name: a link to /piramide opened
    as a fresh server's first request must find pages/piramide.py, not a 'Page not found'."""
    from cx.ui.frame import HOME, HOME_ALIAS
    from cx.ui.frame import PAGES as NAV

    urls = {url: path for _, path, _, url, _ in NAV}
    assert urls.pop(HOME) == f"pages/{HOME_ALIAS}.py"  # served at "/", and by its name
    assert all(path == f"pages/{url}.py" for url, path in urls.items())

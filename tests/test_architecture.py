"""The layering rules of the project, as tests."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """The top-level packages a file imports (anywhere in it, lazy imports included)."""
    return {name.split(".")[0] for name in imported_names(path)}


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, dotted: `from cx import store` gives "cx" and "cx.store"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


DOMAIN = sorted(p for p in (ROOT / "cx").rglob("*.py") if "ui" not in p.relative_to(ROOT).parts)
PAGES = sorted((ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_never_imports_streamlit(path):
    assert "streamlit" not in imported_modules(path)


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_never_imports_the_ui(path):
    """The layers point down: cx/ui shows the features, the features never reach up into it."""
    assert not [name for name in imported_names(path) if within(name, "cx.ui")]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_import_only_streamlit_and_cx_never_the_store(path):
    names = imported_names(path)
    assert {name.split(".")[0] for name in names} <= {"streamlit", "cx"}
    assert not [name for name in names if within(name, "cx.store")]


def test_the_architecture_doc_names_folders_that_exist():
    text = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"\b(?:cx|pages|tests)/[\w./]*\w/?", text))
    assert len(paths) > 20, "the doc's tables name the folders"
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing, f"docs/architecture.md names what does not exist: {missing}"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_never_import_duckdb_or_sklearn(path):
    assert not imported_modules(path) & {"duckdb", "sklearn"}
    assert "SELECT " not in path.read_text()


STORE = ROOT / "cx" / "store"
# what the store may stand on: the foundation of docs/architecture.md (never ingest, privacy,
# a feature or the UI)
BELOW_THE_STORE = {"cx.store", "cx.questionnaire", "cx.question_types", "cx.score_columns",
                   "cx.filters", "cx.view", "cx.naming", "cx.i18n", "cx.config", "cx.background"}
SQL_WORDS = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WITH|SET|COPY|"
                       r"ATTACH|DETACH|PRAGMA|CHECKPOINT|UNPIVOT|PIVOT)\s")


def _in_store(path: Path) -> bool:
    return STORE in path.parents


def test_only_the_store_imports_duckdb():
    users = {str(p.relative_to(ROOT)) for p in DOMAIN
             if "duckdb" in imported_modules(p) and not _in_store(p)}
    assert users == set()


def test_every_duckdb_database_is_opened_by_the_engine():
    """cx/store/engine.py: one configuration, and a close that keeps the allocator's
    background threads running (DuckDB stops them for the whole process on any close)."""
    opening = re.compile(r"duckdb\.connect\(|duckdb\.(sql|query|execute)\(")
    users = {str(p.relative_to(ROOT)) for p in DOMAIN
             if opening.search(p.read_text()) and p != STORE / "engine.py"}
    assert users == set()


@pytest.mark.parametrize("path", sorted(STORE.rglob("*.py")), ids=lambda p: p.name)
def test_no_arrow_runs_back_up_from_the_store(path):
    """The store stands on definitions only: it never imports the importer, the privacy
    layer, a feature or the UI."""
    above = {m for m in imported_names(path) if within(m, "cx") and m != "cx"
             and not any(within(m, below) for below in BELOW_THE_STORE)}
    assert above == set()


def _sql_strings(path: Path) -> list[tuple[int, str]]:
    """String literals (f-strings included) that begin like an SQL statement."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values
                           if isinstance(v, ast.Constant) and isinstance(v.value, str))
        else:
            continue
        if SQL_WORDS.match(text) and (" FROM " in text.upper() or " INTO " in text.upper()
                                      or " TABLE " in text.upper() or " VIEW " in text.upper()
                                      or text.strip().upper().startswith(("SET ", "DROP "))):
            found.append((node.lineno, text[:60]))
    return found


@pytest.mark.parametrize("path", [p for p in DOMAIN if not _in_store(p)] + PAGES,
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_sql_lives_in_the_store(path):
    """No SQL text and no cursor outside `cx/store/`: the importer and every feature ask the
    store (`Store` methods, `Staging`)."""
    assert _sql_strings(path) == []
    text = path.read_text(encoding="utf-8")
    assert ".execute(" not in text and ".transaction()" not in text \
        and ".scratch()" not in text and ".cursor(" not in text


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

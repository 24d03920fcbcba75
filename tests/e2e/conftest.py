"""A real `streamlit run` on a free port, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> bool:
    """Whether the server answers its health check within `seconds`."""
    return answers(url + "/_stcore/health", proc, seconds, b"ok")


def answers(url: str, proc: subprocess.Popen, seconds: float = 60,
            body: bytes | None = None) -> bool:
    """Whether `url` answers (with `body`, if given) within `seconds` (False at once if the
    process ends); between tries, wait on the process itself."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            got = urllib.request.urlopen(url, timeout=1).read()
            if body is None or got == body:
                return True
        except OSError:
            pass  # not listening yet
        try:
            proc.wait(0.25)
            return False  # it exited: no point waiting
        except subprocess.TimeoutExpired:
            pass  # still starting
    return False


@contextmanager
def serve(db: Path, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A real `streamlit run app.py` on a free port over `db`, until the block ends (with
    `env` added to the server's environment)."""
    port = _free_port()
    with open(log_path, "w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port)],
            cwd=ROOT, env={**os.environ, "CX_DB": str(db), **(env or {})}, stdout=log,
            stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        if not _healthy(url, proc):
            proc.kill()
            log.seek(0)
            raise RuntimeError("streamlit did not start:\n" + log.read())
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(10)


@pytest.fixture(scope="session")
def app_url(sample_db_template, tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e") / "cx.duckdb"
    shutil.copy(sample_db_template, db)
    with serve(db, tmp_path_factory.mktemp("log") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def visitor_url(sample_db_template, tmp_path_factory):
    """A server whose analysts need a password: whoever opens it without one is a visitor."""
    from cx.access import hash_password

    db = tmp_path_factory.mktemp("e2e-visitor") / "cx.duckdb"
    shutil.copy(sample_db_template, db)
    env = {"CX_ANALYST_PASSWORD_HASH": hash_password("not-used", iterations=1_000)}
    with serve(db, tmp_path_factory.mktemp("log") / "visitor.log", env) as url:
        yield url


@pytest.fixture
def fresh_app_url(sample_db_template, tmp_path):
    """A server of its own, which no browser has opened yet."""
    db = tmp_path / "cx.duckdb"
    shutil.copy(sample_db_template, db)
    with serve(db, tmp_path / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.fail("Debian's chromium is required for the browser tests (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh tab that fails the test if the app asks anything of a host other than itself."""
    context = browser.new_context(locale="it-IT", viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    external: list[str] = []
    pg.on("request", lambda r: external.append(r.url)
          if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
          else None)
    yield pg
    context.close()
    assert not external, f"the app must work offline, but it requested {external}"


def wait_idle(page, timeout: int = 30_000, settle: int = 1000) -> None:
    """Wait until Streamlit is connected and the script has finished running."""
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout)
    page.wait_for_timeout(300)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)
    # the front end settles (widgets hydrate, charts render) shortly after the run ends;
    # a click during that window can be dropped
    page.wait_for_timeout(settle)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path

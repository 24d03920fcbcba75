"""Issue 23 (3): `python -m cx serve --workers 2` in front of a tiny two-page app: visitors
without a cookie spread over both workers, each stays on its own (page, websocket, upload), a
real Chromium page works through nginx, nginx serves the front end and /segui/ itself, and
stopping the launcher leaves no process behind."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from websockets.sync.client import connect

from cx.serve.workers import free_port
from tests.conftest import ROOT
from tests.e2e.conftest import wait_idle

TINY_APP = '''
import os
import streamlit as st
from cx.access import client_address

def whoami():
    st.write(f"worker {os.environ['CX_WORKER']} port {st.get_option('server.port')} "
             f"pid {os.getpid()}")
    st.write(f"seen from {client_address(st.context.ip_address, st.context.headers)}")

def first():
    st.title("Prima")
    whoami()
    upload = st.file_uploader("File")
    if upload is not None:
        st.write(f"ricevuti {len(upload.getvalue())} byte")

def second():
    st.title("Seconda")
    whoami()

st.navigation([st.Page(first, title="Prima", url_path="prima", default=True),
               st.Page(second, title="Seconda", url_path="seconda")]).run()
'''


def _descendants(pid: int) -> set[int]:
    """Every process below `pid` (the workers and nginx are in sessions of their own, still
    children of the launcher)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _get(port: int, path: str, cookie: str | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    answer = conn.getresponse()
    answer.body = answer.read()
    return answer


def _launch(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    env = {**os.environ, "CX_FOLLOW_DIR": str(tmp_path / "follow")}
    env.pop("CX_PUBLIC_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cx", "serve", "--workers", "2", "--port", str(port),
         "--host", "127.0.0.1", "--run-dir", str(tmp_path / "run"), *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, port


@pytest.fixture
def served(tmp_path):
    """The launcher on a free port: (its process, the port, the follow dir, start seconds)."""
    (tmp_path / "tiny.py").write_text(TINY_APP)
    began = time.monotonic()
    proc, port = _launch(tmp_path, "--app", str(tmp_path / "tiny.py"))
    follow = tmp_path / "follow"
    line = proc.stdout.readline()  # the ready line, or why it failed
    assert line.startswith("Pronto"), line + proc.stdout.read()
    try:
        yield proc, port, follow, time.monotonic() - began
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_two_workers_behind_nginx(served, page, tmp_path):
    proc, port, follow, startup = served
    assert startup < 30
    family = _descendants(proc.pid)
    assert len(family) >= 4  # two workers, nginx's master and at least one of its workers

    # visitors without a cookie are spread over both workers; each keeps its own
    routes = {}
    for _ in range(16):
        first = _get(port, "/")
        cookie = first.getheader("Set-Cookie").split(";")[0]
        routes[cookie] = first.getheader("X-CX-Worker")
        assert _get(port, "/seconda", cookie).getheader("X-CX-Worker") == routes[cookie]
    assert len(set(routes.values())) == 2

    # the websocket goes where the visitor's page went
    cookie, worker = next(iter(routes.items()))
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                 additional_headers={"Cookie": cookie}) as ws:
        assert ws.response.headers["X-CX-Worker"] == worker

    # a real browser: the page, its second page and an upload, all on one worker
    static_from_nginx: list[bool] = []
    page.on("response", lambda r: static_from_nginx.append(
        r.headers.get("x-cx-served-by") == "nginx") if "/static/" in r.url else None)
    document = page.goto(f"http://127.0.0.1:{port}/")
    wait_idle(page)
    assert page.get_by_test_id("stException").count() == 0
    upstream_port = document.headers["x-cx-worker"].rsplit(":", 1)[1]
    shown = page.get_by_text(f"port {upstream_port} pid").inner_text()
    # the sign-in throttle's address: the one nginx saw (Streamlit's own is nginx's loopback)
    expect(page.get_by_text("seen from 127.0.0.1")).to_be_visible()
    page.get_by_role("link", name="Seconda").click()
    expect(page.get_by_role("heading", name="Seconda")).to_be_visible()
    expect(page.get_by_text(shown)).to_be_visible()
    page.get_by_role("link", name="Prima").click()
    upload = tmp_path / "risposte.csv"
    upload.write_bytes(b"id;nps\n" * 5000)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    expect(page.get_by_text("ricevuti 35000 byte")).to_be_visible(timeout=15_000)
    expect(page.get_by_text(shown)).to_be_visible()
    assert static_from_nginx and all(static_from_nginx)

    # the follow-along site, straight from its folder
    (follow / "index.html").write_text("<h1>Segui la presentazione</h1>")
    answer = _get(port, "/segui/")
    assert answer.status == 200 and b"Segui la presentazione" in answer.body
    assert answer.getheader("X-CX-Served-By") == "nginx"

    # a worker that dies is started again on its port, and its visitors are served again
    dead = int(shown.rsplit("pid ", 1)[1])
    os.kill(dead, signal.SIGKILL)
    assert "worker-" in proc.stdout.readline()  # «worker-N si è fermato … riavviato»
    assert not _alive(dead)
    mine = next(c["value"] for c in page.context.cookies() if c["name"] == "cxw")
    meanwhile = _get(port, "/seconda", f"cxw={mine}")  # nginx tries the other worker
    assert meanwhile.status == 200 and not meanwhile.getheader("X-CX-Worker").endswith(
        f":{upstream_port}")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if _get(int(upstream_port), "/_stcore/health").status == 200:
                break
        except OSError:
            time.sleep(0.2)
    page.reload()
    wait_idle(page)
    expect(page.get_by_text(f"port {upstream_port} pid")).to_be_visible()
    assert page.get_by_text(shown).count() == 0  # a new process on the same port

    # stopping: every process goes, with the launcher's clean exit
    family |= _descendants(proc.pid)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(20) == 0
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in family if _alive(pid)]


def test_the_real_app_on_one_database_with_two_workers(sample_db, browser, tmp_path):
    """Both workers open the same database file (they read its published snapshot) and render
    Panoramica through the proxy; each browser is sent to a chosen worker by its cookie."""
    proc, port = _launch(tmp_path, "--db", str(sample_db))
    try:
        line = proc.stdout.readline()
        assert line.startswith("Pronto"), line + proc.stdout.read()
        cookies: dict[str, str] = {}  # worker → a cookie value that routes to it
        for i in range(64):
            worker = _get(port, "/_stcore/health", f"cxw=v{i}").getheader("X-CX-Worker")
            cookies.setdefault(worker, f"v{i}")
        assert len(cookies) == 2
        pages = []
        for worker, value in cookies.items():
            context = browser.new_context(locale="it-IT")
            context.add_cookies([{"name": "cxw", "value": value,
                                  "url": f"http://127.0.0.1:{port}/"}])
            page = context.new_page()
            answer = page.goto(f"http://127.0.0.1:{port}/")
            assert answer.headers["x-cx-worker"] == worker
            pages.append(page)
        for page in pages:  # both workers build their first session at the same time
            wait_idle(page, timeout=90_000, settle=0)
            expect(page.get_by_role("heading", name="Panoramica").first).to_be_visible()
            assert page.get_by_test_id("stException").count() == 0
            page.context.close()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(20) == 0

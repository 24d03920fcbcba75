"""`python -m cx serve`'s proxy: the nginx configuration checked by nginx itself, then run in
front of two stub backends (no Streamlit: fast) to see the sticky cookie, the static front end,
the follow-along site and the upload limit at work. The real workers:
tests/e2e/test_serve_browser.py."""

from __future__ import annotations

import dataclasses
import http.client
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cx.cli import main
from cx.serve.launcher import ServeOptions, worker_env
from cx.serve.nginx import (
    ProxyPlan,
    max_upload_mb,
    nginx_command,
    render_config,
    streamlit_static_dir,
    write_config,
)
from cx.serve.static import mirror_name, precompressed_static
from cx.serve.workers import free_port, spawn, stop


def _nginx_or_skip() -> None:
    if shutil.which("nginx"):
        return
    policy = subprocess.run(["apt-cache", "policy", "nginx"], capture_output=True, text=True,
                            check=False) if shutil.which("apt-cache") else None
    if policy and "Candidate: (none)" not in policy.stdout and "Candidate:" in policy.stdout:
        pytest.fail("nginx is installable but missing: `make nginx` (make test does it)")
    pytest.skip("nginx is neither installed nor installable here")


def _plan(tmp_path: Path, upstreams: tuple[str, ...], port: int = 8500,
          static: Path | None = None) -> ProxyPlan:
    return ProxyPlan(f"127.0.0.1:{port}", upstreams, tmp_path / "run", tmp_path / "follow",
                     static or streamlit_static_dir(), 7)


@pytest.mark.parametrize("workers", [1, 2, 5])
def test_nginx_accepts_the_configuration_for_n_workers(tmp_path, workers):
    _nginx_or_skip()
    upstreams = tuple(f"127.0.0.1:{9000 + i}" for i in range(workers))
    conf = write_config(_plan(tmp_path, upstreams))
    check = subprocess.run(nginx_command(conf, test=True), capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    text = conf.read_text()
    assert [line.split()[1] for line in text.splitlines()
            if line.strip().startswith("server 127.")] == list(upstreams)
    assert "hash $cx_route consistent;" in text and "ip_hash;" not in text
    assert "client_max_body_size 8m;" in text  # 7 MB uploads plus the form's bytes
    assert (tmp_path / "follow").is_dir()  # made empty when missing


def test_root_keeps_nginx_workers_able_to_read_private_folders(tmp_path):
    plan = _plan(tmp_path, ("127.0.0.1:9000",))
    assert "\nuser root;\n" in render_config(plan, as_root=True)
    assert "\nuser " not in render_config(plan, as_root=False)


def test_the_upload_limit_follows_streamlits_config(tmp_path):
    toml = tmp_path / "config.toml"
    toml.write_text("[server]\nmaxUploadSize = 321\n")
    assert max_upload_mb(toml) == 321
    toml.write_text("[server]\nheadless = true\n")
    assert max_upload_mb(toml) == 200  # Streamlit's default
    assert max_upload_mb(tmp_path / "absent.toml") == 200
    assert max_upload_mb() == 500  # the project's .streamlit/config.toml


def test_the_static_folder_is_streamlits_built_front_end():
    index = (streamlit_static_dir() / "index.html").read_text()
    scripts = [part.split('"')[0] for part in index.split('src="./')[1:]]
    assert scripts and all(s.startswith("static/") for s in scripts)
    assert all((streamlit_static_dir() / s).is_file() for s in scripts)


def test_workers_share_the_database_and_cookie_secret_and_learn_the_follow_url(
        tmp_path, monkeypatch):
    opts = ServeOptions(2, 8500, Path("app.py"), tmp_path / "cx.duckdb", tmp_path)
    monkeypatch.delenv("CX_PUBLIC_URL", raising=False)
    monkeypatch.delenv("CX_FOLLOW_URL", raising=False)
    env1, env2 = worker_env(opts, 1, "s3cret"), worker_env(opts, 2, "s3cret")
    assert env1["CX_DB"] == env2["CX_DB"] == str((tmp_path / "cx.duckdb").resolve())
    assert (env1["CX_WORKER"], env2["CX_WORKER"]) == ("1", "2")
    assert env1["STREAMLIT_SERVER_COOKIE_SECRET"] == "s3cret"
    assert "CX_FOLLOW_URL" not in env1
    monkeypatch.setenv("CX_PUBLIC_URL", "https://cx.example.org/")
    assert worker_env(opts, 1, "x")["CX_FOLLOW_URL"] == "https://cx.example.org/segui/"
    monkeypatch.setenv("CX_FOLLOW_URL", "https://segui.example.org/")
    assert worker_env(opts, 1, "x")["CX_FOLLOW_URL"] == "https://segui.example.org/"


def test_serve_refuses_a_bad_worker_count_and_a_missing_nginx(monkeypatch, tmp_path, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["serve", "--workers", "0"])
    assert usage.value.code == 2 and "tra 1 e 64" in capsys.readouterr().err
    monkeypatch.setenv("PATH", str(tmp_path))  # no nginx on it
    assert main(["serve", "--lang", "en", "--run-dir", str(tmp_path / "run")]) == 1
    assert "nginx is not installed" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


class _Stub(BaseHTTPRequestHandler):
    """A backend that answers with its own port and the body size it received."""

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def _answer(self, body: bytes) -> None:
        text = f"{self.server.server_address[1]} {len(body)}".encode()
        self.send_response(200)
        self.send_header("X-Stub-Real-IP", self.headers.get("X-Real-IP", ""))
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def proxy(tmp_path: Path, static: Path | None = None,
          trusted: tuple[str, ...] = ()) -> Iterator[tuple[int, list[int]]]:
    """nginx from our template in front of two stub backends: (its port, theirs)."""
    _nginx_or_skip()
    stubs = [ThreadingHTTPServer(("127.0.0.1", 0), _Stub) for _ in range(2)]
    for s in stubs:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    ports = [s.server_address[1] for s in stubs]
    port = free_port()
    plan = _plan(tmp_path, tuple(f"127.0.0.1:{p}" for p in ports), port, static)
    conf = write_config(dataclasses.replace(plan, trusted=trusted))
    with open(tmp_path / "nginx.log", "wb") as log:
        proc = spawn(nginx_command(conf), {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}, log)
        try:
            _wait_port(port)
            yield port, ports
        finally:
            stop([proc], grace=5)
            for s in stubs:
                s.shutdown()


def _wait_port(port: int) -> None:
    for _ in range(600):  # up to 30 s: a busy CI machine starts nginx slowly
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            threading.Event().wait(0.05)
    raise AssertionError("nginx did not listen")


def _get(port: int, path: str, cookie: str | None = None, method: str = "GET",
         body: bytes | None = None, gzip: bool = False,
         extra: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {**({"Cookie": cookie} if cookie else {}), **(extra or {})}
    conn.request(method, path, body=body,
                 headers={**headers, "Accept-Encoding": "gzip"} if gzip else headers)
    answer = conn.getresponse()
    answer.body = answer.read()  # kept for the tests
    return answer


def test_a_visitor_without_cookie_gets_one_and_stays_on_its_worker(tmp_path):
    with proxy(tmp_path) as (port, backends):
        seen = {}
        for _ in range(16):  # random routes: both workers are hit (a miss: 2 in 65,536)
            first = _get(port, "/")
            cookie = first.getheader("Set-Cookie").split(";")[0]
            assert cookie.startswith("cxw=") and "HttpOnly" in first.getheader("Set-Cookie")
            worker = first.getheader("X-CX-Worker")
            for path in ("/", "/risultati", "/_stcore/host-config", "/media/x.png"):
                again = _get(port, path, cookie)
                assert again.getheader("X-CX-Worker") == worker
                assert again.getheader("Set-Cookie") is None  # it has one already
            seen[cookie] = worker
        assert {w.rsplit(":", 1)[1] for w in seen.values()} == {str(p) for p in backends}


def test_the_workers_learn_the_visitors_address_from_nginx_only(tmp_path):
    """The sign-in throttle counts per visitor (cx.access.client_address): nginx tells the
    workers the address it saw in X-Real-IP, whatever the visitor wrote there; behind a load
    balancer named in CX_TRUSTED_PROXIES, the visitor's address the balancer added."""
    forged = {"X-Real-IP": "10.9.9.9", "X-Forwarded-For": "198.51.100.4"}
    with proxy(tmp_path) as (port, _):
        assert _get(port, "/").getheader("X-Stub-Real-IP") == "127.0.0.1"
        assert _get(port, "/", extra=forged).getheader("X-Stub-Real-IP") == "127.0.0.1"
    with proxy(tmp_path / "lb", trusted=("127.0.0.0/8",)) as (port, _):  # the balancer: us
        seen = _get(port, "/", extra={"X-Forwarded-For": "203.0.113.9, 198.51.100.4"})
        assert seen.getheader("X-Stub-Real-IP") == "198.51.100.4", "the one it added, last"
        assert _get(port, "/").getheader("X-Stub-Real-IP") == "127.0.0.1"


def test_serve_names_a_trusted_proxy_that_is_not_an_address(monkeypatch, tmp_path, capsys):
    _nginx_or_skip()
    monkeypatch.setenv("CX_TRUSTED_PROXIES", "10.0.0.0/8, il bilanciatore")
    assert main(["serve", "--upstream", "127.0.0.1:9", "--port", str(free_port()),
                 "--run-dir", str(tmp_path / "run")]) == 1
    assert "CX_TRUSTED_PROXIES: «il bilanciatore» non è un indirizzo né una rete" in \
        capsys.readouterr().err


def test_the_front_end_and_the_follow_site_come_from_nginx(tmp_path):
    follow = tmp_path / "follow"
    with proxy(tmp_path) as (port, _):
        assert _get(port, "/segui/").status == 404  # nothing built yet
        (follow / "index.html").write_text("vecchia")
        (follow / "build-2").mkdir()
        (follow / "build-2" / "index.html").write_text("nuova")
        (follow / "build-2" / "s1.png").write_bytes(b"png")
        answer = _get(port, "/segui/")
        assert answer.status == 200 and answer.getheader("Cache-Control") == "public, max-age=15"
        assert answer.body == b"vecchia"  # no build yet: the directory itself
        (follow / "current").symlink_to("build-2")  # the builder's atomic switch
        assert _get(port, "/segui/").body == b"nuova"
        (follow / ".lock").write_text("")
        (follow / ".tmp-x").mkdir()
        (follow / ".tmp-x" / "index.html").write_text("a metà")
        assert _get(port, "/segui/.lock").status == 404
        assert _get(port, "/segui/.tmp-x/index.html").status == 404
        assert _get(port, "/segui/.tmp-x/").status == 404
        assert _get(port, "/segui/index.html").body == b"nuova"
        assert _get(port, "/segui/s1.png").getheader("Content-Type") == "image/png"
        assert _get(port, "/segui").status == 301
        (follow / "build-2" / "en").mkdir()
        (follow / "build-2" / "en" / "index.html").write_text("new")
        english = _get(port, "/segui/en")  # typed by hand, without the slash
        assert english.status == 301 and english.getheader("Location").endswith("/segui/en/")
        assert _get(port, "/segui/en/").body == b"new"
        assert _get(port, "/segui/nessuna").status == 404
        assert _get(port, "/segui/en/nessuna").status == 404
        escape = _get(port, "/segui/../run/nginx.conf")  # normalised to /run/...: the app's
        assert escape.getheader("X-CX-Worker") and escape.getheader("X-CX-Served-By") is None
        script = next((streamlit_static_dir() / "static" / "js").glob("index.*.js")).name
        static = _get(port, f"/static/js/{script}")
        assert static.status == 200 and static.getheader("X-CX-Served-By") == "nginx"
        assert "immutable" in static.getheader("Cache-Control")
        assert static.getheader("X-CX-Worker") is None  # no worker touched


def test_the_follow_site_switches_with_its_current_link(tmp_path):
    follow = tmp_path / "follow"
    with proxy(tmp_path) as (port, _):
        for name in ("a", "b"):
            (follow / name).mkdir()
            (follow / name / "index.html").write_text(name)
        (follow / "current").symlink_to("a")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/segui/")
        assert conn.getresponse().read() == b"a"
        (follow / "next").symlink_to("b")
        (follow / "next").replace(follow / "current")
        conn.request("GET", "/segui/")
        assert conn.getresponse().read() == b"b"


def test_uploads_reach_the_worker_up_to_streamlits_limit(tmp_path):
    with proxy(tmp_path) as (port, _):
        cookie = _get(port, "/").getheader("Set-Cookie").split(";")[0]
        ok = _get(port, "/_stcore/upload_file/s/f", cookie, "POST", b"x" * 7 * 2**20)
        assert ok.status == 200 and ok.body.endswith(b" %d" % (7 * 2**20))
        too_big = _get(port, "/_stcore/upload_file/s/f", cookie, "POST", b"x" * 9 * 2**20)
        assert too_big.status == 413


def test_proxy_only_in_front_of_workers_started_elsewhere(tmp_path):
    """compose's `proxy`: `cx serve --upstream HOST:PORT` starts nginx alone; SIGTERM stops it
    cleanly (exit 0), nginx included."""
    import os
    import signal
    import sys

    from tests.conftest import ROOT

    _nginx_or_skip()
    stub = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    port = free_port()
    env = {**os.environ, "CX_FOLLOW_DIR": str(tmp_path / "follow")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cx", "serve", "--upstream", f"127.0.0.1:{stub.server_address[1]}",
         "--port", str(port), "--host", "127.0.0.1", "--run-dir", str(tmp_path / "run")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout.readline().startswith("Pronto: http://127.0.0.1:")
        answer = _get(port, "/")
        assert answer.body == f"{stub.server_address[1]} 0".encode()
        nginx_pid = int((tmp_path / "run" / "nginx.pid").read_text())
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        assert not Path(f"/proc/{nginx_pid}").exists()
    finally:
        proc.kill()
        stub.shutdown()


def _fake_streamlit(root: Path, build: str) -> Path:
    (root / "static" / "js").mkdir(parents=True)
    (root / "index.html").write_text(f"<script src='./static/js/{build}.js'></script>")
    (root / "static" / "js" / f"{build}.js").write_text("let x = 1;\n" * 2000)
    (root / "static" / "js" / "tiny.js").write_text("1")
    (root / "static" / "logo.png").write_bytes(bytes(range(256)) * 8)
    return root


def test_the_front_end_is_compressed_once_into_a_mirror(tmp_path):
    import gzip

    source = _fake_streamlit(tmp_path / "st", "index.abc")
    mirror = precompressed_static(source, tmp_path / "run")
    js = mirror / "static" / "js" / "index.abc.js"
    assert js.is_symlink() and js.resolve() == (source / "static/js/index.abc.js").resolve()
    assert gzip.decompress((mirror / "static/js/index.abc.js.gz").read_bytes()) \
        == js.read_bytes()
    assert not (mirror / "static/js/tiny.js.gz").exists()  # too small to gain
    assert not (mirror / "static/logo.png.gz").exists()  # already compressed
    built = (mirror / "static/js/index.abc.js.gz").stat().st_mtime_ns
    assert precompressed_static(source, tmp_path / "run") == mirror  # kept, not rebuilt
    assert (mirror / "static/js/index.abc.js.gz").stat().st_mtime_ns == built
    assert [p.name for p in (tmp_path / "run").iterdir()] == [mirror.name]  # no leftovers
    (source / "index.html").write_text("another build")
    assert mirror_name(source) != mirror.name


def test_nginx_sends_the_precompressed_file(tmp_path):
    source = _fake_streamlit(tmp_path / "st", "index.abc")
    mirror = precompressed_static(source, tmp_path / "cache")
    with proxy(tmp_path, mirror) as (port, _):
        packed = _get(port, "/static/js/index.abc.js", gzip=True)
        assert packed.getheader("Content-Encoding") == "gzip"
        assert packed.body == (mirror / "static/js/index.abc.js.gz").read_bytes()
        plain = _get(port, "/static/js/index.abc.js")
        assert plain.getheader("Content-Encoding") is None
        assert plain.body == (source / "static/js/index.abc.js").read_bytes()


def test_the_watcher_rebuilds_the_follow_along_page_after_each_publication(sample_db, tmp_path,
                                                                           monkeypatch):
    """What `cx serve` calls every 2 s: the first look builds the page, the next ones only read
    the pointer, and a write published from anywhere rebuilds it for its data version."""
    from cx.dataset import open_shared
    from cx.follow import publish
    from cx.serve import refresh_follow
    from cx.store.snapshots import Snapshots

    out = tmp_path / "follow"
    monkeypatch.setenv("CX_FOLLOW_DIR", str(out))
    reader = open_shared(sample_db)
    assert refresh_follow(sample_db, "https://cx.example.org/")
    assert publish.published_version(out) == str(reader.data_version)
    assert not refresh_follow(sample_db, "https://cx.example.org/"), "nothing new: no build"
    reader.save_mapping("shape", ["a"], {"a": "company"})  # as a page upload would
    assert refresh_follow(sample_db, "https://cx.example.org/")
    assert publish.published_version(out) == str(Snapshots(sample_db).current().version)  # type: ignore[union-attr]

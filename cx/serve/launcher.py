"""`python -m cx serve`: N workers, nginx in front, until SIGINT or SIGTERM. A worker or the
proxy that dies is started again on its port; on the way out every process group is stopped.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

from cx import config
from cx.i18n import t
from cx.serve import FOLLOW_PATH, refresh_follow
from cx.serve.nginx import (
    ProxyPlan,
    max_upload_mb,
    nginx_command,
    streamlit_static_dir,
    write_config,
)
from cx.serve.static import precompressed_static
from cx.serve.workers import free_port, healthy, spawn, stop, streamlit_command

WATCH_EVERY = 2.0  # seconds between calls of refresh_follow()
CHECK_EVERY = 0.5  # seconds between looks at the processes
START_TIMEOUT = 90.0  # a worker's first health check (2 cores, several starting at once)
RESTART_PAUSE = 5.0  # a worker that keeps dying is not restarted in a tight loop


class ServeError(Exception):
    """Serving could not start: the message says why, in the user's language."""


@dataclass(frozen=True)
class ServeOptions:
    workers: int
    port: int
    app: Path
    db: Path
    run_dir: Path
    host: str = "0.0.0.0"
    upstreams: tuple[str, ...] = ()  # proxy only: workers started elsewhere (compose)
    lang: str = "it"


@dataclass
class Child:
    """A process we started and keep alive: how to start it again, when it last started."""

    name: str
    args: list[str]
    env: dict[str, str]
    log: IO[bytes]
    proc: subprocess.Popen[bytes] = field(init=False)
    started: float = 0.0

    def start(self) -> None:
        self.proc, self.started = spawn(self.args, self.env, self.log), time.monotonic()


def worker_env(opts: ServeOptions, index: int, secret: str) -> dict[str, str]:
    """A worker's environment: the same database and cookie secret for all (an XSRF token or
    a signed cookie made by one is good on the others), its number, the follow-along URL."""
    env = {**os.environ, "CX_DB": str(opts.db.resolve()), "CX_WORKER": str(index),
           "STREAMLIT_SERVER_COOKIE_SECRET": secret}
    public = os.environ.get("CX_PUBLIC_URL", "").strip()
    if public and not os.environ.get("CX_FOLLOW_URL", "").strip():  # an explicit one stands
        env["CX_FOLLOW_URL"] = public.rstrip("/") + FOLLOW_PATH
    return env


class Launcher:
    def __init__(self, opts: ServeOptions, say: Callable[[str], None]) -> None:
        self.opts, self.say = opts, say
        self.children: list[Child] = []
        self.stopping = threading.Event()

    def _log(self, name: str) -> IO[bytes]:
        return open(self.opts.run_dir / f"{name}.log", "ab")

    def start_workers(self) -> list[str]:
        """Start every worker at once, then wait for each: their host:port."""
        opts, secret = self.opts, os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") \
            or secrets.token_hex(32)
        ports = [free_port() for _ in range(opts.workers)]
        for i, port in enumerate(ports, start=1):
            args = streamlit_command(opts.app, port, max_upload_mb())
            name = f"worker-{i}"
            child = Child(name, args, worker_env(opts, i, secret), self._log(name))
            child.start()
            self.children.append(child)
        for child, port in zip(self.children, ports):
            if not healthy(port, child.proc, START_TIMEOUT, self.stopping):
                if self.stopping.is_set():  # Ctrl+C while starting: stop, no error
                    return []
                raise ServeError(t("serve.worker_failed", opts.lang, name=child.name,
                                   log=child.log.name))
        return [f"127.0.0.1:{port}" for port in ports]

    def start_proxy(self, upstreams: list[str], static: Path) -> None:
        opts = self.opts
        listen = str(opts.port) if opts.host in ("", "*") else f"{opts.host}:{opts.port}"
        try:
            trusted = config.trusted_proxies()
        except ValueError as bad:
            raise ServeError(t("serve.bad_trusted", opts.lang, value=str(bad),
                               name=config.TRUSTED_PROXIES_ENV)) from None
        plan = ProxyPlan(listen, tuple(upstreams), opts.run_dir, config.follow_dir(), static,
                         max_upload_mb(), trusted)
        conf = write_config(plan)
        check = subprocess.run(nginx_command(conf, test=True), capture_output=True, text=True)
        if check.returncode:
            raise ServeError(t("serve.nginx_refused", opts.lang, detail=check.stderr.strip()))
        child = Child("nginx", nginx_command(conf), dict(os.environ), self._log("nginx"))
        child.start()
        self.children.append(child)
        if not _listening(opts.port, child.proc):
            raise ServeError(t("serve.nginx_failed", opts.lang, log=child.log.name))

    def start(self) -> None:
        self.opts.run_dir.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(1) as pool:  # compressed while the workers boot
            static = pool.submit(precompressed_static, streamlit_static_dir(), self.opts.run_dir)
            upstreams = list(self.opts.upstreams) or self.start_workers()
            try:
                mirror = static.result()
            except OSError:  # e.g. a read-only run dir: nginx compresses on the fly instead
                mirror = streamlit_static_dir()
        if not self.stopping.is_set():
            self.start_proxy(upstreams, mirror)

    def keep_alive(self) -> None:
        """Start again whatever died (its whole group stopped first), until asked to stop."""
        while not self.stopping.wait(CHECK_EVERY):
            for child in self.children:
                pause_over = time.monotonic() - child.started > RESTART_PAUSE
                if child.proc.poll() is not None and pause_over:
                    stop([child.proc], grace=0)
                    self.say(t("serve.restarted", self.opts.lang, name=child.name,
                               code=child.proc.returncode))
                    child.start()

    def stop(self) -> None:
        stop([c.proc for c in self.children if hasattr(c, "proc")])
        for child in self.children:
            child.log.close()


def _listening(port: int, proc: subprocess.Popen[bytes], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def _watch(stopping: threading.Event, say: Callable[[str], None], db: Path,
           app_url: str) -> None:
    """What follows the data: the follow-along site, rebuilt after each publication."""
    while not stopping.wait(WATCH_EVERY):
        try:
            refresh_follow(db, app_url)
        except Exception as exc:  # a failed refresh must never take the event down
            say(f"refresh_follow: {exc!r}")


def public_url(opts: ServeOptions) -> str:
    value = os.environ.get("CX_PUBLIC_URL", "").strip()
    host = "localhost" if opts.host in ("", "*", "0.0.0.0") else opts.host
    return value.rstrip("/") + "/" if value else f"http://{host}:{opts.port}/"


def serve(opts: ServeOptions, say: Callable[[str], None] = print) -> int:
    """Run until SIGINT/SIGTERM; 0 after a clean stop. Raises ServeError if it cannot start."""
    launcher = Launcher(opts, say)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        launcher.stopping.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        launcher.start()
        if launcher.stopping.is_set():  # asked to stop while starting
            return 0
        url = public_url(opts)
        say(t("serve.ready", opts.lang, url=url, n=len(opts.upstreams) or opts.workers,
              follow=url + FOLLOW_PATH.lstrip("/"), log=opts.run_dir))
        sys.stdout.flush()
        threading.Thread(target=_watch, args=(launcher.stopping, say, opts.db, url),
                         daemon=True).start()
        launcher.keep_alive()
        say(t("serve.stopping", opts.lang))
        return 0
    finally:
        launcher.stopping.set()
        launcher.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

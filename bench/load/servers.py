"""The servers under test: started on free ports in their own process group, their memory
sampled from /proc (sum of RSS over the process tree), and always killed at the end."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# the app's config hides exceptions' text from visitors; the bench wants it in its report
DIAGNOSTIC = ("client.showErrorDetails=full",)


class Unavailable(Exception):
    """A configuration that cannot run on this machine (the table says why)."""


@dataclass(frozen=True)
class Config:
    """`app1`, `bare1`: one Streamlit process; `app2`, `bare3`: N processes behind the proxy;
    `script` serves another page file in place of app.py (the tests' bad page)."""

    name: str
    script: Path | None = None

    @property
    def bare(self) -> bool:
        return self.name.startswith("bare")

    @property
    def workers(self) -> int:
        digits = self.name.lstrip("abpre")
        return int(digits) if digits.isdigit() else 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command(config: Config, port: int, db: Path, run_dir: Path) -> list[str]:
    script = str(config.script or (BARE_APP if config.bare else ROOT / "app.py"))
    if config.workers == 1:
        return [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
                "--server.address", "127.0.0.1", "--server.port", str(port),
                "--browser.gatherUsageStats", "false"]
    return [sys.executable, "-m", "cx", "serve", "--workers", str(config.workers),
            "--port", str(port), "--host", "127.0.0.1", "--app", script, "--db", str(db),
            "--run-dir", str(run_dir)]


def check_available(config: Config) -> None:
    """Raise Unavailable when the proxy configuration cannot run here."""
    if config.workers == 1:
        return
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        raise Unavailable("nginx not installed")
    probe = subprocess.run([sys.executable, "-m", "cx", "serve", "--help"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0 or "--workers" not in probe.stdout:
        raise Unavailable("`python -m cx serve` not available on this branch")


def _healthy(url: str, proc: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return True
        except OSError:
            try:
                proc.wait(0.25)
                return False
            except subprocess.TimeoutExpired:
                pass
    return False


@contextmanager
def serve(config: Config, db: Path, log: Path, prefix: list[str] | None = None,
          options: tuple[str, ...] = (), env: dict[str, str] | None = None
          ) -> Iterator[tuple[str, int]]:
    """(base URL, process group id) of a running server on `db` (a private copy: the server
    may write next to it); the whole group is killed afterwards. `prefix` replaces
    `python -m streamlit` (e.g. by a profiler's wrapper); `options` are Streamlit config
    options `section.name=value` for a single process (A/B runs of a setting); `env` is added
    to the server's environment."""
    check_available(config)
    port = free_port()
    command = _command(config, port, db, db.parent / "run")
    if prefix:
        command = [*prefix, *command[3:]]
    if config.workers == 1:
        command += [f"--{option}" for option in options]
    env = {**os.environ, **(env or {}), "CX_DB": str(db)}
    log.parent.mkdir(parents=True, exist_ok=True)  # bench/out is not in a fresh clone
    with open(log, "w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        if not _healthy(url, proc, 120):
            raise RuntimeError(f"{config.name} did not start; see {log}:\n"
                               + log.read_text()[-2000:])
        yield url, proc.pid
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes], grace: float = 10) -> None:
    """SIGTERM to the process group (servers stop cleanly, profilers write), then SIGKILL to
    whatever of the group is still alive."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with suppress(subprocess.TimeoutExpired):
        proc.wait(grace)
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(5)


def tree_rss(pgid: int) -> int:
    """Bytes of RSS of every process in the group `pgid` and their descendants."""
    parents: dict[int, int] = {}
    members: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        pid, ppid, pgrp = int(entry), int(fields[1]), int(fields[2])
        parents[pid] = ppid
        if pgrp == pgid:
            members.add(pid)
    for pid in list(parents):  # descendants that left the group (e.g. a daemon)
        up = parents.get(pid)
        while up and up not in members and up in parents and up != 1:
            up = parents.get(up)
        if up in members:
            members.add(pid)
    total = 0
    for pid in members:
        with suppress(OSError, IndexError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    return total


class PeakMemory:
    """Samples tree_rss every `every` seconds in a thread; `.peak` is the largest seen."""

    def __init__(self, pgid: int, every: float = 0.2) -> None:
        self.pgid, self.every, self.peak = pgid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pgid))
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss(self.pgid))

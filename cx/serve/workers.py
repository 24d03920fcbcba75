"""The app processes: `streamlit run` on local ports, each in its own process group (stopping
one stops whatever it started), each told to die with the launcher (no orphan if the launcher
itself is killed)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from cx import config

PR_SET_PDEATHSIG = 1  # linux/prctl.h
HEALTH_PATH = "/_stcore/health"
STOP_GRACE = 10.0  # seconds between SIGTERM and SIGKILL


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (the OS's pick)."""
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


LIBC = _libc()  # loaded here, not in the forked child


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the launcher's thread that started it ends
    (so even a `kill -9` of the launcher leaves no worker). Linux only; elsewhere the
    launcher's own clean-up has to do."""
    prctl = getattr(LIBC, "prctl", None)
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(args: Sequence[str], env: Mapping[str, str], log: IO[bytes],
          cwd: Path = config.PROJECT_ROOT) -> subprocess.Popen[bytes]:
    """Start `args` in a process group of its own, its output in `log`."""
    return subprocess.Popen(list(args), cwd=cwd, env=dict(env), stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=_die_with_parent)


def stop(procs: Sequence[subprocess.Popen[bytes]], grace: float = STOP_GRACE) -> None:
    """SIGTERM to each process group, then SIGKILL to any still there after `grace` seconds."""
    for proc in procs:
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(max(0.0, deadline - time.monotonic()))
        _signal_group(proc, signal.SIGKILL)  # the leader's children too, even if it exited
        proc.wait()


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def streamlit_command(app: Path, port: int, max_upload_mb: int) -> list[str]:
    """One worker: headless, on the loopback only (nginx is its only client)."""
    return [sys.executable, "-m", "streamlit", "run", str(app),
            "--server.headless", "true", "--server.address", "127.0.0.1",
            "--server.port", str(port), "--server.enableXsrfProtection", "true",
            "--server.maxUploadSize", str(max_upload_mb),
            "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]


def healthy(port: int, proc: subprocess.Popen[bytes], seconds: float,
            cancel: threading.Event | None = None) -> bool:
    """Whether the worker on `port` answers its health check within `seconds` (False at once
    if it exits, or when `cancel` is set)."""
    deadline = time.monotonic() + seconds
    url = f"http://127.0.0.1:{port}{HEALTH_PATH}"
    while time.monotonic() < deadline and not (cancel and cancel.is_set()):
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.read() == b"ok":
                    return True
        except OSError:
            pass
        try:
            proc.wait(0.1)
            return False
        except subprocess.TimeoutExpired:
            continue
    return False

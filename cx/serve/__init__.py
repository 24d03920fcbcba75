"""Serving an event: several `streamlit run` workers behind nginx (`python -m cx serve`).

`nginx` writes the proxy's configuration (sticky sessions by cookie, websockets, Streamlit's
front end and the follow-along site served by nginx itself), `workers` starts and watches the
app processes, `launcher` ties them together until a signal. No Streamlit import here: the
workers are separate processes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FOLLOW_PATH = "/segui/"  # where the proxy serves the follow-along site (config.follow_dir())


def refresh_follow(db: Path, app_url: str | None) -> bool:
    """Called every 2 s by the launcher's watcher: rebuild the follow-along site when a newer
    snapshot of the database is published (a page upload on any worker, `python -m cx ingest`
    in a terminal). Each call only reads two small files; the build runs when they differ.
    Whether it rebuilt."""
    from cx import config
    from cx.follow import publish
    from cx.follow.site import settings
    from cx.store.snapshots import Snapshots

    now, out = Snapshots(db).current(), config.follow_dir()
    if now is None:  # the workers publish the first snapshot as they start
        return False
    if publish.published_version(out) == str(now.version) and \
            publish.published_settings(out) == settings(app_url):
        return False
    # in a process of its own: the deck's figures (hundreds of MB at a million respondents)
    # are freed when it ends, not kept by the launcher for the whole event
    command = [sys.executable, "-m", "cx", "follow", "--db", str(db), "--out", str(out)]
    done = subprocess.run([*command, *(["--app-url", app_url] if app_url else [])],
                          cwd=config.PROJECT_ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: another build holds the lock
        raise RuntimeError(done.stderr.strip()[-500:])
    return done.returncode == 0

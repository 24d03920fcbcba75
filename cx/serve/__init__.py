"""Serving an event: several `streamlit run` workers behind nginx (`python -m cx serve`).

`nginx` writes the proxy's configuration (sticky sessions by cookie, websockets, Streamlit's
front end and the follow-along site served by nginx itself), `workers` starts and watches the
app processes, `launcher` ties them together until a signal. No Streamlit import here: the
workers are separate processes.
"""

from __future__ import annotations

import os
from pathlib import Path

from cx import config

FOLLOW_PATH = "/segui/"  # where the proxy serves the follow-along site


def follow_dir() -> Path:
    """The follow-along site's directory (`CX_FOLLOW_DIR`, default data/follow/): its `current`
    link points at the latest build."""
    value = os.environ.get("CX_FOLLOW_DIR", "").strip()
    return Path(value) if value else config.DATA_DIR / "follow"


def refresh_follow() -> None:
    """Called every 2 s by the launcher's watcher. A placeholder: the follow-along builder and
    the snapshots' clean-up hook in here."""

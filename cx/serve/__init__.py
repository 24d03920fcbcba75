"""Serving an event: several `streamlit run` workers behind nginx (`python -m cx serve`).

`nginx` writes the proxy's configuration (sticky sessions by cookie, websockets, Streamlit's
front end and the follow-along site served by nginx itself), `workers` starts and watches the
app processes, `launcher` ties them together until a signal. No Streamlit import here: the
workers are separate processes.
"""

from __future__ import annotations

FOLLOW_PATH = "/segui/"  # where the proxy serves the follow-along site (config.follow_dir())


def refresh_follow() -> None:
    """Called every 2 s by the launcher's watcher. A placeholder: the follow-along builder and
    the snapshots' clean-up hook in here."""

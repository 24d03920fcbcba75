"""A release kept on disk beside its snapshot (`cx/store/release_file.py`), for large data.

Made once per snapshot and threshold by the first process that needs it, or ahead of time by
the writer (`python -m cx release`, run by `ingest` and `init`); then every app process reads
its table through DuckDB and keeps only what the pages ask of it in memory: the groups, what
was withheld, the persona model. At a million respondents the release made in memory held
0.8 GB of published rows in each process, and a minute and 4.7 GB at its peak to make.

The description is a pickle, as Streamlit's and scikit-learn's own caches are: the file is the
app's own, written beside the database it already trusts; a different release format or
scikit-learn version is a different file name, so a stale pickle is never read.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from cx.filters import ALL
from cx.privacy.publication import DIMENSIONS
from cx.privacy.release import Release, release
from cx.store import Store, release_file
from cx.store.snapshots import Snapshot

FORMAT = 1  # bump when Release, Publication or PersonaReport change shape
ROOT = Path(__file__).resolve().parents[2]  # where `python -m cx` runs


def tag(k: int, comment_k: int) -> str:
    return f"k{k}-c{comment_k}-f{FORMAT}-sk{version('scikit-learn')}"


def path_of(snapshot: Snapshot, k: int, comment_k: int) -> Path:
    return release_file.path_for(snapshot, tag(k, comment_k))


def light(made: Release) -> Release:
    """What of a release the pages ask for, without its rows: the groups each dimension's
    answers were published as (`Publication.options` reads them), what was withheld, the
    persona model and its labels (in the published rows' order, as `responses` reads them)."""
    pub = made.publication
    # each dimension's groups present, one column each (shorter ones padded with nothing)
    groups = pd.DataFrame({d: pd.Series(pub.frame[d].dropna().unique(), dtype="string")
                           for d in DIMENSIONS if d in pub.frame.columns})
    return replace(made, publication=replace(pub, frame=groups, rows=pub.rows[:0]))


def save(made: Release, path: Path) -> None:
    """Write a release made in memory to `path`: its table, and the rest without rows."""
    if isinstance(made.table, Path):
        raise TypeError("a stored release is saved from the release made in memory")
    about = pickle.dumps(replace(light(made), table=Path()), protocol=pickle.HIGHEST_PROTOCOL)
    release_file.write(path, made.table, about)


def load(path: Path) -> Release:
    """The release stored at `path`; its table is the file, attached by the store."""
    made = pickle.loads(release_file.read_about(path))  # the app's own file: see above
    if not isinstance(made, Release):
        raise TypeError(f"{path}: not a release")
    return replace(made, table=path)


def make_apart(db: Path, snapshot: Snapshot, k: int, comment_k: int) -> bool:
    """Make the release file in a process of its own (`python -m cx release`): its peak memory
    leaves with it, so an app process serving pages never holds it. False if it failed."""
    done = subprocess.run(
        [sys.executable, "-m", "cx", "release", "--db", str(db), "--snapshot", snapshot.name,
         "--k", str(k), "--comment-k", str(comment_k)],
        cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)  # the server's log keeps the reason
    return done.returncode == 0


def make_here(store: Store, path: Path, k: int, comment_k: int) -> None:
    """Make the release of `store` (a snapshot) and write it to `path`."""
    made = release(store.responses(filters=ALL), store.qn, k, comment_k)
    save(made, path)

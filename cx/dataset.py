"""Building a database from canonical data (the embedded sample, synthetic scale data)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cx.config import SAMPLE_CSV, SAMPLE_NEXT_CSV
from cx.questionnaire import Questionnaire, questionnaire
from cx.respondent_scores import respondent_scores
from cx.store import Store, primary


def with_scores(answers: pd.DataFrame, qn: Questionnaire | None = None) -> pd.DataFrame:
    """The answers plus the derived per-respondent scores stored beside them."""
    qn = qn or questionnaire()
    return pd.concat([answers, respondent_scores(answers, qn)], axis=1)


def load_frame(store: Store, answers: pd.DataFrame, upload_id: str | None = None) -> int:
    """Append canonical answers (with their scores) in one transaction."""
    frame = with_scores(answers, store.qn)
    frame["upload_id"] = upload_id
    return store.append_frame(frame)


def build_database(db: Path | str, csv: Path | str = SAMPLE_CSV,
                   later: tuple[Path, ...] = ()) -> Store:
    """Create `db` and load a canonical CSV into it, then each `later` one as an upload of its
    own (the sample's 2027 wave). Returns the open store."""
    store = Store.open(db)
    _load_sample(store, csv, later)
    return store


def _load_sample(store: Store, csv: Path | str, later: tuple[Path, ...]) -> None:
    load_frame(store, store.read_csv_typed(csv), upload_id="sample")
    for i, path in enumerate(later, start=2):
        load_frame(store, store.read_csv_typed(path), upload_id=f"sample-{i}")


def open_shared(db: Path | str, sample: bool = True) -> Store:
    """What the app and the commands use: the current published snapshot of `db`, read-only,
    whose writes go to the primary file (`cx.store.primary.open_reader`); a primary that does
    not exist yet is built from the embedded sample (with `sample`, else left empty)."""
    return primary.open_reader(Path(db), _fill_sample if sample else None)


def prepare(db: Path) -> None:
    """Build from the sample (when absent) and publish the primary, or recover it."""
    primary.prepare(db, _fill_sample)


def _fill_sample(store: Store) -> None:
    _load_sample(store, SAMPLE_CSV, (SAMPLE_NEXT_CSV,))

"""Building a database from canonical data (the embedded sample, synthetic scale data)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cx.config import SAMPLE_CSV, SAMPLE_NEXT_CSV
from cx.questionnaire import Questionnaire, questionnaire
from cx.respondent_scores import respondent_scores
from cx.store import Store


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
    load_frame(store, store.read_csv_typed(csv), upload_id="sample")
    for i, path in enumerate(later, start=2):
        load_frame(store, store.read_csv_typed(path), upload_id=f"sample-{i}")
    return store


def open_or_build(db: Path | str) -> Store:
    """Open `db`, building it from the embedded sample when the file does not exist yet."""
    return Store.open(db) if Path(db).exists() else build_database(db, later=(SAMPLE_NEXT_CSV,))

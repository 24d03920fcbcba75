"""The DuckDB file as one object, `Store`: its connection (`cx/store/connection.py`), reads
(`cx/store/reads.py`) and writes (`cx/store/writes.py`), and the uploads staged on it
(`cx/store/upload/`). The release's table is read beside it (`cx/store/published.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from cx.questionnaire import Questionnaire, questionnaire
from cx.store import schema
from cx.store.connection import StoreError
from cx.store.reads import Reads
from cx.store.themes import ThemeEdits
from cx.store.writes import Writes

if TYPE_CHECKING:
    from cx.store.upload.session import Staging


def _staging(store: Store, cur: duckdb.DuckDBPyConnection) -> Staging:
    from cx.store.upload.session import Staging

    return Staging(store, cur)


class Store(Reads, Writes, ThemeEdits):
    """One DuckDB file. Create with `Store.open(path)`; close with `close()`."""

    @classmethod
    def open(cls, path: Path | str, qn: Questionnaire | None = None) -> Store:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(path), config={"autoinstall_known_extensions": False,
                                                    "autoload_known_extensions": False})
        except duckdb.IOException as exc:
            raise StoreError(path, str(exc)) from exc
        store = cls(con, path, qn or questionnaire())
        schema.ensure(store)
        return store

    @contextmanager
    def staging(self) -> Iterator[Staging]:
        """An upload staged and checked, then rolled back: a preview writes nothing."""
        with self.scratch() as cur:
            yield _staging(self, cur)

    @contextmanager
    def writing(self) -> Iterator[Staging]:
        """An upload staged, checked and written in one all-or-nothing transaction."""
        with self.transaction() as cur:
            yield _staging(self, cur)

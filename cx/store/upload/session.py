"""`Staging`: what the importer may ask of an upload staged on one cursor. The cursor stays
here; the transaction is the store's (`Store.staging` rolls it back, `Store.writing` commits
it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import duckdb

from cx.questionnaire import Questionnaire
from cx.store.upload import checks, copies, direct, staged, verify, write
from cx.store.upload.plan import Plan

if TYPE_CHECKING:
    import pandas as pd

    from cx.store.core import Store


class Staging:
    """An upload's temp tables on one cursor inside the store's transaction."""

    def __init__(self, store: Store, cur: duckdb.DuckDBPyConnection):
        self._store = store
        self._cur = cur

    @property
    def qn(self) -> Questionnaire:
        return self._store.qn

    # the file's cells
    def load_rows(self, rows: Sequence[Sequence[str]], width: int) -> None:
        staged.load_rows(self._cur, rows, width)

    def load_csv(self, path: str, width: int, delimiter: str,
                 skip: int) -> list[tuple[int, str, str]]:
        """Stage a CSV body read by DuckDB; its rejected lines (line, kind, message)."""
        with self._store.insertion_order():  # rows keep the file's order: numbered from it
            return staged.load_csv(self._cur, path, width, delimiter, skip)

    def add_fixed(self, width: int, values: Sequence[str]) -> None:
        staged.add_fixed(self._cur, width, values)

    def staged_rows(self) -> int:
        return staged.staged_rows(self._cur)

    def finish(self, width: int, first_row: int) -> int:
        return staged.finish(self._cur, width, first_row)

    # recoding and answers
    def distinct_values(self, cols: Sequence[int]) -> dict[int, dict[str, int]]:
        return staged.distinct_values(self._cur, cols)

    def store_recode(self, frame: pd.DataFrame) -> None:
        staged.store_recode(self._cur, frame)

    def company_renames(self, plan: Plan) -> bool:
        """Whether some company names of the upload are spellings to store as another
        (`Store.company_renames`): «Caffe Borbone» after «Caffè Borbone», or a company
        already in the database (of two new spellings, the first in the file is kept)."""
        from cx.store.companies import company_renames  # numpy, pyarrow: loaded when used

        names, first = staged.company_names(plan)
        return company_renames(self._cur, names, order=first) > 0

    def answers(self, plan: Plan, identity: set[int], renamed: bool) -> None:
        staged.answers(self._cur, plan, self.qn, identity, renamed)

    # problems
    def find_problems(self, plan: Plan, bad_cols: list[int]) -> None:
        checks.find_problems(self._cur, plan, self.qn, bad_cols)

    def problem_counts(self) -> tuple[int, int]:
        return checks.problem_counts(self._cur)

    def first_problems(self, limit: int) -> list[checks.Row]:
        return checks.first_problems(self._cur, limit)

    def valid_waves(self) -> list[int]:
        return staged.valid_waves(self._cur)

    def answer_frame(self, qids: Sequence[str], cols: Sequence[int],
                     compared: Sequence[str] = (), limit: int | None = None) -> pd.DataFrame:
        """Row numbers, recoded answers to `qids`, raw cells of columns `cols`, and a hash of
        the answers to `compared` with their count."""
        return staged.answer_frame(self._cur, qids, cols, compared, limit)

    # rows already loaded
    def find_copies(self, plan: Plan) -> int:
        return copies.find(self._cur, plan, self.qn)

    def copy_uploads(self) -> list[str]:
        return copies.uploads(self._cur)

    def leave_out_copies(self, plan: Plan) -> None:
        copies.leave_out(self._cur, plan)

    # writing (inside `Store.writing`)
    def next_upload_id(self) -> str:
        return write.next_id(self._cur)

    def archive_waves(self, waves: list[int], upload_id: str) -> int:
        return write.archive_waves(self._cur, self._store.columns, waves, upload_id)

    def insert_staged(self, columns: Sequence[str], upload_id: str, skip: bool) -> int:
        """The rows without problems, scored, into `responses` (`skip`: some have)."""
        write.names(self._cur, columns)
        cols, select, params = write.good_rows(self._cur, self.qn, upload_id, skip)
        return self._store.insert_responses_select(self._cur, cols, select, params)

    def quarantine(self, columns: Sequence[str], upload_id: str) -> int:
        return write.quarantine(self._cur, columns, upload_id)

    def extras(self, plan: Plan, upload_id: str) -> None:
        write.extras(self._cur, plan, upload_id)

    def after_insert(self, waves: Iterable[int]) -> None:
        self._store.after_insert(self._cur, waves)

    def log_upload(self, entry: dict[str, object], packed: Iterable[bytes]) -> None:
        write.log_upload(self._cur, entry, packed)

    def upload_waves(self, upload_id: str) -> list[int]:
        return verify.waves(self._cur, upload_id)

    # the direct path
    def insert_direct(self, insert: direct.DirectInsert) -> int | None:
        """The rows straight from the CSV; None when DuckDB stopped the statement (the
        transaction must then be rolled back)."""
        cols, select, params = direct.select(self._cur, insert, self.qn)
        return self._store.try_insert_responses(self._cur, cols, select, params)

    def upload_distinct(self, upload_id: str, qids: list[str]) -> list[list[float | str]]:
        return verify.distinct(self._cur, upload_id, qids, self._store.columns)

    def upload_repeats(self, upload_id: str, same_wave: bool) -> bool:
        return verify.repeats(self._cur, upload_id, same_wave)

    def upload_renames(self, upload_id: str) -> int:
        return verify.renames(self._cur, upload_id)

"""Committing an upload in one transaction: the rows without problems into `responses` (with
their scores, computed in SQL), the rows with problems into quarantine when the analyst accepted
a partial import, the columns that match no question, the original bytes and the log entry.
A CSV already written in codes is first tried on the direct path (`cx.ingest.direct`:
one pass, no staging), which either commits what this thorough path would or writes nothing.
Also undo, and the log itself."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from cx.i18n import t
from cx.ingest import direct, read, validate
from cx.ingest.head import Head, read_head
from cx.ingest.log import Row, readable
from cx.ingest.options import Options
from cx.ingest.pipeline import prepare
from cx.ingest.preview import Found, Preview
from cx.ingest.problems import Problem, Refused
from cx.ingest.upload import Job, Progress, Upload, silent
from cx.store import Store
from cx.store.original import Packing
from cx.store.upload import Staging

if TYPE_CHECKING:  # the log's tables load pandas when shown: an ingest goes without it
    import pandas as pd


@dataclass(frozen=True)
class Result:
    """What an ingest did: committed, partial (rows quarantined) or refused (nothing written)."""

    status: str
    preview: Preview
    upload_id: str | None = None
    rows_committed: int = 0
    rows_quarantined: int = 0
    rows_replaced: int = 0

    def as_json(self, lang: str) -> dict[str, object]:
        p = self.preview
        return {"status": self.status, "upload_id": self.upload_id, "sha256": p.sha256,
                "rows_total": p.respondents, "rows_committed": self.rows_committed,
                "rows_quarantined": self.rows_quarantined, "rows_replaced": self.rows_replaced,
                "repeated": p.repeated,
                "waves": list(p.waves), "source": p.source, "refusal": p.refusal_text(lang),
                "problems_total": p.problems_total,
                "recodes": [r.as_dict(lang) for r in p.recodes],
                "problems": [x.as_dict(lang) for x in p.problems]}


class _Rollback(Exception):
    def __init__(self, preview: Preview):
        super().__init__("rollback")
        self.preview = preview


@dataclass(frozen=True)
class Commit:
    """An ingest asked for: its job, the (respondents, rows with problems) the analyst saw in
    the preview they confirmed (None: none was shown), and the original bytes, compressed while
    the upload is checked."""

    job: Job
    expected: tuple[int, int] | None
    packing: Packing


@dataclass(frozen=True)
class Written:
    """What a commit wrote: the upload's id and waves, and its rows committed, quarantined and
    replaced (archived: the replaced waves' earlier rows)."""

    upload_id: str
    waves: tuple[int, ...]
    committed: int
    quarantined: int = 0
    replaced: int = 0

    @property
    def status(self) -> str:
        return "partial" if self.quarantined else "committed"


def ingest(store: Store, upload: Upload, options: Options | None = None,
           expected: tuple[int, int] | None = None, progress: Progress = silent) -> Result:
    """Prepare and commit in one transaction; a refusal writes nothing. `expected`: the
    (respondents, rows with problems) the analyst saw in the preview they confirmed.
    `progress(step)`: read, then direct, or stage and check; then commit."""
    job = Job(store, upload, options or Options(),
              _each_step_once(progress))  # the thorough path reads the head again
    commit = Commit(job, expected, Packing(upload.path))  # compressed while it is checked
    if expected is None or expected[1] == 0:  # rows with problems need the thorough path
        done = _direct(commit)
        if done is not None:
            return done
    try:
        with store.writing() as staging:
            pre = prepare(store, staging, upload, job.options, job.progress)
            if pre.verdict == "ok" or pre.verdict == "partial":
                if expected is not None and expected != (pre.respondents, pre.rows_with_problems):
                    raise _Rollback(replace(pre, refusal=("changed", ())))
                job.progress("commit")
                return _write(commit, staging, pre)
            raise _Rollback(pre)
    except _Rollback as stop:
        return Result("refused", stop.preview)


def _direct(commit: Commit) -> Result | None:
    """The direct path (`cx.ingest.direct`), or None when the upload needs the thorough one
    (nothing written)."""
    job = commit.job
    if not read.text_file(job.upload.path):  # a workbook would be read twice
        return None
    found = Found.of(job.upload, job.options)
    try:  # only the head, whatever the size: DuckDB reads the body
        head = read_head(job, found, large=0)
        validate.check_plan(head.plan, job.store.qn)
    except Refused:  # the thorough path says why
        return None
    if not direct.eligible(head, found.preview.values):
        return None  # before hashing: the thorough path's own pass hashes the bytes once
    # one pass over the bytes, while DuckDB reads them: the hash, and the records counted
    # without DuckDB; not the empty lines (DuckDB skips them, so do we)
    job.upload.scan_in_background(lines=False, records=True)
    try:
        with job.store.writing() as staging:
            return _write_direct(commit, staging, head, found.preview)
    except direct.Missed:
        return None


def _each_step_once(progress: Progress) -> Progress:
    """`progress`, told a step again only after another one."""
    last: list[str] = []

    def step(name: str) -> None:
        if last[-1:] != [name]:
            last.append(name)
            progress(name)
    return step


def _write_direct(commit: Commit, staging: Staging, head: Head, seen: Preview) -> Result:
    job, upload, plan = commit.job, commit.job.upload, head.plan
    upload_id = staging.next_upload_id()
    waves = [plan.wave] if plan.wave is not None else []
    replaced = staging.archive_waves(waves, upload_id) if plan.mode == "replace" else 0
    job.progress("direct")
    committed = direct.insert(staging, head, upload_id, str(upload.path))
    direct.verify(staging, head, upload_id)
    if not committed or (commit.expected is not None and commit.expected[0] != committed):
        raise direct.Missed("rows")
    if committed != upload.body_records(head.skip):  # a line DuckDB lost: the thorough
        raise direct.Missed("records")  # path confirms the count and names the line
    job.progress("commit")
    waves = waves or staging.upload_waves(upload_id)
    staging.after_insert(waves)  # while the bytes are still being scanned
    scan = upload.scan
    if scan.binary:  # NUL bytes: the thorough path refuses the file
        raise direct.Missed("scan")
    # checked again under the write lock: another session may have committed the same bytes
    # since the head was read; the thorough path then refuses the file, naming that upload
    if job.store.rows("upload_by_sha", size=upload.size, sha256=scan.sha256):
        raise direct.Missed("duplicate")
    pre = replace(seen, sha256=scan.sha256, respondents=committed, waves=tuple(waves), plan=plan)
    return _log(commit, staging, pre, Written(upload_id, tuple(waves), committed,
                                              replaced=replaced))


def _write(commit: Commit, staging: Staging, pre: Preview) -> Result:
    upload_id = staging.next_upload_id()
    waves = [pre.options.wave] if pre.options.wave is not None else list(pre.waves)
    replaced = staging.archive_waves(waves, upload_id) if pre.options.mode == "replace" else 0
    committed = staging.insert_staged(pre.columns, upload_id, pre.rows_with_problems > 0)
    staging.after_insert(waves)
    quarantined = staging.quarantine(pre.columns, upload_id) if pre.verdict == "partial" else 0
    if pre.plan is not None:
        staging.extras(pre.plan, upload_id)
    return _log(commit, staging, pre, Written(upload_id, tuple(waves), committed, quarantined,
                                              replaced))


def _log(commit: Commit, staging: Staging, pre: Preview, written: Written) -> Result:
    """Log the upload with its original bytes; what the ingest did."""
    staging.log_upload({
        "upload_id": written.upload_id, "file_name": commit.job.upload.name,
        "sha256": pre.sha256, "size_bytes": pre.size, "waves": list(written.waves),
        "mode": pre.options.mode, "source": pre.source, "encoding": pre.encoding,
        "delimiter": pre.delimiter, "sheet": pre.sheet, "header_rows": pre.header_rows,
        "mapping": json.dumps(dict(pre.mapping), ensure_ascii=False),
        "rows_total": pre.respondents, "rows_committed": written.committed,
        "rows_quarantined": written.quarantined, "rows_replaced": written.replaced,
        "status": written.status,
    }, commit.packing.parts())
    return Result(written.status, pre, written.upload_id, written.committed,
                  written.quarantined, written.replaced)


def upload_log(store: Store) -> pd.DataFrame:
    """Every upload, newest first (undone ones included, marked)."""
    return store.query("upload_log")


def log_table(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The upload log as people read it (`cx.ingest.log.readable`), as a table for the page."""
    import pandas as pd

    rows = cast(list[Row], log.to_dict("records"))  # pandas types the SQL's column names Hashable
    return pd.DataFrame([readable(row, lang) for row in rows])


def quarantine_table(store: Store, upload_id: str, lang: str) -> pd.DataFrame:
    """The quarantined rows of an upload as they were in the file (its columns, in its order),
    after the file's row number and the reasons in `lang`: ready to fix and upload again."""
    import pandas as pd

    problems = store.query("upload_problems", upload_id=upload_id)
    why: dict[int, list[str]] = {}
    fields = ["row", "column", "value", "reason", "params"]
    for row, column, value, reason, params in problems[fields].itertuples(index=False, name=None):
        problem = Problem.from_json(row, column, value, reason, params)
        why.setdefault(problem.row, []).append(
            t("ingest.quarantine.reason", lang, column=problem.column, reason=problem.text(lang)))
    rows = store.query("quarantine_of", upload_id=upload_id)
    records = [json.loads(r) for r in rows["record"]]
    head = {t("ingest.quarantine.row", lang): rows["row"].astype(int).tolist(),
            t("ingest.quarantine.problems", lang): ["; ".join(why.get(int(r), []))
                                                    for r in rows["row"]]}
    return pd.concat([pd.DataFrame(head), pd.DataFrame.from_records(records)], axis=1)


def undo(store: Store, upload_id: str) -> dict[str, int]:
    """Remove exactly this upload's rows (restoring any it replaced); the log keeps it."""
    with store.exclusive():  # the checks below and the write see the same, latest rows
        return _undo(store, upload_id)


def _undo(store: Store, upload_id: str) -> dict[str, int]:
    log = upload_log(store)
    found = log[log["upload_id"] == upload_id]
    if found.empty:
        raise Refused("unknown_upload", upload_id=upload_id)
    if found["status"].iloc[0] == "undone":
        raise Refused("already_undone", upload_id=upload_id)
    later = store.query("later_uploads", id=upload_id)["upload_id"].tolist()
    if later:  # history is undone from the latest: its archive holds this upload's rows
        raise Refused("undo_later_first", upload_id=upload_id, later=", ".join(later),
                      first=later[0])
    return store.undo_upload(upload_id)


def save_mapping(store: Store, pre: Preview) -> None:
    """Remember this preview's mapping for the next file of the same shape."""
    if pre.shape:
        store.save_mapping(pre.shape, list(pre.file_columns), pre.remembered)

"""prepare: bytes → a staged, recoded, checked upload and its frozen `Preview` (what was found:
source, encoding, mapping, respondents, problems). Nothing is written here: the caller runs it on
a scratch cursor (a preview) or inside the write transaction (`cx.ingest.commit`)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from cx.ingest import body as body_
from cx.ingest import copies, quality, read, records, stage, validate
from cx.ingest.grid import Grid
from cx.ingest.head import Head, read_head
from cx.ingest.options import Options
from cx.ingest.preview import Found, Preview, glance
from cx.ingest.problems import Refused
from cx.ingest.upload import Job, Progress, Upload, silent
from cx.questionnaire import Questionnaire
from cx.store import Store, csv_source
from cx.store.upload import Plan, Staging

PREVIEW_PROBLEMS = 100_000  # problems carried by a preview (a commit stores all of them)


def _stage_body(staging: Staging, upload: Upload, head: Head, found: Found) -> int:
    """Stage the body's rows (of a large CSV, read by DuckDB), then the values given for every
    row; how many rows are not blank."""
    grid, width = head.grid, head.width
    first = grid.offset + head.header_rows + 1
    if grid.complete:
        staging.load_rows(grid.rows[grid.offset + head.header_rows:], width)
    else:
        skip = head.skip
        try:
            _load_body(staging, upload, grid, width, skip)
        except body_.NotUtf8 as exc:  # the head looked like UTF-8, the rest of the file is not
            grid = read.confirmed(upload.path, grid, exc.line)
            found.preview = replace(found.preview, encoding=grid.encoding)
            _load_body(staging, upload, grid, width, skip)
        if upload.scan.binary:
            raise Refused("binary")
        if upload.scan.blank_lines:  # rare: read again with each empty line kept as a row
            _load_body(staging, upload, replace(grid, blank_lines=True), width, skip)
    staging.add_fixed(width, tuple(v for _, v in found.preview.values))
    return staging.finish(width, first)  # blank rows: judged on the file's columns only


def _load_body(staging: Staging, upload: Upload, grid: Grid, width: int,
               skip: int) -> None:
    with tempfile.TemporaryDirectory(prefix="cx-upload-") as tmp:
        body = body_.utf8_body(upload.path, grid, Path(tmp))
        if body == upload.path:
            upload.count_in_background()
        stage.load_csv(staging, body, width, skip, grid.delimiter or ",")
        counted = upload.body_records(skip) if body == upload.path else \
            records.count_records(body) - records.head_records(body, skip)
        check_records(body, staging.staged_rows(), counted, skip, grid.delimiter or ",")


def check_records(body: Path, staged: int, counted: int, skip: int, delimiter: str) -> None:
    """Refuse a CSV body of which DuckDB read another number of records than counted without
    it (a line over its `max_line_size` is lost without a word). The quick count is confirmed
    by Python's parser before a refusal, which names the first line too long."""
    if staged == counted:
        return
    limit = csv_source.MAX_LINE
    exact = records.exact_records(body, delimiter, skip, limit)
    if exact.records != staged:
        raise Refused("lost_records", counted=exact.records, staged=staged,
                      line=exact.long_line or "–", limit=stage.max_line_mb())


def _check(staging: Staging, plan: Plan, qn: Questionnaire, found: Found) -> None:
    # free text and ids are kept as written: their (many) distinct values are not needed
    cols = [c for qid, c in plan.whole if not qn[qid].qtype.free]
    cols += [c for _, o in plan.options for _, c in o]
    below = found.preview.below_scale
    recode_, identity, recoded = stage.recode_table(plan, qn, staging.distinct_values(cols),
                                                    below)
    staging.store_recode(recode_)
    staging.answers(plan, identity, staging.company_renames(plan))
    bad_cols = sorted(set(recode_.loc[recode_["reason"].notna(), "col"]))
    staging.find_problems(plan, bad_cols)
    repeated = staging.find_copies(plan) if copies.checked(plan) else 0
    if repeated and found.preview.options.repeats == "skip":
        staging.leave_out_copies(plan)
    total, rows = staging.problem_counts()
    found.preview = replace(
        found.preview, problems=validate.first_problems(staging, plan.names, PREVIEW_PROBLEMS),
        problems_total=total, rows_with_problems=rows, recodes=recoded, repeated=repeated,
        repeated_in=tuple(staging.copy_uploads()) if repeated else (),
        waves=tuple(staging.valid_waves()), plan=plan)


def _steps(job: Job, staging: Staging, found: Found) -> None:
    """Fill `found` step by step (a refusal keeps what was found before it)."""
    qn = job.store.qn
    head = read_head(job, found)
    job.progress("stage")
    respondents = _stage_body(staging, job.upload, head, found)
    found.preview = replace(found.preview, respondents=respondents)
    plan = replace(head.plan, id_prefix=f"{job.upload.sha256[:8]}-")  # hashed meanwhile
    if not respondents:
        raise Refused("headers_only")
    validate.check_plan(plan, qn)
    job.progress("check")
    _check(staging, plan, qn, found)
    if found.preview.repeated and job.options.repeats not in copies.CHOICES:
        raise Refused("repeated_rows", n=found.preview.repeated,
                      uploads=", ".join(found.preview.repeated_in))


def prepare(store: Store, staging: Staging, upload: Upload, options: Options | None = None,
            progress: Progress = silent) -> Preview:
    """Read, recognise, map, recode and check an upload on `staging` (whose transaction the
    store owns). The staged tables stay there for `commit`. `progress(step)` is told each
    step: read, stage, check."""
    options = options or Options()
    upload.scan_in_background()
    found = Found.of(upload, options)
    try:
        _steps(Job(store, upload, options, progress), staging, found)
    except Refused as exc:
        refusal = (exc.code, tuple(sorted(exc.params.items())))
        found.preview = replace(found.preview, refusal=refusal, plan=None)
    return replace(found.preview, sha256=upload.sha256)


def preview(store: Store, upload: Upload, options: Options | None = None,
            progress: Progress = silent) -> Preview:
    """A dry run: everything `prepare` finds, with the response quality flags of the rows
    staged (`cx.ingest.quality`: for the analyst to judge; a commit does not compute them),
    and nothing written."""
    with store.staging() as staging:
        found = prepare(store, staging, upload, options, progress)
        if found.plan is None:  # refused before its rows were recoded
            return found
        known = set(store.query("company_codes")["company"])
        return replace(found, quality=quality.assess(staging, found.plan),
                       glance=glance(staging, found.plan, known,
                                     {p.row for p in found.problems}))

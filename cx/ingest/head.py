"""The head of an upload: its file read (of a large CSV, only its first rows), its tool and
header layout recognised, its columns mapped to questions (proposed, saved for files of this
shape, chosen), and where each question's answers are (`Plan`). Touches no table."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from cx.ingest import header as header_
from cx.ingest import mapping as mapping_
from cx.ingest import read, sources, validate
from cx.ingest.grid import Grid
from cx.ingest.options import (
    Options,
    fixed_name,
    fixed_values,
    not_applicable_codes,
    split_saved,
)
from cx.ingest.preview import Found
from cx.ingest.problems import Refused
from cx.ingest.upload import Job, Upload, max_upload_mb
from cx.questionnaire import Questionnaire
from cx.store import Store
from cx.store.upload import Plan

MAX_COLUMNS = 2000
EXAMPLE_ROWS = 1000  # rows searched for an example value of each column
# sources whose exports code non-substantive options below zero (Qualtrics' recode values:
# -1 "No basis for evaluation", -99 "seen, unanswered")
NEGATIVE_NOT_APPLICABLE = frozenset({"qualtrics"})


@dataclass(frozen=True)
class Head:
    """What the first rows of an upload tell: its cells read so far, the rows of its header,
    the width of its rows and where each question's answers are."""

    grid: Grid
    header_rows: int
    width: int
    plan: Plan

    @property
    def skip(self) -> int:
        return body_skip(self.grid, self.header_rows)


def body_skip(grid: Grid, header_rows: int) -> int:
    """The lines before the body of a large CSV (blank lines, then the header's)."""
    return grid.row_lines[grid.offset + header_rows - 1]


def _plan(cols: tuple[header_.Column, ...], final: dict[str, str], options: Options) -> Plan:
    whole: list[tuple[str, int]] = []
    spread: dict[str, list[tuple[str, int]]] = {}
    for col in cols:
        qid, _, option = final.get(col.name, "").partition(":")
        if qid and option:
            spread.setdefault(qid, []).append((option, col.index))
        elif qid:
            whole.append((qid, col.index))
    return Plan(tuple(c.name for c in cols), tuple(whole),
                tuple((q, tuple(opts)) for q, opts in spread.items()), options.wave,
                "", options.mode)  # the prefix of ids: once the file's hash is known


def _ordered(plan: Plan, qn: Questionnaire) -> Plan:
    """Option columns in the questionnaire's order of options (the order of the codes)."""
    options = tuple((q, tuple(sorted(opts, key=lambda o: qn[q].codes.index(o[0]))))
                    for q, opts in plan.options)
    return replace(plan, options=options)


def _map(store: Store, cols: tuple[header_.Column, ...], shape: str, options: Options,
         found: Found) -> tuple[tuple[header_.Column, ...], dict[str, str]]:
    """The columns (the file's, then one per value given for every row) and their targets:
    proposed, then saved for this shape, then chosen by the analyst; a value given for every
    row takes its question from any column."""
    qn = store.qn
    saved_columns, saved_codes = split_saved(_saved_mapping(store, shape))
    values = fixed_values(dict(options.values), qn)
    chosen = options.not_applicable if options.not_applicable is not None else saved_codes
    found.preview = replace(found.preview, not_applicable=not_applicable_codes(chosen or ()))
    extra = tuple(header_.Column(len(cols) + i, fixed_name(qid), (fixed_name(qid),))
                  for i, qid in enumerate(values))
    proposed = mapping_.propose(cols, qn) | {c.name: "" for c in extra}
    final = mapping_.merge(proposed, saved_columns, dict(options.mapping),
                           {fixed_name(qid): qid for qid in values}, qn=qn)
    found.preview = replace(found.preview, proposed=tuple(proposed.items()),
                            mapping=tuple(final.items()), values=tuple(values.items()))
    return cols + extra, final


def _saved_mapping(store: Store, shape: str) -> dict[str, str] | None:
    """The mapping saved for files of this shape, read as plain rows (`Store.saved_mapping`
    gives the same through pandas, which an ingest of a file in codes goes without)."""
    found = store.rows("saved_mapping", shape=shape)
    return json.loads(str(found[0]["mapping"])) if found else None


def _examples(rows: tuple[tuple[str, ...], ...], width: int) -> tuple[str, ...]:
    found = (next((r[j] for r in rows if j < len(r) and r[j].strip()), "") for j in range(width))
    return tuple(v if len(v) <= 60 else v[:59] + "…" for v in found)


def _read(job: Job, found: Found, large: int | None) -> tuple[Grid, sources.Layout]:
    """The file's cells and the layout of its header (refused when too large, already
    uploaded, or unreadable); of a CSV over `large` bytes, only its first rows."""
    validate.check_size(job.upload.size, max_upload_mb())
    _refuse_duplicate(job.store, job.upload)
    grid = read.read_grid(job.upload.path, job.options.sheet, large)
    layout = sources.detect(grid.rows[grid.offset:grid.offset + 5], job.store.qn)
    found.preview = replace(
        found.preview, kind=grid.kind, source=layout.source, encoding=grid.encoding,
        delimiter=grid.delimiter, sheet=grid.sheet, sheets=grid.sheets,
        header_rows=layout.header_rows,
        negative_not_applicable=layout.source in NEGATIVE_NOT_APPLICABLE)
    return grid, layout


def _refuse_duplicate(store: Store, upload: Upload) -> None:
    """The same bytes are loaded once (unless that upload was undone). Only a file of the size
    of a live upload waits for its SHA-256 here; others go on while it is computed."""
    if not store.rows("uploads_of_size", size=upload.size)[0]["n"]:
        return
    seen = store.rows("upload_by_sha", size=upload.size, sha256=upload.sha256)
    if seen:
        raise Refused("duplicate_file", upload_id=seen[0]["upload_id"],
                      file=seen[0]["file_name"])


def read_head(job: Job, found: Found, large: int | None = None) -> Head:
    """Read, recognise and map the header, filling `found` (a refusal keeps what was found
    before it); a CSV over `large` bytes (default `read.LARGE_CSV`) is read only so far, its
    body left to DuckDB. Touches no table."""
    job.progress("read")
    grid, layout = _read(job, found, large)
    header = grid.rows[grid.offset:grid.offset + layout.header_rows]
    body = grid.rows[grid.offset + layout.header_rows:][:EXAMPLE_ROWS]
    validate.check_columns(len(header[0]) if header else 0, MAX_COLUMNS)
    cols = header_.columns(header, layout, body)
    shape = header_.shape(cols)
    found.preview = replace(found.preview, columns=tuple(c.name for c in cols), shape=shape,
                            examples=_examples(body, len(cols)))
    width = len(cols)
    cols, final = _map(job.store, cols, shape, job.options, found)
    found.preview = replace(
        found.preview, columns=tuple(c.name for c in cols),
        examples=found.preview.examples + tuple(v for _, v in found.preview.values))
    validate.check_targets(final)
    plan = _ordered(_plan(cols, final, job.options), job.store.qn)
    return Head(grid, layout.header_rows, width, plan)

"""prepare: bytes → a staged, recoded, checked upload and its frozen `Preview` (what was found:
source, encoding, mapping, respondents, problems). Nothing is written here: the caller runs it on
a scratch cursor (a preview) or inside the write transaction (`cx.ingest.commit`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from cx import background
from cx.ingest import copies, read, recode, records, sources, stage, validate
from cx.ingest import mapping as mapping_
from cx.ingest.problems import Problem, Recoded, Refused
from cx.questionnaire import Questionnaire
from cx.store import Store, csv_source
from cx.store.upload import Plan, Staging

DEFAULT_MAX_MB = 500  # a 1M-row canonical CSV is ~360 MB
MAX_COLUMNS = 2000
PREVIEW_PROBLEMS = 100_000  # problems carried by a preview (a commit stores all of them)
EXAMPLE_ROWS = 1000  # rows searched for an example value of each column
FIXED = "="  # a value given for every row (`Options.values`) is staged as a column "=<id>"
NOT_FIXED = ("respondent_id", "wave")
# sources whose exports code non-substantive options below zero (Qualtrics' recode values:
# -1 "No basis for evaluation", -99 "seen, unanswered")
NEGATIVE_NOT_APPLICABLE = frozenset({"qualtrics"})  # the wave is asked per upload; ids must differ
Progress = Callable[[str], None]


def max_upload_mb() -> int:
    """The upload size limit in MB (`CX_MAX_UPLOAD_MB`, default 500)."""
    try:
        return max(1, int(os.environ.get("CX_MAX_UPLOAD_MB", DEFAULT_MAX_MB)))
    except ValueError:
        return DEFAULT_MAX_MB


@dataclass(frozen=True)
class Options:
    """What the analyst chose: wave, mode, sheet, column → target overrides, values given for
    every row (question id → value, e.g. the company of a file from one company; "" removes a
    saved one), partial import, and the whole numbers below a rating scale that mean "not
    applicable" in this file (e.g. "0"; None: as saved for files of this shape, else none)."""

    wave: int | None = None
    mode: str = "append"
    sheet: str | None = None
    mapping: tuple[tuple[str, str], ...] = ()
    accept_partial: bool = False
    values: tuple[tuple[str, str], ...] = ()
    not_applicable: tuple[str, ...] | None = None
    repeats: str | None = None  # rows already loaded, found again: "skip" or "keep" them


@dataclass(frozen=True)
class Upload:
    """A file as received, on disk (a million rows are streamed, never held in memory twice),
    and the name the analyst gave it."""

    path: Path
    name: str

    @cached_property
    def size(self) -> int:
        return self.path.stat().st_size

    _scans: dict[bool, Future[read.Scan]] = field(default_factory=dict, compare=False,
                                                  repr=False)

    def scan_in_background(self, lines: bool = True) -> None:
        """Start the pass over every byte on another thread (hashlib lets go of the GIL): the
        SHA-256, NUL bytes and, with `lines`, empty lines between rows (which only the thorough
        path needs). It overlaps reading the header and staging."""
        if lines not in self._scans and True not in self._scans:
            self._scans[lines] = background.run(read.scan, self.path, lines=lines)

    @property
    def scan(self) -> read.Scan:
        """The most complete pass started (a whole one, started now, when none was)."""
        self.scan_in_background(lines=not self._scans)
        return (self._scans[True] if True in self._scans else self._scans[False]).result()

    @property
    def sha256(self) -> str:
        return self.scan.sha256

    _records: list[Future[int]] = field(default_factory=list, compare=False, repr=False)

    def count_in_background(self) -> None:
        """Start counting the file's CSV records without DuckDB (`cx.ingest.records`) on
        another thread (numpy lets go of the GIL), while DuckDB reads it."""
        if not self._records:
            self._records.append(background.run(records.count_records, self.path))

    def body_records(self, skip: int) -> int:
        """The records after the first `skip` lines, as counted by `count_in_background`."""
        self.count_in_background()
        return self._records[0].result() - records.head_records(self.path, skip)


@contextmanager
def saved_upload(data: bytes, name: str) -> Iterator[Upload]:
    """Bytes received by the page, written to a private temp file for the pipeline."""
    with tempfile.TemporaryDirectory(prefix="cx-upload-") as tmp:
        path = Path(tmp) / "upload"
        path.write_bytes(data)
        yield Upload(path, Path(name).name or "upload")


@dataclass(frozen=True)
class Preview:
    """Everything found in an upload before anything is written."""

    file_name: str
    sha256: str
    size: int
    options: Options = Options()
    kind: str | None = None
    source: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_rows: int = 0
    columns: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()  # a value of each column, to help the analyst map it
    mapping: tuple[tuple[str, str], ...] = ()
    proposed: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # question id → the value given for every row
    not_applicable: tuple[str, ...] = ()  # codes below a scale read as "not applicable"
    negative_not_applicable: bool = False  # the source codes "not applicable" below zero
    recodes: tuple[Recoded, ...] = ()
    shape: str | None = None
    respondents: int = 0
    problems: tuple[Problem, ...] = ()
    problems_total: int = 0
    rows_with_problems: int = 0
    repeated: int = 0  # rows saying what a stored row of their wave says (`cx.ingest.copies`)
    repeated_in: tuple[str, ...] = ()  # the uploads holding those stored rows
    waves: tuple[int, ...] = ()
    refusal: tuple[str, tuple[tuple[str, object], ...]] | None = None
    plan: Plan | None = field(default=None, repr=False, compare=False)

    @property
    def verdict(self) -> str:
        """ok (all rows can be committed), partial (with quarantine) or refused."""
        if self.refusal is not None:
            return "refused"
        left_out = self.repeated if self.options.repeats == "skip" else 0  # chosen already
        if self.rows_with_problems > left_out:
            return "partial" if self.options.accept_partial else "refused"
        return "partial" if self.rows_with_problems else "ok"

    @property
    def rows_ok(self) -> int:
        return self.respondents - self.rows_with_problems

    def refusal_text(self, lang: str) -> str | None:
        if self.refusal is None:
            return None
        return Refused(self.refusal[0], **dict(self.refusal[1])).text(lang)

    @property
    def fixed(self) -> set[str]:
        """The staged columns that hold a value given for every row (not the file's)."""
        return {fixed_name(qid) for qid, _ in self.values}

    @property
    def file_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.fixed)

    @property
    def mapped(self) -> dict[str, str]:
        """The file's columns → their targets."""
        return {name: target for name, target in self.mapping
                if target and name not in self.fixed}

    @property
    def unmapped(self) -> list[str]:
        return [name for name, target in self.mapping if not target]

    @property
    def remembered(self) -> dict[str, str]:
        """The mapping to save for files of this shape: column → target, and the codes read
        as "not applicable" (how the tool writes them, like its columns). A value given for
        every row (the company of a one-company file) is never saved: the next file of the
        same shape may come from another company."""
        return {**self.mapped, **{name: "" for name in self.unmapped},
                NOT_APPLICABLE_KEY: "|".join(self.not_applicable)}

    @property
    def below_scale(self) -> recode.BelowScale:
        return recode.BelowScale(frozenset(self.not_applicable), self.negative_not_applicable)


@dataclass
class Found:
    """What an upload has shown so far: a `Preview` replaced at each step (its fields typed),
    so that a refusal keeps what was found before it."""

    preview: Preview

    @classmethod
    def of(cls, upload: Upload, options: Options) -> Found:
        return cls(Preview(upload.name, "", upload.size, options))


def fixed_name(qid: str) -> str:
    """The name of the staged column holding a value given for every row."""
    return FIXED + qid


NOT_APPLICABLE_KEY = "=not_applicable"  # in a saved mapping: the codes read as such


def split_saved(saved: dict[str, str] | None) -> tuple[dict[str, str], tuple[str, ...] | None]:
    """A saved mapping as (column → target, codes below a scale that mean "not applicable",
    None when none were saved). Values given for every row are no longer saved; one saved by
    an older version is ignored (issue 17). Keys starting with "=" are never a column's name
    (a file's header cell is staged under its own name, but "=" + qid names fixed values)."""
    saved = saved or {}
    columns = {k: v for k, v in saved.items() if not k.startswith(FIXED)}
    codes = saved.get(NOT_APPLICABLE_KEY)
    return columns, (tuple(c for c in codes.split("|") if c) if codes is not None else None)


def not_applicable_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes the analyst gave for "not applicable": whole numbers, written as the recoder
    writes them ("0", "-1"); anything else is refused."""
    out = []
    for code in codes:
        value = recode.parse_number(str(code))
        if value is None or not value.is_integer():
            raise Refused("bad_not_applicable", value=code)
        out.append(recode.number_text(value))
    return tuple(dict.fromkeys(out))


def fixed_values(chosen: dict[str, str], qn: Questionnaire) -> dict[str, str]:
    """The values the analyst gave for every row ("" gives none)."""
    values = {k: v.strip() for k, v in chosen.items()}
    for qid in values:
        if qid not in qn or qid in NOT_FIXED:
            raise Refused("bad_fixed", question=qid)
    return {qid: v for qid, v in values.items() if v}


def _plan(cols: tuple[mapping_.Column, ...], final: dict[str, str], options: Options,
          upload: Upload) -> Plan:
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


def _stage_body(staging: Staging, upload: Upload, grid: read.Grid, header_rows: int,
                width: int, found: Found) -> int:
    first = grid.offset + header_rows + 1
    if grid.complete:
        staging.load_rows(grid.rows[grid.offset + header_rows:], width)
    else:
        skip = body_skip(grid, header_rows)
        try:
            _load_body(staging, upload, grid, width, skip)
        except read.NotUtf8 as exc:  # the head looked like UTF-8, the rest of the file is not
            grid = read.confirmed(upload.path, grid, exc.line)
            found.preview = replace(found.preview, encoding=grid.encoding)
            _load_body(staging, upload, grid, width, skip)
        if upload.scan.binary:
            raise Refused("binary")
        if upload.scan.blank_lines:  # rare: read again with each empty line kept as a row
            _load_body(staging, upload, replace(grid, blank_lines=True), width, skip)
    staging.add_fixed(width, tuple(v for _, v in found.preview.values))
    return staging.finish(width, first)  # blank rows: judged on the file's columns only


def body_skip(grid: read.Grid, header_rows: int) -> int:
    """The lines before the body of a large CSV (blank lines, then the header's)."""
    return grid.row_lines[grid.offset + header_rows - 1]


def _load_body(staging: Staging, upload: Upload, grid: read.Grid, width: int,
               skip: int) -> None:
    with tempfile.TemporaryDirectory(prefix="cx-upload-") as tmp:
        body = read.utf8_body(upload.path, grid, Path(tmp))
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
    cols = [c for qid, c in plan.whole if qn[qid].type not in ("text", "id")]
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


def _map(store: Store, cols: tuple[mapping_.Column, ...], shape: str, options: Options,
         found: Found) -> tuple[tuple[mapping_.Column, ...], dict[str, str]]:
    """The columns (the file's, then one per value given for every row) and their targets:
    proposed, then saved for this shape, then chosen by the analyst; a value given for every
    row takes its question from any column."""
    qn = store.qn
    saved_columns, saved_codes = split_saved(store.saved_mapping(shape))
    values = fixed_values(dict(options.values), qn)
    chosen = options.not_applicable if options.not_applicable is not None else saved_codes
    found.preview = replace(found.preview, not_applicable=not_applicable_codes(chosen or ()))
    extra = tuple(mapping_.Column(len(cols) + i, fixed_name(qid), (fixed_name(qid),))
                  for i, qid in enumerate(values))
    proposed = mapping_.propose(cols, qn) | {c.name: "" for c in extra}
    final = mapping_.merge(proposed, saved_columns, dict(options.mapping),
                           {fixed_name(qid): qid for qid in values}, qn=qn)
    found.preview = replace(found.preview, proposed=tuple(proposed.items()),
                            mapping=tuple(final.items()), values=tuple(values.items()))
    return cols + extra, final


def _examples(rows: tuple[tuple[str, ...], ...], width: int) -> tuple[str, ...]:
    found = (next((r[j] for r in rows if j < len(r) and r[j].strip()), "") for j in range(width))
    return tuple(v if len(v) <= 60 else v[:59] + "…" for v in found)


def _read(store: Store, upload: Upload, options: Options, found: Found,
          large: int | None) -> tuple[read.Grid, sources.Layout]:
    """The file's cells and the layout of its header (refused when too large, already
    uploaded, or unreadable); of a CSV over `large` bytes, only its first rows."""
    validate.check_size(upload.size, max_upload_mb())
    _refuse_duplicate(store, upload)
    grid = read.read_grid(upload.path, options.sheet, large)
    layout = sources.detect(grid.rows[grid.offset:grid.offset + 5], store.qn)
    found.preview = replace(
        found.preview, kind=grid.kind, source=layout.source, encoding=grid.encoding,
        delimiter=grid.delimiter, sheet=grid.sheet, sheets=grid.sheets,
        header_rows=layout.header_rows,
        negative_not_applicable=layout.source in NEGATIVE_NOT_APPLICABLE)
    return grid, layout


def _refuse_duplicate(store: Store, upload: Upload) -> None:
    """The same bytes are loaded once (unless that upload was undone). Only a file of the size
    of a live upload waits for its SHA-256 here; others go on while it is computed."""
    if not store.query("uploads_of_size", size=upload.size)["n"].iloc[0]:
        return
    seen = store.query("upload_by_sha", size=upload.size, sha256=upload.sha256)
    if not seen.empty:
        raise Refused("duplicate_file", upload_id=seen["upload_id"].iloc[0],
                      file=seen["file_name"].iloc[0])


@dataclass(frozen=True)
class Head:
    """What the first rows of an upload tell: its cells read so far, the rows of its header,
    the width of its rows and where each question's answers are."""

    grid: read.Grid
    header_rows: int
    width: int
    plan: Plan

    @property
    def skip(self) -> int:
        return body_skip(self.grid, self.header_rows)


def read_head(store: Store, upload: Upload, options: Options, found: Found,
              progress: Progress, large: int | None = None) -> Head:
    """Read, recognise and map the header, filling `info` (a refusal keeps what was found
    before it); a CSV over `large` bytes (default `read.LARGE_CSV`) is read only so far, its
    body left to DuckDB. Touches no table."""
    progress("read")
    grid, layout = _read(store, upload, options, found, large)
    header = grid.rows[grid.offset:grid.offset + layout.header_rows]
    body = grid.rows[grid.offset + layout.header_rows:][:EXAMPLE_ROWS]
    validate.check_columns(len(header[0]) if header else 0, MAX_COLUMNS)
    cols = mapping_.columns(header, layout, body)
    shape = mapping_.shape(cols)
    found.preview = replace(found.preview, columns=tuple(c.name for c in cols), shape=shape,
                examples=_examples(body, len(cols)))
    width = len(cols)
    cols, final = _map(store, cols, shape, options, found)
    found.preview = replace(
        found.preview, columns=tuple(c.name for c in cols),
        examples=found.preview.examples + tuple(v for _, v in found.preview.values))
    validate.check_targets(final)
    plan = _ordered(_plan(cols, final, options, upload), store.qn)
    return Head(grid, layout.header_rows, width, plan)


def _steps(store: Store, staging: Staging, upload: Upload, options: Options, found: Found,
           progress: Progress) -> None:
    """Fill `info` step by step (a refusal keeps what was found before it)."""
    qn = store.qn
    head = read_head(store, upload, options, found, progress)
    progress("stage")
    respondents = _stage_body(staging, upload, head.grid, head.header_rows, head.width, found)
    found.preview = replace(found.preview, respondents=respondents)
    plan = replace(head.plan, id_prefix=f"{upload.sha256[:8]}-")  # hashed meanwhile
    if not respondents:
        raise Refused("headers_only")
    validate.check_plan(plan, qn)
    progress("check")
    _check(staging, plan, qn, found)
    if found.preview.repeated and options.repeats not in copies.CHOICES:
        raise Refused("repeated_rows", n=found.preview.repeated,
                      uploads=", ".join(found.preview.repeated_in))


def silent(step: str) -> None:
    """No progress shown (the command line)."""


def prepare(store: Store, staging: Staging, upload: Upload, options: Options | None = None,
            progress: Progress = silent) -> Preview:
    """Read, recognise, map, recode and check an upload on `staging` (whose transaction the
    store owns). The staged tables stay there for `commit`. `progress(step)` is told each
    step: read, stage, check."""
    options = options or Options()
    upload.scan_in_background()
    found = Found.of(upload, options)
    try:
        _steps(store, staging, upload, options, found, progress)
    except Refused as exc:
        refusal = (exc.code, tuple(sorted(exc.params.items())))
        found.preview = replace(found.preview, refusal=refusal, plan=None)
    return replace(found.preview, sha256=upload.sha256)


def preview(store: Store, upload: Upload, options: Options | None = None,
            progress: Progress = silent) -> Preview:
    """A dry run: everything `prepare` finds, and nothing written."""
    with store.staging() as staging:
        return prepare(store, staging, upload, options, progress)

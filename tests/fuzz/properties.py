"""The properties every upload must keep (issue 17), checked on a generated `Sample`:

- `ingest --dry-run` and `ingest` end with exit 0, 1 or 2, never a traceback (no exception
  leaves `main`, no "Traceback" on stderr); with --json, stdout is one JSON object;
- a dry run, a refused file and a usage error change nothing: every table's checksum is equal;
- the dry run and the commit agree (refused both or neither; the same respondents);
- a committed file's rows equal an independent reading of it (Python's csv module or
  openpyxl): respondents, ids, companies, waves, scale and text answers;
- undoing it returns every data table to its checksum (see `UNDO_KEEPS` for the others).

Only this module and the tests read the database directly (DuckDB's Python API, read-only),
independently of `cx.store`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import duckdb

from cx.cli import main
from cx.ingest import read
from tests.fuzz.strategies import QN, Flags, Sample

EXIT_CODES = (0, 1, 2)
# DuckDB's trim() drops the Unicode space separators (Zs) at both ends, not tabs or line breaks
SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1)
                 if unicodedata.category(chr(c)) == "Zs")
# undo "removes exactly this upload's rows, restoring any it replaced; the log keeps it": these
# tables must be back to their checksum (the member list and the analysts' theme edits are
# never written by an upload: unchanged too)…
UNDONE = ("responses", "archived_responses", "quarantine", "upload_problems", "upload_extras",
          "saved_mappings", "retired_codes", "members", "member_totals", "theme_edits")
# …while these may only have gained rows, every earlier row unchanged: the log entry (now
# marked undone) and its original bytes; the anonymous and access codes of companies the upload
# brought (a code is never issued twice: cx/store/queries/schema.sql numbers new companies
# after the highest code ever issued); how a new wave's questions were asked (first one wins)
UNDO_KEEPS = ("uploads", "upload_files", "companies", "company_access", "wave_questions")
# and in `meta` only the data version moves: every write bumps it (cache keys depend on it)


@dataclass(frozen=True)
class Outcome:
    """What one command did."""

    code: int
    out: str
    err: str

    @property
    def report(self) -> dict:
        return json.loads(self.out)


def run_cli(argv: list[str], large: bool = False) -> Outcome:
    """`python -m cx …` in this process; any exception but argparse's exit propagates (it
    would be a traceback). `large`: a CSV's body is read by DuckDB, not in Python."""
    out, err = io.StringIO(), io.StringIO()
    patch = mock.patch.object(read, "LARGE_CSV", 10) if large else contextlib.nullcontext()
    with patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: a usage error
            code = exc.code
    outcome = Outcome(code, out.getvalue(), err.getvalue())
    assert code in EXIT_CODES, (argv, outcome)
    assert "Traceback" not in outcome.err, outcome.err
    return outcome


Snapshot = dict[str, Counter]


def snapshot(db: Path) -> Snapshot:
    """Every table of the file (sorted by name) as a multiset of its rows' text."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1").fetchall()]
        return {name: Counter(repr(row) for row in con.execute(f'SELECT * FROM "{name}"')
                              .fetchall()) for name in names}
    finally:
        con.close()


def checksums(snap: Snapshot) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent checksum (SHA-256 of the sorted rows) of each table."""
    return {name: (rows.total(), hashlib.sha256("\n".join(sorted(rows.elements())).encode(
        "utf-8", "surrogatepass")).hexdigest()[:16]) for name, rows in snap.items()}


def assert_unchanged(before: Snapshot, db: Path, what: str) -> None:
    now, then = checksums(snapshot(db)), checksums(before)
    changed = {t: (then.get(t), now.get(t)) for t in then.keys() | now.keys()
               if then.get(t) != now.get(t)}
    assert not changed, f"{what} changed the tables (rows, checksum): {changed}"


def assert_undone(before: Snapshot, after: Snapshot, upload_id: str) -> None:
    changed = [t for t in UNDONE if before[t] != after[t]]
    assert not changed, f"undo left the tables {changed} changed"
    lost = [t for t in UNDO_KEEPS if before[t] - after[t]]
    assert not lost, f"undo changed earlier rows of {lost}"
    assert set(after) == set(before), "tables appeared or disappeared"
    other = set(after) - set(UNDONE) - set(UNDO_KEEPS) - {"meta"}
    assert not other, f"tables without an undo rule: {other}"
    moved = (after["meta"] - before["meta"]) + (before["meta"] - after["meta"])
    assert all("data_version" in row for row in moved), moved
    entries = list(after["uploads"] - before["uploads"])
    assert len(entries) == 1 and f"'{upload_id}'" in entries[0], entries


def decode(data: bytes) -> str:
    """The text of a CSV as documented (cx.ingest.read): a BOM says the encoding, the NUL
    bytes of ASCII text say UTF-16, else UTF-8 when it decodes, else Windows-1252, else
    Latin-1."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec)
    head = data[:4096]
    if head[1::2].count(0) > len(head) // 4 and not head[0::2].count(0):
        return data.decode("utf-16-le")
    for codec in ("utf-8", "cp1252"):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(codec)
    return data.decode("latin-1")


Record = tuple[int, list[str]]  # the row's number in the file, its cells


def csv_records(sample: Sample) -> list[Record]:
    csv.field_size_limit(1 << 30)
    reader = csv.reader(io.StringIO(decode(sample.data), newline=""),
                        delimiter=sample.delimiter or ",", strict=True)
    return list(enumerate(reader, start=1))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_records(sample: Sample, sheet: str) -> list[Record]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(sample.data))[sheet]
    return [(row[0].row, [_text(c.value) for c in row]) for row in ws.iter_rows()]


def trim(text: str) -> str:
    """A cell as DuckDB's trim() leaves it (how ids, companies and text answers are stored)."""
    return text.strip(SPACES)


BLANK_LETTERS = "\u115f\u1160\u3164\uffa0"  # letters that show nothing


def display(name: str) -> str:
    """A company name as stored (cx.naming's rule, restated): NFC, no invisible characters,
    one space between words."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch) != "Cf" and ch not in BLANK_LETTERS)
    return " ".join(text.split())


@dataclass(frozen=True)
class Logged:
    """The upload's entry in the log."""

    upload_id: str
    header_rows: int
    mapping: list[tuple[str, str]]  # the file's columns in order → their targets
    delimiter: str | None
    sheet: str | None
    sha256: str
    waves: list[int]
    rows_total: int
    rows_committed: int
    rows_quarantined: int
    rows_replaced: int

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.mapping]

    @property
    def targets(self) -> list[str]:
        return [target for _, target in self.mapping]


def query(db: Path, sql: str, params: list | None = None) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()


def logged(db: Path) -> Logged:
    row = query(db, "SELECT upload_id, header_rows, mapping, delimiter, sheet, sha256, waves, "
                "rows_total, rows_committed, rows_quarantined, rows_replaced FROM uploads "
                "ORDER BY upload_id DESC LIMIT 1")[0]
    row["mapping"] = list(json.loads(row["mapping"]).items())
    return Logged(**row)


def body(records: list[Record], header_rows: int, width: int) -> dict[int, list[str]]:
    """The file's rows after its header that are not blank (white space only, as a person
    sees it), each padded or cut to `width` cells."""
    first = next(i for i, (_, cells) in enumerate(records) if any(c.strip() for c in cells))
    rows = {}
    for number, cells in records[first + header_rows:]:
        cells = (cells + [""] * width)[:width]
        if any(c.strip() for c in cells):
            rows[number] = cells
    return rows


def file_rows(sample: Sample, log: Logged) -> dict[int, list[str]]:
    """The rows of the file, read without cx: in the sheet and with the delimiter written."""
    if sample.kind == "xlsx":
        assert log.sheet == sample.sheet, (log.sheet, sample.sheet)
        records = xlsx_records(sample, sample.sheet)
    else:
        assert log.delimiter == sample.delimiter, (log.delimiter, sample.delimiter)
        records = csv_records(sample)
    return body(records, log.header_rows, len(log.mapping))


def company_key(name: str) -> str:
    """What two spellings of one company share (cx.naming's rule, restated): compatibility
    forms, no case, accents or invisible characters, single spaces."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf")
                   and ch not in BLANK_LETTERS)
    return " ".join(text.split())


def companies_as_stored(rows: dict[int, list[str]], targets: list[str],
                        known: list[str]) -> dict[str, str | None]:
    """Each company name of the file → as stored: as written when the database has it; else
    the database's spelling of its key; else the first spelling of its key in the file, as
    `display` writes it (None: nothing but invisible characters)."""
    if "company" not in targets:
        return {}
    col = targets.index("company")
    by_key = {company_key(name): min(n for n in known if company_key(n) == company_key(name))
              for name in known}
    out: dict[str, str | None] = {}
    for _, cells in sorted(rows.items()):
        name = trim(cells[col])
        key = company_key(name)
        if name in known:
            out[name] = name
        elif key and key not in by_key:
            by_key[key] = display(name)
        out.setdefault(name, by_key.get(key) if key else None)
    return out


def _in_range(q, text: str) -> float | None:
    low, high = q.bounds or (float("-inf"), float("inf"))
    return float(text) if re.fullmatch(r"-?\d{1,3}", text) and low <= int(text) <= high \
        else None


def expected_answer(qid: str, cell: str) -> object:
    """An answer as an independent reader takes it: a whole number in range, a code or an
    option's label, codes joined by |, nothing; `...` (not compared) for anything else."""
    q, value = QN[qid], trim(cell)
    if value == "":
        return None
    if q.type in ("likert", "scale", "number"):
        number = _in_range(q, value)
        if number is not None:
            return int(number) if q.sql_type == "INTEGER" else number
    labels = {text.casefold(): o.code for o in q.options for text in (o.code, o.it, o.en)}
    if q.type == "multi":
        parts = [labels.get(p.strip(SPACES).casefold()) for p in value.split("|") if p.strip()]
        if None in parts or (set(q.exclusive) & set(parts) and len(set(parts)) > 1):
            return ...
        return "|".join(c for c in q.codes if c in parts) or None
    code = labels.get(value.casefold(), ...)
    return int(code) if code is not ... and q.sql_type == "INTEGER" else code


def row_id(cells: list[str], targets: list[str], number: int, sha: str) -> str:
    """The respondent id: as written, else the upload's hash and the row's number."""
    written = trim(cells[targets.index("respondent_id")]) if "respondent_id" in targets else ""
    return written or f"{sha[:8]}-{number}"


def expected_row(cells: list[str], targets: list[str], flags: Flags,
                 companies: dict[str, str | None]) -> dict[str, object]:
    """The stored values an independent reading of one row gives."""
    out: dict[str, object] = {}
    if flags.wave is not None:
        out["wave"] = int(flags.wave)
    for cell, target in zip(cells, targets):
        q = QN.by_id.get(target)
        if q is None or q.id == "respondent_id":
            continue
        if q.id == "company":
            out["company"] = companies[trim(cell)]
        elif q.id == "wave":
            if flags.wave is None and re.fullmatch(r"\d{4}", trim(cell)):
                out["wave"] = int(trim(cell))
        elif q.type == "text":
            out[q.id] = trim(cell) or None
        else:
            out[q.id] = expected_answer(q.id, cell)
    return out


def check_committed(sample: Sample, flags: Flags, db: Path, known: list[str]) -> Logged:
    """The rows the upload added equal an independent reading of the file, less the rows it
    quarantined, which are kept as they were in the file; so are the cells of the columns that
    match no question."""
    log = logged(db)
    rows = file_rows(sample, log)
    assert log.rows_total == len(rows), (log.rows_total, sorted(rows))
    quarantined = _check_quarantine(db, log, rows)
    stored = {r["respondent_id"]: r for r in query(
        db, "SELECT * FROM responses WHERE upload_id = ?", [log.upload_id])}
    assert log.rows_committed == len(stored) == len(rows) - len(quarantined)
    assert all(r["company"] is not None and r["wave"] is not None for r in stored.values())
    companies = companies_as_stored(rows, log.targets, known)
    expected = {row_id(cells, log.targets, number, log.sha256):
                expected_row(cells, log.targets, flags, companies)
                for number, cells in rows.items() if number not in quarantined}
    assert stored.keys() == expected.keys(), (sorted(stored), sorted(expected))
    for rid, want in expected.items():
        want = {k: v for k, v in want.items() if v is not ...}
        got = {k: stored[rid][k] for k in want}
        assert got == want, f"row {rid}: stored {got}, the file says {want}"
    _check_extras(db, log, rows)
    return log


def _check_quarantine(db: Path, log: Logged, rows: dict[int, list[str]]) -> set[int]:
    """The quarantined rows, each as it was in the file (column → cell, empty as null)."""
    kept = {r["row"]: json.loads(r["record"]) for r in query(
        db, 'SELECT "row", record FROM quarantine WHERE upload_id = ?', [log.upload_id])}
    assert kept.keys() <= rows.keys(), (sorted(kept), sorted(rows))
    assert log.rows_quarantined == len(kept)
    for number, record in kept.items():
        want = {name: cell or None for name, cell in zip(log.names, rows[number])}
        assert record == want, f"quarantined row {number}: kept {record}, the file says {want}"
    return set(kept)


def _check_extras(db: Path, log: Logged, rows: dict[int, list[str]]) -> None:
    """Every non-blank cell of a column that matches no question, with its row and id."""
    kept = Counter((r["row"], r["respondent_id"], r["column"], r["value"]) for r in query(
        db, 'SELECT "row", respondent_id, "column", value FROM upload_extras '
        "WHERE upload_id = ?", [log.upload_id]))
    want = Counter((number, row_id(cells, log.targets, number, log.sha256), name, cell)
                   for number, cells in rows.items()
                   for name, target, cell in zip(log.names, log.targets, cells)
                   if not target and trim(cell))
    assert kept == want, (kept - want, want - kept)


def check_replaced(log: Logged, before: Counter, after: Counter, flags: Flags) -> None:
    """Appending adds the committed rows; replacing first moves every row of the upload's
    waves to the archive, and only those."""
    replaced = sum(before[w] for w in log.waves) if flags.mode == "replace" else 0
    assert log.rows_replaced == replaced, (log.waves, before)
    assert after.total() == before.total() - replaced + log.rows_committed, (before, after)


def wave_counts(db: Path) -> Counter:
    return Counter({r["wave"]: r["n"] for r in query(
        db, "SELECT wave, count(*) AS n FROM responses GROUP BY 1")})


def check_sample(sample: Sample, flags: Flags, db: Path, path: Path) -> str:
    """Every property on one generated upload; returns what happened (for the statistics)."""
    path.write_bytes(sample.data)
    before, waves = snapshot(db), wave_counts(db)
    known = [r["company"] for r in query(db, "SELECT company FROM companies")]
    args = ["ingest", str(path), "--db", str(db), *flags.argv()]
    dry = run_cli([*args, "--dry-run"], flags.large)
    assert_unchanged(before, db, "a dry run")
    done = run_cli(args, flags.large)
    assert dry.code == done.code, f"dry run said {dry.code}, ingest {done.code}: {done.err}"
    if flags.json and done.code != 2:
        _check_reports(dry.report, done.report)
    if done.code != 0:
        assert_unchanged(before, db, f"exit {done.code}")
        return {1: "refused", 2: "usage error"}[done.code]
    log = check_committed(sample, flags, db, known)
    check_replaced(log, waves, wave_counts(db), flags)
    _check_undo(log, flags, db, path, before)
    return "partial" if log.rows_quarantined else "committed"


def _check_undo(log: Logged, flags: Flags, db: Path, path: Path, before: Snapshot) -> None:
    """The same bytes again are refused, changing nothing; undo brings every data table back
    and marks the log entry."""
    committed = snapshot(db)
    again = run_cli(["ingest", str(path), "--db", str(db), "--json", "--lang", flags.lang])
    assert again.code == 1 and log.upload_id in again.report["refusal"], again
    assert_unchanged(committed, db, "the same file again")
    undone = run_cli(["undo", log.upload_id, "--db", str(db), "--lang", flags.lang])
    assert undone.code == 0, undone
    assert_undone(before, snapshot(db), log.upload_id)
    assert query(db, "SELECT undone_at FROM uploads WHERE upload_id = ?",
                 [log.upload_id])[0]["undone_at"] is not None, "the log marks it undone"


def _check_reports(dry: dict, done: dict) -> None:
    """The dry run reported what the commit then did."""
    assert (dry["verdict"] == "refused") == (done["status"] == "refused"), (dry, done)
    if done["status"] != "refused":
        assert dry["respondents"] == done["rows_total"]
        assert dry["rows_with_problems"] == done["rows_quarantined"]

"""An upload as received: the file on disk (a million rows are streamed, never held in memory
twice) and the name the analyst gave it, with the passes over every byte that run beside the
other steps (`cx.ingest.scan`, `cx.ingest.records`); the steps it reports (`Progress`); and the
`Job` that carries it, with its store and options, through the steps."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from cx import background
from cx.ingest import records
from cx.ingest.scan import Scan
from cx.ingest.scan import scan as scan_file

if TYPE_CHECKING:
    from cx.ingest.options import Options
    from cx.store import Store

DEFAULT_MAX_MB = 500  # a 1M-row canonical CSV is ~360 MB
Progress = Callable[[str], None]


def max_upload_mb() -> int:
    """The upload size limit in MB (`CX_MAX_UPLOAD_MB`, default 500)."""
    try:
        return max(1, int(os.environ.get("CX_MAX_UPLOAD_MB", DEFAULT_MAX_MB)))
    except ValueError:
        return DEFAULT_MAX_MB


def silent(step: str) -> None:
    """No progress shown (the command line)."""


@dataclass(frozen=True)
class Upload:
    """A file as received, on disk (a million rows are streamed, never held in memory twice),
    and the name the analyst gave it."""

    path: Path
    name: str

    @cached_property
    def size(self) -> int:
        return self.path.stat().st_size

    # the passes started, by what they look for besides the hash: (empty lines, records)
    _scans: dict[tuple[bool, bool], Future[Scan]] = field(default_factory=dict, compare=False,
                                                          repr=False)

    def scan_in_background(self, lines: bool = True, records: bool = False) -> None:
        """Start the pass over every byte on another thread (hashlib and numpy let go of the
        GIL): the SHA-256, NUL bytes, with `lines` the empty lines between rows (which only the
        thorough path needs), with `records` the CSV records counted without DuckDB (which the
        direct path checks its read against). It overlaps reading the header and staging; a
        pass that tells as much is never started twice."""
        if not any((seen_lines or not lines) and (seen_records or not records)
                   for seen_lines, seen_records in self._scans):
            self._scans[(lines, records)] = background.run(scan_file, self.path, lines=lines,
                                                           records=records)

    @property
    def scan(self) -> Scan:
        """The most complete pass started (a whole one, started now, when none was)."""
        if not self._scans:
            self.scan_in_background()
        return self._scans[max(self._scans)].result()

    @property
    def sha256(self) -> str:
        return self.scan.sha256

    _records: list[Future[int]] = field(default_factory=list, compare=False, repr=False)

    def count_in_background(self) -> None:
        """Start counting the file's CSV records without DuckDB (`cx.ingest.records`) on
        another thread (numpy lets go of the GIL), while DuckDB reads it; not when the pass over
        every byte counts them already."""
        if not self._records and not any(counting for _, counting in self._scans):
            self._records.append(background.run(records.count_records, self.path))

    def body_records(self, skip: int) -> int:
        """The records after the first `skip` lines, as counted beside DuckDB's read (by the
        pass over every byte, or by `count_in_background`)."""
        self.count_in_background()
        counted = [scan for (_, counting), scan in self._scans.items() if counting]
        total = counted[0].result().records if counted else self._records[0].result()
        assert total is not None, "a pass that counts records gives their number"
        return total - records.head_records(self.path, skip)


@contextmanager
def saved_upload(data: bytes, name: str) -> Iterator[Upload]:
    """Bytes received by the page, written to a private temp file for the pipeline."""
    with tempfile.TemporaryDirectory(prefix="cx-upload-") as tmp:
        path = Path(tmp) / "upload"
        path.write_bytes(data)
        yield Upload(path, Path(name).name or "upload")


@dataclass(frozen=True)
class Job:
    """An upload on its way through the importer: the store it goes to, the file, what the
    analyst chose, and whom to tell each step; what every step takes."""

    store: Store
    upload: Upload
    options: Options
    progress: Progress = silent

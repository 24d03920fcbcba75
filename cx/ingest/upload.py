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

    _scans: dict[bool, Future[Scan]] = field(default_factory=dict, compare=False, repr=False)

    def scan_in_background(self, lines: bool = True) -> None:
        """Start the pass over every byte on another thread (hashlib lets go of the GIL): the
        SHA-256, NUL bytes and, with `lines`, empty lines between rows (which only the thorough
        path needs). It overlaps reading the header and staging."""
        if lines not in self._scans and True not in self._scans:
            self._scans[lines] = background.run(scan_file, self.path, lines=lines)

    @property
    def scan(self) -> Scan:
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
class Job:
    """An upload on its way through the importer: the store it goes to, the file, what the
    analyst chose, and whom to tell each step; what every step takes."""

    store: Store
    upload: Upload
    options: Options
    progress: Progress = silent

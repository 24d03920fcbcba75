"""The upload log as people read it, on the page and on the command line: translated headers,
sources, modes and states; waves as a list. Plain rows (no pandas), so that `python -m cx
uploads` starts in a fraction of a second."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from cx.i18n import t
from cx.store import Store

LOG_COLUMNS = ("upload_id", "status", "uploaded_at", "file_name", "source", "waves", "mode",
               "rows_committed", "rows_quarantined", "rows_replaced")  # status first: seen
Row = dict[str, object]


def upload_log(store: Store) -> list[Row]:
    """Every upload, newest first (undone ones included, marked)."""
    return store.rows("upload_log")


def readable(row: Row, lang: str) -> Row:
    """One upload as people read it, under translated headers."""
    values: Row = {c: row[c] for c in LOG_COLUMNS}
    values["source"] = t(f"ingest.source.{row['source'] or 'unknown'}", lang)
    values["mode"] = t(f"ingest.mode.{row['mode']}", lang)
    values["status"] = t(f"ingest.status.{row['status']}", lang)
    waves = cast("Iterable[object] | None", row["waves"])  # DuckDB reads the LIST as a list
    values["waves"] = ", ".join(str(w) for w in waves) if waves is not None else ""
    return {t(f"ingest.log.{c}", lang): v for c, v in values.items()}


def text_table(rows: list[Row]) -> str:
    """Rows as aligned columns of text (times to the second), as a terminal shows them."""
    if not rows:
        return ""
    cells = [[_text(v) for v in row.values()] for row in rows]
    heads = list(rows[0])
    widths = [max(len(h), *(len(r[j]) for r in cells)) for j, h in enumerate(heads)]
    lines = [heads, *cells]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip()
                     for line in lines)


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)

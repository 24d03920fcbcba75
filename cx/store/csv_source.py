"""A CSV body as DuckDB reads it for an upload: every column VARCHAR, strictly."""

from __future__ import annotations

from pathlib import Path

MAX_LINE = 64 * 1024 * 1024  # bytes of one CSV line DuckDB reads (Python's field limit alike)


def csv_body(path: Path | str, n_columns: int, delimiter: str, skip: int,
             rejects: bool = False) -> tuple[str, dict[str, object]]:
    """(table function, parameters) reading a UTF-8 CSV body (after `skip` lines) as VARCHAR
    columns c0, c1, …, strictly: a malformed line is an error, or with `rejects` a row of
    DuckDB's `reject_errors`. A line over `MAX_LINE` bytes is a reject, but one past DuckDB's
    buffer (about 32 MB) is skipped without one (DuckDB 2.0): the caller compares the rows
    read with its own count (`cx.ingest.records`)."""
    columns = {f"c{i}": "VARCHAR" for i in range(n_columns)}
    source = ("read_csv($path, header = false, skip = $skip, columns = $columns, "
              "delim = $delim, quote = '\"', escape = '\"', strict_mode = true, "
              "max_line_size = $max_line, all_varchar = true, auto_detect = false, "
              f"store_rejects = {str(rejects).lower()})")
    return source, {"path": str(path), "skip": skip, "columns": columns, "delim": delimiter,
                    "max_line": MAX_LINE}

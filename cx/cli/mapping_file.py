"""A mapping file for `python -m cx ingest --mapping`: which column answers which question, the
values given for every row and the codes read as "not applicable", as JSON written by hand or
saved from a dry run; a file that says anything else is refused in one sentence."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cx.ingest.problems import Refused

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MappingFile:
    """What a mapping file gives: column → target, values for every row, and the codes below
    a rating scale that mean "not applicable" in the file (None: not said)."""

    mapping: Pairs = ()
    values: Pairs = ()
    not_applicable: tuple[str, ...] | None = None


def read_mapping(path: str | None) -> MappingFile:
    """A mapping file: {"column": "question id" | "qid:option" | null}, or {"mapping": {…},
    "values": {"question id": "value for every row"}, "not_applicable": ["0", …]}."""
    from cx.ingest.options import not_applicable_codes

    if not path:
        return MappingFile()
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused("bad_mapping_file", path=path) from exc
    if not isinstance(raw, dict):
        raise Refused("bad_mapping_file", path=path)
    sections = {"values", "not_applicable"}
    mapping = raw.get("mapping", raw if not sections & set(raw) else {})
    values = raw.get("values", {})
    codes = raw.get("not_applicable")
    if not isinstance(mapping, dict) or not isinstance(values, dict) \
            or not isinstance(codes, list | None):
        raise Refused("bad_mapping_file", path=path)
    return MappingFile(tuple((str(k), str(v or "")) for k, v in mapping.items()),
                       tuple((str(k), str(v if v is not None else "")) for k, v in values.items()),
                       None if codes is None else not_applicable_codes(map(str, codes)))

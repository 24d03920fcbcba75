"""A member list file (CSV/XLSX/XLS, read as the importer reads: `cx.ingest.read`) → one
row per company with its sector, size band and region as the questionnaire's codes, or the
problems that stop it, each naming the file, row, column and value. Nothing is stored unless
there is no problem. Pure: no I/O besides reading the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cx.coverage.mix import MEMBER_COLUMNS, key_of
from cx.i18n import t
from cx.ingest.grid import Grid
from cx.ingest.problems import Refused
from cx.ingest.read import read_grid
from cx.naming import company_display, company_key
from cx.questionnaire import questionnaire

REQUIRED = ("company", "sector", "size_band")
# header names read as each column (compared by company_key: case and accents aside)
HEADERS = {
    "company": ("company", "azienda", "ragione sociale", "socio", "member", "nome"),
    "sector": ("sector", "settore", "settore di attivita", "industry"),
    "size_band": ("size_band", "size", "dimensione", "dipendenti", "numero di dipendenti",
                  "employees", "fascia dipendenti"),
    "region": ("region", "regione", "area", "area geografica"),
}


@dataclass(frozen=True)
class MemberProblem:
    """One cell of the member file that cannot be read (row: 1-based, header included)."""

    file: str
    row: int
    column: str
    value: str
    reason: str  # coverage.problem.<reason>
    first: int = 0  # the row a duplicated company was first on

    def text(self, lang: str) -> str:
        allowed = ""
        if self.reason == "unknown_value":
            allowed = ", ".join(f"«{o.label(lang)}» ({o.code})"
                                for o in questionnaire()[self.field].options)
        return t(f"coverage.problem.{self.reason}", lang, file=self.file, row=self.row,
                 column=self.column, value=self.value, allowed=allowed, first=self.first)

    @property
    def field(self) -> str:
        return next((f for f, names in HEADERS.items()
                     if company_key(self.column) in names), self.column)


class MemberFileRefused(Exception):
    """The whole file is refused: `text(lang)` names the file and what is wrong."""

    def __init__(self, file: str, reason: str, **params: object):
        super().__init__(reason)
        self.file, self.reason, self.params = file, reason, params

    def text(self, lang: str) -> str:
        if self.reason == "unreadable":
            inner = self.params["refused"]
            assert isinstance(inner, Refused)
            return t("coverage.refusal.unreadable", lang, file=self.file, why=inner.text(lang))
        return t(f"coverage.refusal.{self.reason}", lang, file=self.file, **self.params)


@dataclass(frozen=True)
class MemberList:
    members: pd.DataFrame  # MEMBER_COLUMNS
    problems: tuple[MemberProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.members.empty


def _lookup(question: str) -> dict[str, str]:
    """Code, Italian and English label (folded) → code."""
    table: dict[str, str] = {}
    for o in questionnaire()[question].options:
        for text in (o.code, o.label("it"), o.label("en")):
            table[company_key(text)] = o.code
    return table


def _columns(header: Sequence[str], file: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, name in enumerate(header):
        key = company_key(name)
        for field, names in HEADERS.items():
            if key in names and field not in found:
                found[field] = j
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        raise MemberFileRefused(file, "missing_column", column=missing[0],
                                names=", ".join(f"«{n}»" for n in HEADERS[missing[0]][:3]))
    return found


def read_members(path: Path, name: str | None = None, sheet: str | None = None) -> MemberList:
    """The member list in `path` (`name`: the file's name as the user knows it)."""
    file = name or path.name
    try:
        grid = read_grid(path, sheet, large=1 << 62)
    except Refused as exc:
        raise MemberFileRefused(file, "unreadable", refused=exc) from exc
    return parse_members(grid, file)


def parse_members(grid: Grid, file: str) -> MemberList:
    rows = list(grid.rows[grid.offset:])
    if not rows:
        raise MemberFileRefused(file, "no_rows")
    header = [c.strip() for c in rows[0]]
    columns = _columns(header, file)
    lookups = {f: _lookup(f) for f in ("sector", "size_band", "region")}
    records: list[dict[str, str | None]] = []
    problems: list[MemberProblem] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows[1:], start=grid.offset + 2):
        if not any(c.strip() for c in row):
            continue
        record = {f: row[j].strip() for f, j in columns.items()}
        name = company_display(record["company"])
        if not name:
            problems.append(MemberProblem(file, i, header[columns["company"]], "", "empty"))
            continue
        key = key_of(name)
        if key in seen:
            problems.append(MemberProblem(file, i, header[columns["company"]], name,
                                          "duplicate", seen[key]))
        seen.setdefault(key, i)
        out: dict[str, str | None] = {"company": name, "company_key": key, "region": None}
        for field, lookup in lookups.items():
            value = record.get(field, "")
            if not value and field == "region":
                continue
            code = lookup.get(company_key(value))
            if code is None:
                problems.append(MemberProblem(file, i, header[columns[field]], value,
                                              "unknown_value" if value else "empty"))
            out[field] = code
        records.append(out)
    frame = pd.DataFrame(records, columns=list(MEMBER_COLUMNS))
    if not records and not problems:
        raise MemberFileRefused(file, "no_rows")
    return MemberList(frame, tuple(problems))
